"""Read a source document into paragraphs, each with the place it was found.

Four kinds of source: Word (``.docx``, through python-docx), PDF with a text layer (pypdf),
plain text, and a Staatscourant publication in OP-XML (``<officiele-publicatie>``, read by
:mod:`convenantgen.read.opxml`, the reader ``publication verify`` uses too: document type
declarations are refused, so no entity is ever expanded and nothing outside the file is
fetched). What comes out is layout-free: one
:class:`Paragraph` per paragraph of the source, bullets marked, page-break splits repaired.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdf
from docx.oxml.ns import qn
from pypdf.errors import DependencyError, PdfReadError, PyPdfError

from ...errors import ConvenantgenError
from ...read.opxml import OpXmlError, read_opxml
from .patterns import HEADING_START

SUFFIXES = (".docx", ".pdf", ".txt", ".xml")
# Bullet characters that word processors and PDF text layers put before list items.
BULLET_RE = re.compile(r"^\s*(?:[-–•▪◦·*]|\u2022|\uf0b7)\s+")
# A line that starts a new paragraph in a PDF text layer: a list item, a number, a heading.
NEW_PARAGRAPH_RE = re.compile(
    r"^\s*(?:[-–•▪◦·*]\s|\d+(?:\.\d+)*\.\s|\d+(?:\.\d+)+\s|[a-z]\.\s|" + HEADING_START + ")"
)
# Page furniture of a PDF: "pagina 1 van 4", "- 2 -", a bare page number, the engine's footer.
PAGE_LINE_RE = re.compile(
    r"^(?:Versie [0-9a-f]{8,}\s*·?\s*)?(?:pagina \d+ van \d+|-?\s*\d{1,3}\s*-?)$|"
    r"^Versie [0-9a-f]{8,}$"
)
MIN_TEXT_CHARACTERS = 40  # below this a PDF has no usable text layer (a scan)


class ImportSourceError(ConvenantgenError):
    """The source cannot be read as a covenant: damaged, encrypted, a scan, not a covenant."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the source. ``where`` names its place ("line 14", "paragraph 12",
    "page 3", "al 7"); ``bullet`` is set when the source marked it as a list item."""

    text: str
    where: str
    bullet: bool = False


def read_source(path: Path) -> list[Paragraph]:
    """The paragraphs of ``path``; a clear :class:`ImportSourceError` when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise ImportSourceError(f"'{path}' does not exist or is not a file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportSourceError(
            f"'{path.name}': unknown kind of source; use {', '.join(SUFFIXES)} "
            "(Word, PDF with a text layer, plain text or Staatscourant OP-XML)"
        )
    reader = {".docx": _docx, ".pdf": _pdf, ".txt": _txt, ".xml": _opxml}[suffix]
    paragraphs = [p for p in reader(path) if p.text.strip()]
    if not paragraphs:
        raise ImportSourceError(f"'{path.name}' contains no text")
    return _normalised(paragraphs)


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u00ad", "").replace("\t", " ")
    return re.sub(r"\s+", " ", text).strip()


