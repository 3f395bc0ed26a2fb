"""A progression tool's skill page (seed 001), imported as one skill with weighted milestones.

The page, copied as plain text, looks like this:

    Description
    Develops expertise in ...                  <- description paragraphs (all kept)
    Milestone 1
    (adds 1 mile to your journey)              <- the milestone's points
    Works effectively within ...               <- its summary
    | Examples | |                             <- table header (column labels)
    |---|---|
    | Adds NodeJS endpoints | Added a trigger |  <- signal | example (either may be empty)
    ...
    Configuration Health                       <- usage data from here on: skipped
    Role & Position Requirements               <- "Buildersmust be milestone 1+": noted
    Examples / Observations
    Conversations about Servers                <- names the skill

Miles become each milestone's `points`, and since every milestone *adds* its miles the scoring
mode is `cumulative`. The page has no name line: the name comes from the usage sections
("An observation relating to Servers ...", "Conversations about Servers") or the file name.
"""

from __future__ import annotations

import re
from typing import Any

from .base import ImportFailed, ImportResult, LineTracker
from .seed_skill import (
    MAX_NAME,
    MAX_TEXT,
    Draft,
    Drafts,
    build_framework,
    category_note,
    join_paragraphs,
    name_from_filename,
    strip_bullet,
)

_DETECT_CHARS = 50_000
_MILESTONE = re.compile(r"milestone\s+(\d{1,9})\s*:?", re.IGNORECASE)
_MILES = re.compile(r"\(?adds\s+(\d{1,9})\s+miles?\s+to\s+your\s+journey\)?", re.IGNORECASE)
_SEPARATOR_CELL = re.compile(r":?-+:?")
_TABLE_LABELS = {"", "examples", "signals", "signal", "example"}
_MAX_POINTS = 1_000_000

_USAGE_SECTIONS = {
    "configuration health": "Configuration Health",
    "role & position requirements": "Role & Position Requirements",
    "role and position requirements": "Role & Position Requirements",
    "examples / observations": "Examples / Observations",
    "examples/observations": "Examples / Observations",
}
_CONVERSATIONS = "conversations about "
_NAMED_BY = re.compile(
    r"(?:conversations about\s(.+)|an observation relating to\s(.+?)\shas not been\b.*)",
    re.IGNORECASE,
)
_ROLE_RULE = re.compile(r"must be milestone\s*(\d{1,9})", re.IGNORECASE)


def _usage_section(text: str) -> str | None:
    folded = text.casefold()
    if folded in _USAGE_SECTIONS:
        return _USAGE_SECTIONS[folded]
    if folded.startswith(_CONVERSATIONS):
        return "Conversations about"
    return None


def _name_in(text: str) -> str | None:
    """The skill a usage line names: "Conversations about X", "An observation relating to X ..."."""
    match = _NAMED_BY.fullmatch(text)
    if not match:
        return None
    name = (match.group(1) or match.group(2) or "").strip()
    return name if 0 < len(name) <= MAX_NAME else None


