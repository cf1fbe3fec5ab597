"""No Dutch display phrase in the Python source: what a reader sees is wording or a template.

Every string literal and f-string part under ``src/convenantgen`` (docstrings and comments left
out) is searched for Dutch function words and for the words of the phrases that moved to
``templates/wording.yml`` and ``model/site-paths.yml``. What is found must be in
:data:`ALLOWED` with the reason it is not display text (a parser of Dutch input, a YAML key, a
file name a user types); an entry that is no longer in the source fails too, so the list stays
exact. Adding Dutch to Python means adding it here, with a reason a reviewer reads.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "convenantgen"

# Dutch function words (whole words), and the stems of the phrases the engine used to write in
# Python: diff sentences, document and package titles, site labels and addresses.
FUNCTION_WORDS = (
    *("van", "de", "het", "een", "en", "bij", "tot", "naar", "geen", "niet", "voor", "zijn"),
    *("wordt", "worden", "heeft", "deze", "dit", "die", "zie", "aan", "als", "ook", "uit", "om"),
)
STEMS = (
    *("artikel", "getekend", "ondertekend", "onderteken", "handteken", "maatregel", "toetred"),
    *("toegetreden", "partij", "wijziging", "gewijzigd", "toegevoegd", "vervallen"),
    *("verwijderd", "verzoek", "einddatum", "ingangsdatum", "looptijd", "doel", "resultaat"),
    *("resultaten", "werkmap", "overweging", "vertegenwoordig", "tijdlijn", "geldende", "tekst"),
    *("versie", "overig", "schooljaar", "onbekend", "verlengd", "vervroegd", "verschoven"),
    *("uitgetreden", "beschrijving", "titel", "lijsten", "periode", "instemming", "verklaring"),
    "begeleidende",
)
DUTCH = re.compile(
    r"(?i)(?<![\w-])(?:" + "|".join(FUNCTION_WORDS) + r")(?![\w-])"
    r"|(?<![\w])(?:" + "|".join(STEMS) + r")"
    # "per" is English too; "(per 1 augustus 2025)" is not. The penvoerder is a YAML key of
    # English messages; capitalised before a colon it starts a Dutch sentence.
    r"|\(per\b|(?-i:Penvoerder:)"
)


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def dutch_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal or f-string part with Dutch in it."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and DUTCH.search(node.value)
    )


def found_in_package() -> dict[tuple[str, str], list[int]]:
    out: dict[tuple[str, str], list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for line, text in dutch_literals(path.read_text("utf-8")):
            out.setdefault((rel, text), []).append(line)
    return out


# Whole files of Dutch sample content: what `convenantgen new` writes into a new project for
# its author to replace (YAML with placeholder texts), never text the engine writes itself.
SAMPLE_FILES = {
    "authoring/scaffold.py": "the starting YAML of `convenantgen new` (placeholder content)",
    "authoring/sector_example.py": "the sector example of `convenantgen new` (placeholder YAML)",
}

# Whole files of a standard's own vocabulary, written as the standard writes it: values the
# Woo-index and the Staatscourant compare, never sentences of the engine.
VOCABULARY_FILES = {
    "model/publication.py": "the TOOI registers and the Staatscourant's organisation types "
    "(identifier.overheid.nl value lists, OVERHEID.organisationType)",
    "model/themes.py": "the TOOI theme list (thema's, top level) by its own labels",
    "site/woo.py": "the DiWoo schema's element names and value-list labels (diwoo:titelcollectie, "
    "ondertekening), written as the XSD and its lists write them",
    "render/staatscourant.py": "the OEP metadata scheme's own values (OVERHEID.*, documentsoort "
    "Convenanten), which the Staatscourant's systems compare",
    "read/opxml.py": "the OP-XML schema's element names (al, titel, tekstregel, lidnr), written "
    "as the Staatscourant's XML writes them",
}

# Whole folders that read Dutch: the importer recognises published covenants by their Dutch
# formulas (patterns.py says so) and writes YAML for the author to review (ids, formulas).
PARSER_FOLDERS = {
    "authoring/importing/": "`convenantgen import`: patterns of published Dutch text, and the "
    "ids and formulas of the YAML it writes",
}

_PARSER = "reads Dutch input (a parser of the covenant's own text), writes nothing"
_GRAMMAR = (
    "Dutch grammar of a value (a list 'a, b en c', a period 'tot en met', a number word), "
    "the job of text.formatting, not a sentence of its own"
)

# (file, start of a literal) -> reason: regular expressions too long to spell out here.
ALLOWED_STARTS: dict[tuple[str, str], str] = {
    ("model/references.py", "\\b(?P<word>[Aa]rtikel|[Aa]rt\\.)"): _PARSER,
}

# (file, literal) -> why it is not a display phrase that belongs in the wording.
ALLOWED: dict[tuple[str, str], str] = {
    # Parsers and the YAML syntax
    ("checks/parties.py", "de"): _PARSER,
    ("checks/parties.py", "het"): _PARSER,
    (
        "checks/texts.py",
        "{maatregel:ID}",
    ): "the reference syntax of the YAML, in an English message",
    ("checks/texts.py", "maatregel"): "the reference kind {maatregel:ID} of the YAML",
    ("checks/texts.py", "); the intended reference is artikel "): "English message quoting input",
    ("checks/texts.py", "(?:verder ook|hierna):\\s*(?:de |het )?([^;,)]+)"): _PARSER,
    **{("checks/texts.py", w): _PARSER for w in ("aan", "de", "en", "het", "tot", "van", "voor")},
    ("model/references.py", "\\{(art|nr|maatregel|date|period|party|cite):([^{}\\s]+)\\}"): (
        "the reference syntax of the YAML"
    ),
    ("model/references.py", "maatregel"): "the reference kind {maatregel:ID} of the YAML",
    **{
        ("authoring/signature_check.py", w): "surname particles and stopwords for matching names"
        for w in ("de", "het", "van", "een", "en", "voor")
    },
    ("authoring/signatures.py", "handtekening-"): (
        "the prefix of the signature fields' names (/T), as the verifier finds them"
    ),
    (
        "text/wording.py",
        "De ",
    ): "an article at the start of a party's name, lowered (lower_article)",
    (
        "text/wording.py",
        "Het ",
    ): "an article at the start of a party's name, lowered (lower_article)",
    ("model/finance.py", "schooljaar"): "a unit a YAML `per:` may name (an id of the YAML)",
    # English help and descriptions that name a Dutch thing
    (
        "cli/check.py",
        "also apply a rule profile: aanwijzingen-2025 (the Aanwijzingen voor convenanten)",
    ): "English help naming the Aanwijzingen by their title",
    ("context/site.py", "the choice of date of a dossier's text in force (geldende tekst)"): (
        "English description of a template (`convenantgen templates`)"
    ),
    ("read/project.py", "Convenanten en maatregelen"): (
        "the default of the setting site.name, which a project sets in convenantgen.yml"
    ),
    ("read/project.py", "Afspraken, maatregelen, partijen en resultaten van convenanten."): (
        "the default of the setting site.description, set in convenantgen.yml"
    ),
    # File names and ids
    ("render/pdf/package.py", "handtekening-"): (
        "the prefix of the signature fields' names (/T), which signing tools address"
    ),
    ("render/pdf/package.py", "ondertekenpakket.docx"): "a scratch file LibreOffice converts",
    **{
        ("site/opendata.py", t): "an open-data table: its file name is a public address"
        for t in ("doelen", "maatregelen", "partijen", "resultaten")
    },
    # Grammar of values
    ("context/agreement.py", " en "): _GRAMMAR,
    ("context/agreement.py", ", en "): _GRAMMAR,
    ("model/finance.py", " kwartaal van "): _GRAMMAR,
    ("model/finance.py", "het "): _GRAMMAR,
    ("model/finance.py", "schooljaar "): _GRAMMAR,
    ("model/finance.py", " en "): _GRAMMAR,
    ("site/feed.py", " en "): _GRAMMAR,
    ("text/formatting.py", "een"): _GRAMMAR,
    ("text/formatting.py", "tot en met "): _GRAMMAR,
    ("text/formatting.py", " tot en met "): _GRAMMAR,
    ("text/formatting.py", "en"): _GRAMMAR,
    ("text/formatting.py", "gelijk aan"): _GRAMMAR,
}

# What the engine used to write in Python and now takes from the wording or the paths table:
# the detector must find every one of them, should it come back.
MOVED = [
    'f"Einddatum {how}: {old} → {new}"',
    'f"Ingangsdatum {how}: {old} → {new}"',
    'f"Titel gewijzigd: {old!r} → {new!r}"',
    'f"Partij toegetreden: {name}{when}"',
    'f" (per {date})"',
    'f"Partij uitgetreden: {name}"',
    'f"Naam partij gewijzigd: {old} → {new}"',
    'f"Vertegenwoordiger van {name}: {old} → {new}"',
    'f"Partij verwijderd: {name}"',
    'f"Penvoerder: {old} → {new}"',
    'f"{kind} {title!r} toegevoegd"',
    'f"{label} vervallen"',
    'f"{label}, tekst gewijzigd"',
    'f"Artikel {number}{where}"',
    'f"Overweging {n}{where}"',
    'f"Overweging vervallen{where}"',
    'f"Maatregel {letter}"',
    'f"{label} toegevoegd: {title}"',
    'f"{label}, titel gewijzigd: {old} → {new}"',
    '"beschrijving"',
    '"wat heeft gewerkt"',
    'f"{label}, lijsten gewijzigd"',
    'f"{label}, doel {target}"',
    'f"{label}, doel toegevoegd: {text}"',
    'f"{head}, periode: {old} → {new}"',
    '"de looptijd"',
    'f"{head}, resultaat {year}: {value}"',
    'f"{label}, doel vervallen: {text}"',
    '"geen waarde"',
    '"geen"',
    'f"Verzoek tot toetreding: {who} per {day}"',
    'f"Toetreding {who}: {old} → {new}"',
    'f"Verzoek tot toetreding ingetrokken: {who}"',
    '"instemming gegeven"',
    '"werkmap"',
    'f"Dossier is bij {rev} niet te lezen: {n} fout(en)"',
    'f"Dossier toegevoegd: {title}"',
    'f"Dossier verwijderd: {title}"',
    'f"# Wijzigingen van `{rev1}` naar `{rev2}`"',
    '"Geen wijzigingen in de dossiers."',
    'f"Ondertekenpakket {title}"',
    'f"Handtekeningen: {title}"',
    'f"Handtekening {name}"',
    'f"Versie {version}"',
    '"Maatregelen"',
    '"Overig"',
    'f"{base}/maatregelen/index.md"',
    'f"{base}/partijen.md"',
    'f"{base}/tijdlijn.md"',
    'f"{d}/geldende-tekst.md"',
    'f"geldende-tekst-{iso}.md"',
    'f"tekst-{agreement}.md"',
    'f"{dossier_id}-handtekeningen-{agreement_id}"',
    'f"{dossier_id}-ondertekenpakket"',
    'f"{stem}-instemming-{party}"',
    'f"{stem}-begeleidende-brief"',
    'f"{dossier_id}-geldende-tekst-{iso}"',
    'root + "tijdlijn/"',
    '"onbekend"',
    '"per schooljaar"',
    'f"{title}: resultaten per schooljaar"',
    '", doel gehaald"',
    '"Resultaten per schooljaar: "',
    'f"Doel: {text}"',
    'f"artikel {self.number}"',
    'f"Maatregel {item.number}"',
    'f": {signed} van {total} getekend"',
]


def _starts(rel: str, text: str) -> bool:
    return any(rel == file and text.startswith(start) for file, start in ALLOWED_STARTS)


def test_no_dutch_display_phrase_in_python():
    found = found_in_package()
    new = [
        f"{rel}:{lines[0]}: {text!r}"
        for (rel, text), lines in found.items()
        if rel not in SAMPLE_FILES
        and rel not in VOCABULARY_FILES
        and not rel.startswith(tuple(PARSER_FOLDERS))
        and (rel, text) not in ALLOWED
        and not _starts(rel, text)
    ]
    assert new == [], (
        "Dutch in Python: put the phrase in templates/wording.yml (and VARIABLES in "
        "text/wording.py), a template, or model/site-paths.yml; or allow it in this test with "
        "the reason it is not display text"
    )


def test_every_allowed_literal_is_still_there():
    """An allowance for a literal that is gone is removed, so the list says what is left."""
    found = found_in_package()
    assert sorted(k for k in ALLOWED if k not in found) == []
    for file, start in ALLOWED_STARTS:
        assert any(rel == file and text.startswith(start) for rel, text in found), start
    files = {rel for rel, _ in found}
    assert sorted(f for f in PARSER_FOLDERS if not any(r.startswith(f) for r in files)) == []
    assert sorted(f for f in SAMPLE_FILES if f not in files) == []
    assert sorted(f for f in VOCABULARY_FILES if f not in files) == []


def test_the_moved_phrases_would_be_found_again():
    """The detector is strict enough for everything that moved out of Python."""
    missed = [code for code in MOVED if not dutch_literals(f"x = {code}\n")]
    assert missed == []


def test_docstrings_and_comments_are_not_searched():
    source = '"""Maatregel van het convenant."""\n# de looptijd\nx = "build"\n'
    assert dutch_literals(source) == []
    assert dutch_literals('def f():\n    """Artikel 1."""\n    return "Artikel 2"\n') == [
        (3, "Artikel 2")
    ]
