"""Recognise a covenant's structure in its paragraphs and turn it into the dossier's data.

The result is a :class:`Draft`: the data of every YAML file (plain dicts and lists, in the
schema's shape), the source paragraph of each recognised item, the guesses a person should
look at, and the paragraphs that could not be placed. Nothing is dropped: a paragraph the
recognisers do not understand stays, verbatim, in the text of the article it appears in.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from dataclasses import replace as copy_with

from ...model.dossier import Citation
from ...text.formatting import copies_word, quantity
from ...text.wording import Wording
from . import money
from . import patterns as pt
from .sources import ImportSourceError, Paragraph


@dataclass
class Draft:
    """The data of an imported dossier, before it is written."""

    kind: str
    title: str
    agreement: dict
    parties: dict
    base: dict | None = None
    measures: dict | None = None
    # id(obj) -> where in the source (a dict or list item of the data above)
    origin: dict[int, str] = field(default_factory=dict)
    # (obj, key, message): an uncertain guess, reported at its YAML line
    guesses: list[tuple[object, str, str]] = field(default_factory=list)
    unplaced: list[Paragraph] = field(default_factory=list)
    recognised: dict[str, int] = field(default_factory=dict)

    def mark(self, obj, paragraph: Paragraph | None):
        if paragraph is not None:
            self.origin[id(obj)] = paragraph.where
        return obj

    def guess(self, obj, key: str, message: str) -> None:
        self.guesses.append((obj, key, message))

    def count(self, what: str, n: int = 1) -> None:
        self.recognised[what] = self.recognised.get(what, 0) + n


# ---------------------------------------------------------------------------------------------
# small helpers


def slug(text: str, limit: int = 40) -> str:
    """An id from a title: ascii, lower case, hyphens, at most ``limit`` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or "x"


class Ids:
    """Unique ids within one dossier."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, text: str, limit: int = 40) -> str:
        base = slug(text, limit)
        candidate, n = base, 2
        while candidate in self.used:
            candidate = f"{base}-{n}"
            n += 1
        self.used.add(candidate)
        return candidate


def parse_date(text: str) -> dt.date | None:
    m = pt.DATE_LONG_RE.search(text)
    if m:
        month = pt.MONTHS.index(m.group("month")) + 1
        try:
            return dt.date(int(m.group("year")), month, int(m.group("day")))
        except ValueError:
            return None
    m = pt.DATE_NUMERIC_RE.search(text)
    if m:
        try:
            return dt.date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        except ValueError:
            return None
    return None


def _lower(text: str) -> str:
    return text.strip().lower()


def _strip_end(text: str) -> str:
    return text.rstrip(" ;,")


# ---------------------------------------------------------------------------------------------
# the document as regions


def _headings(wording: Wording, key: str, extra: tuple[str, ...]) -> tuple[str, ...]:
    return (_lower(wording.text(f"agreement.{key}")), *extra)


@dataclass
class Regions:
    title: list[Paragraph]
    parties_heading: Paragraph | None
    parties: list[Paragraph]
    considerations_heading: Paragraph | None
    considerations: list[Paragraph]
    agreement_heading: Paragraph | None
    body: list[Paragraph]
    closing: Paragraph | None
    signatures: list[Paragraph]
    # The parts with a numeral of their own ("I" above the parties): part_numerals.
    part_numerals: list[str] = field(default_factory=list)


def split_regions(paragraphs: list[Paragraph], wording: Wording) -> Regions:
    parties_h = _headings(wording, "parties_heading", pt.PARTIES_HEADINGS)
    cons_h = _headings(wording, "considerations_heading", pt.CONSIDERATIONS_HEADINGS)
    agree_h = _headings(wording, "agreement_heading", pt.AGREEMENT_HEADINGS)
    paragraphs = [p for p in paragraphs if not pt.FOOTER_RE.match(p.text)]

    def find(options, start=0, stop=None) -> int | None:
        for i in range(start, len(paragraphs) if stop is None else stop):
            if _lower(paragraphs[i].text) in options:
                return i
        return None

    a = find(agree_h)
    p = find(parties_h, 0, a)
    c = find(cons_h, (p or 0) + 1, a)
    closing = None
    for i in range((a or 0) + 1, len(paragraphs)):
        if pt.CLOSING_RE.match(paragraphs[i].text):
            closing = i
            break
    if a is None and p is None:
        raise ImportSourceError(
            "no covenant found: neither a parties block ('Partijen,', 'De ondergetekenden:') nor "
            "the agreement formula ('Spreken het volgende af:', 'Komen het volgende overeen:')"
        )
    if a is None:
        raise ImportSourceError(
            "no covenant found: the agreement formula ('Spreken het volgende af:', 'Komen het "
            "volgende overeen:') that starts the articles is missing"
        )
    title_end = p if p is not None else (c if c is not None else a)
    parties_end = c if c is not None else a
    end = closing if closing is not None else len(paragraphs)
    # A lone Roman numeral just above a part's heading numbers that part ("I", "II").
    numbered, skip = [], set()
    for index, part in ((p, "parties"), (c, "considerations"), (a, "agreement")):
        if index and pt.ROMAN_RE.match(paragraphs[index - 1].text.strip()):
            numbered.append(part)
            skip.add(index - 1)

    def span(start: int, stop: int) -> list[Paragraph]:
        return [paragraphs[i] for i in range(start, stop) if i not in skip]

    return Regions(
        title=span(0, title_end),
        parties_heading=paragraphs[p] if p is not None else None,
        parties=span(p + 1, parties_end) if p is not None else [],
        considerations_heading=paragraphs[c] if c is not None else None,
        considerations=span(c + 1, a) if c is not None else [],
        agreement_heading=paragraphs[a],
        body=paragraphs[a + 1 : end],
        closing=paragraphs[closing] if closing is not None else None,
        signatures=paragraphs[closing + 1 :] if closing is not None else [],
        part_numerals=numbered,
    )


# ---------------------------------------------------------------------------------------------
# parties


@dataclass
class Formulas:
    """Formulas of the source that differ from the engine's wording."""

    person_first: bool = False
    represented_prefix: str | None = None  # the first one seen: "te dezen ", "rechtsgeldig "
    closing_formula: str = "hierna:"
    # "Partijen" of "Partijen 1 tot en met 3, hierna ..." (a closing over a range), else "".
    closing_range: str = ""
    collective_formula: str = "verder te noemen:"
    member_formula: str = "hierna:"
    collective_range: str = ""
    listed_semicolon: bool = False
    separator: str = "En"
    # party_list.separator: "line" ("En" on a line of its own), "run-in" or "none".
    separator_style: str = "line"
    # Signers written role first and name first (each signer keeps its own order where the
    # source mixes them), and roles written role first without an article.
    role_first: list[dict] = field(default_factory=list)
    name_first: list[dict] = field(default_factory=list)
    bare_role_first: bool = False
    # How often two signers of one party are joined by ", en" and by "en".
    comma_and: int = 0
    plain_and: int = 0


def _person(chunk: str) -> dict | None:
    m = pt.PERSON_RE.match(chunk.strip())
    if not m:
        return None
    person = {"name": m.group("name").strip()}
    if m.group("title"):
        person["title"] = m.group("title")
    return person


def _people(text: str, formulas: Formulas) -> list[dict]:
    """'de voorzitter, mevrouw S. Olivier' / 'de heer J. Jorritsma, voorzitter en ...'."""
    people = []
    pieces = pt.PEOPLE_SPLIT_RE.split(text.strip())
    for joint in pieces[1::2]:
        if joint.lstrip().startswith(","):
            formulas.comma_and += 1
        else:
            formulas.plain_and += 1
    for piece in pieces[::2]:
        chunks = [c.strip() for c in piece.split(",") if c.strip()]
        index = next((i for i, c in enumerate(chunks) if _person(c)), None)
        if index is None:
            continue
        person = _person(chunks[index])
        before, after = chunks[:index], chunks[index + 1 :]
        authority = [c for c in after if c.startswith(pt.AUTHORITY_START) or c.startswith("als ")]
        rest = [c for c in after if c not in authority]
        if index == 0 and rest:
            formulas.person_first = True
            formulas.name_first.append(person)
            person["role"] = ", ".join(rest)
        elif before:
            formulas.role_first.append(person)
            person["role"] = ", ".join(before)
        if authority:
            start = after.index(authority[0])
            person["authority"] = ", ".join(after[start:])
        people.append(person)
    return people


