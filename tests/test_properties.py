"""Property-based tests (hypothesis) for the loader and the date and target rules.

* Random valid dossiers (parties with any printable names, chained periods, targets with
  units, comparators and values inside their domain) pass ``check`` without errors, and
  their names come back from the loader exactly as written.
* One random mutation of such a dossier (a start moved after its end, a percentage above
  100, a negative count, an id replaced by an unknown one, a key renamed, an impossible
  date) is reported with the expected code; reordering parties is provably harmless.
* Random bytes, random text and YAML-like token soup never make the loader, the schema
  validation or ``check`` raise: the result is always a Source or Diagnostics.

Every test uses a fixed, database-less, derandomized profile so CI runs are reproducible.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convenantgen import cli
from convenantgen.errors import Severity
from convenantgen.read.load import load_content
from convenantgen.read.schemas import ID_RE, KINDS, load_schemas, validate
from convenantgen.read.sources import MAX_DEPTH, load_file, one_line

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"
LINE_RE = re.compile(r"^[^\s:][^:]*:\d+:\d+: (error|warning|acknowledged) \[[a-z0-9-]+\] .+$")


def _profile(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------------------------------------
# Writing YAML: every string is double-quoted with escapes, so any text round-trips


def q(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that loads back as exactly ``text``."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp", "Co", "Cn"} or char in (
            "\ufeff\x85"
        ):
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


# Names may hold anything a person could type: quotes, &, <, emoji, accents; not what the
# Unicode policy refuses (control and format characters, text that is not in NFC, names with
# nothing visible: checks/characters.py) and no braces (those are references).
NAME = (
    st.text(
        st.characters(
            blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn"),
            blacklist_characters="{}",
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda text: unicodedata.normalize("NFC", text))
    # Text of only spaces (or marks) is empty, and rejected (see the mutations).
    .filter(lambda text: any(unicodedata.category(c)[0] in "LNPS" for c in text))
)
IDENT = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)

# unit -> a strategy of values strictly inside its domain (so no comparator is vacuous)
VALUES = {
    "percent": st.integers(1, 99),
    "count": st.integers(1, 10_000),
    "fte": st.integers(1, 500),
    "hours": st.integers(1, 2_000),
    "grade": st.sampled_from([2, 5.5, 6, 7, 7.5, 8, 9.5]),
    "euro": st.integers(1, 10**9),
    "factor": st.sampled_from([0.5, 1, 1.5, 2, 3]),
}
COMPARATORS = ["<", "<=", ">", ">=", "="]


@st.composite
def dossiers(draw) -> dict:
    """Parameters of a valid dossier: parties, a chain of periods, targets in range."""
    names = draw(st.lists(NAME, min_size=1, max_size=4))
    start = draw(st.dates(dt.date(2000, 1, 1), dt.date(2080, 1, 1)))
    first_end = start + dt.timedelta(days=draw(st.integers(0, 3000)))
    second_end = first_end + dt.timedelta(days=draw(st.integers(1, 3000)))
    units = ["percent", "count"] + draw(st.lists(st.sampled_from(sorted(VALUES)), max_size=3))
    targets = [(unit, draw(st.sampled_from(COMPARATORS)), draw(VALUES[unit])) for unit in units]
    group = draw(IDENT.filter(lambda s: not s.startswith(("p", "t", "i"))))
    return {
        "names": names,
        "start": start,
        "first_end": first_end,
        "second_end": second_end,
        "targets": targets,
        "group": group,
        "description": draw(NAME),
    }


def render(p: dict) -> dict[str, str]:
    """YAML files of the dossier described by ``p`` (see ``dossiers``)."""
    parties = "".join(
        f"  - id: p{i}\n    name: {q(name)}\n    kind: schoolbestuur\n    group: {p['group']}\n"
        f"    representative: {{name: {q(name)}}}\n"
        for i, name in enumerate(p["names"])
    )
    indicators = "".join(
        f"  - {{id: i{i}, label: Indicator {i}, unit: {unit}}}\n"
        for i, (unit, _, _) in enumerate(p["targets"])
    )
    targets = "".join(
        f"      - id: t{i}\n        indicator: i{i}\n        comparator: {q(comp)}\n"
        f"        value: {value}\n        text: Het doel is {{value}}.\n"
        for i, (_, comp, value) in enumerate(p["targets"])
    )
    return {
        "dossier.yaml": "kind: dossier\nid: proef\ntitle: Proef\n",
        "partijen.yaml": f"kind: parties\ngroups:\n  - id: {p['group']}\n"
        f"    designation: de partijen\n    signing: each\nparties:\n{parties}",
        "convenant.yaml": "kind: convenant\nid: basis\ntitle: Proef\nterm:\n  id: looptijd\n"
        f"  start: {p['start']}\n  end: {p['first_end']}\n",
        "addendum.yaml": "kind: addendum\nid: addendum\namends: basis\n"
        f"parties: [{p['group']}]\n"
        f"in_force:\n  id: in-werking\n  start: {p['first_end'] + dt.timedelta(days=1)}\n"
        f"  end: {p['second_end']}\n  follows: looptijd\n"
        f"extension:\n  id: verlenging\n  extends: looptijd\n  end: {p['second_end']}\n"
        "sections:\n  - id: slot\n    title: Slot\n    clauses:\n"
        "      - id: geldigheid\n        text: Dit geldt tot {date:in-werking.end}.\n"
        "signing: {place: Almere}\n",
        "maatregelen.yaml": f"kind: measures\nindicators:\n{indicators}measures:\n"
        f"  - id: maatregel\n    title: Maatregel\n    description:\n"
        f"      - {q(p['description'])}\n    targets:\n{targets}",
    }


def check_files(files: dict[str, str]):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "proef"
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, "utf-8")
        return load_content(folder)


def error_codes(loaded) -> set[str]:
    return {d.code for d in loaded.report.diagnostics if d.severity is Severity.ERROR}


@_profile(40)
@given(dossiers())
def test_random_valid_dossiers_pass_and_names_survive(p):
    loaded = check_files(render(p))
    assert error_codes(loaded) == set(), [d.format() for d in loaded.report.errors]
    (dossier,) = loaded.dossiers
    assert [party.name for party in dossier.parties] == p["names"]
    assert [party.representative.name for party in dossier.parties] == p["names"]
    assert dossier.measures[0].description == (p["description"],)
    assert dossier.document("addendum").in_force.end == p["second_end"]


# ---------------------------------------------------------------------------------------------
# Single mutations


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


MUTATIONS = [
    "start-after-end",
    "percent-above-100",
    "negative-count",
    "unknown-id",
    "key-renamed",
    "impossible-date",
    "blank-name",
    "non-finite-number",
    "reorder-parties",
]


@st.composite
def mutations(draw, kind: str):
    p = draw(dossiers())
    files = render(p)
    if kind == "start-after-end":
        late = p["second_end"] + dt.timedelta(days=draw(st.integers(1, 400)))
        files["addendum.yaml"] = _replace_once(
            files["addendum.yaml"],
            f"  start: {p['first_end'] + dt.timedelta(days=1)}",
            f"  start: {late}",
        )
        expected = {"period-order"}
    elif kind == "percent-above-100":
        value = draw(st.one_of(st.integers(101, 10**6), st.floats(100.001, 1e9)))
        files["maatregelen.yaml"] = _replace_once(
            files["maatregelen.yaml"], f"        value: {p['targets'][0][2]}\n", "VALUE\n"
        ).replace("VALUE", f"        value: {value}", 1)
        expected = {"target-range"}
    elif kind == "negative-count":
        value = -draw(st.integers(1, 10**6))
        text = files["maatregelen.yaml"]
        head, _, tail = text.partition("      - id: t1\n")
        tail = _replace_once(
            tail, f"        value: {p['targets'][1][2]}\n", f"        value: {value}\n"
        )
        files["maatregelen.yaml"] = head + "      - id: t1\n" + tail
        expected = {"target-range"}
    elif kind == "unknown-id":
        site = draw(st.sampled_from(["group", "indicator", "follows", "amends"]))
        bogus = "onbekend-" + draw(IDENT)
        if site == "group":
            files["partijen.yaml"] = _replace_once(
                files["partijen.yaml"], f"    group: {p['group']}\n", f"    group: {bogus}\n"
            )
        elif site == "indicator":
            files["maatregelen.yaml"] = _replace_once(
                files["maatregelen.yaml"],
                "        indicator: i0\n",
                f"        indicator: {bogus}\n",
            )
        elif site == "follows":
            files["addendum.yaml"] = _replace_once(
                files["addendum.yaml"], "follows: looptijd", f"follows: {bogus}"
            )
        else:
            files["addendum.yaml"] = _replace_once(
                files["addendum.yaml"], "amends: basis", f"amends: {bogus}"
            )
        expected = {"ref-unknown"}
    elif kind == "key-renamed":
        name = draw(st.sampled_from(sorted(files)))
        keys = re.findall(r"(?m)^[ -]*([a-z_]+):", files[name])
        key = draw(st.sampled_from(keys))
        suffix = draw(st.sampled_from(["x", "s2", "_old"]))
        files[name] = re.sub(rf"(?m)^([ -]*){key}:", rf"\g<1>{key}{suffix}:", files[name], count=1)
        expected = {"dossier-kind"} if key == "kind" else {"schema-unknown-key"}
    elif kind == "impossible-date":
        year = p["start"].year
        day = draw(st.sampled_from([f"{year}-02-30", f"{year}-04-31", f"{year}-13-01"]))
        files["convenant.yaml"] = _replace_once(
            files["convenant.yaml"], f"start: {p['start']}", f"start: {day}"
        )
        expected = {"date-invalid"}
    elif kind == "blank-name":
        blank = draw(st.text(st.sampled_from(" \t\u00a0\u2003\n"), min_size=1, max_size=4))
        files["partijen.yaml"] = _replace_once(
            files["partijen.yaml"], f"    name: {q(p['names'][0])}", f"    name: {q(blank)}"
        )
        expected = {"schema"}
    elif kind == "non-finite-number":
        i = draw(st.integers(0, len(p["targets"]) - 1))
        head, sep, tail = files["maatregelen.yaml"].partition(f"      - id: t{i}\n")
        huge = ["1" + "0" * draw(st.integers(16, 500)), "-1e16", "2.5e300"]
        shown = draw(st.sampled_from([".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1e999", *huge]))
        tail = _replace_once(
            tail, f"        value: {p['targets'][i][2]}\n", f"        value: {shown}\n"
        )
        files["maatregelen.yaml"] = head + sep + tail
        expected = {"schema-value"} if shown in huge else {"schema-type"}
    else:  # reorder-parties: provably harmless, the order of the registry is not checked
        text = files["partijen.yaml"]
        head, sep, body = text.partition("parties:\n")
        entries = re.split(r"(?m)^(?=  - id: )", body)
        entries = [e for e in entries if e]
        files["partijen.yaml"] = head + sep + "".join(draw(st.permutations(entries)))
        expected = set()
    return kind, files, expected


@pytest.mark.parametrize("kind", MUTATIONS)
@_profile(12)
@given(data=st.data())
def test_single_mutations_are_caught_or_harmless(kind, data):
    kind, files, expected = data.draw(mutations(kind))
    loaded = check_files(files)
    codes = error_codes(loaded)
    if expected:
        assert expected <= codes, (kind, [d.format() for d in loaded.report.diagnostics])
    else:
        assert codes == set(), (kind, [d.format() for d in loaded.report.errors])
    for diag in loaded.report.diagnostics:
        assert diag.line >= 1 and diag.col >= 1, diag
        assert "\n" not in diag.message


# ---------------------------------------------------------------------------------------------
# The loader never raises


def _load_bytes(raw: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_bytes(raw)
        source, diagnostics = load_file(path)
    if source is None:
        assert diagnostics
    else:
        assert diagnostics == []
    for diag in diagnostics:
        assert diag.severity is Severity.ERROR
        assert diag.line >= 1 and diag.col >= 1
        assert "\n" not in diag.message and diag.message
    return source, diagnostics


TOKENS = st.sampled_from(
    [
        "a", "kind", ": ", ":", "- ", "-", "\n", "  ", "\t", "'", '"', "&x ", "*x", "!!str ",
        "!!python/object ", "!t ", "{", "}", "[", "]", ",", "? ", "#", "---\n", "...\n", "|\n",
        ">\n", "1", "2025-02-31", "null", "~", "%YAML 1.2\n", "\\", "\x00", "\x85", "é", "🎓",
        "\ufeff", "<<: ", "@", "`", "%",
    ]
)  # fmt: skip


@_profile(300)
@given(st.binary(max_size=300))
def test_loader_never_raises_on_bytes(raw):
    _load_bytes(raw)


@_profile(300)
@given(st.text(max_size=200))
def test_loader_never_raises_on_text(text):
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot be written as UTF-8 at all
        raw = text.encode("utf-8", "surrogatepass")
    _load_bytes(raw)


@_profile(400)
@given(st.lists(TOKENS, max_size=40).map("".join))
def test_loader_never_raises_on_yaml_like_soup(text):
    _load_bytes(text.encode("utf-8", "surrogatepass"))


@_profile(60)
@given(st.integers(1, 3 * MAX_DEPTH), st.sampled_from(["[", "{a: ", "- "]))
def test_deep_nesting_is_a_diagnostic(depth, opener):
    if opener == "- ":
        text = "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "x\n"
    else:
        closer = "]" if opener == "[" else "}"
        text = "a: " + opener * depth + closer * depth + "\n"
    source, diagnostics = _load_bytes(text.encode())
    if depth + 1 > MAX_DEPTH:
        assert source is None
        assert diagnostics[0].message.startswith("lists and mappings are nested more than")


def _schema_words() -> list[str]:
    """Every key any schema knows, so random documents hit real rules at every level."""
    words: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            words.update(k for k in node if isinstance(k, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    schemas = load_schemas()
    walk(dict(schemas.schemas))
    walk(dict(schemas.named))
    return sorted(words - {"type", "required", "schema", "meta", "allowed", "check_with"})


KEYS = st.sampled_from(_schema_words()) | st.text(max_size=8) | st.integers()
JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["2025-02-31", "2024-08-01", "proef", "percent", "each", ""]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25,
)


@_profile(300)
@given(st.sampled_from(KINDS), st.dictionaries(KEYS, JSONISH, max_size=8))
def test_schema_validation_never_raises(kind, data):
    data = {"kind": kind, **data}
    for diag in validate(data, kind, Path("x.yaml"), frozenset({"ref-unknown"})):
        assert diag.severity is Severity.ERROR
        assert diag.message and "\n" not in diag.message


@_profile(40)
@given(st.binary(max_size=200) | st.lists(TOKENS, max_size=30).map(lambda t: "".join(t).encode()))
def test_check_never_raises_on_a_broken_file(raw):
    """A broken file among valid ones: check reports it in file:line:col form, exit 0 or 1."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "proef"
        folder.mkdir()
        for src in BASE.iterdir():
            (folder / src.name).write_bytes(src.read_bytes())
        (folder / "maatregelen.yaml").write_bytes(raw)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["check", str(folder)])
    assert code in (0, 1)
    assert "Traceback" not in err.getvalue()
    for line in out.getvalue().splitlines():
        assert LINE_RE.match(line), line


