"""Lifecycle records (kind: lifecycle, accession steps) and the rules that use them.

Every rule has a passing and a failing case with the exact diagnostic; the reference date is
fixed so the outcome does not depend on the day the tests run.
"""

from __future__ import annotations

import datetime as dt

import pytest
from dossier_factory import base_files, line_of, replace, write

from convenantgen.cli import main
from convenantgen.context.site import DossierFacts
from convenantgen.model.derive import agreement_stage, bound_on
from convenantgen.model.references import build_index
from convenantgen.read.load import load_content
from convenantgen.site.opendata import records
from convenantgen.states import AgreementStage

UNSIGNED = ("convenant.yaml", "  date: 2024-06-01\n", "")
UNPUBLISHED = ("convenant.yaml", 'citation: {year: 2024, number: "12345"}\n', "")


def lifecycle(body: str) -> str:
    return "kind: lifecycle\nagreements:\n  - agreement: basis\n" + body


SIGNED_BOTH = lifecycle(
    "    signatures:\n"
    "      - {party: bestuur-a, date: 2024-06-01, place: Utrecht, form: wet-ink}\n"
    "      - {party: bestuur-b, date: 2024-06-03, form: digital}\n"
)


def files_with(*changes, extra: dict[str, str] | None = None) -> dict[str, str]:
    files = base_files()
    for name, old, new in changes:
        files = replace(files, name, old, new)
    return {**files, **(extra or {})}


def run(tmp_path, files, day: str):
    folder = write(tmp_path / "proef", files)
    loaded = load_content(folder, day=dt.date.fromisoformat(day))
    return [d.format(folder) for d in loaded.report.sorted()], loaded


def at(files, name, needle) -> str:
    return f"{name}:{line_of(files[name], needle)}:"