def _kind(name: str, group_kind: str | None) -> tuple[str, bool]:
    """(kind, certain) from the party's name, else its group's heading."""
    for pattern, kind in pt.PARTY_KINDS:
        if pattern.search(name):
            if kind == "stichting" and group_kind:
                return group_kind, True
            return kind, True
    if group_kind:
        return group_kind, True
    return "other", False


@dataclass
class PartyPhrase:
    name: str
    capacity: str | None = None
    people: list[dict] = field(default_factory=list)
    also_for: str | None = None
    designation: str | None = None


def parse_phrase(text: str, formulas: Formulas) -> PartyPhrase:
    """One party as written in the parties block, with its representation."""
    text = text.strip()
    designation = None
    m = pt.DESIGNATION_RE.search(text)
    if m:
        designation = m.group("designation").strip()
        # A party's own designation ("hierna te noemen: EZK"): wording party_designation.
        formulas.member_formula = m.group("formula")
        text = text[: m.start()].rstrip(" ,;")
    text = text.rstrip(" ;,")
    also_for = None
    m = pt.ALSO_FOR_RE.search(text)
    if m:
        also_for = m.group("body").strip()
        text = text[: m.start()]
    people: list[dict] = []
    m = pt.REPRESENTED_RE.search(text)
    if m:
        if formulas.represented_prefix is None:
            formulas.represented_prefix = m.group("prefix")
        people = _people(text[m.end() :], formulas)
        text = text[: m.start()]
    chunks = [c.strip() for c in text.split(", ")]
    capacity = None
    cut = next(
        (i for i, c in enumerate(chunks) if i and c.lower().startswith(pt.CAPACITY_START)), None
    )
    if not people:
        # "De Minister van ..., R. Dijkgraaf[, handelend als ...]": a minister in person.
        found = next((i for i, c in enumerate(chunks) if i and _person(c)), None)
        if found is not None and (cut is None or found < cut):
            people = [_person(chunks[found])]
            rest = chunks[found + 1 :]
            chunks = chunks[:found]
            capacity = ", ".join(rest) or None
            cut = None
    if cut is not None:
        capacity = ", ".join(chunks[cut:])
        chunks = chunks[:cut]
    return PartyPhrase(", ".join(chunks), capacity, people, also_for, designation)


class PartiesParser:
    def __init__(self, draft: Draft, ids: Ids, formulas: Formulas) -> None:
        self.draft, self.ids, self.formulas = draft, ids, formulas
        self.groups: list[dict] = []
        self.parties: list[dict] = []
        self.collective: str | None = None

    def party(self, phrase: PartyPhrase, group: dict, para: Paragraph, group_kind: str | None):
        kind, certain = _kind(phrase.name, group_kind)
        party = {"id": self.ids.make(phrase.name, 30), "name": phrase.name, "kind": kind}
        party["group"] = group["id"]
        if phrase.capacity:
            party["capacity"] = phrase.capacity
        if phrase.also_for:
            party["also_on_behalf_of"] = phrase.also_for
        if phrase.designation:
            party["designation"] = phrase.designation
        people = phrase.people
        if kind == "minister" and people and phrase.capacity is None and not phrase.also_for:
            person = people[0]
            if "role" not in person:
                person["role"] = re.sub(r"^(De|de) ", "", phrase.name)
            party["representative"] = person
            people = []
        if kind == "minister" and people:
            party["mandate"] = {"official": people[0]}
        elif len(people) == 1:
            party["representative"] = people[0]
        elif people:
            party["representatives"] = people
        self.draft.mark(party, para)
        if not certain:
            self.draft.guess(party, "kind", f"kind of '{phrase.name}' guessed as 'other'")
        self.parties.append(party)
        self.draft.count("parties")
        return party

    def block(self, paras: list[Paragraph]) -> None:
        if not paras:
            return
        last = paras[-1]
        ranged = pt.RANGE_RE.match(last.text)
        m = pt.COLLECTIVE_RE.match(ranged.group("rest") if ranged else last.text)
        if m:
            self.collective = m.group("designation")
            self.formulas.collective_formula = m.group("formula")
            if ranged:
                self.formulas.collective_range = ranged.group("word")
            paras = paras[:-1]
        elif ranged and len(paras) > 1 and re.match(r"^\d+\.\s", paras[-2].text):
            # The closing of a numbered group over its range: the rest is its closing.
            self.formulas.closing_range = ranged.group("word")
            paras = [*paras[:-1], copy_with(last, text=ranged.group("rest"))]
        if not paras:
            return
        if len(paras) == 1:
            self.single(paras[0])
        else:
            self.listed(paras)

    def single(self, para: Paragraph) -> None:
        """One paragraph: one party, or several joined by ', en ' (the Ministers)."""
        text = para.text
        designation = None
        m = pt.DESIGNATION_RE.search(text)
        if m:
            designation = m.group("designation").strip()
            if m.group("formula").startswith("hierna"):
                self.formulas.closing_formula = m.group("formula")
            text = text[: m.start()].rstrip(" ,;")
        members = pt.MEMBERS_SPLIT_RE.split(text)
        group = {"id": self.ids.make(designation or members[0], 30)}
        group_capacity = None
        phrases = [parse_phrase(member, self.formulas) for member in members]
        if len(phrases) > 1 and phrases[-1].capacity:
            group_capacity, phrases[-1].capacity = phrases[-1].capacity, None
        if designation:
            group["designation"] = designation
        if group_capacity:
            group["capacity"] = group_capacity
        group["signing"] = "each"
        self.draft.mark(group, para)
        self.groups.append(group)
        kind = next((k for pat, k in pt.GROUP_KINDS if pat.search(designation or "")), None)
        for phrase in phrases:
            self.party(phrase, group, para, kind)

    def listed(self, paras: list[Paragraph]) -> None:
        """A heading, then the members one per paragraph, then 'hierna: ...;'."""
        head, members = paras[0], paras[1:]
        if re.match(r"^\d+\.\s", head.text):
            # A numbered group without a heading: every paragraph is a member.
            head, members = None, paras
        designation = capacity = None
        if members and pt.DESIGNATION_RE.match(members[-1].text):
            m = pt.DESIGNATION_RE.match(members[-1].text)
            designation = m.group("designation").strip()
            if m.group("formula").startswith("hierna"):
                self.formulas.closing_formula = m.group("formula")
            members = members[:-1]
        elif members and members[-1].text.lower().startswith(pt.CAPACITY_START):
            # "handelend als bestuursorgaan ..., hierna: het Rijk;": the group's capacity.
            text = members[-1].text
            m = pt.DESIGNATION_RE.search(text)
            if m:
                designation = m.group("designation").strip()
                if m.group("formula").startswith("hierna"):
                    self.formulas.closing_formula = m.group("formula")
                text = text[: m.start()]
            capacity = _strip_end(text)
            members = members[:-1]
        heading_text = head.text if head is not None else ""
        rep_people: list[dict] = []
        m = pt.REPRESENTED_RE.search(heading_text)
        if m:
            if self.formulas.represented_prefix is None:
                self.formulas.represented_prefix = m.group("prefix")
            rep_people = _people(heading_text[m.end() :].rstrip(" ,;"), self.formulas)
            rep_role_text = heading_text[m.end() :].rstrip(" ,;")
            heading_text = heading_text[: m.start()]
        heading = heading_text.strip()
        if heading.endswith(",") or (heading.endswith(";") and rep_people):
            heading = heading[:-1]
        group = {"id": self.ids.make(designation or heading or "partijen", 30)}
        if heading:
            group["heading"] = heading
        if designation:
            group["designation"] = designation
        if capacity:
            group["capacity"] = capacity
        numbered = all(re.match(r"^\d+\.\s", p.text) for p in members) and members
        if numbered:
            group["numbered"] = True
        self.draft.mark(group, head or paras[0])
        self.groups.append(group)
        kind = next((k for pat, k in pt.GROUP_KINDS if pat.search(heading)), None)
        if rep_people:
            group["signing"] = "representative"
        else:
            group["signing"] = "each"
        if members and all(p.text.endswith(";") for p in members) and not numbered:
            self.formulas.listed_semicolon = True
        made = []
        for para in members:
            text = re.sub(r"^\d+\.\s+", "", para.text) if numbered else para.text
            if rep_people:
                phrase = PartyPhrase(_strip_end(text))
            else:
                phrase = parse_phrase(text, self.formulas)
            made.append(self.party(phrase, group, para, kind))
        if rep_people and made:
            rep = self._representative_party(made, rep_people[0], rep_role_text)
            person = dict(rep_people[0])
            if person.get("role") == rep["name"]:
                del person["role"]
            rep["representative"] = person
            group["representative"] = {"party": rep["id"]}
            if len(made) > 1:
                self.draft.guess(
                    group,
                    "representative",
                    f"'{rep['name']}' taken as the party that signs for the group "
                    f"(from '{rep_role_text}')",
                )

    @staticmethod
    def _representative_party(made: list[dict], person: dict, text: str) -> dict:
        words = set(re.findall(r"\w{3,}", text.lower()))

        def score(party: dict) -> int:
            return len(words & set(re.findall(r"\w{3,}", party["name"].lower())))

        return max(made, key=score)


