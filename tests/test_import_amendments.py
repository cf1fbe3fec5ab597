"""``convenantgen import``: an addendum's changes to the covenant become amendment instructions
(``amendments:``, see model/in_force.py), from which the text in force is composed.

Seed 000 (the published Almere addendum) changes articles 1, 3 and 9 of the covenant of 2020
(Stcrt. 2020, 38286): definitions are added to article 1, article 3 is replaced, the term of
article 9 is extended. The import records the covenant by reference, with those articles; the
2020 text itself is not in the sources, so to compose the text in force the tests record it
with one placeholder sentence per article (``_record_covenant_text``), keeping the ids and
numbers the import gave. The other wordings ("vervalt", "wordt ingevoegd", "wordt als volgt
gewijzigd") are added to the seed text as a last article, in the phrasing of the Aanwijzingen
voor de regelgeving; that text is constructed, the seed's is as published.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from convenantgen.cli import main
from convenantgen.context.dossier import build_context
from convenantgen.errors import Severity
from convenantgen.model.in_force import compose
from convenantgen.read.load import load_content
from convenantgen.render.markdown import consolidated_markdown

SOURCES = Path(__file__).parent / "sources" / "import"
SEED = SOURCES / "seed-000-almere-addendum.txt"
# The seed's text in the OP-XML structure of the Staatscourant (a substitute: see its README).
SEED_XML = SOURCES / "seed-000-almere-addendum.xml"
D = dt.date

# Constructed: the seed with one more article of instructions before its closing formula.
MORE = """6. Overige wijzigingen

Artikel 5 van het Convenant vervalt.

Na artikel 9 van het Convenant wordt een artikel ingevoegd, luidende:

Artikel 9a Evaluatie

Partijen evalueren het convenant jaarlijks.

Artikel 4 van het Convenant wordt als volgt gewijzigd:

a. Het tweede lid komt te luiden: De penvoerder rapporteert jaarlijks aan de Minister.

b. Het derde lid vervalt.

c. Er wordt een lid toegevoegd, luidende: Partijen delen hun gegevens met de penvoerder.

Artikel 6, eerste lid, van het Convenant komt te luiden:

1. Partijen overleggen twee keer per jaar.

Artikel 7, tweede lid, vervalt.

