"""A career map as plain text: level blocks of Experience, Area of Responsibility and Skills.

    Backend
    Our career map helps you grow...          <- intro: the framework's description
    Experience
    No professional experience. Entry-level.
    Area of Responsibility
    Supports the team with simple tasks.
    Skills
    - Writes simple algorithms                <- one expectation group "Skills"
    Experience
    ...
    Skills
    HTML/CSS: Uses basic HTML elements.       <- expectations grouped by topic

The file names no level codes and no tracks. Levels are numbered L1..Ln in order within each
track, and the document is split into tracks where its content says it moves on: a heading line
between blocks, the skills changing from "- bullet" lines to "Topic: text" lines (or back), the
experience starting again at entry level, or management appearing in Experience or Area of
Responsibility. Each split is reported with its line and reasons. A career map describes levels,
not skills: the framework has tracks and no skills.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..errors import FrameworkInvalid
from ..loader import framework_from_data
from .base import ImportFailed, ImportResult, LineTracker, document, slugify, unique_key

MAX_TEXT = 10_000
MAX_NAME = 200
DETECT_CHARS = 200_000

EXPERIENCE, RESPONSIBILITY, SKILLS = "experience", "responsibility", "skills"
_HEADERS = {
    "experience": EXPERIENCE,
    "area of responsibility": RESPONSIBILITY,
    "areas of responsibility": RESPONSIBILITY,
    "responsibility": RESPONSIBILITY,
    "responsibilities": RESPONSIBILITY,
    "skills": SKILLS,
}
_BULLET = re.compile(r"[•●◦▪·*\-–]\s+(.*)")
_TOPIC_LINE = re.compile(r"([^:]{1,60}):\s+(\S.*)")
_ENTRY_LEVEL = re.compile(
    r"\b(entry[- ]level|no (?:prior |previous )?professional experience|no prior experience"
    r"|little (?:or|to) no)\b",
    re.IGNORECASE,
)
_MANAGEMENT = re.compile(r"\b(manag\w*|team leads?|team leaders?|head of|people lead\w*)\b", re.I)
_DISCIPLINE = re.compile(
    r"\b(back[- ]?end|front[- ]?end|full[- ]?stack|mobile|ios|android|devops|qa|sre|embedded)\b",
    re.IGNORECASE,
)
_DISCIPLINE_NAMES = {
    "backend": "Backend",
    "frontend": "Frontend",
    "fullstack": "Full-stack",
    "mobile": "Mobile",
    "ios": "iOS",
    "android": "Android",
    "devops": "DevOps",
    "qa": "QA",
    "sre": "SRE",
    "embedded": "Embedded",
}
_CHROME = {
    "skip to content",
    "skip to main content",
    "on this page",
    "table of contents",
    "back to top",
    "menu",
    "edit this page",
    "build your own framework for free",
}

# How each non-blank line reads on its own, before the sections give it a meaning.
HEADER, BULLET, TOPIC, PLAIN, CHROME = "header", "bullet", "topic", "plain", "chrome"


def _header(text: str) -> tuple[str, str] | None:
    """('experience', inline text) for 'Experience' or 'Experience: 5+ years'."""
    name, _, rest = text.partition(":")
    section = _HEADERS.get(name.strip().lower())
    return (section, rest.strip()) if section else None


def _classify(text: str) -> str:
    if text.lower() in _CHROME:
        return CHROME
    if _header(text):
        return HEADER
    if _BULLET.fullmatch(text):
        return BULLET
    topic = _TOPIC_LINE.fullmatch(text)
    if topic and len(topic.group(1).split()) <= 6 and "//" not in text:
        return TOPIC
    return PLAIN


def _title_like(text: str) -> bool:
    return 0 < len(text) <= 80 and len(text.split()) <= 8 and text[-1] not in ".,;!?"


def _discipline(text: str) -> str:
    return re.sub(r"[- ]", "", text.lower())


@dataclass
class _Heading:
    """A line such as 'Frontend' (and a short introduction) between two level blocks."""

    line: int = 0
    text: str = ""
    intro: list[str] = field(default_factory=list)


@dataclass
class _Skill:
    line: int
    kind: str  # BULLET, TOPIC or PLAIN
    topic: str
    parts: list[str]  # the line's text, then continuation lines: joined once at the end


@dataclass
class _Block:
    """One level as written: its first line and the text under each heading."""

    line: int
    headers: list[int] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    skills: list[_Skill] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)  # skills per kind, kept as they come
    heading: _Heading = field(default_factory=lambda: _Heading())

    def text(self, section: str) -> str:
        return "\n".join(self.sections.get(section, []))

    @property
    def empty(self) -> bool:
        return not self.skills and not any(self.sections.values())

    def add(self, skill: _Skill) -> None:
        self.skills.append(skill)
        self.kinds[skill.kind] += 1

    @property
    def style(self) -> str | None:
        """BULLET or TOPIC, whichever most of the skills are written as."""
        if not self.kinds[BULLET] and not self.kinds[TOPIC]:
            return None
        return BULLET if self.kinds[BULLET] >= self.kinds[TOPIC] else TOPIC


@dataclass
class _Parsed:
    title: str = ""
    description: list[str] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)


class _Reader:
    def __init__(self, tracker: LineTracker) -> None:
        self.tracker = tracker
        self.out = _Parsed()
        self.section: str | None = None
        self.pending = _Heading()

    def read(self) -> _Parsed:
        lines = [(n, text.strip()) for n, text in self.tracker.nonblank()]
        kinds = [_classify(text) for _, text in lines]
        i = 0
        while i < len(lines):
            n, text = lines[i]
            kind = kinds[i]
            end = self._heading_run_end(i, lines, kinds) if kind == PLAIN else None
            if kind == CHROME:
                self.tracker.skip(n, "page chrome")
            elif kind == HEADER:
                self._section_heading(n, text)
            elif self.section is None:
                self._preamble(n, text)
            elif end is not None:
                self._heading_run(lines[i:end])
                i = end
                continue
            elif self.section == SKILLS:
                self._skill(n, text, kind)
            else:
                self.out.blocks[-1].sections.setdefault(self.section, []).append(text)
                self.tracker.place(n)
            i += 1
        return self.out

    def _heading_run_end(
        self, i: int, lines: list[tuple[int, str]], kinds: list[str]
    ) -> int | None:
        """Where a heading such as 'Frontend' (and a short intro) that ends a skills list stops.

        Only after skills written as bullets or 'Topic: text', so the plain line stands out,
        and only right before an 'Experience' heading that starts the next level.
        """
        if self.section != SKILLS or self.out.blocks[-1].style is None:
            return None
        if not _title_like(lines[i][1]):
            return None
        j = i + 1
        while j < len(lines) and kinds[j] == PLAIN and j - i <= 3:
            j += 1
        if j >= len(lines) or kinds[j] != HEADER:
            return None
        header = _header(lines[j][1])
        return j if header is not None and header[0] == EXPERIENCE else None

    def _heading_run(self, run: list[tuple[int, str]]) -> None:
        """The heading names the track that follows; the lines after it describe it."""
        (n, heading), rest = run[0], run[1:]
        self.pending = _Heading(n, heading[:MAX_NAME], [text for _, text in rest])
        self.tracker.place(*(m for m, _ in run))

    def _section_heading(self, n: int, text: str) -> None:
        """'Experience' (or a heading already seen in this level) starts the next level."""
        section, inline = _header(text) or (EXPERIENCE, "")
        blocks = self.out.blocks
        if not blocks or section == EXPERIENCE or section in blocks[-1].sections:
            block = _Block(n)
            block.heading, self.pending = self.pending, _Heading()
            blocks.append(block)
        block = blocks[-1]
        block.headers.append(n)
        block.sections.setdefault(section, [])
        if inline and section != SKILLS:
            block.sections[section].append(inline)
        elif inline:
            kind = _classify(inline)
            self._skill(n, inline, PLAIN if kind in (HEADER, CHROME) else kind)
        self.section = section

    def _preamble(self, n: int, text: str) -> None:
        if not self.out.title and not self.out.description and _title_like(text):
            self.out.title = text[:MAX_NAME]
        else:
            self.out.description.append(text)
        self.tracker.place(n)

    def _skill(self, n: int, text: str, kind: str) -> None:
        block = self.out.blocks[-1]
        skills = block.skills
        if kind == BULLET:
            match = _BULLET.fullmatch(text)
            block.add(_Skill(n, BULLET, "", [match.group(1).strip() if match else text]))
        elif kind == TOPIC:
            match = _TOPIC_LINE.fullmatch(text)
            topic, rest = (match.group(1).strip(), match.group(2).strip()) if match else ("", text)
            block.add(_Skill(n, TOPIC, topic, [rest]))
        elif skills and text[0].islower():
            skills[-1].parts.append(text)
        else:
            block.add(_Skill(n, PLAIN, "", [text]))
        self.tracker.place(n)


def _cut(text: str, line: int, warnings: list[str]) -> str:
    if len(text) <= MAX_TEXT:
        return text
    warnings.append(f"line {line}: text longer than {MAX_TEXT} characters was cut")
    return text[:MAX_TEXT]


def _is_management(block: _Block) -> re.Match[str] | None:
    return _MANAGEMENT.search(f"{block.text(EXPERIENCE)}\n{block.text(RESPONSIBILITY)}")


def _management_word(block: _Block) -> str:
    found = _is_management(block)
    return found.group(0) if found else ""


def _style_name(style: str | None) -> str:
    return "'Topic: text' lines" if style == TOPIC else "'- bullet' lines"


def _split_reasons(block: _Block, track: list[_Block], management: bool) -> list[str]:
    """Why `block` starts a new track after `track`; empty when it carries on."""
    reasons = []
    previous = track[-1]
    if block.heading.text:
        reasons.append(f"heading '{block.heading.text[:60]}'")
    if block.style and previous.style and block.style != previous.style:
        reasons.append(
            f"skills change from {_style_name(previous.style)} to {_style_name(block.style)}"
        )
    entry = _ENTRY_LEVEL.search(block.text(EXPERIENCE))
    if entry and not _ENTRY_LEVEL.search(previous.text(EXPERIENCE)):
        reasons.append(f"experience starts again at entry level ('{entry.group(0)}')")
    found = _is_management(block)
    if found and not management:
        reasons.append(f"management begins ('{found.group(0)}')")
    return reasons


@dataclass
class _Track:
    blocks: list[_Block]
    management: bool
    split_line: int = 0
    reasons: list[str] = field(default_factory=list)


def _split(blocks: list[_Block]) -> list[_Track]:
    tracks = [_Track([blocks[0]], _is_management(blocks[0]) is not None)]
    for block in blocks[1:]:
        current = tracks[-1]
        reasons = _split_reasons(block, current.blocks, current.management)
        if reasons:
            line = block.heading.line or block.line
            tracks.append(_Track([block], _is_management(block) is not None, line, reasons))
        else:
            current.blocks.append(block)
    return tracks


def _discipline_counts(track: _Track) -> Counter[str]:
    words: Counter[str] = Counter()
    for block in track.blocks:
        text = "\n".join(
            [block.text(EXPERIENCE), block.text(RESPONSIBILITY)]
            + [" ".join(s.parts) for s in block.skills]
        )
        words.update(_discipline(w) for w in _DISCIPLINE.findall(text))
    return words


def _track_name(track: _Track, position: int, title: str) -> tuple[str, str]:
    """(name, why): from a heading before the track, else the discipline the document title
    (first track only) or the track's own text names most, else the title or the position."""
    heading = track.blocks[0].heading.text
    in_title = _DISCIPLINE.search(title) if title and position == 0 else None
    words = _discipline_counts(track)
    if heading:
        found = _DISCIPLINE.search(heading)
        base = _DISCIPLINE_NAMES[_discipline(found.group(0))] if found else heading
        why = f"from the heading '{heading[:60]}'"
    elif in_title:
        base, why = _DISCIPLINE_NAMES[_discipline(in_title.group(0))], f"from the title '{title}'"
    elif words:
        word, count = words.most_common(1)[0]
        base = _DISCIPLINE_NAMES[word]
        why = f"because '{word}' appears {count} time{'s' if count > 1 else ''} in it"
    elif title and position == 0:
        base, why = title, "after the document title"
    else:
        base, why = f"Track {position + 1}", "by position (no discipline is named in it)"
    if track.management:
        word = _management_word(track.blocks[0])
        return f"{base} management", f"{why}; a management track ('{word}' in its first level)"
    return base, why