def parse_parties(paras: list[Paragraph], draft: Draft, ids: Ids, formulas: Formulas, wording):
    separators = (*pt.SEPARATORS, _lower(wording.text("agreement.separator")))
    parser = PartiesParser(draft, ids, formulas)
    blocks: list[list[Paragraph]] = [[]]
    for n, para in enumerate(paras):
        run_in = pt.RUN_IN_RE.match(para.text.strip()) if n else None
        if _lower(para.text) in separators:
            formulas.separator = para.text.strip()
            blocks.append([])
        elif run_in and _lower(run_in.group("separator")) in separators:
            # "En de sectorpartijen:": the separator starts the next block's first line.
            formulas.separator = run_in.group("separator")
            formulas.separator_style = "run-in"
            blocks.append([copy_with(para, text=run_in.group("rest"))])
        else:
            blocks[-1].append(para)
    if len(blocks) == 1 and any(p.text.rstrip().endswith(":") for p in paras[1:]):
        # No separator at all: a heading ("Provincies:") starts each block after the first.
        formulas.separator_style = "none"
        blocks = [[]]
        for n, para in enumerate(paras):
            if n and para.text.rstrip().endswith(":"):
                blocks.append([])
            blocks[-1].append(para)
    for block in blocks:
        parser.block(block)
    _settle_orders(formulas)
    return parser


def _settle_orders(formulas: Formulas) -> None:
    """The agreement's formula writes signers in the order most of them have; the others get
    an order of their own. Roles written role first lose their article to role_article when
    they all have one; otherwise the role-first formula writes the role as it is."""
    formulas.person_first = len(formulas.name_first) > len(formulas.role_first)
    if formulas.person_first:
        for person in formulas.role_first:
            person["order"] = "role-first"
    else:
        for person in formulas.name_first:
            person["order"] = "name-first"
    matches = [pt.ROLE_ARTICLE_RE.match(p["role"]) for p in formulas.role_first]
    if all(matches):
        for person, m in zip(formulas.role_first, matches, strict=True):
            person["role"] = m.group("role")
            if m.group("article") == "het":
                person["role_article"] = "het"
    else:
        formulas.bare_role_first = True


def apply_signatures(paras: list[Paragraph], parser: PartiesParser, formulas: Formulas, w):
    """Signers only named under the signature lines become unlisted representatives."""
    own_only = False
    blocks: list[list[Paragraph]] = [[]]
    separators = (*pt.SEPARATORS, _lower(formulas.separator))
    for para in paras:
        if _lower(para.text) in separators:
            blocks.append([])
        else:
            blocks[-1].append(para)
    for block in blocks:
        if not block:
            continue
        intro = block[0].text
        party = next(
            (
                p
                for p in parser.parties
                if intro.startswith(p["name"]) or intro.lower().startswith(p["name"].lower())
            ),
            None,
        )
        if party is None:
            continue
        if intro.strip() == f"{party['name']},":
            own_only = True
        names = [_person(p.text) for p in block[1:]]
        names = [n for n in names if n]
        if not names:
            continue
        known = party.get("representative") or party.get("mandate", {}).get("official")
        if not known and not party.get("representatives"):
            person = dict(names[0])
            person["listed"] = False
            party["representative"] = person
            parser.draft.guess(
                party,
                "representative",
                f"signer '{person['name']}' of '{party['name']}' taken from the signature lines",
            )
    return own_only


# ---------------------------------------------------------------------------------------------
# considerations


def parse_considerations(paras: list[Paragraph], draft: Draft, ids: Ids) -> list[dict]:
    out = []
    # Where the items are bullets, a paragraph without one continues the item before it (a
    # PDF line that ended with a full stop).
    bullets = any(p.bullet for p in paras)
    for para in paras:
        if out and not para.bullet and (bullets or not pt.CONSIDERATION_START_RE.match(para.text)):
            out[-1]["text"] += "\n\n" + para.text
            continue
        item = {"id": ids.make(f"{pt.CONSIDERATION_ID} " + " ".join(para.text.split()[:4]), 40)}
        item["text"] = para.text
        out.append(draft.mark(item, para))
        draft.count("considerations")
    return out


# ---------------------------------------------------------------------------------------------
# measures and targets

_UNIT_AFTER = (
    (re.compile(r"(?P<value>\d+(?:,\d+)?)%"), "percent"),
    (re.compile(r"(?P<value>\d+(?:,\d+)?) uur\b"), "hours"),
    (re.compile(r"(?P<value>\d+(?:,\d+)?) FTE\b"), "fte"),
    (re.compile(r"\b(?:een |de )?(?P<value>\d+,\d)\b"), "grade"),
    (re.compile(r"\b(?P<value>\d+) (?P<counted>[a-zà-ÿ][\w-]+)"), "count"),
)


def _number_value(text: str) -> float | int:
    value = float(text.replace(".", "").replace(",", "."))
    return int(value) if value.is_integer() else value


def parse_target(
    text: str, measure_letter: str, ids: Ids, draft: Draft
) -> tuple[dict, dict | None]:
    """A target and, when its number is recognised, its indicator; {value} and {period} in
    the text only where the engine writes exactly the words of the source."""
    target: dict = {"id": ids.make(f"{measure_letter} {' '.join(text.split()[:4])}", 40)}
    indicator = None
    body = text
    period = pt.PERIOD_RE.search(body)
    if period:
        start, end = parse_date(period.group("start")), parse_date(period.group("end"))
        if start and end and start <= end:
            target["period"] = {"start": start.isoformat(), "end": end.isoformat()}
            body = body[: period.start()] + "van {period}" + body[period.end() :]
    for pattern, unit in _UNIT_AFTER:
        m = pattern.search(body)
        if not m or re.search(r"\{period\}", m.group(0)):
            continue
        if unit == "count" and re.match(r"\d{4}$", m.group("value")):
            continue  # a year, not a count
        value = _number_value(m.group("value"))
        if value == 0:
            continue  # "0 ..." is no target value (>= 0 says nothing)
        counted = m.groupdict().get("counted") if unit == "count" else None
        shown = quantity(value, unit, counted)
        start = body.find(shown, m.start())
        if start < 0:
            continue
        before = body[:start].lower()
        if any(word in before for word in pt.LESS_WORDS):
            comparator = "<"
        elif unit in ("hours", "fte") and not any(w in before for w in pt.AT_LEAST_WORDS):
            comparator = "="  # an allocation ("krijgen 4 uur"), not a minimum
        else:
            comparator = ">="
        label = _strip_end(re.sub(r"\s+", " ", text))[:80].rstrip(" ,.")
        indicator = {"id": ids.make(f"{measure_letter} {counted or unit} indicator", 40)}
        indicator.update({"label": label, "unit": unit})
        if counted:
            indicator["counted"] = counted
        target["indicator"] = indicator["id"]
        target["comparator"] = comparator
        target["value"] = value
        if pt.PER_SCHOOL_YEAR_RE.search(body):
            target["per_school_year"] = True
        body = body[:start] + "{value}" + body[start + len(shown) :]
        draft.guess(
            target,
            "comparator",
            f"comparator '{comparator}' and value {value} read from '{shown}'; check the indicator",
        )
        break
    target["text"] = body
    return target, indicator


