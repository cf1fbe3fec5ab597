"""Write docs/rules.md, the manual's page of check rules, from the rule registry.

The page joins three sources, so that it cannot drift from the code:

- the rule registry (``convenantgen.checks.registry.CHECKS``): every code, its default
  severity and its one-line summary;
- ``scripts/rules_doc.yml``: per topic, what each rule means and how to resolve a finding, and
  the findings of reading the files (``yaml-*``, ``schema-*``, ...), which are not in the
  registry;
- the source of the package (which modules emit each code) and the bad-input corpus
  ``tests/bad_inputs/*/expected.txt`` (a real line ``check`` prints, where the corpus has one).

    python scripts/rules_doc.py            # write docs/rules.md
    python scripts/rules_doc.py --check    # exit 1 when docs/rules.md is stale or a rule is
                                           # undocumented (make docs and the tests run this)
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import yaml

import convenantgen
from convenantgen.checks.registry import CHECKS, CheckInfo

ROOT = Path(__file__).resolve().parent.parent
EXPLANATIONS = ROOT / "scripts" / "rules_doc.yml"
PAGE = ROOT / "docs" / "rules.md"
CORPUS = ROOT / "tests" / "bad_inputs"
PACKAGE = Path(convenantgen.__file__).resolve().parent

# Codes of reading and validation findings (not in the registry) start with one of these; a
# string literal of that shape anywhere in the package counts as a code to document.
READING_CODE = re.compile(
    r"^(?:yaml|file|schema|date|dossier|template|project)-[a-z]+(?:-[a-z]+)*$"
)


class RulesDocError(Exception):
    """The explanations and the code disagree: a rule undocumented, or documented but gone."""


def load_explanations(path: Path = EXPLANATIONS) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def literal_sites(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Every string literal in the package, with the modules (relative paths) it occurs in.
    The registry itself is left out: it names every code without emitting any; so is the
    signature report, whose verdict kinds ("date-mismatch") are not diagnostics."""
    sites: dict[str, set[str]] = {}
    skipped = {
        (package / rel).resolve()
        for rel in ("checks/registry.py", "authoring/signature_check.py", "authoring/signatures.py")
    }
    for path in sorted(package.rglob("*.py")):
        if path.resolve() in skipped:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                sites.setdefault(node.value, set()).add(path.relative_to(package).as_posix())
    return {text: sorted(modules) for text, modules in sites.items()}


def corpus_examples(corpus: Path = CORPUS) -> dict[str, tuple[str, str]]:
    """Per code, the first line of the bad-input corpus that reports it: (case, line)."""
    found: dict[str, tuple[str, str]] = {}
    pattern = re.compile(r"^\S+:\d+:\d+: \w+ \[([a-z0-9-]+)\] ")
    for expected in sorted(corpus.glob("*/expected.txt")):
        case = expected.parent.name
        for line in expected.read_text(encoding="utf-8").splitlines():
            match = pattern.match(line)
            if not match:
                continue
            code = match.group(1)
            # The case named after the code shows it best; otherwise the first case.
            if code not in found or (code == case and found[code][0] != code):
                found[code] = (case, line)
    return found


def problems(
    explanations: dict, registry: dict[str, CheckInfo], sites: dict[str, list[str]]
) -> list[str]:
    """What keeps the page from being complete and true, one sentence per problem."""
    out: list[str] = []
    documented: dict[str, str] = {}
    for topic in explanations["topics"]:
        for code in topic["rules"]:
            if code in documented:
                out.append(f"{code}: documented twice ({documented[code]}, {topic['id']})")
            documented[code] = topic["id"]
    for code in registry:
        if code not in documented:
            out.append(f"{code}: in the rule registry but not documented in {EXPLANATIONS.name}")
    for code in documented:
        if code not in registry:
            out.append(f"{code}: documented in {EXPLANATIONS.name} but not in the rule registry")
    reading = explanations["reading"]["rules"]
    for code in reading:
        if code in registry:
            out.append(f"{code}: in the registry; document it under a topic, not under reading")
        elif code not in sites:
            out.append(f"{code}: documented under reading but emitted nowhere in the package")
    for code in sorted(sites):
        if READING_CODE.match(code) and code not in reading and code not in registry:
            out.append(f"{code}: emitted in {', '.join(sites[code])} but not documented")
    return out


