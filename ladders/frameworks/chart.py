"""The snowflake chart: a server-drawn SVG polar chart of one milestone map.

One wedge per skill in framework order, starting at twelve o'clock and going clockwise; one band
per milestone of the skill, from the centre out. Bands up to the milestone reached are filled
with the colour of the skill's category; the others are only outlined. Pure Python, no Django:
the same map always gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape

from .model import Framework

# The same eight colours, in the same order, as `cat-0` .. `cat-7` of the HTML export.
PALETTE = (
    "#1d4ed8",
    "#15803d",
    "#b45309",
    "#be185d",
    "#6d28d9",
    "#0e7490",
    "#b91c1c",
    "#4d7c0f",
)
NO_CATEGORY = "#57606a"


def _n(value: float) -> str:
    """A coordinate written the same way on every platform."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _point(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _band_path(cx: float, cy: float, inner: float, outer: float, start: float, end: float) -> str:
    """An annular sector between two radii and two angles (radians, clockwise from +x)."""
    large = 1 if end - start > math.pi else 0
    x1, y1 = _point(cx, cy, outer, start)
    x2, y2 = _point(cx, cy, outer, end)
    x3, y3 = _point(cx, cy, inner, end)
    x4, y4 = _point(cx, cy, inner, start)
    return (
        f"M{_n(x1)} {_n(y1)}A{_n(outer)} {_n(outer)} 0 {large} 1 {_n(x2)} {_n(y2)}"
        f"L{_n(x3)} {_n(y3)}A{_n(inner)} {_n(inner)} 0 {large} 0 {_n(x4)} {_n(y4)}Z"
    )


def _wrap(text: str, width: int) -> list[str]:
    """Words of `text` on lines of about `width` characters, at most three lines."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 3:
        lines = [*lines[:2], " ".join(lines[2:])]
    return lines or [""]


def category_colours(fw: Framework) -> dict[str, str]:
    """The colour of each category key, by category order."""
    return {c.key: PALETTE[i % len(PALETTE)] for i, c in enumerate(fw.categories)}


def snowflake_svg(fw: Framework, milestones: Mapping[str, int], *, size: int = 420) -> str:
    """The chart of `milestones` (skill key -> highest milestone reached) as an SVG string."""
    colours = category_colours(fw)
    skills = list(fw.skills)
    title = f"{fw.name}: milestones reached per skill"
    reached_count = sum(1 for s in skills if milestones.get(s.key, 0) > 0)
    desc = f"{len(skills)} skills; {reached_count} with at least one milestone reached."
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="snowflake" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" role="img" '
        f'aria-labelledby="snowflake-title snowflake-desc">'
        f'<title id="snowflake-title">{escape(title)}</title>'
        f'<desc id="snowflake-desc">{escape(desc)}</desc>'
    )
    if not skills:
        return head + "</svg>"

    cx = cy = size / 2
    margin = max(24.0, size * 0.2)  # room for the labels
    outer = size / 2 - margin
    hole = outer * 0.08
    rings = max((len(s.milestones) for s in skills), default=0) or 1
    step = (outer - hole) / rings
    width = 2 * math.pi / len(skills)
    gap = min(0.02, width * 0.05)
    font = max(8, round(size / 40))

    parts = [head]
    for index, skill in enumerate(skills):
        start = -math.pi / 2 + index * width + gap
        end = -math.pi / 2 + (index + 1) * width - gap
        colour = colours.get(skill.category, NO_CATEGORY)
        reached = milestones.get(skill.key, 0)
        top = skill.max_milestone
        shown = max(0, min(reached, top))
        parts.append(
            f'<g class="snowflake-wedge" data-skill="{escape(skill.key)}" '
            f'data-milestone="{shown}">'
            f"<title>{escape(skill.name)}: milestone {shown} of {top}</title>"
        )
        for ring, milestone in enumerate(skill.milestones):
            inner_r = hole + ring * step
            path = _band_path(cx, cy, inner_r, inner_r + step, start, end)
            if milestone.number <= reached:
                parts.append(
                    f'<path class="band filled" data-milestone="{milestone.number}" d="{path}" '
                    f'fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
                )
            else:
                parts.append(
                    f'<path class="band" data-milestone="{milestone.number}" d="{path}" '
                    f'fill="none" stroke="{colour}" stroke-opacity="0.45" stroke-width="1"/>'
                )
        parts.append("</g>")

    for index, skill in enumerate(skills):
        middle = -math.pi / 2 + (index + 0.5) * width
        x, y = _point(cx, cy, outer + font * 0.9, middle)
        cos = math.cos(middle)
        anchor = "middle" if abs(cos) < 0.25 else ("start" if cos > 0 else "end")
        baseline = "hanging" if math.sin(middle) > 0.5 else "auto"
        lines = _wrap(skill.name, 13)
        if baseline == "auto" and len(lines) > 1 and math.sin(middle) < -0.5:
            y -= font * (len(lines) - 1)  # grow upwards above the chart
        elif abs(math.sin(middle)) <= 0.5:
            y -= font * (len(lines) - 1) / 2  # centre beside the chart
        spans = "".join(
            f'<tspan x="{_n(x)}" dy="{0 if i == 0 else font}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<text class="snowflake-label" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" '
            f'dominant-baseline="{baseline}" font-size="{font}" fill="#24292f">{spans}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
