"""The dossiers modelled from seeds 001-004: clean under ``check``, data as the sources say.

Each dossier must pass with no errors and no unacknowledged warnings. The numbers the sources
give are asserted from the model, and a deliberately broken copy shows that the rules the
dossiers rely on (component sums, target periods) really guard them.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from convenantgen.cli import main
from convenantgen.errors import Severity
from convenantgen.model.references import build_index
from convenantgen.read.load import load_content

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
NEW_DOSSIERS = ["vervangingspool-twente", "onderwijsregio"]


@pytest.fixture(scope="module")
def loaded():
    return load_content(CONTENT, NEW_DOSSIERS)


def _dossier(loaded, dossier_id):
    return next(d for d in loaded.dossiers if d.id == dossier_id)


def _target(dossier, target_id):
    return next(t for t in dossier.targets() if t.id == target_id)


def _broken_copy(tmp_path: Path, name: str, file: str, old: str, new: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(CONTENT / name, folder)
    path = folder / file
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    path.write_text(text.replace(old, new), "utf-8")
    return path


@pytest.mark.parametrize("name", NEW_DOSSIERS)
def test_dossier_is_clean(loaded, name):
    findings = [
        d.format(ROOT)
        for d in loaded.report.sorted()
        if d.where.file.parent.name == name and d.severity >= Severity.WARNING
    ]
    assert findings == []
    assert name in [d.id for d in loaded.dossiers]


@pytest.mark.parametrize("name", NEW_DOSSIERS)
def test_provenance_names_sources_and_what_is_illustrative(loaded, name):
    dossier = _dossier(loaded, name)
    references = [s["reference"] for s in dossier.provenance["sources"]]
    assert all(r.startswith("shared/seeds/00") for r in references)
    assert len(dossier.provenance["illustrative"]) >= 3
    for path in dossier.files:
        # Every file says in its header comment where its content comes from.
        header = path.read_text("utf-8").split("\nkind:")[0].lower()
        assert "seed" in header or "illustrative" in header, f"{path.name} header"


def test_vervangingspool_parties_and_penvoerder(loaded):
    dossier = _dossier(loaded, "vervangingspool-twente")
    assert [p.name for p in dossier.members("besturen")] == [
        "Stichting Attendiz",
        "SOTOG",
        "TWOG",
        "Kentalis",
    ]
    assert dossier.penvoerder.id == "mobiliteitscentrum-obt"
    # The covenant with its full text, and the illustrative addendum of 2017 that amends it.
    agreement, addendum = dossier.agreements
    assert agreement.kind == "convenant" and agreement.amends is None
    assert agreement.signing.copies == 5
    assert addendum.amends == agreement.id and len(addendum.amendments) == 5


def test_vervangingspool_numbers_from_the_source(loaded):
    dossier = _dossier(loaded, "vervangingspool-twente")
    total = _target(dossier, "vteam-totaal")
    parts = [_target(dossier, c) for c in total.components]
    assert (total.value, [p.value for p in parts]) == (24, [16, 8])
    assert sum(p.value for p in parts) == total.value
    assert dossier.indicator(total.indicator).unit == "fte"
    hours = [_target(dossier, t).value for t in ("min-max-ondergrens", "min-max-bovengrens")]
    assert hours == [8, 20]
    day = _target(dossier, "toelage-per-dag")
    assert [_target(dossier, c).value for c in day.components] == [17.5, 10.0]
    assert day.value == 27.5
    money = {
        t: _target(dossier, t).value
        for t in ("vergoeding-per-kilometer", "telefoonkosten", "bonus-start")
    }
    assert money == {"vergoeding-per-kilometer": 0.3, "telefoonkosten": 25, "bonus-start": 1000}


def test_vervangingspool_measures_and_order_of_options(loaded):
    dossier = _dossier(loaded, "vervangingspool-twente")
    letters = build_index(dossier).measure_letters
    assert letters == {
        "pool-a-vteam": "A",
        "pool-b-flexibele-schil": "B",
        "volgorde-vervanging": "C",
        "vergoedingen": "D",
    }
    (order,) = dossier.measure("volgorde-vervanging").sections
    assert order.ordered
    assert len(order.items) == 7
    assert "pool A" in order.items[0] and "pool B" in order.items[0]
    assert order.items[-1] == "Vrij geven."


def test_onderwijsregio_functions_milestones_and_mobility(loaded):
    dossier = _dossier(loaded, "onderwijsregio")
    letters = build_index(dossier).measure_letters
    functions = ["werven", "matchen", "opleiden", "begeleiden", "professionaliseren"]
    assert [letters[m] for m in functions] == ["A", "B", "C", "D", "E"]
    assert {p.group for p in dossier.parties} == {
        "schoolbesturen",
        "mbo",
        "lerarenopleidingen",
        "beroepsgroep",
    }
    assert all(p.illustrative for p in dossier.parties)
    periods = {
        t.id: t.period for t in dossier.measure("vorming-en-start").targets if t.period is not None
    }
    assert periods["regiobijeenkomsten"] == (dt.date(2023, 2, 1), dt.date(2023, 2, 28))
    assert periods["partners-aangeleverd"][1] == dt.date(2023, 6, 30)
    assert periods["start-onderwijsregio"] == (dt.date(2023, 9, 1), dt.date(2023, 9, 1))
    assert periods["plannen-gereed"][1] == dt.date(2024, 1, 1)
    one = _target(dossier, "een-financieringsinstrument")
    assert (one.value, one.period[0]) == (1, dt.date(2024, 1, 1))
    mobility = {
        t.id: (t.comparator, t.value) for t in dossier.measure("mobiliteitstoelage").targets
    }
    assert mobility == {
        "toelage-inzetduur": (">=", 6),
        "toelage-tekortpercentage": (">", 40),
        "toelage-salarisfactor": ("=", 1.5),
    }
    assert "vervangingspool" in letters


def test_component_sum_rule_guards_the_vteam(tmp_path):
    path = _broken_copy(
        tmp_path,
        "vervangingspool-twente",
        "maatregelen.yaml",
        "        value: 16\n",
        "        value: 15\n",
    )
    loaded = load_content(tmp_path)
    errors = [(d.code, d.message) for d in loaded.report.errors]
    assert errors == [
        (
            "target-components",
            "components of 'vteam-totaal' add up to 15 + 8 = 23, not the declared total 24",
        )
    ]
    assert loaded.report.errors[0].where.file == path


def test_component_sum_rule_guards_the_day_allowance(tmp_path):
    _broken_copy(
        tmp_path,
        "vervangingspool-twente",
        "maatregelen.yaml",
        "        value: 27.50\n",
        "        value: 27.00\n",
    )
    loaded = load_content(tmp_path)
    assert [d.message for d in loaded.report.errors] == [
        "components of 'toelage-per-dag' add up to 17,5 + 10 = 27,5, not the declared total 27"
    ]


def test_milestone_after_the_term_is_reported(tmp_path):
    _broken_copy(
        tmp_path,
        "onderwijsregio",
        "maatregelen.yaml",
        "period: {start: 2024-01-01, end: 2027-07-31}",
        "period: {start: 2024-01-01, end: 2027-12-31}",
    )
    loaded = load_content(tmp_path)
    assert [d.message for d in loaded.report.errors] == [
        "target 'een-financieringsinstrument' period ends 31 december 2027, after the term in "
        "force ends (31 juli 2027, 'looptijd')"
    ]


@pytest.mark.parametrize("profile", [None, "aanwijzingen-2025"])
def test_every_bundled_dossier_passes_strict_with_and_without_the_profile(profile):
    # issue 20: acknowledgements of profile rules are not "unused" without the profile, and
    # every finding of the bundled dossiers is fixed or acknowledged with its reason.
    args = ["check", str(CONTENT), "--strict", "--reference-date", "2026-12-01"]
    assert main(args + (["--profile", profile] if profile else [])) == 0