class MeasureBuilder:
    def __init__(self, draft: Draft, ids: Ids) -> None:
        self.draft, self.ids = draft, ids
        self.measures: list[dict] = []
        self.indicators: list[dict] = []
        self.current: dict | None = None
        self.list_key: str | None = None
        self.last_bullet = False
        self.letter = "A"

    def start(self, letter: str, title: str, para: Paragraph) -> dict:
        self.letter = letter
        measure = {"id": self.ids.make(title, 30), "title": title, "description": []}
        self.draft.mark(measure, para)
        self.measures.append(measure)
        self.current, self.list_key = measure, None
        self.draft.count("measures")
        return measure

    def add(self, para: Paragraph) -> None:
        m = self.current
        text = para.text
        if pt.WORKED_RE.match(text):
            self.list_key = "worked"
            m.setdefault("worked", [])
            return
        if pt.STRENGTHEN_RE.match(text):
            self.list_key = "strengthen"
            m.setdefault("strengthen", [])
            return
        if pt.RESULT_RE.match(text):
            self.list_key = "targets"
            m.setdefault("targets", [])
            return
        if not para.bullet and pt.LIST_TITLE_RE.match(text) and len(text) < 100:
            section = {"title": text[:-1] if text.endswith(":") else text, "items": []}
            m.setdefault("sections", []).append(section)
            self.list_key = "sections"
            return
        if self.list_key is None:
            m["description"].append(text)
            return
        if self.list_key == "targets":
            target, indicator = parse_target(text, self.letter.lower(), self.ids, self.draft)
            self.draft.mark(target, para)
            m["targets"].append(target)
            self.draft.count("targets")
            if indicator:
                self.indicators.append(indicator)
            return
        if self.list_key == "sections":
            m["sections"][-1]["items"].append(text)
            return
        items = m[self.list_key]
        if items and self.last_bullet and not para.bullet:
            # A bulleted item that went on without its bullet: the same item (PDF lines).
            items[-1] += " " + text
            return
        items.append(text)
        self.last_bullet = para.bullet

    def finish(self) -> None:
        for m in self.measures:
            if not m["description"]:
                # The schema needs a description; the title is all the source gives.
                m["description"] = [m["title"]]
                self.draft.guess(m, "description", "no description in the source: the title")
            for key in ("worked", "strengthen", "targets"):
                if key in m and not m[key]:
                    del m[key]
            if "sections" in m:
                m["sections"] = [s for s in m["sections"] if s["items"]] or None
                if m["sections"] is None:
                    del m["sections"]


# ---------------------------------------------------------------------------------------------
# the articles


class BodyParser:
    """Sections, clauses, amendment instructions, definitions, articles with parts and
    measures, in the order of the source."""

    def __init__(self, draft: Draft, ids: Ids, kind: str) -> None:
        self.draft, self.ids, self.kind = draft, ids, kind
        self.sections: list[dict] = []
        self.section: dict | None = None
        self.clause: dict | None = None
        self.part: dict | None = None
        self.in_definitions = False
        self.measures = MeasureBuilder(draft, ids)
        self.in_measure = False
        self.base_articles: dict[str, dict] = {}  # number -> article of the amended covenant
        self.numbers: dict[str, str] = {}  # "3.1" -> clause id, "2" -> section id
        self.ids = ids
        self.heading_formula: str | None = None
        self.first_letter: dict[str, str] = {}

    def base_article(self, number: str, title: str | None = None, topic: str | None = None):
        art = self.base_articles.get(number)
        if art is None:
            art = {"id": f"convenant-artikel-{number}", "number": number}
            self.base_articles[number] = art
        if title and "title" not in art:
            art["title"] = title
        if topic:
            art.setdefault("topics", [])
            if topic not in art["topics"]:
                art["topics"].append(topic)
        return art

    def new_section(self, number: str, title: str | None, para: Paragraph) -> None:
        """A new article; ``title`` None: its heading is "Artikel 3" alone."""
        if not self.sections and title:
            # "Artikel 1 Definities" or "Artikel 1. Definities": the source's heading formula.
            m = re.match(r"^Artikel\s+\d+(\.?)\s", para.text)
            self.heading_formula = (
                f"Artikel {{{{ number }}}}{m.group(1)} {{{{ title }}}}" if m else None
            )
        self.section = {"id": self.ids.make(title or f"artikel {number}", 40), "clauses": []}
        if title:
            self.section["title"] = title
        self.draft.mark(self.section, para)
        self.sections.append(self.section)
        self.numbers[number] = self.section["id"]
        self.clause = self.part = None
        self.in_definitions = self.in_measure = False
        self.draft.count("articles")

    def new_clause(self, number: str | None, text: str | None, para: Paragraph) -> dict:
        if self.section is None:
            self.new_section(str(len(self.sections) + 1), pt.PLACEHOLDER_TITLE, para)
            self.draft.guess(self.section, "title", "text before the first article: no title")
        seed = " ".join((text or self.section.get("title") or self.section["id"]).split()[:5])
        clause = {"id": self.ids.make(seed, 40)}
        if text:
            clause["text"] = text
        self.draft.mark(clause, para)
        self.section["clauses"].append(clause)
        if number:
            self.numbers[number] = clause["id"]
        else:
            self.section["numbered"] = False
        self.clause, self.part = clause, None
        self.in_definitions = self.in_measure = False
        self.draft.count("clauses")
        return clause

    def append_text(self, para: Paragraph) -> None:
        if self.clause is None:
            self.new_clause(None, para.text, para)
            return
        if "text" in self.clause:
            self.clause["text"] += "\n\n" + para.text
        else:
            self.clause["text"] = para.text

    def start_article(self, title: str | None, para: Paragraph) -> None:
        shown = title or self.section.get("title") or pt.PLACEHOLDER_TITLE
        self.clause["article"] = {"title": shown, "parts": []}
        if not title:
            self.draft.guess(self.clause["article"], "title", "article without a title")
        self.part = None

    def new_part(self, title: str | None, para: Paragraph) -> dict:
        article = self.clause["article"]
        seed = title or f"{article['title']} {len(article['parts']) + 1}"
        part = {"id": self.ids.make(seed, 40)}
        if title:
            part["title"] = title
        self.draft.mark(part, para)
        article["parts"].append(part)
        self.part = part
        self.in_measure = False
        return part

    def feed(self, para: Paragraph) -> None:
        text = para.text
        m = pt.CLAUSE_RE.match(text)
        section_no = str(len(self.sections) + 1)
        pending = self.clause.get("amend", {}) if self.clause else {}
        a = pt.ARTICLE_RE.match(text)
        if a and pending.get("action") == "replace" and "article" not in self.clause:
            art = next(x for x in self.base_articles.values() if x["id"] == pending["article"])
            if a.group("number") == art["number"]:
                if a.group("title") or self.section.get("title"):
                    art.setdefault("title", a.group("title") or self.section["title"])
                self.start_article(a.group("title"), para)
                return
        if m and self.section is not None and m.group("section") == self._section_number():
            self.clause_start(m.group("section") + "." + m.group("number"), m.group("text"), para)
            return
        m2 = pt.SECTION_RE.match(text)
        in_article = self.clause and "article" in self.clause and pt.ARTICLE_WORD_RE.match(text)
        heading = m2 and m2.group("number") == section_no and not para.bullet and len(text) < 110
        if heading and not in_article:
            self.new_section(section_no, m2.group("title").strip(), para)
            return
        untitled = pt.UNTITLED_SECTION_RE.match(text)
        if untitled and untitled.group("number") == section_no and not (para.bullet or in_article):
            self.new_section(section_no, None, para)
            return
        m3 = pt.ADD_RE.match(text)
        if m3 and self.kind == "addendum":
            clause = self.clause if self.clause and "text" not in self.clause else None
            clause = clause or self.new_clause(None, None, para)
            art = self.base_article(m3.group("number"), topic=None)
            clause["amend"] = {"article": art["id"], "action": "add"}
            clause["definitions"] = []
            self.in_definitions = True
            self.draft.count("amendments")
            return
        m4 = pt.REPLACE_RE.match(text)
        if m4 and self.kind == "addendum":
            clause = self.clause if self.clause and "text" not in self.clause else None
            clause = clause or self.new_clause(None, None, para)
            art = self.base_article(m4.group("number"))
            clause["amend"] = {"article": art["id"], "action": "replace"}
            self.draft.count("amendments")
            return
        if self.in_definitions:
            d = pt.DEFINITION_RE.match(text)
            if d:
                self.definition(d, para)
                return
        if self.clause is not None:
            p = pt.PART_RE.match(text)
            if p and "article" in self.clause:
                self.new_part((p.group("title") or "").strip() or None, para)
                return
            if p and "article" not in self.clause and p.group("number") == self._clause_number():
                self.start_article((p.group("title") or "").strip() or None, para)
                return
            mm = pt.MEASURE_RE.match(text)
            if mm and "article" in self.clause:
                if self.part is None or self.part.get("text"):
                    self.new_part(None, para)
                self.part.setdefault("measures", [])
                measure = self.measures.start(mm.group("letter"), mm.group("title").strip(), para)
                self.part["measures"].append(measure["id"])
                self.in_measure = True
                return
            if self.in_measure:
                self.measures.add(para)
                return
            if "article" in self.clause:
                if self.part is None:
                    self.new_part(None, para)
                if "text" in self.part:
                    self.part["text"] += "\n\n" + text
                else:
                    self.part["text"] = text
                return
        self.append_text(para)

    def definition(self, d, para: Paragraph) -> None:
        clause = self.clause
        if not clause["definitions"]:
            article = clause["amend"]["article"]
            self.first_letter[article] = d.group("letter")
        term = d.group("term").strip()
        item = {"id": self.ids.make(term, 40), "term": term, "text": d.group("text").strip()}
        self.draft.mark(item, para)
        clause["definitions"].append(item)
        self.draft.count("definitions")

    def clause_start(self, number: str, text: str, para: Paragraph) -> None:
        if pt.REPLACE_RE.match(text) or pt.ADD_RE.match(text):
            self.new_clause(number, None, para)
            self.feed(Paragraph(text, para.where, para.bullet))
            return
        self.new_clause(number, text, para)

    def _section_number(self) -> str:
        return str(len(self.sections))

    def _clause_number(self) -> str:
        if self.clause is None:
            return ""
        for number, cid in self.numbers.items():
            if cid == self.clause["id"]:
                return number
        return ""