# (files, reference date, expected lines: (file, needle, text after "file:line:"))
CASES = [
    pytest.param(
        files_with(UNSIGNED),
        "2024-09-01",
        [
            (
                "convenant.yaml",
                "id: basis",
                "5: warning [lifecycle-unknown] 'basis' is published (Stcrt. 2024, 12345), but no "
                "signature is recorded for 'bestuur-a', 'bestuur-b'",
            )
        ],
        id="published-without-signatures",
    ),
    pytest.param(
        files_with(UNSIGNED, extra={"levensloop.yaml": SIGNED_BOTH}),
        "2024-09-01",
        [],
        id="published-with-signatures",
    ),
    pytest.param(
        files_with(
            UNSIGNED,
            UNPUBLISHED,
            extra={"levensloop.yaml": SIGNED_BOTH.split("      - {party: bestuur-b")[0]},
        ),
        "2024-09-01",
        [
            (
                "levensloop.yaml",
                "signatures:",
                "5: warning [lifecycle-unknown] the term of 'basis' started on 1 augustus 2024, "
                "but 1 of 2 signatures are recorded on 1 september 2024; missing: 'bestuur-b'",
            )
        ],
        id="term-started-signature-missing",
    ),
    pytest.param(
        files_with(
            UNSIGNED,
            UNPUBLISHED,
            extra={"levensloop.yaml": SIGNED_BOTH.split("      - {party: bestuur-b")[0]},
        ),
        "2024-07-15",
        [],
        id="out-for-signing-before-the-term",
    ),
    pytest.param(
        files_with(UNSIGNED, UNPUBLISHED, extra={"levensloop.yaml": SIGNED_BOTH}),
        "2024-07-04",
        [
            (
                "levensloop.yaml",
                "agreement: basis",
                "5: error [publication-overdue] 'basis' is not recorded as published; the deadline "
                "was 3 juli 2024 (30 days after the last signature on 3 juni 2024)",
            )
        ],
        id="publication-overdue",
    ),
    pytest.param(
        files_with(UNSIGNED, UNPUBLISHED, extra={"levensloop.yaml": SIGNED_BOTH}),
        "2024-07-03",
        [],
        id="publication-not-yet-due",
    ),
    pytest.param(
        files_with(
            UNSIGNED,
            UNPUBLISHED,
            extra={
                "levensloop.yaml": SIGNED_BOTH
                + '    publication: {date: 2024-07-10, citation: {year: 2024, number: "99"}}\n'
            },
        ),
        "2024-09-01",
        [
            (
                "levensloop.yaml",
                "publication:",
                "25: error [publication-late] published 10 juli 2024, 7 days after the deadline of "
                "3 juli 2024 (30 days after signing on 3 juni 2024)",
            )
        ],
        id="publication-late-from-records",
    ),
    pytest.param(
        files_with(
            UNSIGNED,
            (
                "partijen.yaml",
                "    joined: 2024-08-01\n  - id: bestuur-c",
                "    joined: 2024-08-01\n    left: 2024-09-01\n  - id: bestuur-c",
            ),
            ("addendum.yaml", "  copies: 3", "  copies: 2"),
            extra={
                "levensloop.yaml": SIGNED_BOTH.replace(
                    "bestuur-b, date: 2024-06-03", "bestuur-b, date: 2024-09-15"
                )
                + "    withdrawals:\n"
                + "      - {party: bestuur-b, kind: uittreding, effective: 2024-09-01}\n"
            },
        ),
        "2024-10-01",
        [
            (
                "levensloop.yaml",
                "2024-09-15",
                "34: error [signed-after-leaving] 'bestuur-b' signs 'basis' on 15 september 2024, "
                "but is no longer a party from 1 september 2024",
            )
        ],
        id="signed-after-leaving",
    ),
    pytest.param(
        files_with(
            UNSIGNED,
            extra={
                "levensloop.yaml": SIGNED_BOTH
                + "    withdrawals:\n"
                + "      - {party: bestuur-b, kind: opzegging, effective: 2024-09-01}\n"
            },
        ),
        "2024-10-01",
        [
            (
                "partijen.yaml",
                "id: bestuur-b",
                "9: error [withdrawal-left] 'bestuur-b' leaves by opzegging on 1 september 2024, "
                "but the registry gives left: no date",
            )
        ],
        id="withdrawal-left",
    ),
    pytest.param(
        files_with(
            UNSIGNED,
            extra={
                "levensloop.yaml": SIGNED_BOTH + "      - {party: bestuur-c, date: 2024-06-03}\n"
            },
        ),
        "2024-10-01",
        [
            (
                "levensloop.yaml",
                "party: bestuur-c",
                "17: error [signature-unknown] 'bestuur-c' does not sign 'basis' (its signatories: "
                "'bestuur-a', 'bestuur-b')",
            )
        ],
        id="signature-unknown",
    ),
    pytest.param(
        files_with(extra={"levensloop.yaml": lifecycle("").replace("basis", "onbekend")}),
        "2024-10-01",
        [
            (
                "levensloop.yaml",
                "agreement: onbekend",
                "16: error [ref-unknown] lifecycle record for agreement 'onbekend', which does not "
                "exist",
            )
        ],
        id="record-for-unknown-agreement",
    ),
]


@pytest.mark.parametrize(("files", "day", "expected"), CASES)
def test_lifecycle_rules(tmp_path, files, day, expected):
    lines, _ = run(tmp_path, files, day)
    wanted = []
    for name, needle, text in expected:
        line = line_of(files[name], needle)
        col, _, rest = text.partition(":")
        wanted.append(f"{name}:{line}:{col}:{rest}")
    assert lines == wanted, "\n".join(lines)


ACC = "    effective: 2025-08-01\n"
CONSENTS = (
    "    consents:\n"
    "      - {party: bestuur-a, date: 2025-05-10}\n"
    "      - {party: bestuur-b, date: 2025-05-12}\n"
)
SENT_AND_NOTICE = (
    '    sent: 2025-05-20\n    notice: {date: 2025-06-02, citation: {year: 2025, number: "4321"}}\n'
)
EVALUATION_TOPIC = (
    "convenant.yaml",
    "    title: Maatregelen\n",
    "    title: Maatregelen\n    topics: [evaluation]\n",
)

