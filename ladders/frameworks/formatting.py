"""`ladders fmt`: one canonical layout for framework files, keeping their comments.

Known keys are put in the order of the format's documentation; unknown keys stay, at the end, so
that formatting never loses data (lint reports them).
"""

from __future__ import annotations

import json
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .formats.document import dump_yaml
from .loader import parse_text

_ORDER: dict[str, list[str]] = {
    "framework": [
        "$schema",
        "schema",
        "key",
        "name",
        "description",
        "categories",
        "skills",
        "tracks",
        "scoring",
    ],
    "categories": ["key", "name", "description"],
    "skills": ["key", "name", "category", "description", "milestones"],
    "milestones": ["number", "summary", "signals", "examples", "points"],
    "tracks": ["key", "name", "description", "levels"],
    "levels": [
        "code",
        "title",
        "summary",
        "experience",
        "responsibility",
        "expectations",
        "requirements",
    ],
    "expectations": ["topic", "items"],
    "requirements": ["milestones", "min_points", "category_points"],
    "scoring": ["mode", "points", "levels", "titles", "category_caps"],
    "thresholds": ["min_points", "code"],
    "titles": ["name", "min_points", "max_points", "track"],
}
# what each known list holds, by the key it sits under (and the key of its parent)
_ITEMS = {
    ("framework", "categories"): "categories",
    ("framework", "skills"): "skills",
    ("framework", "tracks"): "tracks",
    ("skills", "milestones"): "milestones",
    ("tracks", "levels"): "levels",
    ("levels", "expectations"): "expectations",
    ("scoring", "levels"): "thresholds",
    ("scoring", "titles"): "titles",
}
_MAPS = {("framework", "scoring"): "scoring", ("levels", "requirements"): "requirements"}


def _block_style(node: Any) -> None:
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        for value in node.values():
            _block_style(value)
    elif isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for value in node:
            _block_style(value)


def _reorder(node: Any, kind: str) -> None:
    if not isinstance(node, CommentedMap):
        return
    for key in _ORDER.get(kind, []):
        if key in node:
            node.move_to_end(key)
    for key in [k for k in node if k not in _ORDER.get(kind, [])]:
        node.move_to_end(key)
    for key, value in node.items():
        if (kind, key) in _MAPS:
            _reorder(value, _MAPS[(kind, key)])
        elif (kind, key) in _ITEMS and isinstance(value, CommentedSeq):
            for item in value:
                _reorder(item, _ITEMS[(kind, key)])


def format_text(text: str, filename: str = "<text>", as_json: bool = False) -> str:
    """The canonical form of a framework file's text (YAML keeps comments; JSON has none)."""
    data = parse_text(text, filename)
    _reorder(data, "framework")
    _block_style(data)
    if as_json:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return dump_yaml(data)
