"""Monzo-style progression frameworks: Markdown whose YAML front matter holds the framework.

The shape (monzo/progression-framework, e.g. ``frameworks/engineering/backend.md``)::

    ---
    path: "/engineering/backend"
    title: "Backend Engineering Framework"
    sidebarTitle: "Backend"
    sidebarGroup: "engineering"
    levels: 6
    topics:
      - name: "mastery"
        title: "Mastery"
        content:
          - level: 2
            criteria: ["Fixes bugs"]
            exampleCriteria:
              - criteria: "Implements simple handlers"
                examples: ["Basic CRUD handlers"]
    ---
    Markdown about the framework.

How it maps to ``ladders/v1``:

- Each topic is a skill: key ``slugify(name)``. It is named by its ``title`` (the site's heading)
  without the emoji and symbols in front ("👩‍💼 Leadership" -> "Leadership"), else by ``name``
  with its first letter capitalised ("communication" -> "Communication"). A topic without a
  ``name`` is keyed by its title.
- Each ``content`` entry is the milestone numbered by its ``level``. Its ``criteria`` are the
  milestone's signals. Each ``exampleCriteria`` entry adds its ``criteria`` as a signal too (after
  the plain criteria, in order). Its ``examples`` become the milestone's examples, written as given
  and in the order of the criteria they illustrate. The model has no link from an example to a
  signal, so that order is the only trace of which example belongs to which criterion. Markdown
  inside the text (links, ``**bold**``) is kept as written. Entries with no criteria and no
  examples make no milestone. Their lines are reported unplaced.
- Categories come from a topic's ``category`` (or ``group``) field when it has one. Otherwise the
  skill goes into one inferred category, ``skills``, and the report says so.
- The document becomes one track. Its key comes from the last part of ``path`` (else
  ``sidebarTitle``, ``title``, the file name) and its name from ``sidebarTitle`` (else ``title``).
  It has one level per level number: ``levels`` (a count, a list of titles or mappings, or a mapping
  from number to title) plus any level a topic uses. The codes are ``L1``, ``L2``… and titles
  come from the front matter when it gives them, else "Level 1", "Level 2"… Level n requires
  milestone n of every skill with content at level n.
- The framework is named by ``title`` and keyed by the file's own identity: the slug of ``title``
  ("Backend Engineering Framework" -> ``backend-engineering-framework``), else of ``path``
  (``engineering-backend``), ``sidebarTitle`` or the file name. ``sidebarGroup`` (the site's
  group, e.g. ``engineering``) is shared by every file of a group, so it keys nothing and is
  reported unplaced with that reason. Monzo gives no points, so scoring keeps the default table.
  For levels above 5 it adds 10 points per level (6: 30, 7: 40…) and the report says so.
- The Markdown body after the front matter is the framework's description, kept as written, up to
  the 10,000-character limit of a text. Lines past that are reported unplaced with that reason.
- Site settings (``yaml``, ``homepage``), comments and fields this mapping does not use are
  reported unplaced with the reason.

Lines are placed from ruamel's positions (``CommentedMap.lc``). A value runs from its own line up
to the line where the next key or list item of the front matter starts. Front matter over 512 KiB
is refused: real files are a few dozen KB, and reading YAML is slow.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import FrameworkInvalid
from ..loader import framework_from_data, parse_text
from ..model import DEFAULT_POINTS
from .base import ImportFailed, ImportResult, LineTracker, document, slugify

MAX_TEXT = 10_000
MAX_NAME = 200
MAX_MILESTONE = 99
DETECT_CHARS = 200_000
# Pure-Python ruamel.yaml needs seconds per 100 KB of dense flow-style YAML (and parse_text reads
# it twice). Real front matter is a few dozen KB; the bound keeps a hostile 5 MB file from
# taking minutes.
MAX_FRONT_MATTER = 512 * 1024
# The file line of ruamel's line 0: the front matter starts after the opening '---'.
FIRST_YAML_LINE = 2
DEFAULT_CATEGORY = ("skills", "Skills")
SITE_SETTINGS = {"yaml", "homepage"}

_TOPICS = re.compile(r"^topics[ \t]*:", re.MULTILINE)
_LEVELS = re.compile(r"^levels[ \t]*:", re.MULTILINE)


def _scalar_text(value: Any) -> str | None:
    """A scalar as text (numbers and dates as written by YAML), or None for collections/null."""
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip()


def _without_leading_symbols(text: str) -> str:
    """'👩‍💼 Leadership' -> 'Leadership': emoji, their joiners and selectors, other symbols and
    spaces in front of the words go; punctuation such as '(' stays."""
    for index, char in enumerate(text):
        if not (char.isspace() or unicodedata.category(char)[0] in "SMC"):
            return text[index:].strip()
    return ""


def _capitalised(text: str) -> str:
    """'communication' -> 'Communication'; the rest is kept as written ('API design')."""
    return text[:1].upper() + text[1:]


def _level_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 4:
        return int(value.strip())
    return None


def _lc_line(container: Any, where: Any, *, item: bool = False) -> int | None:
    """ruamel's 0-based line of a key (or list item), or None when it kept no position."""
    try:
        line, _ = container.lc.item(where) if item else container.lc.key(where)
    except (AttributeError, KeyError, TypeError, IndexError):
        return None
    return line if isinstance(line, int) else None