def _cells(row: str) -> list[str]:
    inner = row[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [cell.strip() for cell in inner.split("|")]


class MilestonePageImporter:
    name = "milestone-page"
    label = (
        "Progression tool skill page (plain text: 'Milestone N', 'adds N miles', examples table)"
    )

    def detect(self, text: str, filename: str) -> float:
        head = text[:_DETECT_CHARS]
        if "ladders/v1" in head[:2000]:
            return 0.0
        milestones = miles = 0
        table = usage = False
        first = ""
        for line in head.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            first = first or stripped.casefold()
            if _MILESTONE.fullmatch(stripped):
                milestones += 1
            elif _MILES.fullmatch(stripped):
                miles += 1
            elif stripped.startswith("|") and _cells(stripped)[0].casefold() == "examples":
                table = True
            elif _usage_section(stripped):
                usage = True
        if not milestones:
            return 0.0
        score = 0.6 if miles else 0.0
        score += 0.15 * table + 0.1 * usage + 0.1 * (first == "description")
        return min(score, 0.95)

    def parse(self, text: str, filename: str) -> ImportResult:
        tracker = LineTracker(text, filename)
        drafts = Drafts(tracker, "milestone")
        description: list[tuple[int, str]] = []
        inferred: list[str] = []
        roles: list[tuple[int, str, str]] = []  # (line, role, milestone)
        name, name_line = "", 0
        draft: Draft | None = None
        section = "description"  # description | milestone | usage name | skipped milestone
        number = 0
        summary_done = table_seen = False
        miles_seen = False
        for line, raw in tracker.nonblank():
            stripped = raw.strip()
            if len(stripped) > MAX_TEXT:
                tracker.skip(line, f"longer than {MAX_TEXT} characters, the most a text may hold")
                continue
            found = _name_in(stripped)
            if found and not name:
                name, name_line = found, line
            usage = _usage_section(stripped)
            header = _MILESTONE.fullmatch(stripped)
            if stripped.casefold() == "description":
                section = "description"
                tracker.place(line)
            elif header:
                number = int(header.group(1))
                draft = drafts.open(number, line)
                section = "milestone" if draft else "skipped milestone"
                summary_done = table_seen = False
            elif usage:
                section = usage
                tracker.skip(line, f"usage data ('{usage}' section header), not framework content")
            elif section == "description":
                description.append((line, stripped))
            elif section == "skipped milestone":
                tracker.skip(line, f"under milestone {number}, outside 1..99")
            elif section == "milestone" and draft is not None:
                summary_done, table_seen, saw_miles = self._milestone_line(
                    tracker, drafts, draft, line, stripped, summary_done, table_seen
                )
                miles_seen = miles_seen or saw_miles
            else:
                reason = f"usage data ('{section}' section), not framework content"
                rule = _ROLE_RULE.search(stripped)
                role = strip_bullet(stripped[: rule.start()].strip())[1] if rule else ""
                if rule and role:
                    digits = rule.group(1)
                    roles.append((line, role, digits))
                    reason += f": role '{role}' requires milestone {digits}+; no track created"
                tracker.skip(line, reason)

        if not drafts.by_number:
            raise ImportFailed(
                "no 'Milestone N' headers found: not a milestone page", source=filename
            )
        milestones = drafts.finish()
        if not milestones:
            first = min(line for d in drafts.by_number.values() for line in d.headers)
            raise ImportFailed(
                "'Milestone N' headers found but none has a summary, signals or examples",
                source=filename,
                line=first,
            )
        if name:
            name_note = f"skill name '{name}' from line {name_line} (the page has no name line)"
        else:
            name = name_from_filename(filename)
            name_note = f"the page names no skill: name '{name}' taken from the file name"
        text_description, _ = join_paragraphs(tracker, description, "description")
        scoring: dict[str, Any] = {"mode": "cumulative"} if miles_seen else {}
        framework, key = build_framework(
            name=name,
            description=text_description,
            milestones=milestones,
            scoring=scoring,
            filename=filename,
        )
        inferred.append(f"{name_note}; key '{key}'")
        inferred.append(category_note(key))
        if miles_seen:
            points = ", ".join(f"{m['number']}: {m['points']}" for m in milestones if "points" in m)
            inferred.append(
                "scoring mode set to cumulative from 'adds N miles to your journey' "
                f"(each milestone adds its miles); milestone points {points}"
            )
        inferred += drafts.notes()
        inferred += [
            f"line {line}: role '{role}' must be at milestone {level}+ of '{key}' "
            "(usage data: noted only, no track or requirement created)"
            for line, role, level in roles
        ]
        report = tracker.report(self.name)
        report.inferred += inferred
        return ImportResult(framework, report)

    @staticmethod
    def _milestone_line(
        tracker: LineTracker,
        drafts: Drafts,
        draft: Draft,
        line: int,
        text: str,
        summary_done: bool,
        table_seen: bool,
    ) -> tuple[bool, bool, bool]:
        """Read one line inside a milestone block; returns (summary_done, table_seen, miles)."""
        miles = _MILES.fullmatch(text)
        if miles:
            value = int(miles.group(1))
            if value > _MAX_POINTS:
                tracker.skip(line, f"more than {_MAX_POINTS} miles, the most points allowed")
            elif draft.points is None or draft.points == value:
                draft.points = value
                tracker.place(line)
                return summary_done, table_seen, True
            else:
                tracker.skip(
                    line,
                    f"milestone {draft.number} already adds {draft.points} miles; "
                    f"this repeat says {value}",
                )
            return summary_done, table_seen, False
        if text.startswith("|"):
            cells = _cells(text)
            if not any(cells):
                tracker.skip(line, "an empty table row")
            elif all(_SEPARATOR_CELL.fullmatch(c) or not c for c in cells):
                tracker.skip(line, "table separator row (layout only)")
            elif not table_seen and all(c.casefold() in _TABLE_LABELS for c in cells):
                tracker.skip(line, "table header row (column labels only)")
            else:
                if cells[0]:
                    drafts.add_item(draft, "signal", cells[0], line)
                for cell in cells[1:]:
                    if cell:
                        drafts.add_item(draft, "example", cell, line)
            return summary_done, True, False
        if not summary_done and not table_seen:
            drafts.add_summary(draft, text, line)
            return True, table_seen, False
        tracker.skip(
            line, f"text in milestone {draft.number} outside its summary and examples table"
        )
        return summary_done, table_seen, False


IMPORTER = MilestonePageImporter()
