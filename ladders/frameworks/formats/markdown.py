"""A framework as one Markdown document, for wikis and pull-request reviews."""

from __future__ import annotations

from ..model import Framework, Level, Skill
from ..scoring import milestone_points, skill_points


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _skill_section(fw: Framework, skill: Skill) -> list[str]:
    lines = [f"### {skill.name}", ""]
    if skill.description:
        lines += [skill.description, ""]
    for m in skill.milestones:
        added = milestone_points(fw, skill, m)
        if fw.scoring.mode == "cumulative":
            worth = f"adds {added}, {skill_points(fw, skill, m.number)} in total"
        else:
            worth = f"{added} point{'' if added == 1 else 's'}"
        lines += [f"#### Milestone {m.number} ({worth})", ""]
        if m.summary:
            lines += [m.summary, ""]
        if m.signals:
            lines += ["Signals:", ""] + [f"- {s}" for s in m.signals] + [""]
        if m.examples:
            lines += ["Examples:", ""] + [f"- {e}" for e in m.examples] + [""]
    return lines


def _requirements(fw: Framework, level: Level) -> str:
    req = level.requirements
    parts = []
    for key, n in req.milestones.items():
        skill = fw.skill(key)
        parts.append(f"{skill.name if skill else key} ≥ {n}")
    if req.min_points is not None:
        parts.append(f"{req.min_points}+ points")
    for key, n in req.category_points.items():
        cat = fw.category(key)
        parts.append(f"{n}+ points in {cat.name if cat else key}")
    return "; ".join(parts)


def to_markdown(fw: Framework) -> str:
    lines = [f"# {fw.name}", ""]
    if fw.description:
        lines += [fw.description, ""]
    for category in fw.categories:
        lines += [f"## {category.name}", ""]
        if category.description:
            lines += [category.description, ""]
        for skill in fw.skills:
            if skill.category == category.key:
                lines += _skill_section(fw, skill)
    for track in fw.tracks:
        lines += [f"## Track: {track.name}", ""]
        if track.description:
            lines += [track.description, ""]
        lines += ["| Level | Title | Summary | Requirements |", "|---|---|---|---|"]
        for level in track.levels:
            cells = [level.code, level.title, level.summary, _requirements(fw, level)]
            lines.append("| " + " | ".join(_escape_cell(c) for c in cells) + " |")
        lines.append("")
        for level in track.levels:
            lines += [f"### {level.code}{' · ' + level.title if level.title else ''}", ""]
            for label, text in (
                ("Experience", level.experience),
                ("Responsibility", level.responsibility),
            ):
                if text:
                    lines += [f"**{label}:** {text}", ""]
            for group in level.expectations:
                if group.topic:
                    lines += [f"**{group.topic}**", ""]
                lines += [f"- {item}" for item in group.items] + [""]
    lines += _scoring(fw)
    return "\n".join(lines).rstrip() + "\n"


def _scoring(fw: Framework) -> list[str]:
    sc = fw.scoring
    mode = (
        "each milestone adds its points to the skill"
        if sc.mode == "cumulative"
        else "a skill is worth the points of its highest milestone"
    )
    lines = ["## Scoring", "", f"Mode: {sc.mode} ({mode}).", ""]
    lines += ["| Milestone | Points |", "|---|---|"]
    lines += [f"| {n} | {p} |" for n, p in sorted(sc.points.items())] + [""]
    if sc.levels:
        lines += ["| From points | Level |", "|---|---|"]
        lines += [f"| {t.min_points} | {_escape_cell(t.code)} |" for t in sc.levels] + [""]
    if sc.titles:
        lines += ["| Title | Points | Track |", "|---|---|---|"]
        for t in sc.titles:
            span = (
                f"{t.min_points}–{t.max_points}" if t.max_points is not None else f"{t.min_points}+"
            )
            lines.append(f"| {_escape_cell(t.name)} | {span} | {t.track or 'any'} |")
        lines.append("")
    if sc.category_caps:
        lines += [f"- {k} is capped at {v} points" for k, v in sc.category_caps.items()] + [""]
    return lines