def _normalised(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Bullets as a flag, emphasis markers of plain text gone, split sentences joined."""
    out: list[Paragraph] = []
    for p in paragraphs:
        text, bullet = _clean(p.text), p.bullet
        match = BULLET_RE.match(text)
        if match and not text.startswith("*"):
            text, bullet = text[match.end() :], True
        # Markdown-like emphasis in text exports: "*Zij-instromer*".
        text = re.sub(r"(?<!\w)\*([^*]+)\*(?!\w)", r"\1", text).replace("*", "")
        text = text.strip()
        if not text:
            continue
        if out and _continues(out[-1].text, text) and not bullet:
            out[-1] = Paragraph(f"{out[-1].text} {text}", out[-1].where, out[-1].bullet)
            continue
        out.append(Paragraph(text, p.where, bullet))
    return out


def _continues(previous: str, text: str) -> bool:
    """A sentence broken by a page break: a long line ending mid-sentence, then lower case."""
    return (
        len(previous) > 60
        and re.search(r"[a-zà-ÿ,]$", previous) is not None
        and re.match(r"[a-zà-ÿ]", text) is not None
        and not re.match(r"(hierna|verder te noemen|en$)", text)
    )


# ---------------------------------------------------------------------------------------------
# plain text


def _txt(path: Path) -> list[Paragraph]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return [Paragraph(line, f"line {n}") for n, line in enumerate(text.splitlines(), 1)]


# ---------------------------------------------------------------------------------------------
# Word


def _docx(path: Path) -> list[Paragraph]:
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportSourceError(f"'{path.name}' is not a readable Word document ({exc})") from None
    except Exception as exc:  # python-docx raises its own errors for a broken package
        raise ImportSourceError(f"'{path.name}' is not a readable Word document ({exc})") from None
    out: list[Paragraph] = []
    numbering = _Numbering(document)
    body = document.element.body
    # Paragraphs and table cells in document order.
    for n, element in enumerate(body.iter(qn("w:p")), 1):
        text = "".join(_run_text(node) for node in element.iter(*_RUN_PARTS))
        ppr = element.find(qn("w:pPr"))
        style = ""
        if ppr is not None:
            style_el = ppr.find(qn("w:pStyle"))
            style = style_el.get(qn("w:val"), "") if style_el is not None else ""
        # Word counts and shows the number of an empty paragraph too: "Artikel 3" is the whole
        # heading of an article without a title.
        label = numbering.label(ppr, style) if text.strip() or _numbered(ppr) else None
        if label is None:
            bullet = "List" in style or "Lijst" in style
        elif label == "":
            bullet = True
        else:
            # Word's automatic numbering: the number is not in the text, so write it there.
            bullet, text = False, f"{label} {text}" if text.strip() else label
        out.append(Paragraph(text, f"paragraph {n}", bullet))
    return out


def _numbered(ppr) -> bool:
    """The paragraph has list numbering of its own (not only through its style)."""
    return ppr is not None and ppr.find(qn("w:numPr")) is not None


def _roman(n: int) -> str:
    out = ""
    for value, digits in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + digits, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_FORMATS = {
    "decimal": str,
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
    "decimalZero": lambda n: f"{n:02d}",
}


class _Numbering:
    """Word's list numbering, counted as Word does: per list, deeper levels restart."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.abstract: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numbers: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract_levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        for abstract in root.iter(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.iter(qn("w:lvl")):
                fmt = _val(lvl.find(qn("w:numFmt"))) or "decimal"
                text = _val(lvl.find(qn("w:lvlText"))) or ""
                start = int(_val(lvl.find(qn("w:start"))) or 1)
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (fmt, text, start)
            abstract_levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.iter(qn("w:num")):
            abstract_id = _val(num.find(qn("w:abstractNumId")))
            self.abstract[num.get(qn("w:numId"))] = abstract_id
            self.levels[num.get(qn("w:numId"))] = abstract_levels.get(abstract_id, {})
        for style in document.styles.element.iter(qn("w:style")):
            numpr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if numpr is not None:
                num_id = _val(numpr.find(qn("w:numId")))
                level = int(_val(numpr.find(qn("w:ilvl"))) or 0)
                self.style_numbers[style.get(qn("w:styleId"))] = (num_id, level)

    def label(self, ppr, style: str) -> str | None:
        """The number Word shows before the paragraph, "" for a bullet, None for no list."""
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is not None:
            num_id = _val(numpr.find(qn("w:numId")))
            level = int(_val(numpr.find(qn("w:ilvl"))) or 0)
        elif style in self.style_numbers:
            num_id, level = self.style_numbers[style]
        else:
            return None
        levels = self.levels.get(num_id)
        if not levels or num_id == "0" or level not in levels:
            return None if num_id == "0" else ""
        fmt, text, _start = levels[level]
        counters = self.counters.setdefault(self.abstract.get(num_id, num_id), {})
        counters[level] = counters.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt in ("bullet", "none") or not text:
            return ""

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            value = counters.get(k, levels.get(k, ("decimal", "", 1))[2])
            return _FORMATS.get(levels.get(k, (fmt,))[0], str)(value)

        return re.sub(r"%(\d)", number, text).strip()


def _val(element) -> str | None:
    return element.get(qn("w:val")) if element is not None else None


_RUN_PARTS = (qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"))


def _run_text(node) -> str:
    # A tab separates a clause number from its text ("1.1.<tab>De ..."): a space, not nothing.
    return (node.text or "") if node.tag == qn("w:t") else " "


# ---------------------------------------------------------------------------------------------
# PDF


def _pdf(path: Path) -> list[Paragraph]:
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                opened = 0
            if not opened:
                raise ImportSourceError(
                    f"'{path.name}' is encrypted with a password; save an unprotected copy and "
                    "import that"
                )
        pages = [page.extract_text() or "" for page in reader.pages]
    except ImportSourceError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ImportSourceError(f"'{path.name}' is a damaged PDF ({exc})") from None
    if sum(len(p.strip()) for p in pages) < MIN_TEXT_CHARACTERS:
        raise ImportSourceError(
            f"'{path.name}' has no text layer (a scan?); run it through OCR first, or import the "
            "Word original"
        )
    out: list[Paragraph] = []
    # One pass over the lines of all pages, so a paragraph may run on over a page break.
    lines = [
        (number, ln.rstrip())
        for number, text in enumerate(pages, 1)
        for ln in text.splitlines()
        if ln.strip() and not PAGE_LINE_RE.match(ln.strip())
    ]
    longest = max((len(ln) for _, ln in lines), default=0)
    current: list[str] = []
    start = 1
    for number, line in lines:
        if current and _pdf_continues(current[-1], line, longest):
            if re.search(r"\w-$", current[-1]):
                # A word broken at its hyphen ("Janssen-" / "Verriet"): one word again.
                current[-1] = current[-1].rstrip() + line.strip()
            else:
                current.append(line.strip())
            continue
        if current:
            out.append(Paragraph(" ".join(current), f"page {start}"))
        current, start = [line.strip()], number
    if current:
        out.append(Paragraph(" ".join(current), f"page {start}"))
    return out


def _pdf_continues(previous: str, line: str, longest: int) -> bool:
    """A wrapped line: the previous one filled the width and did not end the sentence."""
    if NEW_PARAGRAPH_RE.match(line):
        return False
    full = len(previous) >= 0.75 * longest
    # An initial ("mevrouw S.") does not end a sentence.
    initial = re.search(r"(?:^|\s)(?:[A-Z]\.)+$", previous.rstrip())
    return full and (initial is not None or not re.search(r"[.;:]$", previous.rstrip()))


# ---------------------------------------------------------------------------------------------
# Staatscourant OP-XML: the shared reader (read.opxml), also used by ``publication verify``


def _opxml(path: Path) -> list[Paragraph]:
    try:
        publication = read_opxml(path)
    except OpXmlError as exc:
        raise ImportSourceError(str(exc)) from None
    return [Paragraph(b.text, b.where, b.bullet) for b in publication.blocks]
