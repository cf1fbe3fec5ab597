"""One signing package per signing act, every field for a named signatory (issue 19, item 3).

Real builds with LibreOffice: the small dossier of ``dossier_factory`` (a covenant, an
addendum and an accession request, one consenting party without a named representative) and
the bundled Almere dossier (the 2024 addendum and the 2025 accession request, ten school boards
without one). Each package holds exactly the documents of its act (its bookmarks and its page
count are those of its parts), the cover letter and the Staatscourant notice are in none, and
each field sits on its own signatory's document, labelled with party, role and person.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from dossier_factory import base_files, line_of, replace, write
from pypdf import PdfReader

from convenantgen.cli import main
from convenantgen.context.dossier import build_context
from convenantgen.model.derive import ActKind, package_stem, signing_acts
from convenantgen.read.load import load_content
from convenantgen.render.pdf.batches import plan

ROOT = Path(__file__).resolve().parents[1]
ALMERE = ROOT / "content" / "almere"
BLANK_NAME = "_" * 20
UNNAMED = (
    "warning [signatory-unnamed] party '{party}' signs its consent to accession request "
    "'{act}', but names no one who signs: its signature field and block name only the party "
    "and a role; add representative: {{name: ..., role: ...}}"
)


def _unnamed_consent_files() -> dict[str, str]:
    """The factory dossier with the school boards signing through Stichting Alfa, and
    Stichting Beta & Co naming no representative: it signs only its consent to the accession
    request, without a named person."""
    files = base_files()
    files = replace(
        files,
        "partijen.yaml",
        "    signing: each\n",
        "    signing: representative\n    representative: {party: bestuur-a}\n",
    )
    files = replace(
        files,
        "partijen.yaml",
        "    representative: {name: B. de Vries, title: de heer, role: bestuurder}\n",
        "",
    )
    files = replace(files, "convenant.yaml", "copies: 2", "copies: 1")
    return replace(files, "addendum.yaml", "copies: 3", "copies: 1")


def _build(content: Path, out: Path, *extra: str) -> int:
    argv = ["build", str(content), "--out", str(out), "--quiet", "--no-cache", "--no-site"]
    return main([*argv, "--reference-date", "2026-01-01", *extra])


def _manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text("utf-8"))["artifacts"]


def _open(path: Path) -> dict:
    """A package's title, its parts (bookmark title, first page), page count and fields (name:
    page, tooltip)."""
    reader = PdfReader(str(path))
    parts = [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]
    fields = {}
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                fields[str(annot["/T"])] = (number, str(annot["/TU"]))
    return {
        "title": reader.metadata["/Title"],
        "date": reader.metadata["/CreationDate"],
        "parts": parts,
        "pages": len(reader.pages),
        "fields": fields,
    }


def _part_of(package: dict, page: int) -> str:
    """The bookmark title of the part that holds ``page``."""
    return [title for title, first in package["parts"] if first <= page][-1]


def _pages(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


# ---------------------------------------------------------------------------------------------
# Without LibreOffice: names, acts, batches and the check


def test_package_names_say_which_act_and_collisions_are_caught(tmp_path):
    assert package_stem("proef", "addendum-1", ActKind.AGREEMENT) == (
        "proef-ondertekenpakket-addendum-1"
    )
    assert package_stem("proef", "gamma-2025", ActKind.ACCESSION) == (
        "proef-ondertekenpakket-toetreding-gamma-2025"
    )
    # The word once when the id already starts with it.
    assert package_stem("proef", "toetreding-gamma", ActKind.ACCESSION) == (
        "proef-ondertekenpakket-toetreding-gamma"
    )
    (dossier,) = load_content(write(tmp_path / "proef", base_files())).dossiers
    assert [(a.id, a.kind, a.stem, [p.id for p in a.signers]) for a in signing_acts(dossier)] == [
        (
            "addendum-1",
            "agreement",
            "proef-ondertekenpakket-addendum-1",
            ["bestuur-a", "bestuur-b", "bestuur-c"],
        ),
        ("basis", "agreement", "proef-ondertekenpakket-basis", ["bestuur-a", "bestuur-b"]),
        (
            "toetreding-gamma",
            "accession",
            "proef-ondertekenpakket-toetreding-gamma",
            ["bestuur-c", "bestuur-a", "bestuur-b"],
        ),
    ]
    # The build's packages are these acts, in this order, each with a field per signer.
    packages = build_context(dossier).packages
    assert [(p.act, p.kind, p.stem) for p in packages] == [
        (a.id, a.kind, a.stem) for a in signing_acts(dossier)
    ]
    assert [[f.party_id for f in p.fields] for p in packages] == [
        [party.id for party in a.signers] for a in signing_acts(dossier)
    ]
    # An addendum 'toetreding-gamma' and an accession request 'gamma' would write one package.
    files = replace(base_files(), "addendum.yaml", "id: addendum-1\n", "id: toetreding-gamma\n")
    files = replace(files, "toetredingen.yaml", "id: toetreding-gamma\n", "id: gamma\n")
    folder = write(tmp_path / "botsing", files)
    findings = [d.format(folder) for d in load_content(folder).report.errors]
    line = line_of(files["toetredingen.yaml"], "id: gamma")
    assert findings == [
        f"toetredingen.yaml:{line}:9: error [output-name] 'gamma' and 'toetreding-gamma' would "
        "both write proef-ondertekenpakket-toetreding-gamma.docx and .pdf; rename one of them"
    ]


def test_a_batch_never_holds_documents_of_two_acts():
    docs = [("d", "consent", bytes([n])) for n in range(4)]
    batches = plan(docs, ("salt",), acts=["a", "a", "b", "b"])
    assert [(b.members, b.act) for b in batches] == [((0, 1), "a"), ((2, 3), "b")]
    # Without acts, one run of one kind: one batch, as before.
    assert [b.members for b in plan(docs, ("salt",))] == [(0, 1, 2, 3)]
    # The key depends on the documents only: the same in both plans for the same members.
    assert plan(docs[:2], ("salt",))[0].key == batches[0].key


def test_check_names_a_consenting_party_without_a_signer_at_its_entry(tmp_path, capsys):
    files = _unnamed_consent_files()
    content = tmp_path / "content"
    folder = write(content / "proef", files)
    line = line_of(files["partijen.yaml"], "id: bestuur-b")
    assert main(["check", str(content)]) == 0
    out = capsys.readouterr().out.splitlines()
    expected = f"partijen.yaml:{line}:9: " + UNNAMED.format(
        party="bestuur-b", act="toetreding-gamma"
    )
    found = [entry for entry in out if "warning" in entry or "error" in entry]
    # The path as the command prints it (relative to the working folder when below it).
    assert [entry[entry.index("partijen.yaml") :] for entry in found] == [expected]
    assert found[0].startswith(
        str(folder.relative_to(ROOT)) if folder.is_relative_to(ROOT) else str(folder)
    )
    # --strict: an error; the build writes nothing.
    assert main(["check", str(content), "--strict"]) == 1
    capsys.readouterr()
    assert _build(content, tmp_path / "out", "--strict") == 1
    assert not (tmp_path / "out").exists()


def test_almere_check_names_the_ten_school_boards_at_their_entries(capsys):
    assert main(["check", str(ALMERE)]) == 0
    # Acknowledged (the sources name no signer), so the dossier passes --strict (issue 20):
    # still shown, at each board's entry.
    lines = capsys.readouterr().out.splitlines()
    assert not [line for line in lines if ": warning [" in line]
    out = [
        line.replace("acknowledged [", "warning [", 1).split(" (acknowledged: ")[0]
        for line in lines
        if "acknowledged [signatory-unnamed]" in line
    ]
    registry = (ALMERE / "partijen.yaml").read_text("utf-8")
    act = "toetreding-soo-almere-poort-2025"
    boards = [
        "eduvier",
        "prisma",
        "skofv",
        "almere-speciaal",
        "vrede-en-samen-leven",
        "vrijeschool-almere",
        "viertaal",
        "noor-aliman",
        "shon",
        "cordeo",
    ]
    assert [entry[entry.index("partijen.yaml") :] for entry in out] == [
        f"partijen.yaml:{line_of(registry, f'id: {board}')}:9: "
        + UNNAMED.format(party=board, act=act)
        for board in boards
    ]
    assert all(entry.startswith("content/almere/partijen.yaml:") for entry in out)


# ---------------------------------------------------------------------------------------------
# Real builds


@pytest.fixture(scope="module")
def proef(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("proef") / "content"
    write(content / "proef", _unnamed_consent_files())
    out = content.parent / "out"
    assert _build(content, out) == 0
    return out


@pytest.mark.libreoffice
def test_one_package_per_act_with_its_own_title(proef):
    packages = sorted(
        (a["path"], a["title"]) for a in _manifest(proef) if a["kind"] == "signing-package"
    )
    covenant = "Proefconvenant lerarentekort (Stcrt. 2024, 12345)"
    stem = "proef/proef-ondertekenpakket"
    assert packages == [
        (f"{stem}-addendum-1.pdf", f"Ondertekenpakket: ADDENDUM bij het {covenant}"),
        (f"{stem}-basis.pdf", "Ondertekenpakket: Proefconvenant lerarentekort"),
        (
            f"{stem}-toetreding-gamma.pdf",
            f"Ondertekenpakket: toetreding van Stichting Gamma tot het {covenant}",
        ),
    ]
    for path, title in packages:
        assert _open(proef / path)["title"] == title


@pytest.mark.libreoffice
def test_each_package_holds_exactly_its_acts_documents(proef):
    folder = proef / "proef"
    expected = {
        "basis": ["proef-basis", "proef-handtekeningen-basis"],
        "addendum-1": ["proef-addendum-1", "proef-handtekeningen-addendum-1"],
        "toetreding-gamma": [
            "proef-toetreding-toetreding-gamma-verklaring",
            "proef-toetreding-toetreding-gamma-instemming-bestuur-a",
            "proef-toetreding-toetreding-gamma-instemming-bestuur-b",
        ],
    }
    titles = {a["path"]: a["title"] for a in _manifest(proef)}
    in_packages = set()
    for act, stems in expected.items():
        package = _open(folder / f"proef-ondertekenpakket-{act}.pdf")
        # Its bookmarks are its documents' titles, and its pages exactly theirs.
        assert [title for title, _ in package["parts"]] == [
            titles[f"proef/{stem}.pdf"] for stem in stems
        ]
        assert package["pages"] == sum(_pages(folder / f"{stem}.pdf") for stem in stems)
        in_packages |= {title for title, _ in package["parts"]}
    # The letter and the notice are built, and are in no package.
    for stem in ("begeleidende-brief", "staatscourant"):
        path = f"proef/proef-toetreding-toetreding-gamma-{stem}.pdf"
        assert (proef / path).is_file()
        assert titles[path] not in in_packages
    # Every signed document is in a package.
    assert sum(len(stems) for stems in expected.values()) == len(in_packages)
    # Each package is dated by its act: the covenant's signing, the request.
    assert _open(folder / "proef-ondertekenpakket-basis.pdf")["date"].startswith("D:20240601")
    accession = _open(folder / "proef-ondertekenpakket-toetreding-gamma.pdf")
    assert accession["date"].startswith("D:20250501")


@pytest.mark.libreoffice
def test_every_field_belongs_to_a_named_signatory_on_its_document(proef):
    folder = proef / "proef"
    basis = _open(folder / "proef-ondertekenpakket-basis.pdf")
    # The school boards sign the covenant through Stichting Alfa: one field.
    assert {name: tip for name, (_, tip) in basis["fields"].items()} == {
        "handtekening-bestuur-a": "Stichting Alfa — voorzitter college van bestuur: A. Jansen"
    }
    accession = _open(folder / "proef-ondertekenpakket-toetreding-gamma.pdf")
    assert {name: tip for name, (_, tip) in accession["fields"].items()} == {
        "handtekening-bestuur-c": "Stichting Gamma — bestuurder: C. Smit",
        "handtekening-bestuur-a": "Stichting Alfa — voorzitter college van bestuur: A. Jansen",
        # No one named: party and the role of its kind (wording signatory_roles).
        "handtekening-bestuur-b": "Stichting Beta & Co — bestuurder",
    }
    # Each field on the document its signatory signs.
    parts = {name: _part_of(accession, page) for name, (page, _) in accession["fields"].items()}
    assert parts == {
        "handtekening-bestuur-c": "Verklaring van instemming met de bepalingen in het convenant: "
        "Stichting Gamma",
        "handtekening-bestuur-a": "Verklaring van instemming tot toetreding: Stichting Alfa",
        "handtekening-bestuur-b": "Verklaring van instemming tot toetreding: Stichting Beta & Co",
    }
    # The consent's signature block says for whom and in what role, not a dotted line.
    text = _text(folder / "proef-toetreding-toetreding-gamma-instemming-bestuur-b.pdf")
    assert f"Naam: {BLANK_NAME} (bestuurder van Stichting Beta & Co)" in text


@pytest.fixture(scope="module")
def almere(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("almere") / "out"
    assert _build(ALMERE, out) == 0
    return out


@pytest.mark.libreoffice
def test_almere_signs_the_addendum_and_the_accession_apart(almere):
    packages = sorted(a["path"] for a in _manifest(almere) if a["kind"] == "signing-package")
    assert packages == [
        "almere/almere-ondertekenpakket-addendum-2024.pdf",
        "almere/almere-ondertekenpakket-toetreding-soo-almere-poort-2025.pdf",
    ]
    addendum = _open(almere / packages[0])
    accession = _open(almere / packages[1])
    assert addendum["title"].startswith("Ondertekenpakket: ADDENDUM bij het Convenant")
    assert accession["title"] == (
        "Ondertekenpakket: toetreding van Stichting Openbaar Onderwijs Almere-Poort tot het "
        "Convenant Uitvoering Noodplannen personeelstekort G5: Almere (Stcrt. 2020, 38286)"
    )
    heading = "ADDENDUM bij het Convenant Uitvoering Noodplannen personeelstekort G5"
    assert [t.split(":")[0] for t, _ in addendum["parts"]] == [heading, "Handtekeningen"]
    titles = [t for t, _ in accession["parts"]]
    assert titles[0] == (
        "Verklaring van instemming met de bepalingen in het convenant: "
        "Stichting Openbaar Onderwijs Almere-Poort"
    )
    assert len(titles) == 16
    assert all(t.startswith("Verklaring van instemming tot toetreding: ") for t in titles[1:])
    # No cover letter, no notice: the package has the pages of its 16 documents only.
    folder = almere / "almere"
    stem = "almere-toetreding-toetreding-soo-almere-poort-2025"
    documents = [folder / f"{stem}-verklaring.pdf", *sorted(folder.glob(f"{stem}-instemming-*"))]
    documents = [p for p in documents if p.suffix == ".pdf"]
    assert len(documents) == 16
    assert accession["pages"] == sum(_pages(p) for p in documents)
    for part in ("begeleidende-brief", "staatscourant"):
        assert (folder / f"{stem}-{part}.pdf").is_file()
    # 5 fields for the addendum, 16 for the accession: 21 in all, each party once per package.
    assert len(addendum["fields"]) == 5 and len(accession["fields"]) == 16
    assert not any(name.endswith("-2") for name in {**addendum["fields"], **accession["fields"]})


@pytest.mark.libreoffice
def test_almere_fields_name_party_role_and_person(almere):
    accession = _open(
        almere / "almere" / "almere-ondertekenpakket-toetreding-soo-almere-poort-2025.pdf"
    )
    tips = {name: tip for name, (_, tip) in accession["fields"].items()}
    assert tips["handtekening-soo-almere-poort"] == (
        "Stichting Openbaar Onderwijs Almere-Poort — voorzitter college van bestuur: J. Bakker"
    )
    assert tips["handtekening-eduvier"] == "Stichting Eduvier Onderwijsgroep — bestuurder"
    assert tips["handtekening-prisma"] == (
        "Stg. Prisma, stg. prot. chr. & oecumen. onderwijs in Almere — bestuurder"
    )
    unnamed = [name for name, tip in tips.items() if tip.endswith(" — bestuurder")]
    assert len(unnamed) == 10
    assert not any("…" in tip for tip in tips.values())
    # Every consent's field is on that party's consent.
    for name, (page, _) in accession["fields"].items():
        if name == "handtekening-soo-almere-poort":
            continue
        part = _part_of(accession, page)
        assert part.startswith("Verklaring van instemming tot toetreding: "), (name, part)
    organisation = {
        "handtekening-eduvier": "Stichting Eduvier Onderwijsgroep",
        "handtekening-minister-ocw": "De Minister van Onderwijs, Cultuur en Wetenschap",
        "handtekening-windesheim-almere": "Hogeschool Windesheim Almere",
    }
    for name, party in organisation.items():
        assert _part_of(accession, accession["fields"][name][0]).endswith(": " + party)