def _children(node: Any) -> list[tuple[int | None, Any]]:
    """(ruamel line, value) of each entry of a mapping or list."""
    if isinstance(node, CommentedMap):
        return [(_lc_line(node, k), v) for k, v in node.items()]
    if isinstance(node, CommentedSeq):
        return [(_lc_line(node, i, item=True), v) for i, v in enumerate(node)]
    return []


class _Positions:
    """File lines of the front matter's values, from ruamel's `.lc` positions."""

    def __init__(self, data: Any, closing_line: int) -> None:
        self.closing_line = closing_line
        self._starts = [*sorted(self._lines_in(data)), closing_line]

    @staticmethod
    def _lines_in(root: Any) -> set[int]:
        lines: set[int] = set()
        stack, seen = [root], set()
        while stack:  # not recursive: the document may be nested about as deep as YAML allows
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            for line, child in _children(node):
                if line is not None:
                    lines.add(line + FIRST_YAML_LINE)
                if isinstance(child, (CommentedMap, CommentedSeq)):
                    stack.append(child)
        return lines

    def line(self, container: Any, where: Any, *, item: bool = False) -> int | None:
        line = _lc_line(container, where, item=item)
        return None if line is None else line + FIRST_YAML_LINE

    def span(self, start: int, value: Any = None) -> range:
        """Lines from `start` to where the next key or item after `value` begins."""
        last = max([start, *self._lines_in(value)]) if value is not None else start
        index = bisect.bisect_right(self._starts, last)
        end = self._starts[index] if index < len(self._starts) else self.closing_line
        return range(start, max(end, start + 1))


@dataclass
class _Milestone:
    signals: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)  # (criterion|example, text)


