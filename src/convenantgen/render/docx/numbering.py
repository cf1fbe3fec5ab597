"""Word list numbering, bookmarks and cross-reference fields for an agreement's articles.

The context generates every number ("2.", "2.1.", "Artikel 3.1", "Maatregel A:") and the
templates place it as text. This module turns that text, in a rendered document, into what Word
itself would make of a numbered text, without changing what it reads:

- each section heading, numbered clause, definition, amended article, article member (part)
  and measure gets a bookmark named after its id (:func:`bookmark_name`), around its paragraph;
- its typed number is taken off the paragraph and given to Word list numbering instead: one
  multi-level list for the sections and their clauses ("%1." / "%1.%2."), one for the articles
  and their members ("Artikel %1" / "Artikel %1.%2"), one for the measures ("Maatregel %1:"),
  one for the definitions ("%1." in small letters), each level's text taken from the typed
  number itself (so the wording stays in ``wording.yml``; components above the list's top level
  stay literal: "Artikel 1.%1"). Where the generated number is not the one the list would
  continue with (an addendum's article 3, its member 3.3 after the covenant's 3.2, its
  definition g. after the covenant's a-f, measures lettered on from the covenant's), the list
  starts again there (a new ``w:num`` with ``w:startOverride``), so Word shows the generated
  number; a number Word cannot show (a letter past Z, "3a") stays typed text;
- each reference in a text to a numbered article or measure of the same document ("artikel
  3.1") becomes a ``REF`` field to that bookmark (``\\r``: its paragraph number, ``\\h``: a
  link), its cached result the generated text, so the text reads the same before Word updates
  any field: the whole reference when it reads as the number with its words (``\\* Lower`` for
  "artikel 3.1" to "Artikel 3.1"), else the number alone (``\\t``: without the level's words).
  For the PDF, :func:`freeze_references` turns the fields back into their text.

The generated number stays the truth; the list is made to agree with it, and
:func:`shown_numbers` computes what Word shows, from ``numbering.xml`` and the paragraphs,
for the tests to compare. Everything is numbered in document order from the context, so the
same input gives the same XML.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from docx.opc.oxml import serialize_part_xml
from lxml import etree

from ...context.agreement import AgreementContext
from ...model.references import ReferenceSpan
from .template import PartHook

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERING = "word/numbering.xml"
BOOKMARK_PREFIX = "cv_"
_MAX_BOOKMARK = 40  # Word's limit on a bookmark name
# What a list level's number looks like in the typed text, per number format.
_FORMATS = {"decimal": r"\d+", "upperLetter": r"[A-Z]", "lowerLetter": r"[a-z]"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def bookmark_name(ident: str) -> str:
    """A Word-valid bookmark name for an id: letters, digits and ``_``, starting with a letter,
    at most 40 characters (a long id keeps its start and a short hash of the whole)."""
    name = BOOKMARK_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", ident)
    if len(name) > _MAX_BOOKMARK:
        tail = hashlib.sha1(ident.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
        name = f"{name[: _MAX_BOOKMARK - 9]}_{tail}"
    return name


@dataclass(frozen=True)
class Item:
    """A paragraph of the plan: what it says, and its place in a list."""

    id: str
    family: str  # "sections", "articles", "measures" or "definitions": one list each
    level: int  # 0 or 1 (a clause in its section, a member in its article)
    number: str  # the generated number: "2", "2.1", "3.1", "A"
    text: str  # the paragraph's text as the template writes it
    own: str  # this level's part of the number: "1" of "3.1"
    parent: int | None = None  # index in the plan of the item one level up
    clause: bool = False  # a clause's first paragraph: "2.1.<tab>text"


def plan(a: AgreementContext) -> list[Item]:
    """The numbered paragraphs of an agreement, in document order."""
    items: list[Item] = []
    anchors = {anchor.clause: anchor for anchor in a.articles}
    for section in a.sections:
        top = len(items)
        items.append(
            Item(section.id, "sections", 0, section.number, section.heading, section.number)
        )
        for clause in section.clauses:
            if clause.label and clause.paragraphs:
                text = f"{clause.label}\t{clause.paragraphs[0]}"
                own = clause.number.rpartition(".")[2]
                items.append(
                    Item(clause.id, "sections", 1, clause.number, text, own, top, clause=True)
                )
            # Definitions: lettered on from the amended article's (g. after a-f).
            items += [
                Item(d.id, "definitions", 0, d.letter, f"{d.label}\t{d.term}: {d.text}", d.letter)
                for d in clause.definitions
            ]
            article, anchor = clause.article, anchors.get(clause.id)
            if article is None or anchor is None:
                continue
            art = len(items)
            own = anchor.number.rpartition(".")[2]
            items.append(Item(anchor.id, "articles", 0, anchor.number, article.heading, own))
            for part in article.parts:
                own = part.number.rpartition(".")[2]
                items.append(Item(part.id, "articles", 1, part.number, part.heading, own, art))
                # A list of their own: lettered on over the members (LibreOffice restarts a
                # lower level after a higher one whatever lvlRestart says).
                items += [
                    Item(m.id, "measures", 0, m.letter, m.heading, m.letter) for m in part.measures
                ]
    return items


# ---------------------------------------------------------------------------------------------
# The rendered body


def paragraph_text(p: etree._Element) -> str:
    """The text of a paragraph as the template wrote it: its runs' text, tabs as ``\\t`` and
    line breaks as ``\\n`` (field instructions left out)."""
    out = []
    for node in p.iter(w("t"), w("tab"), w("br"), w("cr")):
        if node.tag == w("t"):
            out.append(node.text or "")
        elif node.getparent().tag == w("r"):  # not a tab stop of the paragraph's properties
            out.append(_CHARS[node.tag])
    return "".join(out)


# The run elements that stand for one character of text.
_CHARS = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n"}


@dataclass
class _Level:
    """What a level of a list shows: its text before and after the number, its format."""

    before: str
    after: str
    fmt: str
    suffix: str | None  # "space" or "tab"; None: nothing follows (a heading without title)


@dataclass
class _Match:
    item: Item
    paragraph: etree._Element
    level: _Level | None = None
    label_length: int = 0  # characters of typed number (and separator) to take off
    value: int | None = None
    num: int | None = None  # the w:num it is numbered in, None: stays typed


def _label(item: Item, text: str) -> tuple[_Level, int] | None:
    """The typed number at the start of ``text``: the level it makes, and its length with the
    separator after it."""
    number = re.escape(item.number)
    found = re.match(
        rf"^(?P<before>\D*?)(?<![\w.]){number}(?!\w)(?!\.\d)(?P<after>[^\w\s]*)(?P<sep>\s?)",
        text,
    )
    if found is None:
        return None
    sep = found.group("sep")
    if sep and sep not in " \t":
        return None
    fmt = "decimal"
    if item.family == "measures":
        fmt = "upperLetter"
    elif item.family == "definitions":
        fmt = "lowerLetter"
    if not re.fullmatch(_FORMATS[fmt], item.own):
        return None
    suffix = {" ": "space", "\t": "tab", "": None}[sep]
    level = _Level(found.group("before"), found.group("after"), fmt, suffix)
    return level, found.end()


def _value(fmt: str, own: str) -> int:
    if fmt == "decimal":
        return int(own)
    return ord(own) - ord("A" if fmt == "upperLetter" else "a") + 1


def _prefix(item: Item, level: _Level, parents: list[_Match]) -> str | None:
    """The lvlText of ``level``: the typed number with each number of the chain (from the
    top) as ``%1``, ``%2``; None when the number does not split so."""
    parts = item.number.split(".")
    if len(parts) < item.level + 1:
        return None
    # Components above the list's top level ("1." of an article 1.2 in section 1) stay
    # literal: Word cannot show another list's number.
    lead, counted = parts[: -(item.level + 1)], parts[-(item.level + 1) :]
    for depth, part in enumerate(counted[:-1]):
        if depth >= len(parents) or parents[depth].item.own != part:
            return None
    if parents and parents[0].item.number.split(".")[:-1] != lead:
        return None
    numbers = ".".join([*lead, *(f"%{n + 1}" for n in range(len(counted)))])
    return f"{_escape(level.before)}{numbers}{_escape(level.after)}"


def _escape(text: str) -> str:
    return text.replace("%", "%%")


class Numbering:
    """The lists of one document, built while its paragraphs are matched."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.abstract_next = 1 + max(
            (int(a.get(w("abstractNumId"))) for a in root.iter(w("abstractNum"))), default=-1
        )
        self.num_next = 1 + max((int(n.get(w("numId"))) for n in root.iter(w("num"))), default=0)
        self.added: list[tuple[etree._Element, etree._Element]] = []
        self.pending: list[tuple[int, int, list, list[int]]] = []

    def new(self, levels: list[tuple[str, _Level] | None], starts: list[int]) -> int:
        """A list of its own (abstractNum and num) whose levels start at ``starts``; its XML
        is made by :meth:`save`, when the levels are complete."""
        num_id = self.num_next
        self.num_next += 1
        self.pending.append((self.abstract_next, num_id, levels, starts))
        self.abstract_next += 1
        return num_id

    def _xml(
        self, abstract_id: int, num_id: int, levels: list[tuple[str, _Level] | None], starts
    ) -> None:
        abstract = etree.Element(w("abstractNum"))
        abstract.set(w("abstractNumId"), str(abstract_id))
        nsid = hashlib.sha1(f"cv{abstract_id}".encode(), usedforsecurity=False).hexdigest()
        etree.SubElement(abstract, w("nsid")).set(w("val"), nsid[:8].upper())
        etree.SubElement(abstract, w("multiLevelType")).set(w("val"), "multilevel")
        for ilvl in range(9):
            spec = levels[ilvl] if ilvl < len(levels) else None
            abstract.append(_level_xml(ilvl, spec, starts[ilvl] if ilvl < len(starts) else 1))
        num = etree.Element(w("num"))
        num.set(w("numId"), str(num_id))
        etree.SubElement(num, w("abstractNumId")).set(w("val"), str(abstract_id))
        for ilvl, start in enumerate(starts):
            if levels[ilvl] is None if ilvl < len(levels) else True:
                continue
            override = etree.SubElement(num, w("lvlOverride"))
            override.set(w("ilvl"), str(ilvl))
            etree.SubElement(override, w("startOverride")).set(w("val"), str(start))
        self.added.append((abstract, num))

    def save(self) -> None:
        for pending in self.pending:
            self._xml(*pending)
        first_num = self.root.find(w("num"))
        for abstract, _ in self.added:
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self.root.append(abstract)
        for _, num in self.added:
            self.root.append(num)


