# make build: set up everything (venv, package, LibreOffice) and build the bundled content.
# make test:  the same set-up plus test tools, then the manual, lint, the layers contract of the
#             stages (import-linter, see pyproject.toml) and the whole test suite.
# make docs:  the user manual (docs/, manual.yml) into build-manual/, strict, links checked.
VENV ?= .venv
PY := $(VENV)/bin/python
CG := $(VENV)/bin/convenantgen
OUT ?= build
CONTENT ?= content

.PHONY: build test lint check bench clean system-deps system-deps-test docs

build: $(VENV)/.installed system-deps
	$(CG) check $(CONTENT)
	$(CG) build $(CONTENT) --out $(OUT)

check: $(VENV)/.installed
	$(CG) check $(CONTENT)

test: $(VENV)/.installed system-deps-test docs
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

# No --quiet: it hides the warnings (broken links and anchors) that --strict fails on.
docs: $(VENV)/.installed
	$(PY) scripts/rules_doc.py --check
	$(PY) scripts/reference_doc.py --check
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --config-file manual.yml

bench: $(VENV)/.installed system-deps
	$(PY) benchmarks/bench_check.py

system-deps:
	@bash scripts/system-deps.sh build

system-deps-test:
	@bash scripts/system-deps.sh test

$(VENV)/.installed: pyproject.toml
	@bash scripts/system-deps.sh build
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) $(OUT) build-manual .pytest_cache