# ---------------------------------------------------------------------------------------------
# Strings survive; ids stay inside the output folder; messages stay on one line


@_profile(200)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_string_survives_the_loader(text):
    source, diagnostics = _load_bytes(f"name: {q(text)}\n".encode())
    assert diagnostics == []
    assert source.data["name"] == text


@_profile(300)
@given(
    st.text(max_size=20)
    | st.from_regex(r"[a-z0-9./\\~-]{1,12}", fullmatch=True)
    | st.tuples(
        st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True),
        st.text(max_size=3) | st.sampled_from(["\n", "\r\n", "/..", "/", "\x00", " "]),
    ).map("".join)
)
def test_accepted_ids_never_leave_the_output_folder(ident):
    problems = validate({"kind": "dossier", "id": ident, "title": "x"}, "dossier", Path("d"), {})
    accepted = not problems
    assert accepted == bool(ID_RE.fullmatch(ident))
    if accepted:
        out = Path("/srv/out")
        target = out / ident / f"{ident}.docx"
        assert target.resolve().parent.parent == out
        assert "/" not in ident and ".." not in ident and ident.strip() == ident


@_profile(200)
@given(st.text(max_size=40))
def test_one_line_never_breaks_a_line(text):
    shown = one_line(text)
    assert shown.splitlines() == ([shown] if shown else [])
    assert not any(unicodedata.category(c) in {"Cc", "Zl", "Zp"} for c in shown)
    if text.isprintable() and "\\" not in text:
        assert shown == text


