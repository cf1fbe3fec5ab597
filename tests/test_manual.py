"""The user manual (docs/, manual.yml): it builds strict, broken links fail it, the rules page
follows the rule registry, every command is documented, and the README stays short and links
into pages that exist."""

from __future__ import annotations

import html
import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from convenantgen.checks.registry import CHECKS, CheckInfo
from convenantgen.errors import Severity

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIG = ROOT / "manual.yml"
CONVENANTGEN = Path(sys.executable).with_name("convenantgen")


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rules_doc = _script("rules_doc")
reference_doc = _script("reference_doc")


def _mkdocs(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """The build `make docs` runs (strict, not quiet), into ``site_dir``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config)]
        + ["--site-dir", str(site_dir)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1"),
    )


@pytest.fixture(scope="module")
def manual(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("manual")
    result = _mkdocs(CONFIG, site)
    assert result.returncode == 0, result.stderr
    return site


def _page(site: Path, name: str) -> str:
    """A built page's text, without its markup (code blocks are split into spans)."""
    page = (site / name / "index.html").read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def test_manual_builds_with_real_pages(manual):
    start = _page(manual, "getting-started")
    assert "convenantgen init mijn-convenant" in start
    assert "make test-fast" in start
    assert "runs everything except LibreOffice and browser tests" in start
    yaml_format = _page(manual, "yaml-format")
    assert "kind: measures" in yaml_format and "zij-instroom" in yaml_format
    bench = _page(manual, "benchmarks")
    assert "bench_end_to_end.py" in bench and "77.7x" in bench
    guarantees = _page(manual, "guarantees")
    assert "Bad input never crashes it" in guarantees
    assert "Safe to share" in _page(manual, "cache")
    # The search index holds every page, the rules among them.
    index = json.loads((manual / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"rules/", "commands/", "getting-started/", "internals/"} <= locations


def test_rules_page_has_an_entry_per_registry_code(manual):
    markup = (manual / "rules" / "index.html").read_text(encoding="utf-8")
    rules = _page(manual, "rules")
    for code, info in CHECKS.items():
        assert f'id="{code}"' in markup, code
        assert info.summary in rules, code


def test_a_broken_link_or_anchor_fails_the_build(tmp_path):
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copy(CONFIG, tmp_path / "manual.yml")
    assert _mkdocs(tmp_path / "manual.yml", tmp_path / "ok").returncode == 0
    page = tmp_path / "docs" / "cache.md"
    original = page.read_text(encoding="utf-8")
    for link in ("no-such-page.md", "commands.md#no-such-anchor"):
        page.write_text(original + f"\nSee [this]({link}).\n", encoding="utf-8")
        result = _mkdocs(tmp_path / "manual.yml", tmp_path / "broken")
        output = result.stdout + result.stderr
        assert result.returncode == 1, link
        assert "Aborted with 1 warnings in strict mode" in output, output
        assert f"contains a link '{link}'" in output
    page.write_text(original, encoding="utf-8")
    # A page outside the navigation (a research note dropped into docs/) fails it too.
    shutil.copy(ROOT / "research" / "covenant-sources.md", tmp_path / "docs")
    result = _mkdocs(tmp_path / "manual.yml", tmp_path / "stray")
    assert result.returncode == 1
    assert 'not included in the "nav" configuration' in result.stdout + result.stderr


def test_the_docs_recipe_builds_strict_and_not_quiet():
    # `mkdocs build --quiet --strict` passes with broken links: the warnings it hides are
    # what strict counts.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^docs:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "no docs target in the Makefile"
    mkdocs = [line for line in recipe.group(1).splitlines() if "mkdocs build" in line]
    assert mkdocs and all("--strict" in line for line in mkdocs)
    assert not any(re.search(r"\s(-q|--quiet)\b", line) for line in mkdocs)
    assert re.search(r"^test:.*\bdocs\b", makefile, re.M)


def test_rules_page_is_current():
    assert rules_doc.current() == (DOCS / "rules.md").read_text(encoding="utf-8"), (
        "docs/rules.md is stale: run .venv/bin/python scripts/rules_doc.py"
    )


def _inputs():
    return rules_doc.load_explanations(), rules_doc.literal_sites(), rules_doc.corpus_examples()


def test_an_undocumented_rule_is_refused():
    explanations, sites, examples = _inputs()
    registry = dict(CHECKS, **{"brand-new": CheckInfo(Severity.ERROR, "something new")})
    with pytest.raises(rules_doc.RulesDocError, match="brand-new: in the rule registry"):
        rules_doc.render(explanations, registry, sites, examples)


def test_a_documented_rule_that_left_the_registry_is_refused():
    explanations, sites, examples = _inputs()
    registry = {code: info for code, info in CHECKS.items() if code != "term-gap"}
    with pytest.raises(rules_doc.RulesDocError, match="term-gap: documented"):
        rules_doc.render(explanations, registry, sites, examples)


def test_an_undocumented_reading_code_is_refused():
    explanations, sites, examples = _inputs()
    sites = dict(sites, **{"yaml-brand-new": ["sources.py"]})
    with pytest.raises(rules_doc.RulesDocError, match="yaml-brand-new: emitted in sources.py"):
        rules_doc.render(explanations, CHECKS, sites, examples)
    del sites["yaml-syntax"]
    with pytest.raises(rules_doc.RulesDocError, match="yaml-syntax: documented under reading"):
        rules_doc.render(explanations, CHECKS, sites, examples)


def test_rules_doc_check_flags_a_stale_page(tmp_path, monkeypatch, capsys):
    page = tmp_path / "rules.md"
    monkeypatch.setattr(rules_doc, "PAGE", page)
    monkeypatch.setattr(rules_doc, "ROOT", tmp_path)
    assert rules_doc.main(["--check"]) == 1
    assert rules_doc.main([]) == 0
    assert rules_doc.main(["--check"]) == 0
    page.write_text(page.read_text(encoding="utf-8").replace("term-gap", "term-hole"), "utf-8")
    assert rules_doc.main(["--check"]) == 1
    assert "stale" in capsys.readouterr().err


def _help(*args: str) -> str:
    result = subprocess.run(
        [str(CONVENANTGEN), *args, "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _commands(text: str) -> list[str]:
    """The subcommands an argparse help lists under its positional COMMAND or WHAT."""
    positional = text.split("positional arguments:")[1].split("options:")[0]
    return re.findall(r"^    ([a-z]+)\b", positional, re.M)


def _options(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", text)) - {"--help", "--project"}


def _section(page: str, command: str) -> str:
    match = re.search(rf"^## `convenantgen {command}`\n(.*?)(?=^## |\Z)", page, re.M | re.S)
    assert match, f"docs/commands.md has no section for convenantgen {command}"
    return match.group(1)


def test_every_command_and_option_is_documented():
    page = (DOCS / "commands.md").read_text(encoding="utf-8")
    commands = _commands(_help())
    assert {"init", "check", "build", "new", "serve"} <= set(commands)
    for command in commands:
        section = _section(page, command)
        text = _help(command)
        options = _options(text)
        if command == "new":
            for what in _commands(text):
                assert f"convenantgen new {what}" in section
                options |= _options(_help(command, what))
        missing = sorted(option for option in options if option not in section)
        assert not missing, f"convenantgen {command}: {missing} not in docs/commands.md"


README_LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_readme_is_short_and_its_links_resolve(manual):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300
    links = [link for link in README_LINK.findall(readme) if "://" not in link]
    into_docs = [link for link in links if link.startswith("docs/")]
    assert len(into_docs) >= 10, "the README links into the manual"
    for link in links:
        target, _, anchor = link.partition("#")
        assert (ROOT / target).exists(), link
        if target.startswith("docs/") and target.endswith(".md"):
            name = target.removeprefix("docs/").removesuffix(".md")
            html = manual / ("" if name == "index" else name) / "index.html"
            assert html.is_file(), link
            if anchor:
                assert f'id="{anchor}"' in html.read_text(encoding="utf-8"), link


# Code the manual names: `convenantgen.module.name` and repository files. When code moves,
# these fail and name the page to update.
CODE_REFERENCE = re.compile(r"`convenantgen\.([A-Za-z_][\w.]*)`")
FILE_REFERENCE = re.compile(
    r"`((?:src|benchmarks|scripts|research)/[^`*<> ]+|tests/test_\w+\.py|schema/\w+\.yaml)`"
)


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(["convenantgen", *parts[:cut]]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_code_and_files_named_in_the_manual_exist():
    stale = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for dotted in CODE_REFERENCE.findall(text):
            if dotted != "yml" and not _resolves(dotted):
                stale.append(f"{page.name}: convenantgen.{dotted}")
        for path in FILE_REFERENCE.findall(text):
            if not (ROOT / path).exists():
                stale.append(f"{page.name}: {path}")
    assert not stale, "the manual names code or files that do not exist: " + ", ".join(stale)


def _keys(schema: dict, prefix: str = "") -> list[str]:
    keys = []
    for key, rule in schema.items():
        inner = rule.get("schema") if isinstance(rule, dict) else None
        if isinstance(inner, dict) and rule.get("type") == "dict":
            keys += _keys(inner, f"{prefix}{key}.")
        else:
            keys.append(prefix + key)
    return keys


def test_every_project_setting_is_documented():
    schema = yaml.safe_load((ROOT / "schema" / "project.yaml").read_text(encoding="utf-8"))
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    keys = _keys(schema)
    assert "site.colours.primary" in keys and "cache.size_mb" in keys
    missing = [key for key in keys if f"`{key}`" not in page]
    assert not missing, f"settings of convenantgen.yml not in docs/getting-started.md: {missing}"


def test_reference_page_is_current_and_has_every_key(manual):
    assert reference_doc.render() == (DOCS / "reference.md").read_text(encoding="utf-8"), (
        "docs/reference.md is stale: run .venv/bin/python scripts/reference_doc.py"
    )
    page = _page(manual, "reference")
    for key in ("targets[].comparator", "parties[].representatives", "agreements[].signatures"):
        assert key in page, key
    assert "one of <, <=, >, >=, =" in page


def test_reference_doc_follows_the_schemas(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "schema" / "json", tmp_path / "json")
    path = tmp_path / "json" / "measures.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["indicators"]["items"]["properties"]["brand_new"] = {
        "type": "boolean",
        "description": "A key added to the schema.",
    }
    path.write_text(json.dumps(schema), encoding="utf-8")
    text = reference_doc.render(tmp_path / "json")
    assert "| `indicators[].brand_new` | true or false |  | A key added to the schema. |" in text
    page = tmp_path / "reference.md"
    page.write_text(reference_doc.render(), encoding="utf-8")
    monkeypatch.setattr(reference_doc, "PAGE", page)
    monkeypatch.setattr(reference_doc, "ROOT", tmp_path)
    monkeypatch.setattr(reference_doc, "SCHEMAS", tmp_path / "json")
    assert reference_doc.main(["--check"]) == 1
    assert reference_doc.main([]) == 0
    assert reference_doc.main(["--check"]) == 0


def test_yaml_examples_in_the_manual_parse():
    broken = []
    for page in sorted([*DOCS.glob("*.md"), ROOT / "README.md"]):
        text = page.read_text(encoding="utf-8")
        for block in re.finditer(r"```yaml\n(.*?)```", text, re.S):
            try:
                yaml.safe_load(block.group(1))
            except yaml.YAMLError as exc:
                line = text[: block.start()].count("\n") + 2
                broken.append(f"{page.name}:{line}: {str(exc).splitlines()[0]}")
    assert not broken, broken
