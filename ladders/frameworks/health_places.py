"""Places in a framework document, for tools and for people.

`display_path` is the place as a tool or the file sees it (`skills.testing.milestones[3]`: keys
and zero-based positions); `place_of` is the same place as a reader of the pages sees it
("Testing › milestone 4", by name and counting from 1); `text_at` is the words found there.
Health findings carry all three.
"""

from __future__ import annotations

from pydantic import BaseModel

from .errors import Path
from .model import Category, ExpectationGroup, Framework, Level, Milestone, Skill, Track

_KEYED = {"skills", "tracks", "categories"}


def display_path(fw: Framework, location: Path) -> str:
    """`("skills", 3, "milestones", 1)` -> `skills.testing.milestones[1]`: skills, tracks and
    categories by key, everything else by position."""
    out = ""
    node: object = fw
    previous: str | int | None = None
    for part in location:
        node = _step(node, part)
        if isinstance(part, int) and previous in _KEYED and isinstance(node, BaseModel):
            out += f".{getattr(node, 'key', part)}"
        elif isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
        previous = part
    return out


# Lists and maps whose entries are named by the entry itself ("milestone 3", "Coding"), so the
# container's own name is left out of a readable place unless the place is the container.
_CONTAINERS = {
    "skills": "Skills",
    "tracks": "Tracks and levels",
    "categories": "Categories",
    "milestones": "milestones",
    "levels": "levels",
    "signals": "signals",
    "examples": "examples",
    "expectations": "expectations",
    "items": "items",
    "category_points": "points per category",
}
_ITEM_NAMES = {"signals": "signal", "examples": "example", "items": "item"}
_FIELD_NAMES = {"min_points": "minimum points", "description": "description"}


def place_of(fw: Framework, location: Path) -> str:
    """`("skills", 3, "milestones", 4, "signals", 1)` -> "Code quality › milestone 5 › signal 2":
    the place for a reader, by name and counting from 1 as the pages do."""
    parts: list[str] = []
    node: object = fw
    previous: str | int | None = None
    for n, part in enumerate(location):
        child = _step(node, part)
        last = n == len(location) - 1
        label = _place_part(fw, previous, part, child, last)
        if label:
            parts.append(label)
        node, previous = child, part
    text = " › ".join(parts) or fw.name
    return text[:1].upper() + text[1:]


def _place_part(
    fw: Framework, previous: str | int | None, part: str | int, child: object, last: bool
) -> str:
    if isinstance(child, (Skill, Track, Category)):
        return child.name
    if isinstance(child, Milestone):
        return f"milestone {child.number}"
    if isinstance(child, Level):
        return f"level {child.code} {child.title}".strip()
    if isinstance(child, ExpectationGroup):
        return child.topic or f"expectations {int(part) + 1}"
    if isinstance(part, int):
        return f"{_ITEM_NAMES.get(str(previous), 'item')} {part + 1}"
    if previous == "milestones":  # a level's required milestone, by skill key
        return f"{skill_name(fw, part)} milestone"
    if previous == "category_points":
        return f"points in {category_name(fw, part)}"
    if part in _CONTAINERS:
        return _CONTAINERS[part] if last else ""
    return _FIELD_NAMES.get(part, part.replace("_", " "))


def skill_name(fw: Framework, key: str) -> str:
    skill = fw.skill(key)
    return skill.name if skill else key


def category_name(fw: Framework, key: str) -> str:
    category = fw.category(key)
    return category.name if category else key


def level_name(level: Level) -> str:
    return f"{level.code} {level.title}".strip()


def _step(node: object, part: str | int) -> object:
    if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
        return node[part]
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(part, str) and isinstance(node, BaseModel):
        return getattr(node, part.rstrip("_"), None)
    return None


def text_at(fw: Framework, location: Path) -> str:
    """The words a reader would look for at `location`: the text itself, or a thing's name."""
    node: object = fw
    for part in location:
        node = _step(node, part)
    if isinstance(node, str):
        return node
    if isinstance(node, bool) or node is None:
        return ""
    if isinstance(node, int):
        return str(node)
    if isinstance(node, Milestone):
        return node.summary
    if isinstance(node, Level):
        return f"{node.code} {node.title}".strip()
    name = getattr(node, "name", "")
    return name if isinstance(name, str) else ""