ACCESSION_CASES = [
    pytest.param(
        ACC + "    status: in-effect\n",
        [
            "status: in-effect",
            "13: error [accession-in-effect] accession 'toetreding-gamma' is in effect without the "
            "consent of 'bestuur-a', 'bestuur-b'; the date it was sent (sent:); the Staatscourant "
            "notice (notice:)",
        ],
        id="accession-in-effect-incomplete",
    ),
    pytest.param(
        ACC + "    status: in-effect\n" + CONSENTS + SENT_AND_NOTICE,
        None,
        id="accession-in-effect-complete",
    ),
    pytest.param(
        ACC + "    status: consented\n" + CONSENTS.split("      - {party: bestuur-b")[0],
        [
            "status: consented",
            "13: warning [lifecycle-unknown] accession 'toetreding-gamma' is 'consented', but the "
            "consent of 'bestuur-b' is not recorded",
        ],
        id="accession-consented-without-every-consent",
    ),
    pytest.param(
        ACC + "    status: requested\n" + CONSENTS.split("      - {party: bestuur-b")[0],
        None,
        id="accession-requested-partial-consents",
    ),
    pytest.param(
        ACC + CONSENTS + "      - {party: bestuur-c, date: 2025-05-12}\n",
        [
            "party: bestuur-c, date",
            "17: error [accession-consent-party] 'bestuur-c' consents to 'toetreding-gamma' but is "
            "not a party of 'basis' on 1 mei 2025",
        ],
        id="accession-consent-party",
    ),
]


@pytest.mark.parametrize(("tail", "expected"), ACCESSION_CASES)
def test_accession_steps(tmp_path, tail, expected):
    files = replace(base_files(), "toetredingen.yaml", ACC, tail)
    # Before the effective date: a request still collecting consents is not yet waiting.
    lines, _ = run(tmp_path, files, "2025-07-15")
    if expected is None:
        assert lines == []
    else:
        needle, text = expected
        line = line_of(files["toetredingen.yaml"], needle)
        col, _, rest = text.partition(":")
        assert lines == [f"toetredingen.yaml:{line}:{col}:{rest}"]


def test_evaluation_planned_overdue_and_done(tmp_path):
    files = files_with(EVALUATION_TOPIC)
    lines, _ = run(tmp_path, files, "2025-01-01")
    assert lines == [
        f"convenant.yaml:{line_of(files['convenant.yaml'], 'id: basis')}:5: warning "
        "[lifecycle-unknown] 'basis' is in force and provides for an evaluation, but no planned "
        "date is recorded; add evaluation: {planned: YYYY-MM-DD}"
    ]
    planned = lifecycle("    evaluation: {planned: 2024-12-01}\n")
    files = files_with(EVALUATION_TOPIC, extra={"levensloop.yaml": planned})
    lines, _ = run(tmp_path, files, "2025-01-01")
    assert lines == [
        "levensloop.yaml:4:27: warning [evaluation-overdue] the evaluation of 'basis' was due on "
        "1 december 2024 and is not recorded as done on 1 januari 2025"
    ]
    lines, _ = run(tmp_path, files, "2024-11-30")
    assert lines == []
    done = lifecycle("    evaluation: {planned: 2024-12-01, done: 2024-11-28, report: Rapport}\n")
    files = files_with(EVALUATION_TOPIC, extra={"levensloop.yaml": done})
    lines, _ = run(tmp_path, files, "2025-01-01")
    assert lines == []


def test_stages_follow_records_and_calendar(tmp_path):
    files = files_with(
        UNSIGNED,
        UNPUBLISHED,
        extra={
            "levensloop.yaml": SIGNED_BOTH
            + '    publication: {date: 2024-07-01, citation: {year: 2024, number: "21836"}}\n'
        },
    )
    _, loaded = run(tmp_path, files, "2024-09-01")
    dossier = loaded.dossiers[0]
    basis, index = dossier.document("basis"), build_index(dossier)

    def stage(day):
        return agreement_stage(dossier, basis, index, dt.date.fromisoformat(day))

    assert stage("2024-05-01").stage is AgreementStage.PREPARATION  # no signature yet by that day
    assert stage("2024-06-02").stage is AgreementStage.FOR_SIGNATURE
    assert (stage("2024-06-02").signed, stage("2024-06-02").unsigned) == (
        ("bestuur-a",),
        ("bestuur-b",),
    )
    assert stage("2024-06-10").stage is AgreementStage.SIGNED
    assert stage("2024-07-02").stage is AgreementStage.PUBLISHED
    assert str(stage("2024-07-02").citation) == "Stcrt. 2024, 21836"
    assert stage("2024-08-01").stage is AgreementStage.IN_FORCE
    # The addendum extends the term to 31 juli 2026.
    assert stage("2026-07-31").stage is AgreementStage.IN_FORCE
    assert stage("2026-08-01").stage is AgreementStage.ENDED


