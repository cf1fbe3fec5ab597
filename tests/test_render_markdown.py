"""Markdown and plain text of an agreement: compared with the published seed and a golden file.

Regenerate the golden file after an intended change with ``UPDATE_GOLDEN=1 pytest
tests/test_render_markdown.py`` and review the diff in git.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

import markdown
import pytest

from convenantgen.context.dossier import build_context
from convenantgen.read.load import load_content
from convenantgen.render.markdown import agreement_markdown, agreement_text
from convenantgen.text.markdown import md as escape

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
GOLDEN = Path(__file__).parent / "golden"
# The published addendum (Stcrt.), as extracted text: the source the Almere YAML encodes.
SEED = GOLDEN / "almere-addendum-published.txt"

# Known, explained differences between the published text (left) and ours (right).
KNOWN_DIFFERENCES = [
    # Typing error in the published party list: a stray apostrophe after the name.
    ("Stichting Vrijeschool Almere'", "Stichting Vrijeschool Almere"),
    # References are generated from ids: "art. 9" is written out like every other reference.
    ("in art. 9 van het Convenant", "in artikel 9 van het Convenant"),
    # Published 3.2 points at 4.1 (the extension); the accession procedure of 3.1 is meant.
    ("als beschreven in artikel 4.1;", "als beschreven in artikel 3.1;"),
    # Dates are written out in Dutch by Babel.
    (
        "In de periode van 01-01-2024 t/m 31-12-2025",
        "In de periode van 1 januari 2024 tot en met 31 december 2025",
    ),
    # Measure D's list headings are generated, so the 'convenantspartijen' typo is gone.
    (
        "willen de convenantspartijen behouden:",
        "willen de convenantpartijen behouden:",
    ),
    ("Wat gaan de convenantspartijen versterken:", "Wat gaan de convenantpartijen versterken:"),
    # The amendment instruction is generated: 'artikel' in lower case like all references.
    ("Aan Artikel 1 van het Convenant", "Aan artikel 1 van het Convenant"),
    # 3.1 has no heading in print, yet 3.2 refers to it: it gets one.
    ("Artikel 3 Maatregelen en resultaten", "Artikel 3 Maatregelen en resultaten Artikel 3.1"),
    # The parties block ends each representative line the same way (published: ';' once).
    ("de heer H. Moukaddim;", "de heer H. Moukaddim,"),
]
# Differences in the signature blocks: every signatory gets a name line of its own (the
# Ministers too), without the trailing punctuation, and the footer carries the version id.
SIGNATURE_TAIL = re.compile(r"Aldus overeengekomen.*", re.S)


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def _words(text: str) -> list[str]:
    """Normalise layout: emphasis, bullets, typographic quotes and whitespace."""
    text = text.replace("*", "")
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))
    text = re.sub(r"(?m)^\s*[-•]\s+", "", text)
    return text.split()


@pytest.fixture(scope="module")
def almere(almere_loaded):
    loaded = almere_loaded
    assert not loaded.failed()
    return loaded.dossiers[0]


@pytest.fixture(scope="module")
def addendum(almere):
    return build_context(almere).agreements[0]


def test_plain_text_matches_published_text(addendum):
    ours = agreement_text(addendum)
    published = _seed_text()
    raw = difflib.SequenceMatcher(None, _words(published), _words(ours), autojunk=False)
    assert raw.ratio() > 0.98

    corrected = " ".join(_words(published))
    for before, after in KNOWN_DIFFERENCES:
        # Each listed difference is real: the published text has it and ours has the fix.
        assert before in corrected, before
        assert after in " ".join(_words(ours)), after
        corrected = corrected.replace(before, after)
    body = SIGNATURE_TAIL.sub("", corrected).split()
    ours_body = SIGNATURE_TAIL.sub("", " ".join(_words(ours))).split()
    matcher = difflib.SequenceMatcher(None, body, ours_body, autojunk=False)
    leftover = [
        (" ".join(body[i1:i2]), " ".join(ours_body[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]
    assert leftover == []


def test_signature_blocks_follow_the_published_closing(addendum):
    tail = SIGNATURE_TAIL.search(agreement_text(addendum)).group(0)
    assert tail.startswith("Aldus overeengekomen en in vijfvoud ondertekend, te Den Haag\n")
    assert (
        "Het college van burgemeester en wethouders van Almere, te dezen vertegenwoordigd door "
        "de wethouder Onderwijs (primair en voortgezet),\nF. de Jonge\n"
    ) in tail
    assert tail.rstrip().endswith(
        f"Addendum G5 Almere · 1 augustus 2024 · versie {addendum.version}"
    )


def test_markdown_golden_file(addendum):
    golden = GOLDEN / "almere-addendum.md"
    text = agreement_markdown(addendum)
    # The version id follows every byte of the YAML; keep it out of the golden file so a
    # comment change does not need a golden update.
    text = text.replace(addendum.version, "<version>")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_markdown_renders_the_structure(addendum):
    html = markdown.markdown(agreement_markdown(addendum))
    assert "<h2>1. Definities</h2>" in html
    assert "<h3>Artikel 3 Maatregelen en resultaten</h3>" in html
    assert "<h5>Maatregel E: Zij-instroom</h5>" in html
    assert "<strong>3.1.</strong> Alle schoolbesturen" in html
    assert "<li>Stg. Prisma, stg. prot. chr. &amp; oecumen. onderwijs in Almere</li>" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "# geen kop",
        "- geen lijst",
        "1. geen lijst",
        "*niet* _schuin_ [geen](link) `code`",
        "&amp; blijft letterlijk",
        "regel een\n- regel twee",
        "Behoud [x](#){: tabindex=1 autofocus onfocus=alert(9) }",
        "[klik](javascript:alert(2)) | ~~weg~~ | !",
    ],
)
def test_escape_renders_the_exact_characters(text):
    # With the extensions the site uses: tables makes '|' special, attr_list '{: }'.
    html = markdown.markdown(escape(text), extensions=["tables", "attr_list", "md_in_html"])
    expected = " ".join(text.split("\n"))
    expected = expected.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert html == f"<p>{expected}</p>"


def test_user_html_in_yaml_is_shown_as_text(tmp_path):
    folder = tmp_path / "almere"
    shutil.copytree(CONTENT / "almere", folder)
    path = folder / "partijen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "name: Stichting Viertaal", 'name: "Stichting <script>alert(1)</script> Viertaal"'
        ),
        encoding="utf-8",
    )
    loaded = load_content(folder)
    assert not loaded.failed(), [d.message for d in loaded.report.errors]
    ctx = build_context(loaded.dossiers[0]).agreements[0]
    md = agreement_markdown(ctx)
    assert "<script>" not in md
    html = markdown.markdown(md)
    assert "<script>" not in html
    assert "<li>Stichting &lt;script&gt;alert(1)&lt;/script&gt; Viertaal</li>" in html
    assert "Stichting <script>alert(1)</script> Viertaal" in agreement_text(ctx)