# ---------------------------------------------------------------------------------------------
# term, dates, accession, publication, signing


def _clauses(sections: list[dict]):
    for section in sections:
        for clause in section["clauses"]:
            yield section, clause


def _topic(section: dict, topic: str) -> None:
    section.setdefault("topics", [])
    if topic not in section["topics"]:
        section["topics"].append(topic)


def _copies(word: str) -> int | None:
    word = word.lower()
    return next((n for n in range(1, 100) if copies_word(n) == word), None)


def recognise_terms(draft: Draft, body: BodyParser, considerations: list[dict]) -> None:
    """The term (convenant), or entry into force and extension (addendum), from the text."""
    agreement = draft.agreement
    for section, clause in _clauses(body.sections):
        text = clause.get("text", "")
        start = pt.TERM_START_RE.search(text)
        end = pt.TERM_END_RE.search(text[start.end() :] if start else text)
        extension = pt.EXTENSION_RE.search(text)
        if extension and draft.kind == "addendum" and "extension" not in agreement:
            day = parse_date(extension.group("date"))
            agreement["extension"] = {"id": "verlenging", "extends": "convenant-looptijd"}
            agreement["extension"]["end"] = day.isoformat()
            draft.mark(agreement["extension"], _para(draft, clause))
            _topic(section, "extension")
            _topic(section, "term")
            cited = pt.COVENANT_ARTICLE_RE.search(text)
            if cited:
                body.base_article(cited.group("number"), topic="term")
            draft.count("dates")
            continue
        if start:
            first = parse_date(start.group("date"))
            last = parse_date(end.group("date")) if end else None
            if draft.kind == "addendum" and "in_force" not in agreement:
                period = {"id": "in-werking", "start": first.isoformat()}
                if last:
                    period["end"] = last.isoformat()
                if pt.FOLLOWS_RE.search(text):
                    period["follows"] = "convenant-looptijd"
                agreement["in_force"] = draft.mark(period, _para(draft, clause))
                _topic(section, "term")
                draft.count("dates")
            elif draft.kind == "convenant" and "term" not in agreement:
                period = {"id": "looptijd", "start": first.isoformat()}
                if last:
                    period["end"] = last.isoformat()
                agreement["term"] = draft.mark(period, _para(draft, clause))
                clause["period"] = "looptijd"
                _topic(section, "term")
                draft.count("dates")
    if draft.base is not None:
        base_term = draft.base["term"]
        for item in considerations:
            m = pt.EXPIRES_RE.search(item["text"])
            if m and "end" not in base_term:
                base_term["end"] = parse_date(m.group("date")).isoformat()
                draft.count("dates")


def _para(draft: Draft, obj) -> Paragraph | None:
    where = draft.origin.get(id(obj))
    return Paragraph("", where) if where else None


def recognise_accession(draft: Draft, body: BodyParser, parser: PartiesParser) -> None:
    for section in body.sections:
        texts = " ".join(c.get("text", "") for c in section["clauses"])
        title = section.get("title", "")
        if not pt.ACCESSION_RE.search(title + " " + texts):
            continue
        if not pt.ACCESSION_RE.search(title) and not pt.MAY_RE.search(texts):
            continue
        _topic(section, "accession")
        clause = section["clauses"][0]
        kinds = sorted(
            {
                k
                for pat, k in pt.GROUP_KINDS
                if pat.search(texts) and k not in ("minister", "gemeente", "provincie")
            }
        )
        kinds = kinds or sorted({p["kind"] for p in parser.parties if p["kind"] != "minister"})
        accession = {"clause": clause["id"], "kinds": kinds}
        if pt.SCHOOL_YEAR_RE.search(texts):
            accession["before_school_year"] = True
        m = pt.SEND_TO_RE.search(texts)
        if m:
            accession["send_to"] = m.group(1)
        draft.agreement["accession"] = draft.mark(accession, _para(draft, section))
        draft.count("accession")
        # The accession needs a penvoerder; a group's representative is the likely one.
        if not any(p.get("penvoerder") for p in parser.parties):
            rep = next(
                (
                    g["representative"]["party"]
                    for g in parser.groups
                    if g.get("representative") and g["representative"]["party"]
                ),
                None,
            )
            party = next((p for p in parser.parties if p["id"] == rep), None)
            party = party or next((p for p in parser.parties if p["kind"] != "minister"), None)
            if party is not None:
                party["penvoerder"] = True
                draft.guess(
                    party,
                    "penvoerder",
                    f"'{party['name']}' guessed as penvoerder: the text does not name who "
                    "handles accession requests",
                )
        return


