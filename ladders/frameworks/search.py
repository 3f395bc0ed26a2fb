"""Search the published text of one framework: skills and their milestones, and track levels.

A place (a skill or a level) matches when every word of the query occurs somewhere in its text,
ignoring case; its hits are the texts holding at least one of the words, cut into parts so that a
page can mark the words without building markup here. Words match inside longer words ("deploy"
finds "deployments").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .model import Framework, Level, Skill, Track

MIN_QUERY_LENGTH = 2
MAX_WORDS = 8
MAX_QUERY_LENGTH = 200
SNIPPET_LENGTH = 240  # longer texts are cut around their first match
SNIPPET_LEAD = 60


@dataclass(frozen=True)
class Part:
    text: str
    marked: bool = False


@dataclass(frozen=True)
class Hit:
    """One text that holds a word of the query; `milestone` says where in a skill it is."""

    label: str
    parts: tuple[Part, ...]
    milestone: int | None = None


@dataclass(frozen=True)
class SkillResult:
    skill: Skill
    hits: list[Hit]


@dataclass(frozen=True)
class LevelResult:
    track: Track
    index: int  # position of the level in its track
    level: Level
    hits: list[Hit]


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: tuple[str, ...] = ()
    skills: list[SkillResult] = field(default_factory=list)
    levels: list[LevelResult] = field(default_factory=list)
    hint: str = ""  # set instead of results when the query cannot be searched

    @property
    def count(self) -> int:
        return len(self.skills) + len(self.levels)


def query_words(query: str) -> tuple[str, ...]:
    """The distinct words of a query, case-insensitively, in the order typed."""
    seen: dict[str, str] = {}
    for word in query[:MAX_QUERY_LENGTH].split():
        seen.setdefault(word.casefold(), word)
    return tuple(seen.values())[:MAX_WORDS]


def _spans(patterns: list[re.Pattern[str]], text: str) -> tuple[list[tuple[int, int]], set[int]]:
    """Where the words occur in `text`, overlapping spans merged, and which words occur."""
    spans: list[tuple[int, int]] = []
    found: set[int] = set()
    for i, pattern in enumerate(patterns):
        for m in pattern.finditer(text):
            spans.append(m.span())
            found.add(i)
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged, found


def _window(text: str, first: int) -> tuple[int, int]:
    """Where to cut a long text so that its first match shows with a little before it."""
    if len(text) <= SNIPPET_LENGTH:
        return 0, len(text)
    start = max(0, first - SNIPPET_LEAD)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.find(" ", end)
        end = space if 0 <= space - end < 20 else end
    return start, end


def highlight(text: str, spans: list[tuple[int, int]]) -> tuple[Part, ...]:
    """`text` (cut to a snippet when long) as parts, the spans marked."""
    start, end = _window(text, spans[0][0] if spans else 0)
    parts: list[Part] = [Part("…")] if start else []
    pos = start
    for a, b in spans:
        a, b = max(a, pos), min(b, end)
        if a >= b:
            continue
        if a > pos:
            parts.append(Part(text[pos:a]))
        parts.append(Part(text[a:b], marked=True))
        pos = b
    if pos < end:
        parts.append(Part(text[pos:end]))
    if end < len(text):
        parts.append(Part("…"))
    return tuple(parts)


def _skill_texts(skill: Skill) -> Iterator[tuple[str, str, int | None]]:
    yield "Name", skill.name, None
    yield "Description", skill.description, None
    for m in skill.milestones:
        yield f"Milestone {m.number}", m.summary, m.number
        for signal in m.signals:
            yield f"Milestone {m.number} · signal", signal, m.number
        for example in m.examples:
            yield f"Milestone {m.number} · example", example, m.number


def _level_texts(level: Level) -> Iterator[tuple[str, str, int | None]]:
    yield "Title", level.title, None
    yield "Summary", level.summary, None
    yield "Experience", level.experience, None
    yield "Responsibility", level.responsibility, None
    for group in level.expectations:
        label = f"Expectations · {group.topic}" if group.topic else "Expectations"
        for item in group.items:
            yield label, item, None


def _hits(
    texts: Iterator[tuple[str, str, int | None]], words: tuple[str, ...]
) -> tuple[list[Hit], bool]:
    """Hits among `texts`, and whether every word occurs somewhere in them."""
    patterns = [re.compile(re.escape(w), re.IGNORECASE) for w in words]
    hits: list[Hit] = []
    found: set[int] = set()
    for label, text, milestone in texts:
        if not text:
            continue
        spans, words_here = _spans(patterns, text)
        if spans:
            found |= words_here
            hits.append(Hit(label, highlight(text, spans), milestone))
    return hits, len(found) == len(words)


def _first_is_name(hits: list[Hit], name_label: str) -> int:
    return 0 if hits and hits[0].label == name_label else 1


def search(fw: Framework, query: str) -> SearchResults:
    """Every skill and level of `fw` whose text holds all the words of `query`.

    Places whose name or title matches come first; otherwise the framework's own order is kept.
    """
    words = query_words(query)
    if len(" ".join(words)) < MIN_QUERY_LENGTH:
        return SearchResults(
            query=query.strip(),
            words=words,
            hint=f"Type at least {MIN_QUERY_LENGTH} characters to search.",
        )
    skills = []
    for skill in fw.skills:
        hits, complete = _hits(_skill_texts(skill), words)
        if complete and hits:
            skills.append(SkillResult(skill, hits))
    levels = []
    for track in fw.tracks:
        for index, level in enumerate(track.levels):
            hits, complete = _hits(_level_texts(level), words)
            if complete and hits:
                levels.append(LevelResult(track, index, level, hits))
    skills.sort(key=lambda r: _first_is_name(r.hits, "Name"))
    levels.sort(key=lambda r: _first_is_name(r.hits, "Title"))
    return SearchResults(query=query.strip(), words=words, skills=skills, levels=levels)
