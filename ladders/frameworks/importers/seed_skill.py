"""A template library's skill page (seeds 000 and 002), imported as one skill.

The page, copied as plain text, looks like this:

    Templates                          <- page chrome
    Skill                              <- page chrome
    Servers                            <- the skill name
    Develops expertise in ...          <- the description
    Servers                            <- the name again
    Level 1                            <- milestone 1
    Works effectively within ...       <- its summary
      • Adds NodeJS endpoints ...      <- a signal
      • E.g. Added an IFTTT trigger    <- an example
    Level 2
    ...
    Build your own framework for free  <- page chrome

The page names no category, so the skill goes into a new category `skills` (said in the report).
Milestones get no points of their own: the scoring table applies.

The milestone drafts and the framework builder here are shared with `seed_milestones`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..errors import FrameworkInvalid
from ..loader import framework_from_data
from ..model import Framework
from .base import ImportFailed, ImportResult, LineTracker, document, slugify

MAX_TEXT = 10_000
MAX_NAME = 200
CATEGORY_KEY = "skills"
CATEGORY_NAME = "Skills"

_DETECT_CHARS = 50_000
_LEVEL = re.compile(r"level\s+(\d{1,9})\s*:?", re.IGNORECASE)
_EXAMPLE = re.compile(r"(?:e\.\s?g\.|eg\.|e\.g,|for example)[:,]?\s*", re.IGNORECASE)
_STRONG_BULLETS = "•·‣▪◦●○■□►▸"
_WEAK_BULLETS = "-*–—+"  # bullets only when followed by a space: "-5%" is text
_CHROME = {
    "templates": "page chrome (template library navigation)",
    "skill": "page chrome (template library navigation)",
    "build your own framework for free": "page chrome (call to action)",
    "skip to content": "page chrome (navigation)",
}
_HEX_OR_NUMBER = re.compile(r"\d+|(?=[a-f]*\d)[0-9a-f]{8,}", re.IGNORECASE)


def strip_bullet(text: str) -> tuple[bool, str]:
    """(is it a bullet, the text without the marker) for a stripped line."""
    if text and text[0] in _STRONG_BULLETS:
        return True, text[1:].strip()
    if len(text) >= 2 and text[0] in _WEAK_BULLETS and text[1].isspace():
        return True, text[2:].strip()
    if text in _WEAK_BULLETS and text:
        return True, ""
    return False, text


def strip_example(text: str) -> str | None:
    """The example without its "E.g." marker, or None when the text is not marked as one."""
    match = _EXAMPLE.match(text)
    return text[match.end() :].strip() if match else None


def name_from_filename(filename: str) -> str:
    """A name from the file's stem without numbers or hashes: 'servers_3f9a0c1d.txt' -> servers."""
    stem = PurePath(filename.replace("\\", "/")).stem if filename else ""
    words = [w for w in re.split(r"[\s_\-.]+", stem) if w and not _HEX_OR_NUMBER.fullmatch(w)]
    name = " ".join(words)[:MAX_NAME].strip()
    return name or "Skill"


@dataclass
class Draft:
    """One milestone as it is read, possibly from several blocks with the same number."""

    number: int
    headers: list[int] = field(default_factory=list)
    summary_lines: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    points: int | None = None
    seen: set[tuple[str, str]] = field(default_factory=set)  # (kind, text) already kept
    summary_size: int = 0

    @property
    def summary(self) -> str:
        return "\n".join(self.summary_lines)

    def has_content(self) -> bool:
        return bool(self.summary_lines or self.signals or self.examples)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"number": self.number}
        if self.summary_lines:
            data["summary"] = self.summary
        if self.signals:
            data["signals"] = self.signals
        if self.examples:
            data["examples"] = self.examples
        if self.points is not None:
            data["points"] = self.points
        return data


