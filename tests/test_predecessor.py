"""A predecessor recorded as a covenant of the dossier (issue 20): the dossier's own covenant is
chosen by relation, never by file name; a covenant known only by reference has its own stage;
a Kamerstuk is a citation of its own, and a predecessor draws no aw-publication."""

from __future__ import annotations

import datetime as dt

from dossier_factory import base_files, line_of, replace, write

from convenantgen.authoring.status import agreement_items
from convenantgen.context.lifecycle import site_lifecycle
from convenantgen.model.derive import agreement_stage, covenant, dossier_term
from convenantgen.model.references import build_index
from convenantgen.read.load import load_content
from convenantgen.states import AgreementStage

# "a-voorganger.yaml" sorts before "convenant.yaml": the first covenant by file name.
KAMERSTUK = 'kamerstuk: {session: 2019/20, dossier: "31 293", number: "500"}\n'
PREDECESSOR = (
    """\
kind: convenant
id: voorganger
title: Proefconvenant lerarentekort 2020–2024
"""
    + KAMERSTUK
    + """\
term:
  id: voorganger-looptijd
  start: 2020-08-01
  end: 2024-07-31
"""
)

DAY = dt.date(2025, 3, 1)


def files(predecessor: str = PREDECESSOR, *, relation: bool = True) -> dict[str, str]:
    out = {**base_files(), "a-voorganger.yaml": predecessor}
    if relation:
        out = replace(out, "convenant.yaml", "id: basis\n", "id: basis\npredecessor: voorganger\n")
    return out


def load(tmp_path, content, profile=None):
    folder = write(tmp_path / "proef", content)
    loaded = load_content(folder, day=DAY, profile=profile)
    return folder, loaded, [d.format(folder) for d in loaded.report.sorted()]


def test_own_covenant_by_relation_not_by_file_name(tmp_path):
    for relation in (True, False):  # predecessor: named, or only the addendum's amends
        _, loaded, lines = load(tmp_path / str(relation), files(relation=relation))
        assert lines == []
        dossier = loaded.dossiers[0]
        assert dossier.documents[0].id == "voorganger"
        assert covenant(dossier).id == "basis"
        term = dossier_term(dossier, build_index(dossier))
        assert (term.start, term.final_end) == (dt.date(2024, 8, 1), dt.date(2026, 7, 31))


def test_stage_of_a_covenant_known_only_by_reference(tmp_path):
    _, loaded, _ = load(tmp_path / "kst", files())
    dossier = loaded.dossiers[0]
    index = build_index(dossier)
    # Reported in a Kamerstuk: concluded; its term is over.
    stage = agreement_stage(dossier, dossier.document("voorganger"), index, DAY)
    assert stage.stage is AgreementStage.ENDED
    lines, _ = agreement_items(dossier, DAY)
    assert "voorganger: afgelopen: Kamerstukken II 2019/20, 31 293, nr. 500" in lines
    # Known by nothing but its id and term: its own stage, never "in voorbereiding".
    bare = PREDECESSOR.replace(KAMERSTUK, "")
    _, loaded, lines = load(tmp_path / "kaal", files(bare))
    assert lines == []
    dossier = loaded.dossiers[0]
    index = build_index(dossier)
    stage = agreement_stage(dossier, dossier.document("voorganger"), index, DAY)
    assert stage.stage is AgreementStage.REFERENCE
    lines, _ = agreement_items(dossier, DAY)
    assert "voorganger: alleen bekend uit verwijzing" in lines
    site = site_lifecycle(dossier, index, DAY, lambda doc: doc.id)
    assert [s.stage for s in site.stages if s.name == "voorganger"] == [
        "alleen bekend uit verwijzing"
    ]


def test_a_predecessor_draws_no_aw_publication(tmp_path):
    _, _, lines = load(tmp_path, files(), profile="aanwijzingen-2025")
    assert not [line for line in lines if "'voorganger'" in line]
    assert [line for line in lines if "[aw-publication]" in line]  # the addendum still does


def test_bad_kamerstuk_and_predecessor_are_reported_at_their_place(tmp_path):
    session = PREDECESSOR.replace("session: 2019/20", "session: 2019/21")
    content = files(session)
    _, _, lines = load(tmp_path / "sessie", content)
    line = line_of(content["a-voorganger.yaml"], "kamerstuk:")
    assert lines == [
        f"a-voorganger.yaml:{line}:22: error [citation-session] 'voorganger': session "
        "'2019/21' does not run over two successive years; did you mean '2019/20'?"
    ]
    unknown = replace(files(), "convenant.yaml", "predecessor: voorganger", "predecessor: vorige")
    _, _, lines = load(tmp_path / "onbekend", unknown)
    line = line_of(unknown["convenant.yaml"], "predecessor: vorige")
    assert [x for x in lines if "[ref-unknown]" in x] == [
        f"convenant.yaml:{line}:14: error [ref-unknown] 'vorige' is not a covenant id. "
        "Did you mean 'voorganger'?"
    ]
    bad = PREDECESSOR.replace('dossier: "31 293"', 'dossier: "31293x"')
    _, loaded, lines = load(tmp_path / "dossiernummer", files(bad))
    line = line_of(bad, "kamerstuk:")
    assert any(x.startswith(f"a-voorganger.yaml:{line}:") and "dossier" in x for x in lines), lines
    assert loaded.failed()