class _Keys:
    """Keys as `base.unique_key` makes them (craft, craft-2, craft-3…), in linear time.

    `unique_key` counts up from 2 on every call; a file repeating one topic name thousands of
    times would make that quadratic, so the next free number of each base is remembered here.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self._next: dict[str, int] = {}
        self._uses: dict[str, int] = {}

    def add(self, base: str) -> str:
        n = self._next.get(base, 1)
        key = base
        while key in self.taken:
            n += 1
            # Cut before the suffix without leaving a '-' there: 'a-' + '-2' is not a slug.
            key = f"{base[: 64 - len(str(n)) - 1].rstrip('-')}-{n}"
        self._next[base] = n
        self._uses[base] = self._uses.get(base, 0) + 1
        self.taken.add(key)
        return key

    def repeated(self) -> dict[str, int]:
        """Base -> how many times it was used, for bases used more than once."""
        return {base: n for base, n in self._uses.items() if n > 1}


class _Import:
    """One parse: the tracker, the positions and what was found so far."""

    def __init__(self, text: str, filename: str) -> None:
        self.filename = filename
        self.tracker = LineTracker(text, filename)
        self.lines = self.tracker.lines
        self.inferred: list[str] = []
        self.warnings: list[str] = []
        self.pos: _Positions
        # How the first skill of each kind was named, for the report: (source, skill name).
        self.named_by_title: tuple[str, str] | None = None
        self.named_by_name: tuple[str, str] | None = None

    # -- lines ------------------------------------------------------------------------------

    def place_value(self, start: int | None, value: Any) -> None:
        """Place a scalar's lines; comment lines inside its span that are not its text are not."""
        if start is None:
            return
        text = str(value)
        for number in self.pos.span(start):
            stripped = self.lines[number - 1].strip() if number <= len(self.lines) else ""
            if stripped and not (stripped.startswith("#") and stripped not in text):
                self.tracker.place(number)

    def place_line(self, start: int | None) -> None:
        if start is not None:
            self.tracker.place(start)

    def skip(self, start: int | None, value: Any, reason: str) -> None:
        """Give every line of a value (a whole subtree) the reason it was left out."""
        if start is None:
            return
        collection = value if isinstance(value, (CommentedMap, CommentedSeq)) else None
        for number in self.pos.span(start, collection):
            self.tracker.skip(number, reason)

    def fail(self, message: str, line: int = 1) -> ImportFailed:
        return ImportFailed(message, source=self.filename, line=line)

    # -- the document -----------------------------------------------------------------------

    def front_matter(self) -> tuple[Any, int]:
        """The parsed front matter and the line number of its closing `---`."""
        if not self.lines or self.lines[0].lstrip("\ufeff").rstrip() != "---":
            raise self.fail("no front matter: a Monzo framework starts with a '---' line")
        closing = next(
            (i for i, line in enumerate(self.lines[1:], start=2) if line.rstrip() == "---"), None
        )
        if closing is None:
            raise self.fail("the front matter that starts here is never closed with '---'")
        yaml_text = "\n".join(self.lines[1 : closing - 1]) + "\n"
        if not yaml_text.strip():
            raise self.fail("the front matter is empty")
        if len(yaml_text) > MAX_FRONT_MATTER:
            raise self.fail(
                f"the front matter is {len(yaml_text):,} characters; the limit is "
                f"{MAX_FRONT_MATTER:,} (Monzo frameworks are a few dozen KB)"
            )
        try:
            data = parse_text(yaml_text, self.filename)
        except FrameworkInvalid as exc:
            first = exc.problems[0] if exc.problems else None
            message = first.message if first else "not valid YAML"
            line = first.line + FIRST_YAML_LINE - 1 if first and first.line else 1
            raise self.fail(f"the front matter is not readable YAML: {message}", line) from None
        except RecursionError:
            raise self.fail("the front matter is nested too deeply to read", 2) from None
        if not isinstance(data, CommentedMap):
            raise self.fail("the front matter is not a mapping of fields", FIRST_YAML_LINE)
        return data, closing

    def run(self) -> dict[str, Any]:
        data, closing = self.front_matter()
        self.pos = _Positions(data, closing)
        self.tracker.place(1, closing)
        categories: dict[str, str] = {}
        skills = self.topics(data, categories)
        levels = self.levels(data, skills)
        self.other_fields(data)
        key, name, track = self.names(data)
        for number in range(FIRST_YAML_LINE, closing):
            if self.lines[number - 1].lstrip().startswith("#"):
                self.tracker.skip(number, "a YAML comment")
        max_number = max(m["number"] for s in skills for m in s["milestones"])
        track["levels"] = levels
        return document(
            key=key,
            name=name,
            description=self.body(closing),
            categories=[{"key": k, "name": v} for k, v in categories.items()],
            skills=skills,
            tracks=[track],
            scoring=self.scoring(max_number),
        )

    # -- topics -> skills -------------------------------------------------------------------

    def topics(self, data: CommentedMap, categories: dict[str, str]) -> list[dict[str, Any]]:
        topics = data.get("topics")
        line = self.pos.line(data, "topics") or 1
        if not isinstance(topics, CommentedSeq) or not topics:
            raise self.fail("the front matter has no topics (a list under 'topics:')", line)
        self.place_line(line)
        keys = _Keys()
        skills = []
        for index, topic in enumerate(topics):
            start = self.pos.line(topics, index, item=True)
            if not isinstance(topic, CommentedMap):
                self.skip(start, topic, "a topic should be a mapping with name and content")
                continue
            skill = self.topic(topic, index, start, keys, categories)
            if skill is not None:
                skills.append(skill)
        if not skills:
            raise self.fail("no topic has any criteria to import", line)
        if self.named_by_title:
            before, after = self.named_by_title
            self.inferred.append(
                f"skills are named by their topic's title without the emoji in front "
                f"('{before}' -> '{after}'); keys are the topics' names"
            )
        if self.named_by_name:
            before, after = self.named_by_name
            self.inferred.append(
                f"topics without a title are named by their name, capitalised "
                f"('{before}' -> '{after}')"
            )
        for base, count in keys.repeated().items():
            self.inferred.append(f"topic '{base}' is used {count} times: keyed {base}-2 onwards")
        if DEFAULT_CATEGORY[0] in categories and len(categories) == 1:
            self.inferred.append(
                "category 'skills' (Skills) created: the topics name no category or group"
            )
        elif DEFAULT_CATEGORY[0] in categories:
            self.inferred.append("topics without a category or group were put in 'skills'")
        return skills

    def topic(
        self,
        topic: CommentedMap,
        index: int,
        start: int | None,
        keys: _Keys,
        categories: dict[str, str],
    ) -> dict[str, Any] | None:
        raw_name = (_scalar_text(topic.get("name")) or "")[:MAX_NAME].strip()
        raw_title = (_scalar_text(topic.get("title")) or "")[:MAX_NAME].strip()
        title = _without_leading_symbols(raw_title)
        # How the source calls the topic, for messages: its name, else its title.
        label = raw_name or raw_title or f"Topic {index + 1}"
        milestones = self.content(topic, label)
        if not milestones:
            self.skip(start, topic, f"topic '{label}' has no criteria, so it is not a skill")
            self.warnings.append(f"topic '{label}' has no criteria: not imported")
            return None
        key = keys.add(slugify(raw_name or raw_title, fallback="topic"))
        # The fields the key and the name came from.
        named_by = {"name" if raw_name else "title"} if raw_name or raw_title else set()
        if title:
            name = title
            named_by.add("title")
            self.named_by_title = self.named_by_title or (raw_title, name)
        elif raw_name:
            name = _capitalised(raw_name)
            self.named_by_name = self.named_by_name or (raw_name, name)
        else:
            name = label
            self.inferred.append(f"a topic has no usable name or title: named '{name}'")
        category, grouped_by = self.category(topic, categories)
        for field_name, value in topic.items():
            line = self.pos.line(topic, field_name)
            if field_name in named_by:
                self.place_value(line, value)
            elif field_name == "content":
                self.place_line(line)
            elif field_name == grouped_by:
                self.place_value(line, value)
            elif field_name == "title" and not raw_title:
                self.skip(line, value, "empty title")
            elif field_name == "title":
                self.skip(line, value, "the title has no words after its emoji: named by 'name'")
            else:
                self.skip(line, value, f"topic field '{field_name}' is not part of a skill")
        return {
            "key": key,
            "name": name,
            "category": category,
            "milestones": [
                {"number": n, "signals": m.signals, "examples": m.examples}
                for n, m in sorted(milestones.items())
            ],
        }

    def category(self, topic: CommentedMap, categories: dict[str, str]) -> tuple[str, str]:
        """The topic's category key, and the field that gave it ("" for the inferred one)."""
        for field_name in ("category", "group"):
            name = (_scalar_text(topic.get(field_name)) or "")[:MAX_NAME].strip()
            if name:
                key = slugify(name, fallback="category")
                categories.setdefault(key, name)
                return key, field_name
        categories.setdefault(*DEFAULT_CATEGORY)
        return DEFAULT_CATEGORY[0], ""

    def content(self, topic: CommentedMap, name: str) -> dict[int, _Milestone]:
        content = topic.get("content")
        if not isinstance(content, CommentedSeq):
            return {}
        milestones: dict[int, _Milestone] = {}
        for index, entry in enumerate(content):
            start = self.pos.line(content, index, item=True)
            number = _level_number(entry.get("level")) if isinstance(entry, CommentedMap) else None
            if number is None or not 1 <= number <= MAX_MILESTONE:
                self.skip(start, entry, f"content of '{name}' without a level from 1 to 99")
                continue
            is_new = number not in milestones
            milestone = milestones.setdefault(number, _Milestone())
            if not self.entry(entry, milestone, f"level {number} of '{name}'"):
                if is_new:
                    del milestones[number]
                self.skip(start, entry, f"level {number} of '{name}' has no criteria")
            elif not is_new:
                self.inferred.append(f"'{name}' lists level {number} twice: joined")
        return milestones

    def entry(self, entry: CommentedMap, milestone: _Milestone, where: str) -> bool:
        """Add a content entry's criteria and examples; False when it had none."""
        found = False
        for field_name, value in entry.items():
            line = self.pos.line(entry, field_name)
            if field_name == "level":
                continue
            if field_name == "criteria":
                found |= self.texts(value, line, milestone, "criterion", where)
            elif field_name == "exampleCriteria" and isinstance(value, CommentedSeq):
                found |= self.example_criteria(value, line, milestone, where)
            else:
                self.skip(line, value, f"field '{field_name}' of {where} is not used")
        if found:
            self.place_value(self.pos.line(entry, "level"), entry.get("level"))
        return found

    def example_criteria(
        self, items: CommentedSeq, line: int | None, milestone: _Milestone, where: str
    ) -> bool:
        found = False
        for index, item in enumerate(items):
            start = self.pos.line(items, index, item=True)
            if not isinstance(item, CommentedMap):
                self.skip(start, item, f"an example criterion of {where} should be a mapping")
                continue
            for field_name, value in item.items():
                at = self.pos.line(item, field_name)
                if field_name == "criteria":
                    found |= self.texts(value, at, milestone, "criterion", where)
                elif field_name == "examples":
                    found |= self.texts(value, at, milestone, "example", where)
                else:
                    self.skip(at, value, f"field '{field_name}' of {where} is not used")
        if found:
            self.place_line(line)
        return found

    def texts(
        self, value: Any, line: int | None, milestone: _Milestone, kind: str, where: str
    ) -> bool:
        """Add a scalar, or each scalar of a list, to `milestone` as a criterion (signal) or an
        example (`kind`); say why the others were left out."""
        out = milestone.examples if kind == "example" else milestone.signals
        what = f"{kind} of {where}"
        if isinstance(value, CommentedSeq):
            items = [(self.pos.line(value, i, item=True), v) for i, v in enumerate(value)]
        else:
            items = [(line, value)]
        found = False
        for at, item in items:
            text = _scalar_text(item)
            if not text:
                self.skip(at, item, f"an empty or nested {what}")
            elif len(text) > MAX_TEXT:
                self.skip(at, item, f"{what} is longer than {MAX_TEXT:,} characters")
            elif (kind, text) in milestone.seen:
                self.skip(at, item, f"repeats a {what}")
            else:
                milestone.seen.add((kind, text))
                out.append(text)
                self.place_value(at, item)
                found = True
        if found and isinstance(value, CommentedSeq):
            self.place_line(line)
        return found

    # -- levels -> track --------------------------------------------------------------------

    def levels(self, data: CommentedMap, skills: list[dict[str, Any]]) -> list[dict[str, Any]]:
        declared = self.declared_levels(data)
        used: dict[int, dict[str, int]] = {}
        for skill in skills:
            for milestone in skill["milestones"]:
                used.setdefault(milestone["number"], {})[skill["key"]] = milestone["number"]
        extra = sorted(set(used) - set(declared))
        if declared and extra:
            self.inferred.append(
                f"levels {', '.join(map(str, extra))} are used by topics but not declared in "
                "'levels': added"
            )
        elif not declared:
            self.inferred.append("no usable 'levels' in the front matter: levels from the topics")
        numbers = sorted(set(declared) | set(used))
        out = [
            {
                "code": f"L{n}",
                "title": f"Level {n}",
                **declared.get(n, {}),
                "requirements": {"milestones": used.get(n, {})},
            }
            for n in numbers
        ]
        untitled = [n for n in numbers if "title" not in declared.get(n, {})]
        if untitled == numbers:
            self.inferred.append("the front matter names no levels: titled 'Level 1', 'Level 2'…")
        elif untitled:
            self.inferred.append(
                f"levels {', '.join(map(str, untitled))} have no title in the front matter: "
                "titled 'Level N'"
            )
        self.inferred.append(
            f"one level per level number ({len(out)}): level n requires milestone n of every "
            "topic with criteria at level n"
        )
        return out

    def declared_levels(self, data: CommentedMap) -> dict[int, dict[str, str]]:
        """Level number -> title and summary from `levels`: a count, a list or a mapping."""
        value = data.get("levels")
        line = self.pos.line(data, "levels")
        count = _level_number(value)
        if count is not None and 1 <= count <= MAX_MILESTONE:
            self.place_value(line, value)
            return {n: {} for n in range(1, count + 1)}
        entries: list[tuple[int | None, int | None, Any]]
        if isinstance(value, CommentedSeq):
            entries = [(i + 1, self.pos.line(value, i, item=True), v) for i, v in enumerate(value)]
        elif isinstance(value, CommentedMap):
            entries = [(_level_number(k), self.pos.line(value, k), v) for k, v in value.items()]
        else:
            if "levels" in data:
                self.skip(line, value, "'levels' should be a count from 1 to 99, a list or map")
            return {}
        declared: dict[int, dict[str, str]] = {}
        for number, at, entry in entries:
            if number is not None and isinstance(entry, CommentedMap):
                number = _level_number(entry.get("level", entry.get("number", number)))
            if number is None or not 1 <= number <= MAX_MILESTONE or number in declared:
                self.skip(at, entry, "a level needs a number from 1 to 99 used once")
                continue
            declared[number] = self.level_entry(entry, at)
        if declared:
            self.place_line(line)
        return declared

    def level_entry(self, entry: Any, line: int | None) -> dict[str, str]:
        if not isinstance(entry, CommentedMap):
            title = _scalar_text(entry) or ""
            if title and len(title) <= MAX_TEXT:
                self.place_value(line, entry)
                return {"title": title}
            self.skip(line, entry, "a level title should be short text")
            return {}
        found: dict[str, str] = {}
        targets = {"title": "title", "name": "title", "summary": "summary"}
        targets["description"] = "summary"
        for field_name, value in entry.items():
            at = self.pos.line(entry, field_name)
            text = _scalar_text(value) or ""
            target = targets.get(str(field_name))
            if field_name in ("level", "number"):
                self.place_value(at, value)
            elif target and target not in found and text and len(text) <= MAX_TEXT:
                found[target] = text
                self.place_value(at, value)
            else:
                self.skip(at, value, f"level field '{field_name}' is not used")
        return found

    # -- names, scoring, body ---------------------------------------------------------------

    def names(self, data: CommentedMap) -> tuple[str, str, dict[str, Any]]:
        """The framework's key and name, and the track (without levels)."""
        stem = PurePath(self.filename).stem or "framework"
        texts = {f: (_scalar_text(data.get(f)) or "")[:MAX_NAME].strip() for f in data}
        path_parts = [p for p in texts.get("path", "").split("/") if slugify(p, "")]
        name = texts.get("title") or texts.get("sidebarTitle") or stem
        self.use(data, "title" if texts.get("title") else "sidebarTitle")
        # The file's own identity, not sidebarGroup: every file of a group shares that.
        for field_name, what in (("title", "title"), ("path", "path"), ("sidebarTitle", "")):
            key = slugify(texts.get(field_name, ""), "")
            if key:
                self.use(data, field_name)
                self.inferred.append(
                    f"framework key '{key}' from the {what or field_name} of the file"
                )
                break
        else:
            key = slugify(stem, "framework")
            self.inferred.append(f"framework key '{key}' from the file name")
        track_name = texts.get("sidebarTitle") or name
        self.use(data, "sidebarTitle" if texts.get("sidebarTitle") else "title")
        if path_parts:
            track_key = slugify(path_parts[-1], "track")
            self.use(data, "path")
        else:
            track_key = slugify(track_name, fallback=slugify(stem, "track"))
        self.inferred.append(f"one track '{track_key}' ({track_name}) for the whole document")
        return key, name, {"key": track_key, "name": track_name}

    def use(self, data: CommentedMap, field_name: str) -> None:
        if field_name in data:
            self.place_value(self.pos.line(data, field_name), data[field_name])

    def other_fields(self, data: CommentedMap) -> None:
        used = {"topics", "levels", "title", "sidebarTitle", "path"}
        for field_name, value in data.items():
            line = self.pos.line(data, field_name)
            if field_name in SITE_SETTINGS:
                self.skip(line, value, "a setting of the Monzo progression site")
            elif field_name == "sidebarGroup":
                self.skip(
                    line,
                    value,
                    "the site's group of frameworks, shared by every file in it: "
                    "the framework is keyed by its own title or path",
                )
            elif field_name not in used:
                self.skip(line, value, f"front-matter field '{field_name}' is not used")
            elif field_name not in ("topics", "levels"):
                # Replaced by placing the line when names() can use the value.
                self.skip(line, value, f"'{field_name}' gives no usable name or key")

    def scoring(self, max_number: int) -> dict[str, Any]:
        if max_number <= max(DEFAULT_POINTS):
            return {}
        points = dict(DEFAULT_POINTS)
        for n in range(max(DEFAULT_POINTS) + 1, max_number + 1):
            points[n] = points[n - 1] + 10
        self.inferred.append(
            "no points in Monzo files: the default 1/3/6/12/20, then 10 more per level above 5"
        )
        return {"points": {str(n): p for n, p in points.items()}}

    def body(self, closing: int) -> str:
        """The Markdown after the front matter, as the framework description (up to the limit)."""
        kept: list[str] = []
        size = 0
        for number in range(closing + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            size += len(line) + 1
            if size > MAX_TEXT:
                if line.strip():
                    self.tracker.skip(number, f"past the {MAX_TEXT:,}-character description limit")
                continue
            kept.append(line)
            if line.strip():
                self.tracker.place(number)
        description = "\n".join(kept).strip()
        if description:
            self.inferred.append("the Markdown after the front matter is the description")
        return description


class MonzoImporter:
    name = "monzo"
    label = "Monzo progression framework (Markdown with YAML front matter)"

    def detect(self, text: str, filename: str) -> float:
        head = text[:DETECT_CHARS].lstrip("\ufeff")
        first, _, rest = head.partition("\n")
        if first.rstrip() != "---":
            return 0.0
        end = re.search(r"^---[ \t]*$", rest, re.MULTILINE)
        front = rest[: end.start()] if end else rest
        return 0.95 if _TOPICS.search(front) and _LEVELS.search(front) else 0.0

    def parse(self, text: str, filename: str) -> ImportResult:
        run = _Import(text, filename)
        data = run.run()
        try:
            framework = framework_from_data(data, filename)
        except FrameworkInvalid as exc:
            raise ImportFailed(
                f"the import does not validate (a bug):\n{exc}", source=filename
            ) from None
        report = run.tracker.report(self.name)
        report.inferred += run.inferred
        report.warnings += run.warnings
        return ImportResult(framework, report)


IMPORTER = MonzoImporter()