"""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _import(source: Path, content: Path) -> Path:
    content.mkdir(exist_ok=True)
    args = ["import", str(source), "--dossier", "almere", "--content", str(content)]
    assert main(args) == 0
    return content / "almere"


def _amendments(folder: Path) -> dict[str, dict]:
    data = YAML(typ="safe").load((folder / "addendum.yaml").read_text("utf-8"))
    return {
        next(k for k in ("replace", "add_to", "insert_after", "remove", "extend") if k in a)
        + ":"
        + a[next(k for k in ("replace", "add_to", "insert_after", "remove", "extend") if k in a)]: a
        for a in data.get("amendments", [])
    }


def _record_covenant_text(folder: Path, members: dict[str, int] | None = None) -> None:
    """Give the imported covenant its sections: articles 1 to 9 (and any the import listed), one
    placeholder sentence each, with the ids the import gave; ``members`` numbers members."""
    yaml = _yaml()
    path = folder / "convenant.yaml"
    covenant = yaml.load(path.read_text("utf-8"))
    addendum = YAML(typ="safe").load((folder / "addendum.yaml").read_text("utf-8"))
    listed = {a["number"]: a for a in covenant["articles"]}
    sections = []
    for n in range(1, 10):
        art = listed.get(str(n), {"id": f"artikel-{n}", "title": f"Onderwerp {n}"})
        count = (members or {}).get(str(n), 1)
        clauses = [
            {
                "id": f"{art['id']}-lid-{k}",
                "text": f"Lid {k} zoals gepubliceerd in Stcrt. 2020, 38286.",
            }
            for k in range(1, count + 1)
        ]
        if str(n) == "9":
            clauses[0]["period"] = "convenant-looptijd"
        sections.append({"id": art["id"], "title": art["title"], "clauses": clauses})
    covenant["parties"] = addendum["parties"]
    # The text replaces the list of articles: the sections carry their ids from now on.
    del covenant["articles"]
    covenant["sections"] = sections
    covenant["signing"] = {"place": "Den Haag"}
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(covenant, out)


def _codes(folder: Path) -> set[str]:
    loaded = load_content(folder.parent, [folder.name])
    return {d.code for d in loaded.report.diagnostics if d.severity >= Severity.ACKNOWLEDGED}


@pytest.mark.parametrize("source", [SEED, SEED_XML], ids=["text", "op-xml"])
def test_seed_changes_to_articles_1_3_and_9_are_instructions(tmp_path, source):
    folder = _import(source, tmp_path / "content")
    found = _amendments(folder)
    assert sorted(found) == [
        "add_to:convenant-artikel-1",
        "extend:convenant-looptijd",
        "replace:convenant-artikel-3",
    ]
    added = found["add_to:convenant-artikel-1"]["clauses"][0]["definitions"]
    assert [d["term"] for d in added] == ["Versneld voor de Klas", "Zij-instromer"]
    replaced = found["replace:convenant-artikel-3"]
    assert replaced["title"] == "Maatregelen en resultaten"
    parts = replaced["clauses"][0]["article"]["parts"]
    assert len(parts[0]["measures"]) == 5 and parts[1]["title"] == "Onderwijsregio Almere"
    assert found["extend:convenant-looptijd"]["end"] == "2025-12-31"
    # Against the covenant recorded by reference, the instructions are kept without a finding.
    assert not {c for c in _codes(folder) if c.startswith("amend-")}


def test_seed_instructions_build_the_text_in_force(tmp_path):
    folder = _import(SEED, tmp_path / "content")
    _record_covenant_text(folder)
    loaded = load_content(folder.parent, ["almere"])
    assert loaded.dossiers, [d.message for d in loaded.report.errors]
    assert not {c for c in _codes(folder) if c.startswith("amend-")}
    dossier = loaded.dossiers[0]
    before = compose(dossier, D(2024, 7, 31)).agreement
    after = compose(dossier, D(2024, 8, 1)).agreement
    art = {s.id: s for s in after.sections}
    assert before.in_force.end == D(2024, 8, 31)
    assert after.in_force.end == D(2025, 12, 31)  # article 9's term, extended
    # Article 1 gains definitions g and h.
    assert [c.id for c in art["convenant-artikel-1"].clauses][0] == "convenant-artikel-1-lid-1"
    added = art["convenant-artikel-1"].clauses[-1]
    assert [d.term for d in added.definitions] == ["Versneld voor de Klas", "Zij-instromer"]
    assert len(before.sections[0].clauses) == 1
    # Article 3 reads as the addendum says, with measures A to E.
    three = art["convenant-artikel-3"]
    assert three.title == "Maatregelen en resultaten"
    assert [len(p.measures) for p in three.clauses[0].parts] == [5, 0]
    assert (
        {s.id: s for s in before.sections}["convenant-artikel-3"]
        .clauses[0]
        .text.startswith("Lid 1 zoals gepubliceerd")
    )
    assert [s.id for s in after.sections] == [s.id for s in before.sections]
    # The whole dossier checks: the one error is the source's own (the addendum starts a month
    # before the covenant it follows ends), as for the import without the covenant's text.
    errors = {d.code for d in loaded.report.diagnostics if d.severity >= Severity.ERROR}
    assert errors == {"term-overlap"}
    # The build's page of the text in force, as rendered (Markdown, like the site and DOCX).
    consolidation = build_context(dossier).consolidation
    page = consolidated_markdown(next(v for v in consolidation.versions if v.iso == "2024-08-01"))
    assert "Aan artikel 1 wordt artikel 1.2 toegevoegd." in page
    assert "Artikel 3 komt te luiden." in page
    assert "De looptijd wordt verlengd tot en met 31 december 2025." in page
    assert "*Zij-instromer*: degene die beschikt over een geschiktheidsverklaring" in page
    assert "Maatregel E: " in page


def test_remove_insert_and_member_changes(tmp_path):
    text = SEED.read_text("utf-8")
    closing = text.index("Aldus overeengekomen")
    source = tmp_path / "addendum-meer.txt"
    source.write_text(text[:closing] + MORE + text[closing:], "utf-8")
    folder = _import(source, tmp_path / "content")
    found = _amendments(folder)
    # In the order of the source, the seed's three first.
    assert list(found) == [
        "add_to:convenant-artikel-1",
        "replace:convenant-artikel-3",
        "extend:convenant-looptijd",
        "remove:convenant-artikel-5",
        "insert_after:convenant-artikel-9",
        "replace:convenant-artikel-4-lid-2",
        "remove:convenant-artikel-4-lid-3",
        "add_to:convenant-artikel-4",
        "replace:convenant-artikel-6-lid-1",
        "remove:convenant-artikel-7-lid-2",
    ]
    assert found["replace:convenant-artikel-6-lid-1"]["text"] == (
        "Partijen overleggen twee keer per jaar."
    )
    inserted = found["insert_after:convenant-artikel-9"]["section"]
    assert inserted["title"] == "Evaluatie"
    assert [c["text"] for c in inserted["clauses"]] == [
        "Partijen evalueren het convenant jaarlijks."
    ]
    assert found["replace:convenant-artikel-4-lid-2"]["text"] == (
        "De penvoerder rapporteert jaarlijks aan de Minister."
    )
    assert "remove:convenant-artikel-4-lid-3" in found
    assert [c["text"] for c in found["add_to:convenant-artikel-4"]["clauses"]] == [
        "Partijen delen hun gegevens met de penvoerder."
    ]
    # The addendum's own text keeps every word of the instructions.
    rebuilt = (folder / "addendum.yaml").read_text("utf-8")
    assert "wordt als volgt gewijzigd" in rebuilt and "vervalt" in rebuilt
    # With the covenant's text recorded (article 4 with three members), the text in force.
    _record_covenant_text(folder, members={"4": 3, "7": 2})
    loaded = load_content(folder.parent, ["almere"])
    assert not {c for c in _codes(folder) if c.startswith("amend-")}, [
        d.message for d in loaded.report.diagnostics if d.code.startswith("amend-")
    ]
    after = compose(loaded.dossiers[0], D(2024, 8, 1)).agreement
    art = {s.id: s for s in after.sections}
    assert "convenant-artikel-5" not in art
    assert [c.text for c in art["convenant-artikel-6"].clauses] == [
        "Partijen overleggen twee keer per jaar."
    ]
    assert [c.id for c in art["convenant-artikel-7"].clauses] == ["convenant-artikel-7-lid-1"]
    ids = [s.id for s in after.sections]
    assert ids[ids.index("convenant-artikel-9") + 1] == inserted["id"]
    assert [c.text for c in art["convenant-artikel-4"].clauses] == [
        "Lid 1 zoals gepubliceerd in Stcrt. 2020, 38286.",
        "De penvoerder rapporteert jaarlijks aan de Minister.",
        "Partijen delen hun gegevens met de penvoerder.",
    ]


@pytest.mark.parametrize("member", ["tweede", "derde"])
def test_member_instructions_name_their_guess(tmp_path, capsys, member):
    text = SEED.read_text("utf-8")
    closing = text.index("Aldus overeengekomen")
    source = tmp_path / "addendum-meer.txt"
    source.write_text(text[:closing] + MORE + text[closing:], "utf-8")
    _import(source, tmp_path / "content")
    out = capsys.readouterr()
    n = {"tweede": 2, "derde": 3}[member]
    assert f"member id 'convenant-artikel-4-lid-{n}' is made from the article" in out.out + out.err


def test_an_instruction_naming_an_unlisted_article_is_still_reported(tmp_path):
    folder = _import(SEED, tmp_path / "content")
    path = folder / "addendum.yaml"
    text = path.read_text("utf-8")
    assert "add_to: convenant-artikel-1\n" in text
    path.write_text(text.replace("add_to: convenant-artikel-1\n", "add_to: artikel-7\n"), "utf-8")
    loaded = load_content(folder.parent, ["almere"])
    found = [d for d in loaded.report.diagnostics if d.code == "amend-unknown"]
    assert [d.severity for d in found] == [Severity.ERROR]
    assert "whose text is not recorded (only a reference)" in found[0].message
