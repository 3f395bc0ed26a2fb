"""Charts of the level distribution and time-in-level reports: server-drawn SVG, readable in
print."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from ladders.frameworks.chart import PALETTE

from .distribution import MIN_COMPLETED, TeamRef, TrackDistribution, TrackTime, _sorted_teams

INK, MUTED, GRID, ALERT = "#24292f", "#57606a", "#d0d7de", "#b91c1c"


def _n(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def team_colours(teams: Iterable[TeamRef]) -> dict[TeamRef, str]:
    """One colour per team, stable across the tracks of one report."""
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(_sorted_teams(teams))}


def _svg_head(width: int, height: float, title: str, desc: str, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {width} {_n(height)}" '
        f'width="{width}" height="{_n(height)}" role="img">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )


def distribution_svg(td: TrackDistribution, colours: dict[TeamRef, str]) -> str:
    """Stacked bars: one per level in track order, one segment per team, the total on top."""
    width, bottom, left, right, plot_h = 640, 34, 34, 10, 170
    legend: list[str] = []
    x, y = left, 6.0
    for team in td.teams:  # the legend above the plot, wrapped to the chart's width
        room = 30 + 7 * len(team.name)
        if x > left and x + room > width - right:
            x, y = left, y + 18
        legend.append(
            f'<rect x="{x}" y="{y}" width="11" height="11" fill="{colours[team]}"/>'
            f'<text x="{x + 15}" y="{y + 10}" font-size="12" fill="{INK}">'
            f"{escape(team.name)}</text>"
        )
        x += room
    top = y + 38
    height = top + plot_h + bottom
    title = f"{td.track.name} ({td.track.framework_name}): people at each level now"
    desc = "; ".join(f"{lv.code}: {lv.now}" for lv in td.levels)
    parts = [_svg_head(width, height, title, desc, "report-chart levels-chart"), *legend]
    highest = max((lv.now for lv in td.levels), default=0) or 1
    step = max(1, -(-highest // 4))
    scale = plot_h / (step * -(-highest // step))
    base = top + plot_h
    for tick in range(0, highest + step, step):
        y = base - tick * scale
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_n(y)}" y2="{_n(y)}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{_n(y + 4)}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{tick}</text>'
        )
    slot = (width - left - right) / max(len(td.levels), 1)
    bar = min(56.0, slot * 0.6)
    for i, lv in enumerate(td.levels):
        cx = left + slot * (i + 0.5)
        y = base
        for team, count in zip(td.teams, lv.by_team, strict=True):
            if not count:
                continue
            h = count * scale
            y -= h
            parts.append(
                f'<rect x="{_n(cx - bar / 2)}" y="{_n(y)}" width="{_n(bar)}" height="{_n(h)}" '
                f'fill="{colours[team]}" stroke="#ffffff"><title>{escape(team.name)}: {count} '
                f"at {escape(lv.code)}</title></rect>"
            )
        parts.append(
            f'<text x="{_n(cx)}" y="{_n(y - 5)}" font-size="12" font-weight="700" '
            f'text-anchor="middle" fill="{INK}">{lv.now}</text>'
            f'<text x="{_n(cx)}" y="{base + 18}" font-size="12" text-anchor="middle" '
            f'fill="{INK}">{escape(lv.code)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def time_svg(tt: TrackTime) -> str:
    """Per level: a bar for the median months before moving up, a dashed line at the usual time
    and a dot for each person at the level now (red when past the usual time)."""
    width, left, right, top, row = 640, 64, 70, 28, 34
    height = top + row * len(tt.levels) + 40
    span = max(
        [lv.typical_months for lv in tt.levels] + [p.months for lv in tt.levels for p in lv.people]
    )
    span = 6 * (int(span // 6) + 1)
    scale = (width - left - right) / span
    title = f"{tt.track.name} ({tt.track.framework_name}): months in each level"
    desc = "; ".join(
        f"{lv.code}: median before moving up "
        + (
            f"{lv.median_completed_months} months"
            if lv.median_completed_months is not None
            else f"not shown ({len(lv.completed)} moves up, fewer than {MIN_COMPLETED})"
        )
        + f", {len(lv.people)} there now"
        for lv in tt.levels
    )
    parts = [_svg_head(width, height, title, desc, "report-chart time-chart")]
    axis = top + row * len(tt.levels)
    for tick in range(0, span + 1, 6):
        x = left + tick * scale
        parts.append(
            f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{top - 4}" y2="{axis}" stroke="{GRID}"/>'
            f'<text x="{_n(x)}" y="{axis + 15}" font-size="11" text-anchor="middle" '
            f'fill="{MUTED}">{tick}</text>'
        )
    parts.append(
        f'<text x="{_n(left + (width - left - right) / 2)}" y="{axis + 32}" font-size="11" '
        f'text-anchor="middle" fill="{MUTED}">months in level</text>'
        f'<text x="{left}" y="14" font-size="11" fill="{MUTED}">Bar: median months before '
        f"moving up · dashed line: usual time · dot: someone at the level now</text>"
    )
    for i, lv in enumerate(tt.levels):
        y = top + row * i
        mid = y + row / 2
        parts.append(
            f'<text x="{left - 8}" y="{_n(mid + 4)}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(lv.code)}</text>'
        )
        done = lv.median_completed_months
        if done is not None:
            parts.append(
                f'<rect x="{left}" y="{_n(y + 8)}" width="{_n(done * scale)}" height="{row - 16}" '
                f'fill="{PALETTE[0]}" fill-opacity="0.35"><title>{escape(lv.code)}: median '
                f"{done} months over {len(lv.completed)} moves up</title></rect>"
            )
        typical = left + lv.typical_months * scale
        parts.append(
            f'<line x1="{_n(typical)}" x2="{_n(typical)}" y1="{y + 4}" y2="{y + row - 4}" '
            f'stroke="{INK}" stroke-dasharray="3 2"/>'
        )
        for p in lv.people:
            colour = ALERT if p.past_typical else INK
            parts.append(
                f'<circle cx="{_n(left + p.months * scale)}" cy="{_n(mid)}" r="4.5" '
                f'fill="{colour}" stroke="#ffffff"><title>{escape(p.person.name)}: '
                f"{p.months} months</title></circle>"
            )
        parts.append(
            f'<text x="{width - right + 6}" y="{_n(mid + 4)}" font-size="12" '
            f'fill="{INK}">{len(lv.people)} now</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