def test_null_value_points_at_its_key(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("kind: dossier\nid: proef\ntitle:\npillars: []\n")
    source, _ = load_file(path)
    from convenantgen.read.sources import position

    assert position(source.data, ("title",)) == (3, 1)
    assert position(source.data, ("id",)) == (2, 5)


DATE_FIELDS = [
    ("convenant.yaml", "  end: 2024-07-31"),
    ("convenant.yaml", "  start: 2023-08-01"),
    ("addendum.yaml", "  end: 2026-07-31\n  follows"),
    ("maatregelen.yaml", "end: 2025-07-31}"),
    ("toetredingen.yaml", "effective: 2025-08-01"),
    ("partijen.yaml", "joined: 2025-08-01"),
]


@_profile(60)
@given(
    st.sampled_from(DATE_FIELDS),
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
)
def test_any_date_in_any_date_field_is_checked_without_raising(field, year, month, day):
    """Year 0 or 9999, month 13, day 32: reported or accepted, never raised."""
    name, old = field
    files = {p.name: p.read_text("utf-8") for p in BASE.iterdir()}
    key, _, rest = old.partition(": ")
    value = f"{year:04d}-{month:02d}-{day:02d}"
    files[name] = _replace_once(files[name], old, f"{key}: {value}{rest[10:]}")
    loaded = check_files(files)
    valid_date = 1900 <= year <= 2199 and 1 <= month <= 12
    if valid_date:
        try:
            dt.date(year, month, day)
        except ValueError:
            valid_date = False
    if not valid_date:
        assert "date-invalid" in error_codes(loaded)


# ---------------------------------------------------------------------------------------------
# The one Markdown escaper: any text renders as exactly that text, with no element of its own

_MARKDOWN_SOUP = st.lists(
    st.sampled_from(
        list("abc 019-+*_`[](){}<>|#!:=&;/\\\"'.~\n\t^%@")
        + ["javascript:", "onfocus=", "{:", "&amp;", "&#60;", "<script>", "---", "1.", "* "]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        _MARKDOWN_SOUP,
        # Control characters never reach a renderer: the schema refuses them in text.
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    )
)
def test_markdown_escaper_makes_any_text_inert(text):
    import html

    import markdown

    from convenantgen.text.markdown import md

    rendered = markdown.markdown(md(text), extensions=["tables", "attr_list", "md_in_html"])
    words = " ".join(text.split())
    if not words:
        assert rendered == ""
        return
    assert rendered == f"<p>{html.escape(words, quote=False)}</p>", (text, md(text))