def test_one_record_per_agreement(tmp_path):
    files = files_with(UNSIGNED, extra={"levensloop.yaml": SIGNED_BOTH + "  - agreement: basis\n"})
    lines, _ = run(tmp_path, files, "2024-10-01")
    assert lines == [
        "levensloop.yaml:7:16: error [id-duplicate] a second lifecycle record for 'basis'; keep "
        "one per agreement"
    ]


def test_terminated_agreement_has_ended(tmp_path):
    records = SIGNED_BOTH + "    terminated: {date: 2025-01-01, reason: ontbonden}\n"
    _, loaded = run(
        tmp_path, files_with(UNSIGNED, extra={"levensloop.yaml": records}), "2024-10-01"
    )
    dossier = loaded.dossiers[0]
    basis, index = dossier.document("basis"), build_index(dossier)
    assert (
        agreement_stage(dossier, basis, index, dt.date(2024, 12, 31)).stage
        is AgreementStage.IN_FORCE
    )
    stage = agreement_stage(dossier, basis, index, dt.date(2025, 1, 1))
    assert (stage.stage, stage.end) == (AgreementStage.ENDED, dt.date(2024, 12, 31))


def test_empty_signature_list_means_out_for_signing(tmp_path):
    files = files_with(
        UNSIGNED, UNPUBLISHED, extra={"levensloop.yaml": lifecycle("    signatures: []\n")}
    )
    _, loaded = run(tmp_path, files, "2024-07-01")
    dossier = loaded.dossiers[0]
    stage = agreement_stage(
        dossier, dossier.document("basis"), build_index(dossier), dt.date(2024, 7, 1)
    )
    assert (stage.stage, stage.signed, stage.unsigned) == (
        AgreementStage.FOR_SIGNATURE,
        (),
        ("bestuur-a", "bestuur-b"),
    )


def test_missing_fact_fails_check_under_strict(tmp_path, capsys):
    folder = write(tmp_path / "proef", files_with(UNSIGNED))
    assert main(["check", str(folder), "--reference-date", "2024-09-01"]) == 0
    assert main(["check", str(folder), "--reference-date", "2024-09-01", "--strict"]) == 1
    assert "[lifecycle-unknown]" in capsys.readouterr().out


def test_a_party_joins_only_when_its_accession_is_in_effect(tmp_path):
    # bestuur-c's registry says joined 2025-08-01; its request has no consent yet (issue 20).
    lines, loaded = run(tmp_path / "wacht", base_files(), "2025-09-01")
    files = base_files()
    line = line_of(files["toetredingen.yaml"], "effective: 2025-08-01")
    assert lines == [
        f"toetredingen.yaml:{line}:16: warning [accession-waiting] accession 'toetreding-gamma' "
        "was to take effect on 1 augustus 2025, but on 1 september 2025 it is still 'requested' "
        "(0 of 2 consents); 'bestuur-c' is not counted as a party until it is in effect: record "
        "the steps reached, or a new effective date"
    ]
    dossier = loaded.dossiers[0]
    day = dt.date(2025, 9, 1)
    assert [p.id for p in dossier.parties if bound_on(dossier, p, day)] == [
        "bestuur-a",
        "bestuur-b",
    ]
    facts = DossierFacts.of(dossier, day)
    person = next(r for r in records([facts])["partijen"] if r["id"] == "bestuur-c")
    assert person["member_on_reference_date"] is False
    # Before its effective date nothing is waiting yet.
    assert run(tmp_path / "vroeg", base_files(), "2025-07-01")[0] == []
    # In effect, with every fact: bound, and no finding.
    complete = ACC + "    status: in-effect\n" + CONSENTS + SENT_AND_NOTICE
    done = replace(files, "toetredingen.yaml", ACC, complete)
    lines, loaded = run(tmp_path / "klaar", done, "2025-09-01")
    assert lines == []
    dossier = loaded.dossiers[0]
    assert all(bound_on(dossier, p, day) for p in dossier.parties)
    rows = records([DossierFacts.of(dossier, day)])["partijen"]
    person = next(r for r in rows if r["id"] == "bestuur-c")
    assert person["member_on_reference_date"] is True