def _paragraph(text: str) -> str:
    return " ".join(str(text).split())


def _summary(text: str) -> str:
    """A registry summary as Markdown: ``{art:ID}`` as code, or attr_list would take it for
    attributes of the table cell."""
    return re.sub(r"(?<!`)(\{[^{}`]*\})(?!`)", r"`\1`", text)


def _rule(
    code: str,
    severity: str,
    summary: str | None,
    text: str,
    modules: list[str],
    example: tuple[str, str] | None,
) -> list[str]:
    lines = [f"### `{code}`", ""]
    meta = [f"Default severity: **{severity}**" if summary else f"Always an **{severity}**"]
    if modules:
        meta.append("reported in " + ", ".join(f"`{m}`" for m in modules))
    lines += [" · ".join(meta), ""]
    if summary:
        lines += [_summary(summary[0].upper() + summary[1:]) + ".", ""]
    lines += [_paragraph(text), ""]
    if example:
        case, line = example
        lines += [f"From the bad-input corpus (`tests/bad_inputs/{case}/`):", "", "```", line]
        lines += ["```", ""]
    return lines


def render(
    explanations: dict,
    registry: dict[str, CheckInfo],
    sites: dict[str, list[str]],
    examples: dict[str, tuple[str, str]],
) -> str:
    """The Markdown of docs/rules.md."""
    found = problems(explanations, registry, sites)
    if found:
        raise RulesDocError("\n".join(found))
    lines = [
        "<!-- Generated by scripts/rules_doc.py from the rule registry"
        " (src/convenantgen/checks/registry.py) and scripts/rules_doc.yml: do not edit. -->",
        "",
        "# Check rules",
        "",
        "Every rule `convenantgen check` applies, by topic, with its default severity, the"
        " modules that report it and, where the test corpus has one, a line `check` really"
        " prints. `convenantgen checks` lists the same codes. A dossier changes a rule's"
        " severity with `checks: {code: off|warning|error}` in `dossier.yaml` and acknowledges"
        " an intentional finding with a written reason (see [How check works](checking.md)).",
        "",
        "| code | default | summary |",
        "|---|---|---|",
    ]
    for topic in explanations["topics"]:
        for code in topic["rules"]:
            info = registry[code]
            summary = _summary(info.summary)
            lines.append(f"| [`{code}`](#{code}) | {info.severity.label} | {summary} |")
    lines.append("")
    for topic in explanations["topics"]:
        lines += [f"## {topic['title']}", "", _paragraph(topic["intro"]), ""]
        for code, text in topic["rules"].items():
            info = registry[code]
            lines += _rule(
                code,
                info.severity.label,
                info.summary,
                text,
                sites.get(code, []),
                examples.get(code),
            )
    reading = explanations["reading"]
    lines += [f"## {reading['title']}", "", _paragraph(reading["intro"]), ""]
    for code, text in reading["rules"].items():
        lines += _rule(code, "error", None, text, sites.get(code, []), examples.get(code))
    return "\n".join(lines).rstrip("\n") + "\n"


def current() -> str:
    """The page as the code, the explanations and the corpus give it now."""
    return render(load_explanations(), CHECKS, literal_sites(), corpus_examples())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if docs/rules.md is not up to date"
    )
    args = parser.parse_args(argv)
    try:
        text = current()
    except RulesDocError as exc:
        print(f"rules_doc: the rule documentation is incomplete:\n{exc}", file=sys.stderr)
        print(f"Add or remove the entries in {EXPLANATIONS.relative_to(ROOT)}.", file=sys.stderr)
        return 1
    if args.check:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != text:
            print(
                f"rules_doc: {PAGE.relative_to(ROOT)} is stale; run"
                " .venv/bin/python scripts/rules_doc.py",
                file=sys.stderr,
            )
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