# Indents of a level: none for headings; a clause hangs its text at 1.25 cm, as the
# Artikellid style does.
_HANGING = 709


def _level_xml(ilvl: int, spec: tuple[str, _Level] | None, start: int) -> etree._Element:
    lvl = etree.Element(w("lvl"))
    lvl.set(w("ilvl"), str(ilvl))
    etree.SubElement(lvl, w("start")).set(w("val"), str(start))
    fmt = spec[1].fmt if spec else "decimal"
    etree.SubElement(lvl, w("numFmt")).set(w("val"), fmt if spec else "none")
    if spec is not None:
        text, level = spec
        etree.SubElement(lvl, w("suff")).set(w("val"), level.suffix or "nothing")
        etree.SubElement(lvl, w("lvlText")).set(w("val"), text)
    else:
        etree.SubElement(lvl, w("lvlText")).set(w("val"), "")
    etree.SubElement(lvl, w("lvlJc")).set(w("val"), "left")
    ppr = etree.SubElement(lvl, w("pPr"))
    hanging = spec is not None and spec[1].suffix == "tab"
    if hanging:
        tabs = etree.SubElement(ppr, w("tabs"))
        tab = etree.SubElement(tabs, w("tab"))
        tab.set(w("val"), "num")
        tab.set(w("pos"), str(_HANGING))
    ind = etree.SubElement(ppr, w("ind"))
    ind.set(w("left"), str(_HANGING if hanging else 0))
    ind.set(w("hanging"), str(_HANGING if hanging else 0))
    return lvl