def recognise_publication(draft: Draft, body: BodyParser) -> None:
    for section, clause in _clauses(body.sections):
        text = clause.get("text", "")
        if not pt.PUBLICATION_RE.search(text):
            continue
        _topic(section, "publication")
        m = pt.WITHIN_DAYS_RE.search(text)
        if m:
            draft.agreement["publication"] = {"within_days": int(m.group(1))}
            draft.mark(draft.agreement["publication"], _para(draft, clause))
            draft.count("publication")


def recognise_definitions(body: BodyParser) -> None:
    for section in body.sections:
        if any(c.get("definitions") for c in section["clauses"]):
            _topic(section, "definitions")
            for c in section["clauses"]:
                if c.get("definitions"):
                    number = next(
                        (
                            a["number"]
                            for a in body.base_articles.values()
                            if a["id"] == c["amend"]["article"]
                        ),
                        None,
                    )
                    if number:
                        art = body.base_article(number, topic="definitions")
                        letter = body.first_letter.get(art["id"])
                        if letter and letter != "a":
                            art["lettered_items"] = ord(letter) - ord("a")
                        if section.get("title"):
                            art.setdefault("title", section["title"])


def recognise_signing(draft: Draft, regions: Regions, wording: Wording) -> None:
    signing: dict = {}
    if regions.closing is not None:
        m = pt.CLOSING_RE.match(regions.closing.text)
        if m.group("place"):
            signing["place"] = m.group("place").strip()
        copies = _copies(m.group("copies")) if m.group("copies") else None
        if copies:
            signing["copies"] = copies
        if m.group("date"):
            day = parse_date(m.group("date"))
            if day:
                signing["date"] = day.isoformat()
        draft.mark(signing, regions.closing)
        draft.count("signing")
    if "place" not in signing:
        signing["place"] = "……"
        draft.guess(signing, "place", "no place of signing in the source")
    draft.agreement["signing"] = signing


# ---------------------------------------------------------------------------------------------
# amounts and duties


def recognise_money(draft: Draft, body: BodyParser, parser: PartiesParser, w: Wording) -> None:
    """Trailing finance lines and obligation sentences of each clause, where they render back
    exactly (see :mod:`.money`)."""
    owners: dict[str, str] = {p["name"]: p["id"] for p in parser.parties}
    for g in parser.groups:
        for label in (g.get("designation"), g.get("heading")):
            if label:
                owners.setdefault(label.rstrip(":,; "), g["id"])
    term = draft.agreement.get("term") or draft.agreement.get("in_force") or {}
    start = dt.date.fromisoformat(term["start"]) if term.get("start") else None
    for section, clause in _clauses(body.sections):
        if "text" not in clause:
            continue
        lines = clause["text"].split("\n\n")
        duties = []
        while lines:
            duty = money.obligation_from(lines[-1], owners, start, w, body.ids)
            if duty is None:
                break
            duties.insert(0, duty)
            lines.pop()
        if duties:
            clause["obligations"] = duties
            _topic(section, "obligations")
            draft.count("obligations", len(duties))
            for duty in duties:
                if duty.get("per"):
                    draft.guess(duty, "deadline", "the year of a recurring deadline is assumed")
        elif len(lines) > 1:
            found = money.finance_from(lines[1:], w)
            if found:
                data, n = found
                lines = lines[: len(lines) - n]
                clause["finance"] = data
                if "tolerance" in data:
                    draft.guess(data, "tolerance", "rounded amounts: the tolerance is assumed")
                _topic(section, "finance")
                draft.count("finance items", len(data["items"]))
        if lines:
            clause["text"] = "\n\n".join(lines)
        else:
            del clause["text"]


# ---------------------------------------------------------------------------------------------
# references: "artikel 3.1" -> {art:ID} where the number is an article of this text


def link_references(body: BodyParser, considerations: list[dict]) -> None:
    base = {a["number"]: a["id"] for a in body.base_articles.values()}

    def replace(text: str, local: dict[str, str]) -> str:
        def sub(m: re.Match) -> str:
            number, tail = m.group("number"), m.group("tail") or ""
            if tail.lower() == " van het convenant" and number in base:
                return f"{{art:{base[number]}}}{tail}"
            if tail:
                return m.group(0)
            if m.group("word") != "artikel":
                return m.group(0)
            target = local.get(number) or body.numbers.get(number)
            return f"{{art:{target}}}" if target and "." in number else m.group(0)

        return pt.ARTICLE_REF_RE.sub(sub, text)

    for item in considerations:
        item["text"] = replace(item["text"], {})
    for _section, clause in _clauses(body.sections):
        if "text" in clause:
            clause["text"] = replace(clause["text"], {})
        article = clause.get("article")
        if article:
            art_no = next(
                (
                    a["number"]
                    for a in body.base_articles.values()
                    if a["id"] == clause.get("amend", {}).get("article")
                ),
                None,
            )
            local = {f"{art_no}.{i}": p["id"] for i, p in enumerate(article["parts"], 1)}
            for part in article["parts"]:
                if "text" in part:
                    part["text"] = replace(part["text"], local)
    return None


# ---------------------------------------------------------------------------------------------
# amendment instructions: what the addendum changes in the covenant, as data


def _base_number(body: BodyParser, article_id: str) -> str:
    return next((a["number"] for a in body.base_articles.values() if a["id"] == article_id), "")


def _member_id(article: dict, ordinal: str) -> str:
    return f"{article['id']}-lid-{pt.ORDINALS.index(ordinal.lower()) + 1}"


_INSTRUCTION_RES = (
    pt.ARTICLE_MEMBER_REPLACE_RE,
    pt.ARTICLE_MEMBER_REMOVE_RE,
    pt.ALTER_RE,
    pt.REMOVE_RE,
    pt.INSERT_RE,
    pt.ADD_MEMBER_TO_RE,
    pt.ADD_RE,
    pt.REPLACE_RE,
)


def _ends_instruction(text: str) -> bool:
    """A paragraph that is no longer part of an instruction: another instruction, or a
    heading of the addendum itself ("3. Toetreding Convenant")."""
    if any(r.match(text) for r in _INSTRUCTION_RES):
        return True
    heading = pt.SECTION_RE.match(text)
    return bool(heading) and not pt.ARTICLE_WORD_RE.match(text)


