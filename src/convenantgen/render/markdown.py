"""Stage 6, render: an agreement as Markdown (git review, public site) and as plain text.

Both walk the same :class:`~convenantgen.context.agreement.AgreementContext`, so they show the same
words in the same order as the DOCX. Markdown escapes all user text with
:func:`convenantgen.text.markdown.md`, the one escaper, so ``<script>`` in YAML shows as text and
never reaches a page as HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..context.agreement import AgreementContext, ListContext, MeasureContext, PartContext
from ..context.in_force import ConsolidatedContext, Segment
from ..text.markdown import md


def _list_md(lst: ListContext) -> Iterator[str]:
    yield f"**{md(lst.title)}**"
    yield ""
    for n, item in enumerate(lst.items, start=1):
        marker = f"{n}." if lst.ordered else "-"
        yield f"{marker} {md(item.text)}"
    yield ""


def _measure_md(m: MeasureContext) -> Iterator[str]:
    yield f"##### {md(m.heading)}"
    yield ""
    for paragraph in m.description:
        yield md(paragraph)
        yield ""
    for lst in m.lists:
        yield from _list_md(lst)
    if m.targets:
        yield f"**{md(m.result_heading)}**"
        yield ""
        yield from (f"- {md(t)}" for t in m.targets)
        yield ""


def _part_md(part: PartContext) -> Iterator[str]:
    yield f"#### {md(part.heading)}"
    yield ""
    for measure in part.measures:
        yield from _measure_md(measure)
    for paragraph in part.paragraphs:
        yield md(paragraph)
        yield ""


def bullets_markdown(heading: str, items) -> list[str]:
    """A bold heading over a bullet list; nothing for an empty list."""
    if not items:
        return []
    return [f"**{md(heading)}**", "", *(f"- {md(x)}" for x in items), ""]


def clause_markdown(clause, paragraph: Callable[[Any], str] = md) -> list[str]:
    """A numbered clause: its paragraphs (each through ``paragraph``), definitions and article
    text. Takes a ClauseContext, or a consolidated text's marked clause (same fields)."""
    lines: list[str] = []
    for n, text in enumerate(clause.paragraphs):
        label = f"**{clause.label}** " if clause.label and n == 0 else ""
        lines += [label + paragraph(text), ""]
    for d in clause.definitions:
        lines += [f"{d.label} *{md(d.term)}*: {md(d.text)}", ""]
    if clause.article:
        lines += [f"### {md(clause.article.heading)}", ""]
        for part in clause.article.parts:
            lines += list(_part_md(part))
    return lines


def _numeral_md(numeral: str) -> list[str]:
    """A part's numeral ("I") on a line of its own, or nothing."""
    return [f"**{md(numeral)}**", ""] if numeral else []


def agreement_markdown(ctx: AgreementContext) -> str:
    lines: list[str] = [f"# {md(ctx.title)}", ""]
    lines += _numeral_md(ctx.parties_numeral) + [md(ctx.parties_heading), ""]
    for block in ctx.parties:
        if block.separator:
            lines += [md(block.separator), ""]
        if block.intro:
            lines += [md(block.intro), ""]
        if block.members:
            lines += [f"- {md(name)}" for name in block.members] + [""]
        if block.closing:
            lines += [md(block.closing), ""]
    if ctx.considerations:
        lines += _numeral_md(ctx.considerations_numeral)
    lines += bullets_markdown(ctx.considerations_heading, ctx.considerations)
    lines += _numeral_md(ctx.agreement_numeral)
    lines += [f"**{md(ctx.agreement_heading)}**", ""]
    for section in ctx.sections:
        lines += [f"## {md(section.heading)}", ""]
        for clause in section.clauses:
            lines += clause_markdown(clause)
    lines += [md(ctx.closing), ""]
    for group in ctx.signature_groups:
        lines += [md(group.intro), ""]
        for s in group.signatories:
            lines += [f"- {md(s.name)}"]
        lines += [""]
    lines += ["---", "", f"*{md(ctx.footer)}*", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Plain text


def _list_text(lst: ListContext) -> Iterator[str]:
    yield lst.title
    yield ""
    for item in lst.items:
        yield f"{item.label or '-'} {item.text}"
    yield ""


def _measure_text(m: MeasureContext) -> Iterator[str]:
    yield m.heading
    yield ""
    for paragraph in m.description:
        yield paragraph
        yield ""
    for lst in m.lists:
        yield from _list_text(lst)
    if m.targets:
        yield m.result_heading
        yield ""
        yield from (f"- {t}" for t in m.targets)
        yield ""


def agreement_text(ctx: AgreementContext) -> str:
    """The agreement as plain text, laid out like the published version."""
    lines: list[str] = [ctx.title, ""]
    lines += [ctx.parties_numeral, ""] if ctx.parties_numeral else []
    lines += [ctx.parties_heading, ""]
    for block in ctx.parties:
        if block.separator:
            lines += [block.separator, ""]
        if block.intro:
            lines.append(block.intro)
        if block.members:
            lines.append("")
            lines += list(block.members)
        if block.closing:
            lines.append(block.closing)
        lines.append("")
    if ctx.considerations:
        lines += [ctx.considerations_numeral, ""] if ctx.considerations_numeral else []
        lines += [ctx.considerations_heading, ""]
        lines += [f"- {c}" for c in ctx.considerations] + [""]
    lines += [ctx.agreement_numeral, ""] if ctx.agreement_numeral else []
    lines += [ctx.agreement_heading, ""]
    for section in ctx.sections:
        lines += [section.heading, ""]
        for clause in section.clauses:
            for n, paragraph in enumerate(clause.paragraphs):
                label = f"{clause.label} " if clause.label and n == 0 else ""
                lines += [label + paragraph, ""]
            for d in clause.definitions:
                lines += [f"{d.label} {d.term}: {d.text}", ""]
            if clause.article:
                lines += [clause.article.heading, ""]
                for part in clause.article.parts:
                    lines += [part.heading, ""]
                    for measure in part.measures:
                        lines += list(_measure_text(measure))
                    for paragraph in part.paragraphs:
                        lines += [paragraph, ""]
    lines += [ctx.closing, ""]
    for i, group in enumerate(ctx.signature_groups):
        if i:
            lines += [ctx.separator, ""]
        lines.append(group.intro)
        lines += [s.name for s in group.signatories]
        lines.append("")
    lines += [ctx.footer, ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The text in force (git review and the site): inserted text as <ins>, deleted text as <del>


def _segments_md(parts: tuple[Segment, ...]) -> str:
    out = []
    for s in parts:
        text = md(s.text)
        out.append(f"<{s.kind}>{text}</{s.kind}>" if s.kind in {"ins", "del"} else text)
    return " ".join(out)


def consolidated_markdown(c: ConsolidatedContext, *, title: bool = True) -> str:
    """The text in force from one date of change, the changes marked."""
    lines: list[str] = [f"# {md(c.title)}", ""] if title else []
    lines += [f"**{md(c.covenant)}**", "", md(c.intro), "", f"*{md(c.legend)}*", ""]
    lines += [md(c.term), ""]
    lines += bullets_markdown(c.changes_heading, c.changes)
    lines += bullets_markdown(c.considerations_heading, c.considerations)
    lines += [f"**{md(c.agreement_heading)}**", ""]
    for s in c.sections:
        lines += [f"## {_segments_md(s.heading_segments)}", ""]
        for note in s.notes:
            lines += [f"*{md(note)}*", ""]
        for clause in s.clauses:
            lines += clause_markdown(clause, _segments_md)
    lines += ["---", "", f"*{md(c.footer)}*", ""]
    return "\n".join(lines)