@dataclass
class _Family:
    levels: list[tuple[str, _Level] | None] = field(default_factory=lambda: [None, None, None])
    num: int | None = None
    counters: list[int | None] = field(default_factory=lambda: [None, None, None])
    starts: list[int] = field(default_factory=lambda: [1, 1, 1])


def number_agreement(
    body: etree._Element, numbering: etree._Element, a: AgreementContext
) -> list[_Match]:
    """Bookmark, number and cross-reference an agreement's rendered body (see the module's
    docstring); ``numbering`` is the document's ``numbering.xml``, changed in place. Returns
    the matched paragraphs (for tests: which stayed typed)."""
    items = plan(a)
    matches = _match(body, items)
    by_index = {id(m.item): m for m in matches}
    parents = {
        id(m.item): _chain(m.item, items, by_index) for m in matches
    }  # the matched items above each one
    for m in matches:
        found = _label(m.item, paragraph_text(m.paragraph))
        if found is not None:
            m.level, m.label_length = found
            m.value = _value(m.level.fmt, m.item.own)
    lists = Numbering(numbering)
    families: dict[str, _Family] = {}
    for i, m in enumerate(matches):
        family = families.setdefault(m.item.family, _Family())
        _place(m, matches[i + 1 :], family, parents[id(m.item)], lists)
    lists.save()
    used: set[str] = set()
    labels: dict[str, str] = {}  # bookmark name -> the number Word shows there
    for m in matches:
        name = bookmark_name(m.item.id)
        if name in used:
            continue
        used.add(name)
        if m.num is not None and m.level is not None:
            _take_off(m.paragraph, m.label_length)
            _set_numbering(m.paragraph, m.num, m.item.level)
            labels[name] = f"{m.level.before}{m.item.number}{m.level.after}"
        _bookmark(m.paragraph, name)
    headings = {id(m.paragraph) for m in matches if not m.item.clause}
    _cross_references(body, a, labels, headings)
    return matches