def recognise_amendments(draft: Draft, body: BodyParser, paras: list[Paragraph]) -> None:
    """The addendum's changes to the covenant as ``amendments:`` (replace, add_to,
    insert_after, remove, extend), from which the text in force is composed. The addendum's
    own text stays as published (its sections); the instructions say the same as data."""
    if draft.kind != "addendum":
        return
    out: list[dict] = []
    ids = body.ids

    def add(item: dict, para: Paragraph | None) -> None:
        out.append(draft.mark(item, para))
        draft.count("instructions")

    # "Aan artikel 1 ... wordt toegevoegd:" and "Artikel 3 ... komt te luiden:", already read as
    # the addendum's own clauses: their definitions and article become the new members.
    for _section, clause in _clauses(body.sections):
        amend = clause.get("amend")
        if not amend:
            continue
        number = _base_number(body, amend["article"])
        para = _para(draft, clause)
        if amend["action"] == "add" and clause.get("definitions"):
            new = {"id": clause["id"], "definitions": copy.deepcopy(clause["definitions"])}
            item = {"id": ids.make(f"toevoeging artikel {number}"), "add_to": amend["article"]}
            add(item | {"clauses": [new]}, para)
        elif amend["action"] == "replace" and clause.get("article"):
            article = copy.deepcopy(clause["article"])
            item = {"id": ids.make(f"wijziging artikel {number}"), "replace": amend["article"]}
            item["title"] = article["title"]
            add(item | {"clauses": [{"id": clause["id"], "article": article}]}, para)
    # Instructions read from the paragraphs themselves.
    i = 0
    while i < len(paras):
        para, text = paras[i], paras[i].text
        i += 1
        if m := pt.REMOVE_RE.match(text):
            art = body.base_article(m.group("number"))
            item = {"id": ids.make(f"vervallen artikel {m.group('number')}"), "remove": art["id"]}
            add(item, para)
        elif m := pt.INSERT_RE.match(text):
            art = body.base_article(m.group("number"))
            title, texts = pt.PLACEHOLDER_TITLE, []
            if i < len(paras) and (h := pt.ARTICLE_RE.match(paras[i].text)):
                title = (h.group("title") or "").strip() or title
                i += 1
            while i < len(paras) and not _ends_instruction(paras[i].text):
                texts.append(paras[i])
                i += 1
            section = {"id": ids.make(title, 40), "title": title, "clauses": []}
            for p in texts:
                member = re.sub(r"^\d+\.\s+", "", p.text)
                clause = {"id": ids.make(" ".join(member.split()[:5]), 40), "text": member}
                section["clauses"].append(draft.mark(clause, p))
            if not section["clauses"]:
                section["clauses"].append({"id": ids.make(f"{title} leeg", 40)})
                draft.guess(section, "title", "an inserted article without text in the source")
            if title == pt.PLACEHOLDER_TITLE:
                draft.guess(section, "title", "the inserted article's title is not in the source")
            item = {"id": ids.make(f"invoeging na artikel {m.group('number')}")}
            add(item | {"insert_after": art["id"], "section": section}, para)
        elif m := pt.ADD_MEMBER_TO_RE.match(text):
            art = body.base_article(m.group("number"))
            member, i = _member_text(m, paras, i)
            clause = {"id": ids.make(" ".join(member.split()[:5]), 40), "text": member}
            item = {"id": ids.make(f"toevoeging lid artikel {m.group('number')}")}
            add(item | {"add_to": art["id"], "clauses": [clause]}, para)
        elif m := pt.ARTICLE_MEMBER_REPLACE_RE.match(text):
            art = body.base_article(m.group("number"))
            member, i = _member_text(m, paras, i)
            target = _member_id(art, m.group("ordinal"))
            item = {"id": ids.make(f"wijziging artikel {m.group('number')} lid"), "replace": target}
            item["text"] = member
            add(item, para)
            draft.guess(item, "replace", _MEMBER_GUESS.format(target=target))
        elif m := pt.ARTICLE_MEMBER_REMOVE_RE.match(text):
            art = body.base_article(m.group("number"))
            target = _member_id(art, m.group("ordinal"))
            item = {"id": ids.make(f"vervallen artikel {m.group('number')} lid"), "remove": target}
            add(item, para)
            draft.guess(item, "remove", _MEMBER_GUESS.format(target=target))
        elif m := pt.ALTER_RE.match(text):
            art = body.base_article(m.group("number"))
            number = m.group("number")
            while i < len(paras):
                item_para, item_text = paras[i], paras[i].text
                if r := pt.MEMBER_REPLACE_RE.match(item_text):
                    member, i = _member_text(r, paras, i + 1)
                    target = _member_id(art, r.group("ordinal"))
                    item = {"id": ids.make(f"wijziging artikel {number} lid"), "replace": target}
                    item["text"] = member
                    add(item, item_para)
                    draft.guess(item, "replace", _MEMBER_GUESS.format(target=target))
                elif r := pt.MEMBER_REMOVE_RE.match(item_text):
                    i += 1
                    target = _member_id(art, r.group("ordinal"))
                    item = {"id": ids.make(f"vervallen artikel {number} lid"), "remove": target}
                    add(item, item_para)
                    draft.guess(item, "remove", _MEMBER_GUESS.format(target=target))
                elif r := pt.MEMBER_ADD_RE.match(item_text):
                    member, i = _member_text(r, paras, i + 1)
                    clause = {"id": ids.make(" ".join(member.split()[:5]), 40), "text": member}
                    item = {"id": ids.make(f"toevoeging lid artikel {number}")}
                    add(item | {"add_to": art["id"], "clauses": [clause]}, item_para)
                else:
                    break
    # "wordt verlengd ... tot en met ...": the covenant's term, extended.
    extension = draft.agreement.get("extension")
    if extension is not None:
        item = {"id": ids.make("verlenging looptijd"), "extend": extension["extends"]}
        add(item | {"end": extension["end"]}, _para(draft, extension))
    if out:
        # In the order of the source: instructions of one day apply as written.
        place = {p.where: k for k, p in enumerate(paras)}
        out.sort(key=lambda item: place.get(draft.origin.get(id(item), ""), len(paras)))
        draft.agreement["amendments"] = out


_MEMBER_GUESS = (
    "member id '{target}' is made from the article and the member's number: give the "
    "covenant's text that id, or name the member's own id"
)


def _member_text(m: re.Match, paras: list[Paragraph], i: int) -> tuple[str, int]:
    """The text after "luidende:" on the same line, or else the next paragraph."""
    text = (m.group("text") or "").strip()
    if text or i >= len(paras):
        return text or pt.PLACEHOLDER_TITLE, i
    return re.sub(r"^\d+\.\s+", "", paras[i].text), i + 1  # without its member number


# ---------------------------------------------------------------------------------------------
# the whole document