class Drafts:
    """The milestones of one skill, keyed by number, with every line they used placed."""

    def __init__(self, tracker: LineTracker, word: str) -> None:
        self.tracker = tracker
        self.word = word  # how the source calls a milestone: "level" or "milestone"
        self.by_number: dict[int, Draft] = {}
        self.repeated: list[tuple[int, int]] = []  # (number, line) of repeated headers

    def open(self, number: int, line: int) -> Draft | None:
        if not 1 <= number <= 99:
            self.tracker.skip(line, f"{self.word} {number} is outside 1..99, the milestones kept")
            return None
        draft = self.by_number.get(number)
        if draft is None:
            draft = self.by_number[number] = Draft(number)
        else:
            self.repeated.append((number, line))
        draft.headers.append(line)
        return draft

    def add_summary(self, draft: Draft, text: str, line: int) -> None:
        if ("summary", text) in draft.seen:
            self.tracker.place(line)  # the same summary again: already in the framework
        elif draft.summary_size + 1 + len(text) > MAX_TEXT:
            self.tracker.skip(
                line,
                f"the summary of {self.word} {draft.number} would exceed {MAX_TEXT} characters",
            )
        else:
            draft.seen.add(("summary", text))
            draft.summary_lines.append(text)
            draft.summary_size += len(text) + 1
            self.tracker.place(line)

    def add_item(self, draft: Draft, kind: str, text: str, line: int) -> None:
        """Add a signal or example (`kind`); the same text twice in one milestone is kept once."""
        if (kind, text) not in draft.seen:
            draft.seen.add((kind, text))
            (draft.signals if kind == "signal" else draft.examples).append(text)
        self.tracker.place(line)

    def finish(self) -> list[dict[str, Any]]:
        """Milestones in ascending order; a header with nothing under it is skipped, not kept."""
        out = []
        for number in sorted(self.by_number):
            draft = self.by_number[number]
            if not draft.has_content():
                for line in draft.headers:
                    self.tracker.skip(
                        line, f"{self.word} {number} has no summary, signals or examples"
                    )
                continue
            self.tracker.place(*draft.headers)
            out.append(draft.as_dict())
        return out

    def notes(self) -> list[str]:
        return [
            f"{self.word} {number} appears again at line {line}: its lines were merged into "
            f"milestone {number}"
            for number, line in self.repeated
        ]


def build_framework(
    *,
    name: str,
    description: str,
    milestones: list[dict[str, Any]],
    scoring: dict[str, Any],
    filename: str,
) -> tuple[Framework, str]:
    """A one-skill framework, validated; returns it with the skill's key."""
    key = slugify(name, "skill")
    skill = {
        "key": key,
        "name": name,
        "category": CATEGORY_KEY,
        "description": description,
        "milestones": milestones,
    }
    data = document(
        key=key,
        name=name,
        categories=[{"key": CATEGORY_KEY, "name": CATEGORY_NAME}],
        skills=[skill],
        tracks=[],
        scoring=scoring,
    )
    try:
        return framework_from_data(data, filename), key
    except FrameworkInvalid as exc:  # a bug here, but never a traceback for the user
        raise ImportFailed(
            f"the imported skill does not validate:\n{exc}", source=filename
        ) from None


def category_note(key: str) -> str:
    return (
        f"the page names no category: skill '{key}' was put in a new category "
        f"'{CATEGORY_KEY}' ({CATEGORY_NAME})"
    )


def join_paragraphs(
    tracker: LineTracker, paragraphs: list[tuple[int, str]], what: str
) -> tuple[str, list[str]]:
    """Distinct paragraphs joined by a blank line, up to MAX_TEXT; repeats are placed once."""
    kept: list[str] = []
    seen: set[str] = set()
    size = 0
    for line, text in paragraphs:
        if text in seen:
            tracker.place(line)
        elif size + len(text) + 2 > MAX_TEXT:
            tracker.skip(line, f"the {what} would exceed {MAX_TEXT} characters")
        else:
            kept.append(text)
            seen.add(text)
            size += len(text) + 2
            tracker.place(line)
    return "\n\n".join(kept), kept