def _match(body: etree._Element, items: list[Item]) -> list[_Match]:
    """The paragraph of each item, in order (an item a changed template left out is
    skipped)."""
    out: list[_Match] = []
    at = 0
    for p in body.iter(w("p")):
        if at >= len(items):
            break
        text = paragraph_text(p)
        for j in range(at, len(items)):
            item = items[j]
            if text == item.text or (item.clause and text.startswith(item.text)):
                out.append(_Match(item, p))
                at = j + 1
                break
    return out


def _chain(item: Item, items: list[Item], matched: dict[int, _Match]) -> list[_Match | None]:
    chain: list[_Match | None] = []
    parent = item.parent
    while parent is not None:
        chain.insert(0, matched.get(id(items[parent])))
        parent = items[parent].parent
    return chain


def _place(
    m: _Match, rest: list[_Match], family: _Family, parents: list[_Match | None], lists: Numbering
) -> None:
    """Number ``m`` in its family's list when Word would show its number there; start a new
    list at a top-level item when the current one would not."""
    level = m.item.level
    if m.level is None or m.value is None:
        return
    if any(p is None or p.num is None or p.num != family.num for p in parents):
        return  # a number shown under an unnumbered parent cannot come from the list
    spec = _spec(m, [p for p in parents if p is not None])
    if spec is None:
        return
    if level == 0:
        spec = (spec[0], replace(spec[1]))
        wanted = _wanted(m, spec, rest)
        children = _first_children(m, rest)
        if not _continues(family, m.value, children, wanted):
            family.levels = list(wanted)
            starts = [m.value, children[1] or 1, children[2] or 1]
            family.num = lists.new(family.levels, starts)
            family.starts = starts
            family.counters = [m.value, None, None]
        else:
            family.counters[0] = m.value
            family.counters[1] = None  # members restart after an article
        m.num = family.num
        return
    if family.num is None or _next(family, level) != m.value:
        return
    if not _fits(spec, family.levels[level]):
        return
    family.counters[level] = m.value
    m.num = family.num


