"""Stage 6, render: an agreement as Markdown (git review, public site) and as plain text.

Both walk the same :class:`~convenantgen.context.AgreementContext`, so they show the same
words in the same order as the DOCX. Markdown escapes all user text: markup characters are
backslash-escaped and ``<``/``>`` become entities, so ``<script>`` in YAML shows as text and
never reaches a page as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import AgreementContext, ListContext, MeasureContext, PartContext

# Characters with a meaning in Markdown inline syntax (CommonMark and Python-Markdown).
_INLINE_RE = re.compile(r"([\\`*_\[\]])")
# An '&' that would start an entity ("&amp;", "&#60;"); a plain '&' stays readable.
_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What would turn the start of a line into a heading, list, quote or rule.
_LINE_START_RE = re.compile(r"^(\s*)(#|[-+]|\d+(?=[.)](?:\s|$)))")


def inline(text: str) -> str:
    """Make user text inert inside a line (after a heading or list marker)."""
    # One Markdown line per paragraph: a newline inside user text could start a list.
    out = _INLINE_RE.sub(r"\\\1", " ".join(text.split("\n")))
    out = _ENTITY_RE.sub("&amp;", out)
    return out.replace("<", "&lt;").replace(">", "&gt;")


def escape(text: str) -> str:
    """Make user text inert as a paragraph: it renders as exactly these characters."""

    def guard(m: re.Match) -> str:
        # "1. tekst" must not become a list: escape the dot, not the digit.
        if m.group(2)[0].isdigit():
            return m.group(1) + m.group(2) + "\\"
        return m.group(1) + "\\" + m.group(2)

    return _LINE_START_RE.sub(guard, inline(text))


def _list_md(lst: ListContext) -> Iterator[str]:
    yield f"**{inline(lst.title)}**"
    yield ""
    for n, item in enumerate(lst.items, start=1):
        marker = f"{n}." if lst.ordered else "-"
        yield f"{marker} {inline(item.text)}"
    yield ""


def _measure_md(m: MeasureContext) -> Iterator[str]:
    yield f"##### {inline(m.heading)}"
    yield ""
    for paragraph in m.description:
        yield escape(paragraph)
        yield ""
    for lst in m.lists:
        yield from _list_md(lst)
    if m.targets:
        yield f"**{inline(m.result_heading)}**"
        yield ""
        yield from (f"- {inline(t)}" for t in m.targets)
        yield ""


def _part_md(part: PartContext) -> Iterator[str]:
    yield f"#### {inline(part.heading)}"
    yield ""
    for measure in part.measures:
        yield from _measure_md(measure)
    for paragraph in part.paragraphs:
        yield escape(paragraph)
        yield ""


def agreement_markdown(ctx: AgreementContext) -> str:
    lines: list[str] = [f"# {inline(ctx.title)}", "", escape(ctx.parties_heading), ""]
    for i, block in enumerate(ctx.parties):
        if i:
            lines += [escape(ctx.separator), ""]
        lines += [escape(block.intro), ""]
        if block.members:
            lines += [f"- {inline(name)}" for name in block.members] + [""]
        if block.closing:
            lines += [escape(block.closing), ""]
    if ctx.considerations:
        lines += [f"**{inline(ctx.considerations_heading)}**", ""]
        lines += [f"- {inline(c)}" for c in ctx.considerations] + [""]
    lines += [f"**{inline(ctx.agreement_heading)}**", ""]
    for section in ctx.sections:
        lines += [f"## {inline(section.heading)}", ""]
        for clause in section.clauses:
            for n, paragraph in enumerate(clause.paragraphs):
                label = f"**{clause.label}** " if clause.label and n == 0 else ""
                lines += [label + escape(paragraph), ""]
            for d in clause.definitions:
                lines += [f"{d.label} *{inline(d.term)}*: {inline(d.text)}", ""]
            if clause.article:
                lines += [f"### {inline(clause.article.heading)}", ""]
                for part in clause.article.parts:
                    lines += list(_part_md(part))
    lines += [escape(ctx.closing), ""]
    for group in ctx.signature_groups:
        lines += [escape(group.intro), ""]
        for s in group.signatories:
            lines += [f"- {inline(s.name)}"]
        lines += [""]
    lines += ["---", "", f"*{inline(ctx.footer)}*", ""]
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
    lines: list[str] = [ctx.title, "", ctx.parties_heading, ""]
    for i, block in enumerate(ctx.parties):
        if i:
            lines += [ctx.separator, ""]
        lines.append(block.intro)
        if block.members:
            lines.append("")
            lines += list(block.members)
        if block.closing:
            lines.append(block.closing)
        lines.append("")
    if ctx.considerations:
        lines += [ctx.considerations_heading, ""]
        lines += [f"- {c}" for c in ctx.considerations] + [""]
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
