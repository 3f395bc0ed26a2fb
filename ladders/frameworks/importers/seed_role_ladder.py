"""A role ladder as plain text: a role title, "Level N" blocks, topic headings and bullets.

    Backend Developer
    Level 1
    Mastery
      • Fixes simple bugs
      • Masters the basic git
    Example: Checkout, Push, Pull          <- continues the bullet above
    Impact
      • Delivers assigned tasks
    Level 2
    ...

Each topic (Mastery, Impact, ...) becomes a skill, and level n's bullets under it become the
signals of the skill's milestone n. All the skills go into one category named after the role
(key ``backend-developer``, name "Backend Developer"): the topics are facets of one role, not
groups of skills. The role becomes one track whose level n, titled as its heading ("Level 1"),
requires milestone n of every topic the source describes at that level. A heading that starts like
a known topic ("Communication & Feedback" after "Communication") is that topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..errors import FrameworkInvalid
from ..loader import framework_from_data
from ..model import DEFAULT_POINTS
from .base import ImportFailed, ImportResult, LineTracker, document, slugify, unique_key

MAX_TEXT = 10_000
MAX_NAME = 200
MAX_LEVELS = 99
DETECT_CHARS = 200_000

_LEVEL = re.compile(r"level\s+(\d{1,6})(?:\s*[:.\-–—]\s*(.*))?", re.IGNORECASE)
_BULLET = re.compile(r"[•●◦▪·*\-–]\s+(.*)")
_EXAMPLE_BULLET = re.compile(r"e\.\s?g\.", re.IGNORECASE)
_CHROME = {
    "skip to content",
    "skip to main content",
    "on this page",
    "table of contents",
    "contents",
    "back to top",
    "menu",
    "search",
    "edit this page",
    "build your own framework for free",
}


def _norm_words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def _is_chrome(text: str) -> bool:
    return text.lower().rstrip(":") in _CHROME


def _heading_like(text: str) -> bool:
    """A short label such as 'Mastery' or 'Communication & Feedback', not a sentence."""
    if not text or len(text) > 60 or not text[0].isupper() or text[-1] in ".,;!?":
        return False
    body = text[:-1] if text.endswith(":") else text
    if ":" in body or _BULLET.fullmatch(text):
        return False
    words = body.split()
    return 1 <= len(words) <= 5 and words[0].lower() not in {"example", "examples", "such", "e.g."}


def _title_like(text: str) -> bool:
    return 0 < len(text) <= 80 and len(text.split()) <= 8 and text[-1] not in ".,;!?"


@dataclass
class _Topic:
    key: str
    name: str
    line: int


@dataclass
class _Entry:
    """What one level says under one topic, or before any topic heading.

    Each item is the parts of one bullet: the bullet's text, then its continuation lines with
    what joins them, put together once at the end so long continuations stay linear.
    """

    summary: list[str] = field(default_factory=list)
    items: list[list[str]] = field(default_factory=list)
    repeated: bool = False  # the topic's heading came twice in the level (reported once)

    def texts(self, line: int, warnings: list[str]) -> list[str]:
        return [_cut("".join(parts), line, warnings) for parts in self.items]


@dataclass
class _Level:
    line: int
    number: int
    title: str
    summary: list[str] = field(default_factory=list)
    untopiced: _Entry = field(default_factory=_Entry)
    topics: dict[str, _Entry] = field(default_factory=dict)


@dataclass
class _Parsed:
    title: str = ""
    title_line: int = 0
    description: list[str] = field(default_factory=list)
    levels: list[_Level] = field(default_factory=list)
    topics: list[_Topic] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _cut(text: str, line: int, notes: list[str]) -> str:
    if len(text) <= MAX_TEXT:
        return text
    notes.append(f"line {line}: text longer than {MAX_TEXT} characters was cut")
    return text[:MAX_TEXT]


class _Reader:
    """One pass over the non-blank lines; a line is read knowing only the one after it."""

    def __init__(self, tracker: LineTracker, filename: str) -> None:
        self.tracker = tracker
        self.filename = filename
        self.out = _Parsed()
        self.keys: set[str] = set()
        self.by_first_word: dict[str, _Topic] = {}
        self.by_words: dict[tuple[str, ...], _Topic] = {}
        self.topic: _Topic | None = None
        # The parts of the bullet that a continuation line belongs to.
        self.last_item: list[str] | None = None

    def read(self) -> _Parsed:
        lines = [(n, text.strip()) for n, text in self.tracker.nonblank()]
        for i, (n, text) in enumerate(lines):
            following = lines[i + 1][1] if i + 1 < len(lines) else ""
            self._line(n, text, following)
        return self.out

    def _line(self, n: int, text: str, following: str) -> None:
        if _is_chrome(text):
            self.tracker.skip(n, "page chrome")
            return
        level = _LEVEL.fullmatch(text)
        if level:
            self._start_level(n, text, int(level.group(1)))
        elif not self.out.levels:
            self._preamble(n, text)
        else:
            self._in_level(n, text, following)

    def _start_level(self, n: int, text: str, number: int) -> None:
        if len(self.out.levels) >= MAX_LEVELS:
            raise ImportFailed(
                f"more than {MAX_LEVELS} 'Level N' headings; a milestone number goes up to "
                f"{MAX_LEVELS}",
                source=self.filename,
                line=n,
            )
        self.out.levels.append(_Level(n, number, text[:MAX_TEXT]))
        self.topic, self.last_item = None, None
        self.tracker.place(n)

    def _preamble(self, n: int, text: str) -> None:
        if _BULLET.fullmatch(text):
            self.tracker.skip(n, "bullet before the first 'Level N' heading")
        elif not self.out.title and _title_like(text):
            self.out.title, self.out.title_line = text[:MAX_NAME], n
            self.tracker.place(n)
        else:
            self.out.description.append(text)
            self.tracker.place(n)

    def _in_level(self, n: int, text: str, following: str) -> None:
        level = self.out.levels[-1]
        bullet = _BULLET.fullmatch(text)
        if bullet:
            entry = level.topics[self.topic.key] if self.topic else level.untopiced
            self.last_item = [bullet.group(1).strip() or text]
            entry.items.append(self.last_item)
            self.tracker.place(n)
            return
        if _heading_like(text):
            known = self._known_topic(text)
            if known is not None or _BULLET.fullmatch(following):
                self._topic_heading(n, text, known)
                return
            next_level = _LEVEL.fullmatch(following)
            if next_level:
                self._heading_before_level(n, text, int(next_level.group(1)))
                return
        self._text(n, text)

    def _topic_heading(self, n: int, text: str, known: _Topic | None) -> None:
        level = self.out.levels[-1]
        name = text.rstrip(":").strip()
        topic = known or self._new_topic(n, name)
        if known is not None and name != known.name:
            same = "words" if _norm_words(name) == _norm_words(known.name) else "first word"
            self.out.inferred.append(
                f"line {n}: '{name}' read as topic '{known.name}' (same {same})"
            )
        entry = level.topics.setdefault(topic.key, _Entry())
        if entry.items and not entry.repeated:
            entry.repeated = True
            self.out.inferred.append(
                f"line {n}: topic '{topic.name}' appears again in {level.title[:40]}: joined"
            )
        self.topic, self.last_item = topic, None
        self.tracker.place(n)

    def _heading_before_level(self, n: int, text: str, next_number: int) -> None:
        if next_number <= self.out.levels[-1].number:
            raise ImportFailed(
                f"'{text[:80]}' looks like the title of a second role (levels start again "
                "after it); this importer reads one role per document: split the file",
                source=self.filename,
                line=n,
            )
        self.tracker.skip(n, "heading with nothing under it")

    def _text(self, n: int, text: str) -> None:
        level = self.out.levels[-1]
        self.tracker.place(n)
        if self.last_item is not None:
            self.last_item.append(f" {text}" if text[0].islower() else f" — {text}")
        elif self.topic is not None:
            level.topics[self.topic.key].summary.append(text)
        else:
            level.summary.append(text)

    def _known_topic(self, text: str) -> _Topic | None:
        words = _norm_words(text)
        if not words:
            return None
        exact = self.by_words.get(tuple(words))
        if exact is not None:
            return exact
        return self.by_first_word.get(words[0])

    def _new_topic(self, n: int, name: str) -> _Topic:
        topic = _Topic(unique_key(slugify(name, "topic"), self.keys), name[:MAX_NAME], n)
        words = _norm_words(name)
        self.by_words[tuple(words)] = topic
        if words:
            self.by_first_word.setdefault(words[0], topic)
        self.out.topics.append(topic)
        return topic


def _points(top: int, notes: list[str]) -> dict[str, int]:
    """The default points table, carried on to milestone `top` when the ladder goes past 5."""
    points = dict(DEFAULT_POINTS)
    last = max(points)
    if top > last:
        step = points[last] - points[last - 1]
        for n in range(last + 1, top + 1):
            points[n] = points[n - 1] + step
        notes.append(
            f"the source gives no points: kept the default table and carried it on to "
            f"milestone {top} by repeating the last step (+{step}) so every milestone counts"
        )
    return {str(k): v for k, v in points.items()}


def _skills(parsed: _Parsed, category: str) -> list[dict[str, Any]]:
    """One skill per topic, all in `category`; milestone n holds what the n-th level says under
    the topic."""
    skills: list[dict[str, Any]] = []
    for topic in parsed.topics:
        milestones = []
        for n, level in enumerate(parsed.levels, start=1):
            entry = level.topics.get(topic.key)
            if entry is None or not (entry.items or entry.summary):
                continue
            milestones.append(
                {
                    "number": n,
                    "summary": _cut(" ".join(entry.summary), level.line, parsed.warnings),
                    "signals": entry.texts(level.line, parsed.warnings),
                }
            )
        if not milestones:
            parsed.inferred.append(
                f"line {topic.line}: topic '{topic.name}' has no bullets: left out"
            )
            continue
        skills.append(
            {"key": topic.key, "name": topic.name, "category": category, "milestones": milestones}
        )
    return skills


def _levels(parsed: _Parsed, with_skills: set[str]) -> list[dict[str, Any]]:
    """Level n requires milestone n of every topic it describes."""
    numbers = [lv.number for lv in parsed.levels]
    ordinal = list(range(1, len(numbers) + 1))
    if numbers != ordinal:
        parsed.inferred.append(
            f"levels are numbered {numbers[:10]}{'...' if len(numbers) > 10 else ''} in the "
            "source: milestone n is the n-th level in the document"
        )
    codes = [f"L{n}" for n in (numbers if len(set(numbers)) == len(numbers) else ordinal)]
    levels = []
    for n, code, level in zip(ordinal, codes, parsed.levels, strict=True):
        expectations = []
        if level.untopiced.items:
            items = level.untopiced.texts(level.line, parsed.warnings)
            expectations.append({"topic": "", "items": items})
        required = {
            k: n for k, e in level.topics.items() if k in with_skills and (e.items or e.summary)
        }
        levels.append(
            {
                "code": code,
                "title": level.title,
                "summary": _cut(" ".join(level.summary), level.line, parsed.warnings),
                "expectations": expectations,
                "requirements": {"milestones": required},
            }
        )
    return levels


def _build(parsed: _Parsed, filename: str) -> dict[str, Any]:
    notes = parsed.inferred
    name = (parsed.title or PurePath(filename).stem).strip()[:MAX_NAME] or "role-ladder"
    if not parsed.title:
        notes.append(f"no role title before the first level: named the role '{name}'")
    key = slugify(name, "role-ladder")
    skills = _skills(parsed, key)
    levels = _levels(parsed, {s["key"] for s in skills})
    if not skills and not any(lv["expectations"] for lv in levels):
        raise ImportFailed(
            "no bullets under any 'Level N' heading", source=filename, line=parsed.levels[0].line
        )
    if skills:
        notes.append("each topic became a skill: " + ", ".join(s["name"] for s in skills))
        notes.append(f"all skills are in one category named after the role: '{key}' ({name})")
        notes.append(f"level n of track '{key}' requires milestone n of every topic it lists")
    track = {
        "key": key,
        "name": name,
        "description": _cut(" ".join(parsed.description), parsed.title_line, parsed.warnings),
        "levels": levels,
    }
    top = max((m["number"] for s in skills for m in s["milestones"]), default=0)
    return document(
        key=key,
        name=name,
        categories=[{"key": key, "name": name}] if skills else [],
        skills=skills,
        tracks=[track],
        scoring={"points": _points(top, notes)},
    )


class RoleLadderImporter:
    name = "role-ladder"
    label = "Role ladder as text: 'Level N' blocks with topic headings and bullets"

    def detect(self, text: str, filename: str) -> float:
        levels = headings = recurring = examples = 0
        seen: set[str] = set()
        in_level: set[str] = set()
        previous = ""
        for raw in text[:DETECT_CHARS].splitlines():
            line = raw.strip()
            if not line:
                continue
            bullet = _BULLET.fullmatch(line)
            is_level = _LEVEL.fullmatch(line) is not None
            if is_level:
                levels += 1
                seen |= in_level
                in_level = set()
            elif bullet and levels and _heading_like(previous):
                headings += 1
                word = " ".join(_norm_words(previous)[:1])
                recurring += word in seen
                in_level.add(word)
            if bullet and _EXAMPLE_BULLET.match(bullet.group(1)):
                examples += 1
            previous = "" if is_level else line
        if levels < 1 or headings < 2 or examples > headings:
            return 0.0
        if levels >= 2 and headings >= levels and recurring >= 1:
            return 0.95
        return 0.5

    def parse(self, text: str, filename: str) -> ImportResult:
        tracker = LineTracker(text, filename)
        parsed = _Reader(tracker, filename).read()
        if not parsed.levels:
            raise ImportFailed("no 'Level N' headings found", source=filename)
        data = _build(parsed, filename)
        try:
            framework = framework_from_data(data, filename)
        except FrameworkInvalid as exc:
            raise ImportFailed(f"the role ladder did not make a valid framework:\n{exc}") from None
        report = tracker.report(self.name)
        report.inferred += parsed.inferred
        report.warnings += parsed.warnings
        return ImportResult(framework, report)


IMPORTER = RoleLadderImporter()
