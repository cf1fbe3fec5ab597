"""``convenantgen publication verify``: is the text the Staatscourant published the signed text?

A published Staatscourant file is OP-XML (``<officiele-publicatie>``, as KOOP serves it at
``zoek.officielebekendmakingen.nl/stcrt-YYYY-N.xml``). :func:`read_publication` takes its number
and date from the metadata and its words from the body (through :mod:`convenantgen.read.opxml`,
the reader ``import`` uses too), without the masthead ("STAATSCOURANT,
Officiële uitgave ...") and without image descriptions. :func:`compare_texts` holds those words
against the signed text of an agreement (or the notice of an accession) after normalisation:
case, punctuation, typographic quotes and dashes, soft hyphens and white space do not count,
every other change does, and is listed with the words around it.

:func:`record_publication` writes the number and date into the dossier's lifecycle file
(``levensloop.yaml``) with ruamel's round trip, so comments, order and quoting stay as they
were; the file is replaced atomically (a temporary file beside it, then a rename).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

from ..checks import known_codes
from ..context.dossier import DossierContext
from ..errors import ConvenantgenError, UsageError
from ..model.dossier import Dossier
from ..read.opxml import OpXmlError, read_opxml
from ..read.schemas import validate
from ..read.sources import load_file
from ..render.markdown import agreement_text

_WORD_RE = re.compile(r"[^\W_]+")
MAX_LISTED = 20
LIFECYCLE_FILE = "levensloop.yaml"


class PublicationError(ConvenantgenError):
    """The published file cannot be read as a Staatscourant publication."""


@dataclass(frozen=True)
class PublishedText:
    """What a published Staatscourant file says."""

    path: Path
    identifier: str | None  # "stcrt-2015-47076"
    year: int | None
    number: str | None
    date: dt.date | None
    words: tuple[str, ...]  # the body's words as printed


@dataclass(frozen=True)
class Difference:
    """One change between the signed and the published words, with words around it."""

    position: int  # 1-based index of the first signed word concerned
    signed: str
    published: str
    before: str
    after: str

    def describe(self) -> str:
        signed, published = _short(self.signed), _short(self.published)
        what = (
            f"'{signed}' became '{published}'"
            if signed and published
            else f"'{signed}' is missing"
            if signed
            else f"'{published}' was added"
        )
        return f"word {self.position}: {what} (… {self.before} [·] {self.after} …)"


def _short(words: str, most: int = 12) -> str:
    """A long run of words as its start, its end and how many there are."""
    parts = words.split()
    if len(parts) <= most:
        return words
    return f"{' '.join(parts[:6])} … {' '.join(parts[-3:])} ({len(parts)} words)"


@dataclass(frozen=True)
class Comparison:
    differences: tuple[Difference, ...]  # differences of substance
    cosmetic: int  # words that differ only in case, punctuation or typography
    signed_words: int
    published_words: int
    matching: float = 1.0  # share of the words in common (difflib's ratio)

    @property
    def same(self) -> bool:
        return not self.differences


def read_publication(path: Path) -> PublishedText:
    """Number, date and printed words of a published file, through the shared OP-XML reader."""
    try:
        publication = read_opxml(path)
    except OpXmlError as exc:
        raise PublicationError(str(exc)) from None
    if not publication.words:
        raise PublicationError(f"'{path}' holds no published text")
    p = publication
    return PublishedText(Path(path), p.identifier, p.year, p.number, p.date, p.words)


def normalise(word: str) -> str:
    """A word as compared: NFKC, no soft hyphen, case-folded, letters and digits only."""
    text = unicodedata.normalize("NFKC", word).replace("\u00ad", "").casefold()
    return "".join(_WORD_RE.findall(text))


def _tokens(words) -> list[tuple[str, str]]:
    """(normalised, printed) per word; hyphenated and slashed words split at the mark, so
    'zij-instromers' and 'zij- instromers' compare alike; pure punctuation drops out."""
    out = []
    for word in words:
        text = unicodedata.normalize("NFKC", word).replace("\u00ad", "")
        out += [(part.casefold(), part) for part in _WORD_RE.findall(text)]
    return out


def compare_texts(signed: str, published: tuple[str, ...]) -> Comparison:
    a = _tokens(signed.split())
    b = _tokens(published)
    left, right = [n for n, _ in a], [n for n, _ in b]
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        out.append(
            Difference(
                position=i1 + 1,
                signed=" ".join(p for _, p in a[i1:i2]),
                published=" ".join(p for _, p in b[j1:j2]),
                before=" ".join(p for _, p in a[max(0, i1 - 5) : i1]),
                after=" ".join(p for _, p in a[i2 : i2 + 5]),
            )
        )
    # Words that are equal once normalised but printed otherwise (case): not of substance.
    cosmetic = sum(
        1
        for op, i1, i2, j1, _ in matcher.get_opcodes()
        if op == "equal"
        for k in range(i2 - i1)
        if a[i1 + k][1] != b[j1 + k][1]
    )
    return Comparison(tuple(out), cosmetic, len(left), len(right), matcher.ratio())


# ---------------------------------------------------------------------------------------------
# Which document, and its signed text


@dataclass(frozen=True)
class Target:
    """The document a publication is held against."""

    dossier: Dossier
    kind: str  # "agreement" | "accession"
    id: str
    title: str
    text: str


def targets(dossier: Dossier, ctx: DossierContext) -> list[Target]:
    """Every publishable document of a dossier with its signed text: the agreements (without
    the version footer, which the Staatscourant does not print) and the accession notices."""
    out = []
    for agreement in ctx.agreements:
        text = agreement_text(agreement)
        if agreement.footer and text.rstrip().endswith(agreement.footer):
            text = text.rstrip()[: -len(agreement.footer)]
        out.append(Target(dossier, "agreement", agreement.id, agreement.title, text))
    for acc in ctx.accessions:
        text = "\n\n".join((acc.notice_title, *acc.notice))
        out.append(Target(dossier, "accession", acc.id, acc.notice_title, text))
    return out


def choose_target(
    found: list[Target], published: PublishedText, dossier: str | None, agreement: str | None
) -> Target:
    """The document named on the command line, else the one whose recorded Staatscourant
    number is the file's, else the only one there is."""
    pool = [t for t in found if dossier is None or t.dossier.id == dossier]
    if dossier is not None and not pool:
        raise UsageError(f"no dossier '{dossier}' in the content (or it has errors)")
    if agreement is not None:
        named = [t for t in pool if t.id == agreement]
        if not named:
            ids = ", ".join(sorted({t.id for t in pool}))
            raise UsageError(f"no agreement or accession '{agreement}' (there are: {ids})")
        if len(named) > 1:
            raise UsageError(f"'{agreement}' is in more than one dossier; name one with --dossier")
        return named[0]
    if published.identifier:
        cited = [t for t in pool if published.identifier in _recorded(t)]
        if len(cited) == 1:
            return cited[0]
    if len(pool) == 1:
        return pool[0]
    names = ", ".join(f"{t.dossier.id}/{t.id}" for t in pool[:8])
    raise UsageError(
        "say which document was published: --dossier ID --agreement ID "
        f"(candidates: {names}{', ...' if len(pool) > 8 else ''})"
    )