class SkillPageImporter:
    name = "skill-page"
    label = "Template library skill page (plain text: 'Level N', bullets, 'E.g.' examples)"

    def detect(self, text: str, filename: str) -> float:
        head = text[:_DETECT_CHARS]
        if "ladders/v1" in head[:2000]:
            return 0.0
        levels = examples = bullets = 0
        top: list[str] = []
        for line in head.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            if len(top) < 2:
                top.append(stripped.casefold())
            if _LEVEL.fullmatch(stripped):
                levels += 1
                continue
            is_bullet, rest = strip_bullet(stripped)
            bullets += is_bullet
            examples += strip_example(rest) is not None
        if not levels:
            return 0.0
        score = 0.0
        if examples:
            score += 0.6
            if bullets >= levels:
                score += 0.05
        if top == ["templates", "skill"]:
            score += 0.2
        if "build your own framework for free" in text[-2000:].casefold():
            score += 0.1
        return min(score, 0.95)

    def parse(self, text: str, filename: str) -> ImportResult:
        tracker = LineTracker(text, filename)
        drafts = Drafts(tracker, "level")
        preamble: list[tuple[int, str]] = []
        body: list[tuple[int, str]] = []
        for number, line in tracker.nonblank():
            stripped = line.strip()
            if stripped.casefold() in _CHROME:
                tracker.skip(number, _CHROME[stripped.casefold()])
            elif len(stripped) > MAX_TEXT:
                tracker.skip(number, f"longer than {MAX_TEXT} characters, the most a text may hold")
            elif body or _LEVEL.fullmatch(stripped):
                body.append((number, stripped))
            else:
                preamble.append((number, stripped))
        if not body:
            raise ImportFailed("no 'Level N' headers found: not a skill page", source=filename)

        inferred: list[str] = []
        name, name_line = self._name(preamble)
        if name_line:
            tracker.place(*(n for n, t in preamble if t == name))
        else:
            name = name_from_filename(filename)
            inferred.append(f"the page names no skill: name '{name}' taken from the file name")
        description, paragraphs = join_paragraphs(
            tracker, [(n, t) for n, t in preamble if t != name], "description"
        )
        repeats = {name, *paragraphs}

        unbulleted: list[int] = []
        draft: Draft | None = None
        level = 0
        block_summary = False
        for number, stripped in body:
            header = _LEVEL.fullmatch(stripped)
            if header:
                level = int(header.group(1))
                draft = drafts.open(level, number)
                block_summary = False
                continue
            if draft is None:
                tracker.skip(number, f"under level {level}, outside 1..99")
                continue
            if stripped in repeats:
                tracker.place(number)  # the name or description again: already in the framework
                continue
            is_bullet, rest = strip_bullet(stripped)
            if not rest:
                tracker.skip(number, "an empty bullet")
                continue
            example = strip_example(rest)
            if example is not None:
                if example:
                    drafts.add_item(draft, "example", example, number)
                else:
                    tracker.skip(number, "an 'E.g.' marker with no example after it")
            elif is_bullet:
                drafts.add_item(draft, "signal", rest, number)
            elif not block_summary:
                drafts.add_summary(draft, rest, number)
                block_summary = True
            else:
                drafts.add_item(draft, "signal", rest, number)
                unbulleted.append(number)

        milestones = drafts.finish()
        if not milestones:
            raise ImportFailed(
                "'Level N' headers found but none has a summary, signals or examples",
                source=filename,
                line=body[0][0],
            )
        framework, key = build_framework(
            name=name, description=description, milestones=milestones, scoring={}, filename=filename
        )
        if name_line:
            inferred.insert(0, f"skill name '{name}' from line {name_line}; key '{key}'")
        inferred.append(category_note(key))
        inferred += drafts.notes()
        if unbulleted:
            shown = ", ".join(map(str, unbulleted[:10])) + (", ..." if len(unbulleted) > 10 else "")
            inferred.append(
                f"lines {shown}: text without a bullet after a level's summary read as signals"
            )
        report = tracker.report(self.name)
        report.inferred += inferred
        return ImportResult(framework, report)

    @staticmethod
    def _name(preamble: list[tuple[int, str]]) -> tuple[str, int]:
        """The skill name and its first line: the line the page repeats, else a short first line."""
        seen: set[str] = set()
        for _, text in preamble:
            if text in seen and len(text) <= MAX_NAME:
                return text, next(n for n, t in preamble if t == text)
            seen.add(text)
        if preamble:
            line, text = preamble[0]
            if len(text) <= MAX_NAME and len(text.split()) <= 8 and not text.endswith("."):
                return text, line
        return "", 0


IMPORTER = SkillPageImporter()