def _fits(want: tuple[str, _Level] | None, have: tuple[str, _Level] | None) -> bool:
    """Whether an item of level text ``want`` can be numbered at a level ``have``; a level
    without suffix so far takes the item's (an untitled heading shows none either way)."""
    if want is None or have is None or want[0] != have[0] or want[1].fmt != have[1].fmt:
        return False
    if want[1].suffix is not None and have[1].suffix is None:
        have[1].suffix = want[1].suffix
    return want[1].suffix in (None, have[1].suffix)


def _spec(m: _Match, parents: list[_Match]) -> tuple[str, _Level] | None:
    text = _prefix(m.item, m.level, parents) if m.level is not None else None
    return (text, m.level) if text is not None else None


def _next(family: _Family, level: int) -> int:
    counter = family.counters[level]
    return family.starts[level] if counter is None else counter + 1


def _below(m: _Match, rest: list[_Match]) -> list[_Match]:
    """The items of ``m``'s family below it, up to the next top-level one."""
    out = []
    for other in rest:
        if other.item.family != m.item.family:
            continue
        if other.item.level == 0:
            break
        out.append(other)
    return out


def _first_children(m: _Match, rest: list[_Match]) -> list[int | None]:
    """The values of the first item at each lower level below ``m``."""
    out: list[int | None] = [m.value, None, None]
    for other in _below(m, rest):
        if out[other.item.level] is None and other.value is not None:
            out[other.item.level] = other.value
    return out


def _wanted(
    m: _Match, spec: tuple[str, _Level], rest: list[_Match]
) -> list[tuple[str, _Level] | None]:
    """The level texts the items from ``m`` to the next top-level item need: its own and
    those of the first items below it."""
    out: list[tuple[str, _Level] | None] = [spec, None, None]
    for other in _below(m, rest):
        level = other.item.level
        if out[level] is None and other.level is not None:
            found = _spec(other, [m] if level == 1 else [])
            if found is not None:  # a copy: the list's level may take a suffix later
                out[level] = (found[0], replace(found[1]))
    return out


def _continues(family: _Family, value: int, children: list[int | None], wanted: list) -> bool:
    """Whether the current list shows ``value`` for the next top-level item, the first numbers
    below it as generated, and with the same level texts."""
    if family.num is None or _next(family, 0) != value:
        return False
    pairs = list(zip(wanted, family.levels, strict=True))
    if any(want is not None and have is not None and not _fits(want, have) for want, have in pairs):
        return False
    if children[1] is not None and children[1] != family.starts[1]:
        return False
    if children[2] is not None and children[2] != _next(family, 2):
        return False
    # A level the list has not used yet takes the text these items need (its XML is written
    # when the document is done).
    for level, (want, have) in enumerate(pairs):
        if have is None and want is not None:
            family.levels[level] = want
    return True


# -- editing paragraphs -------------------------------------------------------------------------


def _runs(p: etree._Element) -> list[etree._Element]:
    return [r for r in p.iter(w("r"))]


def _take_off(p: etree._Element, count: int) -> None:
    """Remove the first ``count`` characters (a tab counts one) of the paragraph's text, and
    the runs left empty by it."""
    for run in _runs(p):
        if count <= 0:
            return
        for node in list(run):
            if count <= 0:
                break
            if node.tag in _CHARS:
                run.remove(node)
                count -= 1
            elif node.tag == w("t"):
                text = node.text or ""
                node.text = text[count:]
                count -= min(count, len(text))
                if not node.text:
                    run.remove(node)
        if not any(c.tag != w("rPr") for c in run):
            run.getparent().remove(run)