def _recorded(target: Target) -> set[str]:
    """The Staatscourant identifiers the dossier already records for a document."""
    d = target.dossier
    cites = []
    if target.kind == "agreement":
        doc = d.document(target.id)
        record = d.lifecycle(target.id)
        cites = [
            doc.citation if doc else None,
            doc.publication.citation if doc and doc.publication else None,
            record.publication.citation if record and record.publication else None,
        ]
    else:
        acc = next((a for a in d.accessions if a.id == target.id), None)
        cites = [acc.notice.citation if acc and acc.notice else None]
    return {f"stcrt-{c.year}-{c.number}" for c in cites if c is not None}


# ---------------------------------------------------------------------------------------------
# Recording number and date


class RecordError(ConvenantgenError):
    """The publication cannot be recorded in the dossier's files."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line that was written long
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _publication_map(day: dt.date, year: int, number: str) -> CommentedMap:
    citation = CommentedMap([("year", year), ("number", Quoted(number))])
    citation.fa.set_flow_style()
    return CommentedMap([("date", day), ("citation", citation)])


def record_publication(target: Target, day: dt.date, year: int, number: str) -> Path | None:
    """Write publication date and Staatscourant number for ``target`` into its dossier's
    files: an agreement's into the lifecycle file (``publication:``), an accession's into its
    request (``notice:``). Returns the file written, or None when it already said so."""
    d = target.dossier
    if target.kind == "agreement":
        record = d.lifecycle(target.id)
        path = (
            record.where.file
            if record is not None
            else (d.lifecycles[0].where.file if d.lifecycles else d.folder / LIFECYCLE_FILE)
        )
        kind, key, list_key, id_key = "lifecycle", "publication", "agreements", "agreement"
    else:
        acc = next(a for a in d.accessions if a.id == target.id)
        path = acc.where.file
        kind, key, list_key, id_key = "accessions", "notice", "accessions", "id"
    yaml = _yaml()
    if path.is_file():
        try:
            data = yaml.load(path.read_text(encoding="utf-8"))
        except (OSError, YAMLError) as exc:
            raise RecordError(f"cannot read '{path}': {exc}") from None
    else:
        data = CommentedMap([("kind", kind), (list_key, CommentedSeq())])
    items = data.get(list_key) if isinstance(data, CommentedMap) else None
    if not isinstance(items, CommentedSeq):
        raise RecordError(f"'{path}' has no '{list_key}:' list; run convenantgen check")
    item = next(
        (i for i in items if isinstance(i, CommentedMap) and i.get(id_key) == target.id), None
    )
    if item is None:
        item = CommentedMap([(id_key, target.id)])
        items.append(item)
    old = item.get(key)
    if old is not None:
        cite = old.get("citation") or {}
        same = (
            str(old.get("date")) == day.isoformat()
            and str(cite.get("year")) == str(year)
            and str(cite.get("number")) == number
        )
        if same:
            return None
        raise RecordError(
            f"{path}: '{target.id}' already records publication on {old.get('date')} as Stcrt. "
            f"{cite.get('year')}, {cite.get('number')}; correct or remove it by hand first"
        )
    item[key] = _publication_map(day, year, number)
    _write_checked(path, data, yaml, kind)
    return path


def _write_checked(path: Path, data, yaml: YAML, kind: str) -> None:
    """Write ``data`` to ``path`` atomically, after the written file validated: a file that
    would not pass the schema is never put in place."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yaml.dump(data, handle)
        source, problems = load_file(tmp)
        if source is not None:
            problems += validate(source.data, kind, path, known_codes())
        if problems or source is None:
            lines = "; ".join(p.message for p in problems)
            raise RecordError(f"recording would make '{path}' invalid ({lines}); nothing written")
        # mkstemp makes the file private; keep the mode of the file replaced, or the usual one.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644 & ~_umask()
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