def _expectations(block: _Block, warnings: list[str]) -> list[dict[str, Any]]:
    groups: dict[str, list[str]] = {}
    for skill in block.skills:
        topic = skill.topic if skill.kind == TOPIC else "Skills"
        text = _cut(" ".join(skill.parts), skill.line, warnings)
        groups.setdefault(topic[:MAX_TEXT], []).append(text)
    return [{"topic": topic, "items": items} for topic, items in groups.items()]


def _level(code: str, block: _Block, warnings: list[str]) -> dict[str, Any]:
    return {
        "code": code,
        "experience": _cut(block.text(EXPERIENCE), block.line, warnings),
        "responsibility": _cut(block.text(RESPONSIBILITY), block.line, warnings),
        "expectations": _expectations(block, warnings),
    }


class _Keys:
    """unique_key without rescanning base-2, base-3... for every repeat of the same base."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.counts: Counter[str] = Counter()

    def key(self, base: str) -> str:
        self.counts[base] += 1
        n = self.counts[base]
        candidate = base if n == 1 else f"{base[: 64 - len(str(n)) - 1]}-{n}"
        return unique_key(candidate, self.taken)


def _build(
    parsed: _Parsed, filename: str, inferred: list[str], warnings: list[str]
) -> dict[str, Any]:
    blocks = [b for b in parsed.blocks if not b.empty]
    if not blocks:
        raise ImportFailed(
            "no level blocks found: expected 'Experience', 'Area of Responsibility' and "
            "'Skills' headings with text under them",
            source=filename,
        )
    tracks = _split(blocks)
    keys = _Keys()
    out = []
    for position, track in enumerate(tracks):
        name, why = _track_name(track, position, parsed.title)
        key = keys.key(slugify(name, "track"))
        levels = [_level(f"L{i}", b, warnings) for i, b in enumerate(track.blocks, start=1)]
        intro = _cut("\n".join(track.blocks[0].heading.intro), track.split_line, warnings)
        out.append({"key": key, "name": name[:MAX_NAME], "description": intro, "levels": levels})
        first, last = track.blocks[0].line, track.blocks[-1].line
        where = f"lines {first}–{last}" if first != last else f"line {first}"
        if track.split_line:
            inferred.append(
                f"track split at line {track.split_line}: {key} ({'; '.join(track.reasons)})"
            )
        count = f"{len(levels)} level{'s' if len(levels) > 1 else ''}"
        inferred.append(f"track '{key}' ({where}, {count}): named '{name}' {why}")
    inferred.append(
        "the file gives no level codes: levels are numbered L1..Ln in order within each track"
    )
    inferred.append("a career map describes levels, not skills: no skills or categories made")
    stem = PurePath(filename).stem or "career-map"
    name = parsed.title or stem
    if not parsed.title:
        inferred.append(f"no title line: named the framework '{name}'")
    description = _cut("\n".join(parsed.description), 1, warnings)
    return document(
        key=slugify(name, "career-map"),
        name=name,
        description=description,
        categories=[],
        skills=[],
        tracks=out,
        scoring={},
    )


class CareerMapImporter:
    name = "career-map"
    label = "Career map as text: Experience / Area of Responsibility / Skills per level"

    def detect(self, text: str, filename: str) -> float:
        counts: Counter[str] = Counter()
        for raw in text[:DETECT_CHARS].splitlines():
            line = raw.strip()
            section = _HEADERS.get(line.rstrip(":").strip().lower()) if len(line) < 40 else None
            if section:
                counts[section] += 1
        blocks = min(counts[EXPERIENCE], counts[RESPONSIBILITY], counts[SKILLS])
        if blocks >= 2:
            return 0.95
        return 0.6 if blocks == 1 else 0.0

    def parse(self, text: str, filename: str) -> ImportResult:
        tracker = LineTracker(text, filename)
        parsed = _Reader(tracker).read()
        inferred: list[str] = []
        warnings: list[str] = []
        for block in parsed.blocks:
            for n in block.headers:
                if block.empty:
                    tracker.skip(n, "heading with no text under it")
                else:
                    tracker.place(n)
        data = _build(parsed, filename, inferred, warnings)
        try:
            framework = framework_from_data(data, filename)
        except FrameworkInvalid as exc:
            raise ImportFailed(f"the career map did not make a valid framework:\n{exc}") from None
        report = tracker.report(self.name)
        report.inferred += inferred
        report.warnings += warnings
        return ImportResult(framework, report)


IMPORTER = CareerMapImporter()