_PPR_BEFORE_NUMPR = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
)


def _ppr(p: etree._Element) -> etree._Element:
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    return ppr


def _set_numbering(p: etree._Element, num: int, level: int) -> None:
    ppr = _ppr(p)
    numpr = etree.Element(w("numPr"))
    etree.SubElement(numpr, w("ilvl")).set(w("val"), str(level))
    etree.SubElement(numpr, w("numId")).set(w("val"), str(num))
    at = 0
    for i, child in enumerate(ppr):
        if child.tag in {w(t) for t in _PPR_BEFORE_NUMPR}:
            at = i + 1
    ppr.insert(at, numpr)


def _bookmark_ids(root: etree._Element) -> int:
    used = [int(b.get(w("id"), "0")) for b in root.iter(w("bookmarkStart"))]
    return max(used, default=0) + 1


def _bookmark(p: etree._Element, name: str) -> None:
    ident = str(_bookmark_ids(p.getroottree().getroot()))
    start = etree.Element(w("bookmarkStart"))
    start.set(w("id"), ident)
    start.set(w("name"), name)
    end = etree.Element(w("bookmarkEnd"))
    end.set(w("id"), ident)
    at = 1 if len(p) and p[0].tag == w("pPr") else 0
    p.insert(at, start)
    p.append(end)


def _cross_references(
    body: etree._Element, a: AgreementContext, labels: dict[str, str], skip: set[int]
) -> None:
    """Each reference to a numbered article or measure in a text becomes a REF field."""
    texts = {t.text: t.spans for t in a.references}
    if not texts:
        return
    for p in body.iter(w("p")):
        if id(p) in skip:
            continue
        full = paragraph_text(p)
        offset, spans = _spans(full, texts)
        if not spans:
            continue
        # From the end, so earlier offsets stay valid.
        for span in sorted(spans, key=lambda s: s.start, reverse=True):
            name = bookmark_name(span.target)
            if name not in labels:
                continue  # typed, or in another document: a paragraph number Word has not
            start, end, instruction = _reference(full, offset, span, name, labels[name])
            _field(p, start, end, instruction)


def _reference(
    full: str, offset: int, span: ReferenceSpan, name: str, label: str
) -> tuple[int, int, str]:
    """Where the field goes and its instruction. A reference that reads as the target's
    number with its words ("artikel 3.1" to "Artikel 3.1") is a field as a whole, lower case
    as the text has it (``\\* Lower``); otherwise the field is the number alone, without the
    level's words (``\\t``)."""
    start, end = offset + span.start, offset + span.end
    text = full[start:end]
    shown = label.rstrip(".:;,)")  # a trailing delimiter is not repeated in a reference
    if text.casefold() == shown.casefold() and any(c.isalpha() for c in shown[: -len(span.number)]):
        lower = " \\* Lower" if text != shown and text == text.lower() else ""
        return start, end, f" REF {name} \\r \\h{lower} "
    at = text.rfind(span.number)
    return start + at, start + at + len(span.number), f" REF {name} \\r \\t \\h "


def _spans(full: str, texts: dict) -> tuple[int, Iterable]:
    if full in texts:
        return 0, texts[full]
    head, tab, tail = full.partition("\t")  # "2.1.<tab>text", "1.<tab>item"
    if tab and tail in texts:
        return len(head) + 1, texts[tail]
    return 0, ()


