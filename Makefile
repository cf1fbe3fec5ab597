# make build: set up everything (venv, package, LibreOffice) and build the bundled content.
# make test:  the same set-up plus test tools, then lint, the layers contract of the stages
#             (import-linter, see pyproject.toml) and the whole test suite.
VENV ?= .venv
PY := $(VENV)/bin/python
CG := $(VENV)/bin/convenantgen
OUT ?= build
CONTENT ?= content

.PHONY: build test lint check bench clean system-deps system-deps-test

build: $(VENV)/.installed system-deps
	$(CG) check $(CONTENT)
	$(CG) build $(CONTENT) --out $(OUT)

check: $(VENV)/.installed
	$(CG) check $(CONTENT)

test: $(VENV)/.installed system-deps-test
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

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
	rm -rf $(VENV) $(OUT) .pytest_cache
