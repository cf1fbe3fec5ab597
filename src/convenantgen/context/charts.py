"""Monitoring charts for the public site: results per school year against a target, as SVG.

Pure Python string building, no JavaScript and no chart library, so the chart is part of the
static page, reproducible byte for byte, and readable without scripts. Accessibility: the SVG
has ``role="img"`` with a ``<title>`` and ``<desc>`` (the desc says every value in words), every
bar carries a text label with its value, and the colours pass WCAG AA contrast on white.
An illustrative (made-up) result is hatched and labelled "illustratief".
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

WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 48, 64
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
    """An SVG bar chart of ``points`` with a dashed line at the target value.

    ``chart_id`` makes the ids of ``<title>``/``<desc>`` unique when several charts share a page.
    ``title`` and the texts are plain text; they are escaped here. The description and the
    target's legend are the wording's ``charts`` entries.
    """
    words = words or Wording.default()
    top_value = max([p.value for p in points] + ([target_value] if target_value else []) + [0])
    y_max = _nice_max(top_value * 1.15)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h - (value / y_max) * plot_h

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

    ids = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cg-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-labelledby="{ids[0]} {ids[1]}" font-family="sans-serif" font-size="13">',
        f'<title id="{ids[0]}">{escape(title)}</title>',
        f'<desc id="{ids[1]}">{escape(desc)}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="8" height="8" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="#ffffff"/>'
        f'<rect width="4" height="8" fill="{BAR}"/></pattern></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    # Axis with five ticks, labelled in Dutch number notation.
    for i in range(6):
        value = y_max * i / 5
        ty = y(value)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(ty)}" y2="{_num(ty)}" '
            f'stroke="{GRID}" stroke-width="{1 if i == 0 else 0.5}"/>'
        )
        # A count's axis shows bare numbers; the bars say what is counted.
        tick = (
            fmt.number(round(value, 2))
            if unit in {"count", ""}
            else fmt.quantity(round(value, 2), unit)
        )
        out.append(
            f'<text x="{LEFT - 8}" y="{_num(ty + 4)}" text-anchor="end" fill="{MUTED}">'
            f"{escape(tick)}</text>"
        )
    slot = plot_w / max(len(points), 1)
    bar_w = min(80.0, slot * 0.6)
    labels: list[str] = []  # value labels go last, on top of the target line
    for i, p in enumerate(points):
        cx = LEFT + slot * (i + 0.5)
        top = y(p.value)
        fill = f"url(#{chart_id}-hatch)" if p.illustrative else BAR
        out.append(
            f'<rect x="{_num(cx - bar_w / 2)}" y="{_num(top)}" width="{_num(bar_w)}" '
            f'height="{_num(TOP + plot_h - top)}" fill="{fill}" stroke="{BAR}" stroke-width="2"/>'
        )
        labels.append(
            f'<text x="{_num(cx)}" y="{_num(top - 6)}" text-anchor="middle" fill="{INK}" '
            f'font-weight="bold" {HALO}>{escape(p.text)}</text>'
        )
        out.append(
            f'<text x="{_num(cx)}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" '
            f'fill="{INK}">{escape(p.label)}</text>'
        )
        if p.illustrative:
            out.append(
                f'<text x="{_num(cx)}" y="{HEIGHT - BOTTOM + 38}" text-anchor="middle" '
                f'fill="{MUTED}" font-style="italic">illustratief</text>'
            )
    if target_value is not None:
        # The target line over the bars; its label is a legend above the plot, where it
        # cannot collide with a bar's value.
        ty = y(target_value)
        dash = f'stroke="{TARGET}" stroke-width="2.5" stroke-dasharray="8 5"'
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(ty)}" y2="{_num(ty)}" {dash}/>'
        )
        out.append(f'<line x1="{LEFT}" x2="{LEFT + 32}" y1="18" y2="18" {dash}/>')
        out.append(
            f'<text x="{LEFT + 40}" y="22" fill="{TARGET}" font-weight="bold">'
            f"{escape(words.text('charts.target', target=target_text))}</text>"
        )
    out.extend(labels)
    out.append("</svg>")
    return "".join(out)