def _split(p: etree._Element, offset: int) -> etree._Element | None:
    """Make a run start at character ``offset`` of the paragraph's text; that run (None at the
    end)."""
    seen = 0
    for run in _runs(p):
        if run.getparent() is not p:
            continue
        nodes = [n for n in run if n.tag == w("t") or n.tag in _CHARS]
        length = sum(1 if n.tag in _CHARS else len(n.text or "") for n in nodes)
        if seen + length <= offset:
            seen += length
            continue
        if seen == offset:
            return run
        if len(nodes) != 1 or nodes[0].tag != w("t"):
            return None  # a run of mixed content: left as it is
        cut = offset - seen
        text = nodes[0].text or ""
        second = copy.deepcopy(run)
        nodes[0].text = text[:cut]
        second_t = second.find(w("t"))
        second_t.text = text[cut:]
        for t in (nodes[0], second_t):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.addnext(second)
        return second
    return None


def _field(p: etree._Element, start: int, end: int, instruction: str) -> None:
    first = _split(p, start)
    after = _split(p, end)
    if first is None:
        return
    rpr = first.find(w("rPr"))

    def char_run(kind: str) -> etree._Element:
        run = etree.Element(w("r"))
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        etree.SubElement(run, w("fldChar")).set(w("fldCharType"), kind)
        return run

    instr = etree.Element(w("r"))
    if rpr is not None:
        instr.append(copy.deepcopy(rpr))
    node = etree.SubElement(instr, w("instrText"))
    node.text = instruction
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    first.addprevious(char_run("begin"))
    first.addprevious(instr)
    first.addprevious(char_run("separate"))
    if after is not None:
        after.addprevious(char_run("end"))
    else:
        p.append(char_run("end"))


# ---------------------------------------------------------------------------------------------
# What Word shows


def shown_labels(
    document: etree._Element, numbering: etree._Element
) -> list[tuple[etree._Element, str, str]]:
    """Per paragraph of ``document``: the paragraph, the number Word shows before it and what
    follows the number (a space, a tab or nothing), computed from ``numbering.xml`` and the
    paragraph's own ``numPr`` (counters per ``w:num``, each level restarting after a higher
    one unless ``lvlRestart`` says otherwise; numbering from a style is not looked at)."""
    nums = {n.get(w("numId")): n for n in numbering.iter(w("num"))}
    abstracts = {a.get(w("abstractNumId")): a for a in numbering.iter(w("abstractNum"))}
    counters: dict[str, list[int | None]] = {}
    out: list[tuple[etree._Element, str, str]] = []
    for p in document.iter(w("p")):
        label = suffix = ""
        numpr = p.find(f"{w('pPr')}/{w('numPr')}")
        if numpr is not None:
            num_id = numpr.find(w("numId")).get(w("val"))
            ilvl = int(numpr.find(w("ilvl")).get(w("val")))
            num = nums[num_id]
            abstract = abstracts[num.find(w("abstractNumId")).get(w("val"))]
            levels = {int(lv.get(w("ilvl"))): lv for lv in abstract.iter(w("lvl"))}
            starts = {i: int(lv.find(w("start")).get(w("val"))) for i, lv in levels.items()}
            for override in num.iter(w("lvlOverride")):
                start = override.find(w("startOverride"))
                if start is not None:
                    starts[int(override.get(w("ilvl")))] = int(start.get(w("val")))
            state = counters.setdefault(num_id, [None] * 9)
            state[ilvl] = starts[ilvl] if state[ilvl] is None else state[ilvl] + 1
            for deeper in range(ilvl + 1, 9):
                restart = levels[deeper].find(w("lvlRestart"))
                if restart is None or int(restart.get(w("val"))) > ilvl:
                    state[deeper] = None
            text = levels[ilvl].find(w("lvlText")).get(w("val"))
            label = _shown(text, levels, state, starts)
            suff = levels[ilvl].find(w("suff"))
            kind = suff.get(w("val")) if suff is not None else "tab"  # Word's default
            suffix = {"tab": "\t", "space": " "}.get(kind, "") if label else ""
        out.append((p, label, suffix))
    return out


