"""What changes from one level of a track to another, field by field.

Pure functions of a framework and two of its levels. Pages and exports turn the rows into markup:
the rows say what is the same, what is new or changed at the higher level, and what the higher
level no longer lists, down to the words that changed in a sentence.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .model import Framework, Level

State = Literal["same", "changed", "added", "removed"]
RequirementKind = Literal["milestone", "min_points", "category_points", "threshold"]
Direction = Literal["up", "down"]

TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("summary", "Summary"),
    ("experience", "Experience"),
    ("responsibility", "Responsibility"),
)
# Two expectations of one topic this alike read as one reworded item, not a drop and an addition.
REWORDED_SIMILARITY = 0.6
# Below this share of words in common, marking words only scatters marks: the text was rewritten.
REWRITTEN_BELOW = 0.4


def _state(lower: object, higher: object) -> State:
    if lower == higher:
        return "same"
    if lower in (None, ""):
        return "added"
    return "removed" if higher in (None, "") else "changed"


# --- words -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of words of one text: kept, or only in the lower text, or only in the higher one."""

    text: str
    state: Literal["same", "added", "removed"]


def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


def _merged(parts: Iterable[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for part in parts:
        if out and out[-1].state == part.state:
            out[-1] = Segment(out[-1].text + part.text, part.state)
        else:
            out.append(part)
    return tuple(out)


def word_diff(lower: str, higher: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Both texts cut into segments, marking the words only `lower` has as removed and the words
    only `higher` has as added. Whitespace stays with the word before it."""
    a, b = _words(lower), _words(higher)
    return _word_segments(a, b, _matcher(a, b))


def _matcher(a: list[str], b: list[str]) -> difflib.SequenceMatcher[str]:
    return difflib.SequenceMatcher(None, [w.strip() for w in a], [w.strip() for w in b], False)


def _word_segments(
    a: list[str], b: list[str], matcher: difflib.SequenceMatcher[str]
) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    low: list[Segment] = []
    high: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            low.append(Segment("".join(a[i1:i2]), "same"))
            high.append(Segment("".join(b[j1:j2]), "same"))
            continue
        if i2 > i1:
            low += _marked("".join(a[i1:i2]), "removed")
        if j2 > j1:
            high += _marked("".join(b[j1:j2]), "added")
    return _merged(low), _merged(high)


def _marked(text: str, state: Literal["added", "removed"]) -> list[Segment]:
    """A changed run of words; the space after it is not part of the change."""
    words = text.rstrip()
    space = text[len(words) :]
    return [Segment(words, state), *([Segment(space, "same")] if space else [])]


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _norm(a), _norm(b), False).ratio()


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- text fields -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextRow:
    """One text field of both levels, e.g. Summary."""

    field: str
    label: str
    lower: str
    higher: str
    lower_parts: tuple[Segment, ...] = ()
    higher_parts: tuple[Segment, ...] = ()

    @property
    def state(self) -> State:
        return _state(self.lower, self.higher)


def text_row(field: str, label: str, lower: str, higher: str) -> TextRow:
    """A text field of both levels. When it changed but kept most of its words, the parts mark
    the words that differ; a text rewritten from scratch has no parts."""
    if not lower or not higher or lower == higher:
        return TextRow(field, label, lower, higher)
    a, b = _words(lower), _words(higher)
    matcher = _matcher(a, b)
    if matcher.ratio() < REWRITTEN_BELOW:
        return TextRow(field, label, lower, higher)
    low, high = _word_segments(a, b, matcher)
    return TextRow(field, label, lower, higher, low, high)


# --- expectations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """An expectation. `changed` items are a reworded pair: `parts` marks the words that moved."""

    text: str
    state: State
    parts: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class ExpectationRow:
    """The items of one topic at both levels (topic "" is the level's untitled list)."""

    topic: str
    lower: list[Item]
    higher: list[Item]

    @property
    def state(self) -> State:
        if not self.lower:
            return "added" if self.higher else "same"
        if not self.higher:
            return "removed"
        states = {i.state for i in self.lower + self.higher}
        return "same" if states == {"same"} else "changed"


def grouped_expectations(level: Level) -> list[tuple[str, list[str]]]:
    """Expectation items per topic, topics in first-seen order (a topic may repeat in a file)."""
    groups: dict[str, list[str]] = {}
    for group in level.expectations:
        groups.setdefault(group.topic, []).extend(group.items)
    return list(groups.items())


def _reworded_pairs(gone: list[str], new: list[str]) -> dict[str, str]:
    """Pairs (higher item -> lower item) that read as one item reworded, most alike first."""
    scored = sorted(
        ((_similarity(a, b), a, b) for a in gone for b in new), key=lambda t: t[0], reverse=True
    )
    pairs: dict[str, str] = {}
    used: set[str] = set()
    for ratio, a, b in scored:
        if ratio < REWORDED_SIMILARITY:
            break
        if a not in used and b not in pairs:
            pairs[b] = a
            used.add(a)
    return pairs


def _topic_row(
    topic: str, low_items: list[str], high_items: list[str], kept: bool
) -> ExpectationRow:
    low_set, high_set = {_norm(t) for t in low_items}, {_norm(t) for t in high_items}
    gone = [t for t in low_items if _norm(t) not in high_set]
    new = [t for t in high_items if _norm(t) not in low_set]
    pairs = _reworded_pairs(gone, new)
    diffs = {b: word_diff(a, b) for b, a in pairs.items()}
    lower_parts = {pairs[b]: d[0] for b, d in diffs.items()}
    lower: list[Item] = []
    for text in low_items:
        if text in lower_parts:
            lower.append(Item(text, "changed", lower_parts[text]))
        elif _norm(text) in high_set or not kept:
            # a topic the higher level drops altogether shows as empty there; marking each of
            # its items as well would only repeat that
            lower.append(Item(text, "same"))
        else:
            lower.append(Item(text, "removed"))
    higher: list[Item] = []
    for text in high_items:
        if text in diffs:
            higher.append(Item(text, "changed", diffs[text][1]))
        else:
            higher.append(Item(text, "same" if _norm(text) in low_set else "added"))
    return ExpectationRow(topic, lower, higher)


def expectation_rows(lower: Level, higher: Level) -> list[ExpectationRow]:
    low, high = dict(grouped_expectations(lower)), dict(grouped_expectations(higher))
    topics = list(low) + [t for t in high if t not in low]
    return [_topic_row(t, low.get(t, []), high.get(t, []), t in high) for t in topics]


# --- requirements ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """One thing a level asks for, with the name of the skill or category it is about."""

    kind: RequirementKind
    key: str  # skill or category key; "" for points in total and thresholds
    name: str
    value: int


def level_threshold(fw: Framework, code: str) -> int | None:
    """The scoring threshold of a level code; a threshold of 0 asks nothing, so it is left out."""
    found = [t.min_points for t in fw.scoring.levels if t.code == code]
    return min(found) if found and min(found) > 0 else None


def _skill_name(fw: Framework, key: str) -> str:
    skill = fw.skill(key)
    return skill.name if skill else key


def _category_name(fw: Framework, key: str) -> str:
    category = fw.category(key)
    return category.name if category else key


def level_requirements(fw: Framework, level: Level) -> list[Requirement]:
    """What `level` asks for: milestones, points in total, points per category, and its scoring
    threshold when that asks for more than the level's own total."""
    req = level.requirements
    out = [
        Requirement("milestone", key, _skill_name(fw, key), n) for key, n in req.milestones.items()
    ]
    if req.min_points:  # "at least 0 points" asks nothing
        out.append(Requirement("min_points", "", "", req.min_points))
    out += [
        Requirement("category_points", key, _category_name(fw, key), points)
        for key, points in req.category_points.items()
    ]
    threshold = level_threshold(fw, level.code)
    if threshold is not None and threshold > (req.min_points or 0):
        out.append(Requirement("threshold", "", "", threshold))
    return out


@dataclass(frozen=True)
class RequirementRow:
    """One requirement at both levels; None where that level does not ask for it."""

    kind: RequirementKind
    key: str
    name: str
    lower: int | None
    higher: int | None

    @property
    def state(self) -> State:
        return _state(self.lower, self.higher)

    @property
    def unit(self) -> Literal["milestone", "points"]:
        return "milestone" if self.kind == "milestone" else "points"

    @property
    def direction(self) -> Direction | None:
        if self.lower is None or self.higher is None or self.lower == self.higher:
            return None
        return "up" if self.higher > self.lower else "down"


def _union(*keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(k for ks in keys for k in ks))


def requirement_rows(fw: Framework, lower: Level, higher: Level) -> list[RequirementRow]:
    lo, hi = lower.requirements, higher.requirements
    rows = [
        RequirementRow(
            "milestone", key, _skill_name(fw, key), lo.milestones.get(key), hi.milestones.get(key)
        )
        for key in _union(lo.milestones, hi.milestones)
    ]
    rows.append(RequirementRow("min_points", "", "", lo.min_points, hi.min_points))
    rows += [
        RequirementRow(
            "category_points",
            key,
            _category_name(fw, key),
            lo.category_points.get(key),
            hi.category_points.get(key),
        )
        for key in _union(lo.category_points, hi.category_points)
    ]
    rows.append(
        RequirementRow(
            "threshold", "", "", level_threshold(fw, lower.code), level_threshold(fw, higher.code)
        )
    )
    return [r for r in rows if r.lower is not None or r.higher is not None]


# --- the whole comparison ----------------------------------------------------------------------


@dataclass(frozen=True)
class LevelComparison:
    lower: Level
    higher: Level
    texts: list[TextRow]
    expectations: list[ExpectationRow]
    requirements: list[RequirementRow]

    @property
    def changed(self) -> bool:
        rows: list[TextRow | ExpectationRow | RequirementRow] = [
            *self.texts,
            *self.expectations,
            *self.requirements,
        ]
        return any(r.state != "same" for r in rows)


def compare_levels(fw: Framework, lower: Level, higher: Level) -> LevelComparison:
    """`higher` against `lower`, field by field; fields empty at both levels are left out."""
    texts = [
        text_row(name, label, getattr(lower, name), getattr(higher, name))
        for name, label in TEXT_FIELDS
    ]
    return LevelComparison(
        lower=lower,
        higher=higher,
        texts=[t for t in texts if t.lower or t.higher],
        expectations=expectation_rows(lower, higher),
        requirements=requirement_rows(fw, lower, higher),
    )