def build_draft(
    paragraphs: list[Paragraph], *, kind: str | None, wording: Wording | None = None
) -> tuple[Draft, Regions]:
    """The dossier's data from the source's paragraphs."""
    wording = wording or Wording.default()
    regions = split_regions(paragraphs, wording)
    title = " ".join(p.text for p in regions.title).strip()
    if not title:
        raise ImportSourceError("no covenant found: there is no title before the parties block")
    addendum_match = pt.ADDENDUM_TITLE_RE.match(title)
    kind = kind or ("addendum" if addendum_match else "convenant")
    ids = Ids()
    ids.used.update(
        {"convenant", "addendum", "convenant-looptijd", "verlenging", "in-werking", "looptijd"}
    )
    agreement: dict = {"kind": kind}
    draft = Draft(kind=kind, title=title, agreement=agreement, parties={})
    draft.mark(agreement, regions.title[0])
    formulas = Formulas()
    parser = parse_parties(regions.parties, draft, ids, formulas, wording)
    if not parser.parties:
        raise ImportSourceError(
            "no covenant found: no parties could be read from the parties block"
        )
    own_signatures = apply_signatures(regions.signatures, parser, formulas, wording)
    considerations = parse_considerations(regions.considerations, draft, ids)
    body = BodyParser(draft, ids, kind)
    for para in regions.body:
        body.feed(para)
    body.measures.finish()
    for section in body.sections:
        if not section["clauses"]:
            # A heading with nothing under it: an empty clause keeps the numbering.
            clause = {"id": ids.make(f"{section.get('title') or section['id']} leeg", 40)}
            section["clauses"].append(clause)
            draft.guess(section, "title", "an article without text in the source")
    if not body.sections:
        raise ImportSourceError("no covenant found: no articles after the agreement formula")

    if kind == "addendum":
        covenant = addendum_match.group("covenant") if addendum_match else title
        citation = pt.CITATION_RE.search(covenant)
        base_title = covenant[: citation.start()].strip() if citation else covenant
        base: dict = {"kind": "convenant", "id": "convenant", "title": base_title}
        if citation:
            base["citation"] = {
                "year": int(citation.group("year")),
                "number": citation.group("number"),
            }
        base["term"] = {"id": "convenant-looptijd", "start_unknown": True}
        draft.base = draft.mark(base, regions.title[0])
        agreement["id"] = "addendum"
        agreement["amends"] = "convenant"
        cited = f"{base_title} ({Citation(**base['citation'])})" if citation else base_title
        generated = wording.text("agreement.addendum_title", covenant=cited)
        if generated != title:
            agreement["title"] = title
    else:
        agreement["id"] = "convenant"
        agreement["title"] = title
        citation = pt.CITATION_RE.search(title)
        if citation:
            agreement["citation"] = {
                "year": int(citation.group("year")),
                "number": citation.group("number"),
            }
    agreement["parties"] = [g["id"] for g in parser.groups]
    party_list = {}
    if parser.collective:
        party_list["designation"] = parser.collective
    if formulas.separator_style != "line":
        party_list["separator"] = formulas.separator_style
    if party_list:
        agreement["party_list"] = party_list
    if regions.part_numerals:
        agreement["part_numerals"] = regions.part_numerals

    recognise_terms(draft, body, considerations)
    recognise_accession(draft, body, parser)
    recognise_publication(draft, body)
    recognise_definitions(body)
    for section in body.sections:
        for pattern, topic in pt.TOPIC_TITLES:
            if pattern.search(section.get("title", "")):
                _topic(section, topic)
    link_references(body, considerations)
    recognise_money(draft, body, parser, wording)
    recognise_signing(draft, regions, wording)
    recognise_amendments(draft, body, regions.body)

    formulas_out = _formulas(regions, formulas, wording, own_signatures)
    closing = _closing_formula(regions, wording)
    if closing:
        formulas_out["closing"] = closing
    if body.heading_formula:
        formulas_out["section_heading"] = body.heading_formula
    if formulas_out:
        agreement["formulas"] = formulas_out
    if considerations:
        agreement["considerations"] = considerations
    agreement["sections"] = body.sections
    _fill_terms(draft, body)
    # Key order as in the bundled dossiers.
    order = [
        "kind",
        "id",
        "amends",
        "title",
        "citation",
        "term",
        "parties",
        "party_list",
        "part_numerals",
        "formulas",
        "considerations",
        "sections",
        "in_force",
        "extension",
        "accession",
        "publication",
        "amendments",
        "signing",
    ]
    draft.agreement = {k: agreement[k] for k in order if k in agreement}
    draft.origin[id(draft.agreement)] = draft.origin.get(id(agreement), "")
    if draft.base is not None:
        arts = [a for a in sorted(body.base_articles.values(), key=lambda a: _num(a["number"]))]
        for art in arts:
            if "title" not in art:
                art["title"] = (
                    pt.TERM_TITLE if "term" in art.get("topics", []) else pt.PLACEHOLDER_TITLE
                )
                draft.guess(
                    art,
                    "title",
                    f"title of article {art['number']} of the covenant is not in the source",
                )
        if arts:
            draft.base["articles"] = [
                {k: a[k] for k in ("id", "number", "title", "lettered_items", "topics") if k in a}
                for a in arts
            ]
            for a, b in zip(arts, draft.base["articles"], strict=True):
                draft.mark(b, _para(draft, a))
    draft.parties = {"kind": "parties", "groups": parser.groups, "parties": parser.parties}
    if body.measures.measures:
        measures: dict = {"kind": "measures"}
        if body.measures.indicators:
            measures["indicators"] = body.measures.indicators
        measures["measures"] = body.measures.measures
        draft.measures = measures
    return draft, regions


def _num(number: str) -> tuple[int, str]:
    m = re.match(r"(\d+)(.*)", number)
    return (int(m.group(1)), m.group(2)) if m else (0, number)


def _fill_terms(draft: Draft, body: BodyParser) -> None:
    """Periods the schema needs but the text does not give: guesses, reported."""
    agreement = draft.agreement
    if draft.kind == "convenant":
        term = agreement.setdefault("term", {"id": "looptijd"})
        if "end" not in term:
            signed = agreement.get("signing", {}).get("date")
            start = dt.date.fromisoformat(term.get("start") or signed or "2000-01-01")
            term.setdefault("start", start.isoformat())
            term["end"] = (start.replace(year=start.year + 1) - dt.timedelta(days=1)).isoformat()
            draft.guess(term, "end", "the end of the term is not in the source: one year assumed")
        return
    base_term = draft.base["term"]
    in_force = agreement.get("in_force")
    extension = agreement.get("extension")
    if in_force is None:
        start = base_term.get("end")
        in_force = {"id": "in-werking"}
        in_force["start"] = (
            (dt.date.fromisoformat(start) + dt.timedelta(days=1)).isoformat() if start else None
        )
        agreement["in_force"] = in_force
        draft.guess(in_force, "start", "entry into force not found in the source")
        if in_force["start"] is None:
            del in_force["start"]
    if "end" not in in_force:
        in_force["end"] = extension["end"] if extension else base_term.get("end", "2099-12-31")
        draft.guess(in_force, "end", "end of the addendum's term not stated: assumed")
    if "end" not in base_term:
        start = in_force.get("start")
        base_term["end"] = (
            (dt.date.fromisoformat(start) - dt.timedelta(days=1)).isoformat()
            if start
            else in_force["end"]
        )
        draft.guess(base_term, "end", "end of the covenant's term not in the source: assumed")


def _closing_formula(regions: Regions, w: Wording) -> str | None:
    """The source's closing sentence as a formula, when it is not the engine's."""
    if regions.closing is None:
        return None
    text = regions.closing.text.strip()
    m = pt.CLOSING_RE.match(text)
    values = {k: m.group(k) or "" for k in ("copies", "place", "date")}
    if w.text("agreement.closing", **values) == text:
        return None
    formula = text
    for key in ("copies", "place", "date"):
        if values[key]:
            formula = formula.replace(values[key], "{{ " + key + " }}", 1)
    return formula


def _formulas(regions: Regions, formulas: Formulas, w: Wording, own_signatures: bool) -> dict:
    out: dict[str, str] = {}
    for key, para in (
        ("parties_heading", regions.parties_heading),
        ("considerations_heading", regions.considerations_heading),
        ("agreement_heading", regions.agreement_heading),
    ):
        if para is not None and para.text.strip() != w.text(f"agreement.{key}"):
            out[key] = para.text.strip()
    if formulas.separator != w.text("agreement.separator"):
        out["separator"] = formulas.separator
    ranged = (
        f"{{% if first %}}{formulas.closing_range} {{{{ first }}}} tot en met {{{{ last }}}}, "
        "{% endif %}"
        if formulas.closing_range
        else ""
    )
    if formulas.closing_formula not in ("hierna:",) or ranged:
        out["party_closing"] = (
            f"{ranged}{{% if capacity %}}{{{{ capacity }}}}, {{% endif %}}"
            f"{formulas.closing_formula} {{{{ designation }}}};"
        )
    if formulas.member_formula != "hierna:":
        out["party_designation"] = f"{formulas.member_formula} {{{{ designation }}}}"
    if formulas.collective_range or formulas.collective_formula != "verder te noemen:":
        ranged = (
            f"{{% if first %}}{formulas.collective_range} {{{{ first }}}} tot en met "
            "{{ last }}, {% endif %}"
            if formulas.collective_range
            else ""
        )
        out["collective_closing"] = f"{ranged}{formulas.collective_formula} {{{{ designation }}}};"
    bare = (
        "{% if role %}{{ role }}, {% endif %}{{ person }}{% if authority %}, {{ authority }}"
        "{% endif %}"
    )
    if formulas.person_first:
        out["representative"] = (
            "{{ person }}{% if role %}, {{ role }}{% endif %}"
            "{% if authority %}, {{ authority }}{% endif %}"
        )
        if formulas.bare_role_first:
            out["representative_role_first"] = bare
    elif formulas.bare_role_first:
        out["representative"] = bare
    if formulas.comma_and > formulas.plain_and:
        out["and_signers"] = "{{ first }}, en {{ last }}"
    if formulas.represented_prefix not in (None, "te dezen "):
        out["represented"] = (
            f"{formulas.represented_prefix}vertegenwoordigd door {{{{ people }}}}"
            "{% if also_for %}, tevens handelend namens {{ also_for }}{% endif %}"
        )
    if formulas.listed_semicolon:
        out["listed_member"] = "{{ member }};"
    if own_signatures:
        out["party_signature"] = "{{ party }},"
    return out
