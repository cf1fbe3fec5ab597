"""The import report: the text rebuilt from the new dossier, compared word by word with the source.

The rebuilt text comes from the engine's own pipeline (load, check, context, the plain-text
renderer), so what is compared is exactly what ``convenantgen build`` would write. Similarity
is difflib's ratio on the two word sequences after layout is normalised (bullets, emphasis,
typographic quotes, whitespace); the differences are its non-equal opcodes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...context.dossier import build_context
from ...errors import ConvenantgenError, Diagnostic
from ...read.load import load_content
from ...render.markdown import agreement_text
from . import patterns as pt
from .sources import Paragraph

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})


def words(text: str) -> list[str]:
    """The words of a text with layout normalised away."""
    text = text.replace("*", "").translate(_QUOTES)
    text = re.sub(r"(?m)^\s*[-•–]\s+", "", text)
    return text.split()


def source_text(paragraphs: list[Paragraph]) -> str:
    return "\n".join(p.text for p in paragraphs if not pt.FOOTER_RE.match(p.text))


def rebuilt_text(text: str) -> str:
    """The rendered text without its generated version line (not part of any source)."""
    return "\n".join(ln for ln in text.splitlines() if not pt.FOOTER_RE.match(ln.strip()))


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


@dataclass
class ImportReport:
    similarity: float
    differences: list[tuple[str, str]]
    rebuilt: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    problem: str | None = None

    def lines(self, root: Path, limit: int = 40) -> list[str]:
        out = []
        if self.problem:
            out.append(f"the dossier could not be rebuilt: {self.problem}")
            return out
        out.append(f"word similarity with the source: {self.similarity:.3f}")
        if self.differences:
            out.append(f"differences ({len(self.differences)}; source -> rebuilt):")
            for before, after in self.differences[:limit]:
                out.append(f"  - {before or '(nothing)'}")
                out.append(f"    + {after or '(nothing)'}")
            if len(self.differences) > limit:
                out.append(f"  ... and {len(self.differences) - limit} more")
        else:
            out.append("no differences")
        return out


def compare(source: str, rebuilt: str) -> tuple[float, list[tuple[str, str]]]:
    a, b = words(source), words(rebuilt)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    diffs = [
        (" ".join(a[i1:i2]), " ".join(b[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]
    return matcher.ratio(), diffs


def build_report(folder: Path, agreement_id: str, paragraphs: list[Paragraph]) -> ImportReport:
    """Load the written dossier, check it, rebuild the agreement's text and compare."""
    try:
        loaded = load_content(folder.parent, [folder.name])
    except ConvenantgenError as exc:
        return ImportReport(0.0, [], "", problem=str(exc))
    diagnostics = list(loaded.report.sorted())
    if not loaded.dossiers:
        errors = "; ".join(d.message for d in loaded.report.errors[:3])
        return ImportReport(0.0, [], "", diagnostics, problem=errors or "no dossier loaded")
    ctx = build_context(loaded.dossiers[0])
    agreement = next((a for a in ctx.agreements if a.id == agreement_id), None)
    if agreement is None:
        return ImportReport(0.0, [], "", diagnostics, problem="the agreement has no text")
    rebuilt = rebuilt_text(agreement_text(agreement))
    ratio, diffs = compare(source_text(paragraphs), rebuilt)
    return ImportReport(ratio, diffs, rebuilt, diagnostics)
