"""The promotion packet as Markdown, for people to read and paste into a promotion case.

Plain Python rather than a template: Markdown is whitespace-sensitive and template tags leave
blank lines wherever they sit. Texts stay as written (observation Markdown is quoted, not
escaped).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from ladders.frameworks.model import Level

from .packet import (
    Kind,
    Packet,
    PacketCheckIn,
    PacketObservation,
    PacketRequirement,
    SkillEvidence,
)


def _level_name(level: Level) -> str:
    return f"{level.code} {level.title}" if level.title else level.code


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _quote(text: str, indent: str = "") -> list[str]:
    return [f"{indent}> {line}".rstrip() for line in text.strip().splitlines()] or [f"{indent}>"]


def _observation_md(o: PacketObservation, indent: str = "") -> list[str]:
    obs = o.observation
    tags = ", ".join(f"{t.name} {t.milestone}" if t.milestone else t.name for t in o.tags)
    head = f"{indent}- Observation by {obs.author.name}, {day(obs.observed_on)}"
    head += (" (private)" if o.is_private else "") + (f" · {tags}" if tags else "")
    link = [f"{indent}  Link: <{obs.link}>"] if obs.link else []
    return [head, *link, "", *_quote(obs.text, indent + "  "), ""]


def _skill_md(skill: SkillEvidence) -> list[str]:
    standing = (
        f"Milestone {skill.reached} reached, worth {_n(skill.points, 'point')}."
        if skill.reached
        else "Not started."
    )
    lines = [
        f"{standing} {_n(len(skill.attainments), 'certified milestone')}, "
        f"{_n(skill.observation_count, 'observation')}.",
        "",
    ]
    for held in skill.attainments:
        a = held.attainment
        lines.append(
            f"- **Milestone {a.milestone}** certified by {a.certified_by.name} "
            f"on {day(timezone.localdate(a.certified_at))}"
        )
        if not held.evidence:
            lines.append("  - no evidence attached")
        for o in held.evidence:
            lines += _observation_md(o, "  ")
    if skill.observations:
        lines += ["", f"Other observations tagged {skill.name}:", ""]
        for o in skill.observations:
            lines += _observation_md(o)
    return [*lines, ""]


def _requirement_md(row: PacketRequirement) -> list[str]:
    r = row.result
    gap = "" if r.met else f", {r.missing} short"
    lines = [f"### {'Met' if r.met else 'Not met'}: {r.label}", ""]
    lines += [f"Has {r.actual}, needs {r.required}{gap}.", ""]
    if r.kind is Kind.MILESTONE:
        return lines + _skill_md(row.skills[0])
    if r.kind is Kind.CATEGORY_POINTS:
        lines += [
            f"{_n(row.attainment_count, 'certified milestone')} and "
            f"{_n(row.observation_count, 'observation')} across its skills.",
            "",
            "| Skill | Milestone | Points | Certified | Observations |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {s.name} | {s.reached} | {s.points} | {len(s.attainments)} "
            f"| {s.observation_count} |"
            for s in row.skills
        ]
        return [*lines, ""]
    lines += ["| Category | Points | Most possible |", "|---|---:|---:|"]
    return [*lines, *(f"| {c.name} | {c.points} | {c.most} |" for c in row.categories), ""]


def _check_in_md(row: PacketCheckIn) -> list[str]:
    c = row.check_in
    lines = [f"### Check-in as of {day(c.as_of)}: {c.get_state_display()}", ""]
    lines.append(f"- Opened on {day(timezone.localdate(c.created_at))}")
    if c.agreed_at is not None:
        by = f" by {c.agreed_by.name}" if c.agreed_by else ""
        lines.append(f"- Agreed on {day(timezone.localdate(c.agreed_at))}{by}")
    if row.agreed:
        ratings = ", ".join(f"{r.skill_name} {r.milestone}" for r in row.agreed)
        lines.append(f"- Agreed milestones: {ratings}")
    if c.summary:
        lines += ["", "Summary:", "", *_quote(c.summary)]
    return [*lines, ""]


def _header_md(packet: Packet) -> list[str]:
    level, current, position = packet.level, packet.current_level, packet.position
    since = f" (in this position since {day(position.started_on)})" if position else ""
    manager = [f"- Manager: {packet.person.manager.name}"] if packet.person.manager else []
    return [
        f"# Promotion packet: {packet.person.name}",
        "",
        f"- Target: **{level.code}{f' {level.title}' if level.title else ''}** "
        f"on {packet.track.name}",
        f"- Current level: {_level_name(current) if current else 'below the first level'}{since}",
        *manager,
        f"- Framework: {packet.doc.name}",
        f"- Prepared on {day(packet.generated_on)} by {packet.prepared_by}",
        "",
        f"Only the observations {packet.prepared_by} may see are included; private ones are "
        "marked. Share this packet only with people entitled to read them.",
        "",
    ]


def _readiness_md(packet: Packet) -> list[str]:
    ready = packet.readiness
    if ready.ready:
        verdict = f"Every requirement of {packet.level.code} is met."
    else:
        short = f", {_n(ready.points_missing, 'point')} short" if ready.points_missing else ""
        verdict = f"{packet.met_count} of {_n(len(ready.results), 'requirement')} met{short}."
    lines = ["## Readiness", "", f"{verdict} Points: {ready.points}.", ""]
    lines += [
        f"Evidence: {_n(packet.attainment_count, 'certified milestone')}, "
        f"{_n(packet.observation_count, 'observation')}.",
        "",
    ]
    if packet.requirements:
        lines += ["| Requirement | Has | Needs | Met |", "|---|---:|---:|---|"]
        lines += [
            f"| {r.result.label} | {r.result.actual} | {r.result.required} "
            f"| {'yes' if r.result.met else 'no'} |"
            for r in packet.requirements
        ]
        lines.append("")
    return lines


def packet_markdown(packet: Packet) -> str:
    """The packet as one Markdown document, section for section as the HTML page."""
    lines = [*_header_md(packet), *_readiness_md(packet), "## Requirements", ""]
    if not packet.requirements:
        lines += [f"{packet.level.code} lists no checked requirements.", ""]
    for row in packet.requirements:
        lines += _requirement_md(row)
    if packet.other_skills:
        lines += ["## Other skills", ""]
        for skill in packet.other_skills:
            lines += [f"### {skill.name} ({skill.category})", "", *_skill_md(skill)]
    lines += ["## Check-ins", ""]
    latest = packet.latest_agreed
    if latest is not None:
        lines += [f"Manager's latest summary (check-in as of {day(latest.check_in.as_of)}):", ""]
        lines += [*_quote(latest.check_in.summary or "(no summary written)"), ""]
    if not packet.check_ins:
        lines += ["No check-ins yet.", ""]
    for check_in in packet.check_ins:
        lines += _check_in_md(check_in)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