def shown_numbers(document: etree._Element, numbering: etree._Element) -> dict[str, str]:
    """Per bookmark name: the number Word shows before its paragraph ("" for a paragraph
    without numbering); see :func:`shown_labels`."""
    out: dict[str, str] = {}
    for p, label, _ in shown_labels(document, numbering):
        for start in p.iter(w("bookmarkStart")):
            out.setdefault(start.get(w("name")), label)
    return out


def shown_text(data: bytes) -> list[str]:
    """The paragraphs of a .docx's body (those python-docx lists: not in tables) as Word shows
    them: each with its list number (:func:`shown_labels`) and its fields' cached results."""
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        document = etree.fromstring(docx.read("word/document.xml"))
        names = set(docx.namelist())
        numbering = etree.fromstring(docx.read(NUMBERING)) if NUMBERING in names else None
    body = document.find(w("body"))
    if numbering is None:
        return [paragraph_text(p) for p in body.iterchildren(w("p"))]
    labels = shown_labels(document, numbering)  # kept: the ids below are of these elements
    shown = {id(p): label + suffix for p, label, suffix in labels}
    out = []
    for p in body.iterchildren(w("p")):
        text = paragraph_text(p)
        # A suffix with nothing after it shows nothing ("Artikel 3.1" without a title).
        out.append((shown[id(p)] if text else shown[id(p)].rstrip(" \t")) + text)
    return out


def _shown(text: str, levels: dict, state: list[int | None], starts: dict[int, int]) -> str:
    """A level's text with each ``%N`` the current number of level N in its format."""

    def number(match: re.Match) -> str:
        depth = int(match.group(1)) - 1
        value = state[depth] if state[depth] is not None else starts[depth]
        return _format(levels[depth].find(w("numFmt")).get(w("val")), value)

    return re.sub(r"%(\d)", number, text).replace("%%", "%")


def _format(fmt: str, value: int) -> str:
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
    return str(value)


def agreement_hook(a: AgreementContext) -> PartHook:
    """The part hook (see :class:`.template.PreparedTemplate`) that numbers an agreement's
    rendered text; a template without list numbering keeps its numbers typed."""

    def hook(body: etree._Element, parts: dict[str, bytes]) -> dict[str, bytes]:
        if NUMBERING not in parts:
            return {}
        root = etree.fromstring(parts[NUMBERING])
        number_agreement(body, root, a)
        return {NUMBERING: serialize_part_xml(root)}

    return hook


def freeze_references(element: etree._Element) -> None:
    """For the PDF: each cross-reference field becomes its cached text and the article
    bookmarks go. LibreOffice computes a reference field itself, with the list level's words
    ("Artikel 3.1" mid-sentence) and across the composed documents of a batch, whose bookmark
    names may repeat; the text as generated is what the PDF must say."""
    for p in list(element.iter(w("p"))):
        _freeze(p)
    for node in list(element.iter(w("bookmarkStart"))):
        if (node.get(w("name")) or "").startswith(BOOKMARK_PREFIX):
            ident = node.get(w("id"))
            for end in list(element.iter(w("bookmarkEnd"))):
                if end.get(w("id")) == ident:
                    end.getparent().remove(end)
            node.getparent().remove(node)


def _freeze(p: etree._Element) -> None:
    runs = [r for r in p if r.tag == w("r")]
    state = None  # None: text; "code": in an instruction; "result": in a result
    field_runs: list[etree._Element] = []
    ours = False
    for run in runs:
        char = run.find(w("fldChar"))
        kind = char.get(w("fldCharType")) if char is not None else None
        if kind == "begin" and state is None:
            state, field_runs, ours = "code", [run], False
        elif state == "code" and kind == "separate":
            state = "result"
            field_runs.append(run)
        elif state == "code":
            code = "".join(t.text or "" for t in run.iter(w("instrText")))
            ours = ours or code.strip().startswith(f"REF {BOOKMARK_PREFIX}")
            field_runs.append(run)
        elif state == "result" and kind == "end":
            field_runs.append(run)
            if ours:
                for r in field_runs:
                    p.remove(r)
            state = None
