"""Monitoring charts for the public site: results per school year against a target, as SVG.

Pure Python string building, no JavaScript and no chart library, so the chart is part of the
static page, reproducible byte for byte, and readable without scripts. Accessibility: the SVG
has ``role="img"`` with a ``<title>`` and ``<desc>`` (the desc says every value in words), every
bar carries a text label with its value, and the colours pass WCAG AA contrast on white.
An illustrative (made-up) result is hatched and labelled (wording ``charts.illustrative``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from ..model.derive import meets as met  # noqa: F401 - one rule for 'met', shared with the site
from ..text import formatting as fmt
from ..text.wording import Wording

# Colours with a contrast of at least 4.5:1 against white (text) or 3:1 (graphics).
INK = "#1f1f1f"
MUTED = "#4d4d4d"
BAR = "#01689b"  # 5.9:1 on white
TARGET = "#a4004d"  # 7.6:1 on white
GRID = "#767676"

# Drawn at the width of a phone's column, one row per school year with its bars across: at
# 390 px the site's column is 358 px wide, so text of 14 units shows at about 14 px (the
# earlier 640-unit chart of upright bars showed its labels at 7 px). A desktop shows it at its
# own width.
WIDTH = 360
FONT = 14
CHAR = 0.56 * FONT  # the width of an average character of a sans-serif font
LEFT, RIGHT = 4, 20
ROW = 52  # a row: its label line, then its bar
BAR_H = 18
LEGEND = 30  # the target's legend above the rows, one line
AXIS = 30  # the scale under the rows
# Text drawn over lines and bars gets a white outline so it stays readable.
HALO = 'paint-order="stroke" stroke="#ffffff" stroke-width="4" stroke-linejoin="round"'


@dataclass(frozen=True)
class ChartPoint:
    """One measured value: the school-year label, the value, its Dutch text, whether it is real."""

    label: str
    value: float
    text: str
    illustrative: bool
    met: bool | None


def _nice_max(value: float) -> float:
    """A round upper bound for the axis (1, 2, 2.5, 5 or 10 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _num(value: float) -> str:
    """Coordinates with at most one decimal: stable output across platforms."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _lines(text: str, room: float) -> list[str]:
    """``text`` in lines of at most ``room`` units wide (by the average character)."""
    most = max(int(room / CHAR), 8)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def results_chart(
    *,
    chart_id: str,
    title: str,
    points: list[ChartPoint],
    target_value: float | None,
    target_text: str,
    unit: str,
    words: Wording | None = None,
) -> str:
    """An SVG chart of ``points``: a row per school year (its label and value, then a bar) and
    a dashed line across the rows at the target value.

    ``chart_id`` makes the ids of ``<title>``/``<desc>`` unique when several charts share a page.
    ``title`` and the texts are plain text; they are escaped here. The description and the
    target's legend are the wording's ``charts`` entries.
    """
    words = words or Wording.default()
    top_value = max([p.value for p in points] + ([target_value] if target_value else []) + [0])
    x_max = _nice_max(top_value * 1.1)
    plot_w = WIDTH - LEFT - RIGHT

    def x(value: float) -> float:
        return LEFT + (value / x_max) * plot_w

    descs = [
        words.text(
            "charts.point", year=p.label, result=p.text, met=p.met, illustrative=p.illustrative
        )
        for p in points
    ]
    desc = words.text(
        "charts.description",
        points="; ".join(descs),
        has_target=target_value is not None,
        target=target_text,
    )
    legend = (
        _lines(words.text("charts.target", target=target_text), WIDTH - LEFT - 40)
        if target_value is not None
        else []
    )
    top = LEGEND + (len(legend) - 1) * (FONT + 4) if legend else 8
    rows_h = ROW * max(len(points), 1)
    height = top + rows_h + AXIS

    ids = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cg-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{ids[0]} {ids[1]}" font-family="sans-serif" font-size="{FONT}">',
        f'<title id="{ids[0]}">{escape(title)}</title>',
        f'<desc id="{ids[1]}">{escape(desc)}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="8" height="8" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="#ffffff"/>'
        f'<rect width="4" height="8" fill="{BAR}"/></pattern></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    # The scale: 0, half and the top, in Dutch number notation, under grid lines.
    bottom = top + rows_h
    for i, anchor in enumerate(("start", "middle", "end")):
        value = x_max * i / 2
        tx = x(value)
        out.append(
            f'<line x1="{_num(tx)}" x2="{_num(tx)}" y1="{top}" y2="{bottom}" '
            f'stroke="{GRID}" stroke-width="{1 if i == 0 else 0.5}"/>'
        )
        # A count's scale shows bare numbers; the rows say what is counted.
        tick = (
            fmt.number(round(value, 2))
            if unit in {"count", ""}
            else fmt.quantity(round(value, 2), unit)
        )
        out.append(
            f'<text x="{_num(tx)}" y="{bottom + 20}" text-anchor="{anchor}" fill="{MUTED}">'
            f"{escape(tick)}</text>"
        )
    labels: list[str] = []  # the rows' text goes last, over the grid and the target line
    made_up = escape(words.text("charts.illustrative"))
    for i, p in enumerate(points):
        row = top + ROW * i
        fill = f"url(#{chart_id}-hatch)" if p.illustrative else BAR
        labels.append(
            f'<text x="{LEFT}" y="{row + 18}" fill="{INK}" {HALO}>{escape(p.label)}: '
            f'<tspan font-weight="bold">{escape(p.text)}</tspan>'
            + (
                f' <tspan fill="{MUTED}" font-style="italic">{made_up}</tspan>'
                if p.illustrative
                else ""
            )
            + "</text>"
        )
        out.append(
            f'<rect x="{LEFT}" y="{row + 26}" width="{_num(max(x(p.value) - LEFT, 0))}" '
            f'height="{BAR_H}" fill="{fill}" stroke="{BAR}" stroke-width="2"/>'
        )
    if target_value is not None:
        # The target line across the rows; its label is a legend above them, where it cannot
        # collide with a row's text.
        tx = x(target_value)
        dash = f'stroke="{TARGET}" stroke-width="2.5" stroke-dasharray="8 5"'
        out.append(f'<line x1="{_num(tx)}" x2="{_num(tx)}" y1="{top}" y2="{bottom}" {dash}/>')
        out.append(f'<line x1="{LEFT}" x2="{LEFT + 32}" y1="16" y2="16" {dash}/>')
        out.append(
            f'<text x="{LEFT + 40}" y="21" fill="{TARGET}" font-weight="bold">'
            + "".join(
                f'<tspan x="{LEFT + 40}" dy="{0 if n == 0 else FONT + 4}">{escape(line)}</tspan>'
                if len(legend) > 1
                else escape(line)
                for n, line in enumerate(legend)
            )
            + "</text>"
        )
    out.extend(labels)
    out.append("</svg>")
    return "".join(out)
