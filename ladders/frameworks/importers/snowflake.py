"""Medium Snowflake's `constants.js`, and its forks, read with a real JavaScript parser.

Snowflake (github.com/Medium/snowflake) keeps its whole framework in one Flow-typed module:
`tracks` (the skills: a display name, a category and milestones of summary, signals and
examples), `milestoneToPoints`, `pointsToLevels` and `titles`. This importer parses the module
with tree-sitter's TypeScript grammar, which also reads Flow's annotations (`?string`, `{| |}`),
walks the syntax tree and evaluates literal data only: objects, arrays, strings (template
literals without substitutions, and literal strings joined with `+`), numbers and a leading minus.
No code is ever run. Where a fork's syntax does not parse, the importer reads what did parse and
says which lines it could not.

Snowflake has one ladder of levels driven by points, so `pointsToLevels` becomes both the scoring
thresholds and one track, ``engineering`` (Engineering): a level per threshold in order, coded as
in the file ("1.1"), titled by the `titles` eligible at that threshold joined with " / " ("Senior
Engineer / Group Lead"), and requiring the threshold's points (`requirements.min_points`). People
can then hold a position on the track and see their readiness for the next level. The file gives
no name for the framework: it is named "Snowflake" and keyed by the file name.

Every line that gave the framework something is placed; imports, type declarations, helper
functions and the d3 colour scale are listed with the reason they were left out.
"""

from __future__ import annotations

import bisect
import math
import re
import time
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import PurePath
from typing import Any

import tree_sitter
import tree_sitter_typescript

from ..errors import FrameworkInvalid
from ..loader import framework_from_data
from ..model import DEFAULT_POINTS
from .base import ImportFailed, ImportResult, LineTracker, document, slugify, unique_key

Node = tree_sitter.Node

CODE = "code, not framework data"

# Names of the top-level constants this importer reads, compared without case and underscores.
_TRACKS, _POINTS, _LEVELS, _TITLES = "tracks", "milestonetopoints", "pointstolevels", "titles"
_WANTED = {
    _TRACKS: "tracks",
    _POINTS: "milestoneToPoints",
    _LEVELS: "pointsToLevels",
    _TITLES: "titles",
}

# What Snowflake's other constants are, so the report can say why they were left out.
_KNOWN_CODE = {
    "milestones": "the list of milestone numbers; each track's milestones array gives them",
    "maxlevel": "the highest threshold, which pointsToLevels already gives",
    "trackids": f"the track ids, computed from tracks: {CODE}",
    "categoryids": f"the category ids, computed from tracks: {CODE}",
}

_FUNCTIONS = {"arrow_function", "function_expression", "function", "function_declaration"}
_FUNCTIONS |= {"generator_function", "generator_function_declaration"}
_TYPE_STATEMENTS = {
    "type_alias_declaration",
    "interface_declaration",
    "ambient_declaration",
    "enum_declaration",
    "abstract_class_declaration",
    "module",
    "internal_module",
}
_TRACK_NAME_FIELDS = ("displayName", "name", "title", "label")
_TITLE_NAME_FIELDS = ("label", "name", "title", "displayName")
_JS_EXTENSIONS = {".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".flow"}
_TRACKS_DECLARED = re.compile(r"\btracks\b[ \t]*(?::[^=\n]{0,200})?=[ \t]*[({]")
_LONE_CR = re.compile(rb"\r(?!\n)")
_COLOUR_SCALE = re.compile(r"d3\s*\.|scale[A-Z]\w*\s*[<(]")
_JS_MARKERS = ("const ", "export ", "=>", "function", "module.exports", "@flow", "let ", "var ")
_MAX_MILESTONE = 99
_MAX_POINTS = 1_000_000
_MAX_TEXT = 10_000
_MAX_NAME = 200
_MAX_CODE = 32
TRACK_KEY, TRACK_NAME = "engineering", "Engineering"
FRAMEWORK_NAME = "Snowflake"
_PARSE_SECONDS, _PARSE_SECONDS_PER_MB = 2.0, 4.0
_CHUNK = 1 << 20  # bytes handed to the parser at a time
_MAX_PROBLEM_NODES = 200_000  # syntax-tree nodes searched for errors
_MAX_NAME_LOOKUPS = 100  # places a wanted name is looked up when its declaration did not parse
_MAX_LISTED = 5
_MAX_DEPTH = 1_000  # bracket nesting refused before parsing
_BRACKET_STEP = {ord(c): 1 for c in "([{"} | {ord(c): -1 for c in ")]}"}
_NOT_BRACKETS = bytes(
    b for b in range(256) if b not in _BRACKET_STEP
)  # ranges listed in one warning before "and N more"

_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "0": "\0",
}


@cache
def _language() -> tree_sitter.Language:
    return tree_sitter.Language(tree_sitter_typescript.language_typescript())


def _parse(data: bytes) -> tree_sitter.Tree | None:
    """The syntax tree, or None when error recovery on broken input runs past its time budget.

    Tree-sitter reads valid JavaScript at megabytes a second, but its error recovery can take
    minutes on megabytes of junk; the budget leaves real files dozens of times the time they need.
    """
    parser = tree_sitter.Parser(_language())
    if b"\r" in data:  # a lone CR ends a line in JavaScript, not in tree-sitter's comments
        data = _LONE_CR.sub(b"\n", data)  # same length: byte offsets stay valid
    view = memoryview(data)
    deadline = time.monotonic() + _PARSE_SECONDS + _PARSE_SECONDS_PER_MB * len(data) / 1e6

    def read(offset: int, _point: tree_sitter.Point) -> memoryview:
        return view[offset : offset + _CHUNK]

    def give_up(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    try:
        return parser.parse(read, progress_callback=give_up)
    except ValueError:  # cancelled by give_up
        return None


def _nesting(data: bytes) -> int:
    """How deep brackets nest, counting those in strings and comments too (an upper bound).

    Tree-sitter recurses when it compares ambiguous parses, and tens of thousands of nested
    `{a:` crash the process; no framework file comes anywhere near the limit.
    """
    brackets = data.translate(None, _NOT_BRACKETS)
    return max(accumulate(_BRACKET_STEP[b] for b in brackets), default=0)


def _norm_name(name: str) -> str:
    return name.replace("_", "").lower()


# --- what the module says, as JavaScript would see it ------------------------------------------


@dataclass
class MilestoneData:
    summary: str = ""
    signals: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


@dataclass
class TrackData:
    id: str
    display_name: str | None = None
    category: str | None = None
    description: str = ""
    milestones: list[MilestoneData] = field(default_factory=list)


@dataclass
class PointsTable:
    """`milestoneToPoints` as written: a switch's cases, or an object or array lookup."""

    kind: str  # "switch", "object" or "array"
    points: dict[int, int | float] = field(default_factory=dict)  # milestone -> points
    default: int | float | None = None  # the switch's `default: return N`, or `?? N`
    line: int = 0

    def points_for(self, milestone: int) -> int | float | None:
        """What Snowflake's `milestoneToPoints(milestone)` returns (None: undefined)."""
        return self.points.get(milestone, self.default)


@dataclass
class SnowflakeConstants:
    """The literal data of a Snowflake `constants.js`: what the framework is built from."""

    tracks: dict[str, TrackData] = field(default_factory=dict)
    milestone_to_points: PointsTable | None = None
    points_to_levels: dict[str, str] | None = None  # JavaScript keys: strings of numbers
    titles: list[dict[str, Any]] | None = None  # {label, minPoints?, maxPoints?}
    category_names: dict[str, str] = field(default_factory=dict)
    category_descriptions: dict[str, str] = field(default_factory=dict)


@dataclass
class _Decl:
    name: str
    value: Node | None
    node: Node  # the declarator, function or assignment
    statement: Node  # the top-level statement holding it


# --- the reader: syntax tree to constants, with every line accounted for -----------------------


class _Reader:
    def __init__(self, text: str, filename: str, tracker: LineTracker) -> None:
        self.filename = filename
        self.tracker = tracker
        self.data = text.encode("utf-8", "surrogatepass")
        self.starts = [0]
        position = 0
        for line in text.splitlines(keepends=True):
            position += len(line.encode("utf-8", "surrogatepass"))
            self.starts.append(position)
        self.broad: dict[int, str] = {}
        self.comments: dict[int, str] = {}
        self.specific: dict[int, str] = {}
        self.errors: dict[int, str] = {}
        self.warnings: list[str] = []
        self.inferred: list[str] = []
        self.constants = SnowflakeConstants()
        self.decls: list[_Decl] = []
        self.consts: dict[str, Node] = {}

    # lines

    def line(self, byte: int) -> int:
        return max(1, bisect.bisect_right(self.starts, byte))

    def span(self, node: Node) -> tuple[int, int]:
        first = self.line(node.start_byte)
        return first, max(first, self.line(max(node.start_byte, node.end_byte - 1)))

    def place(self, node: Node) -> None:
        first, last = self.span(node)
        self.tracker.place(*range(first, last + 1))

    def place_ends(self, node: Node) -> None:
        first, last = self.span(node)
        self.tracker.place(first, last)

    def _mark(self, target: dict[int, str], node: Node, reason: str) -> None:
        self._mark_bytes(target, node.start_byte, node.end_byte, reason)

    def _mark_bytes(self, target: dict[int, str], start: int, end: int, reason: str) -> None:
        first = self.line(start)
        for number in range(first, max(first, self.line(max(start, end - 1))) + 1):
            target[number] = reason

    def skip(self, node: Node, reason: str) -> None:
        self._mark(self.specific, node, reason)

    def where(self, node: Node) -> str:
        first, last = self.span(node)
        return f"line {first}" if first == last else f"lines {first}-{last}"

    # literal values

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def unwrap(self, node: Node | None) -> Node | None:
        """The expression inside parentheses, `as`/`satisfies` casts and `Object.freeze(...)`."""
        for _ in range(64):
            if node is None:
                return None
            kind = node.type
            if kind in ("parenthesized_expression", "as_expression", "satisfies_expression"):
                inner = [c for c in node.named_children if c.type != "comment"]
                node = inner[0] if inner else None
            elif kind == "non_null_expression":
                node = node.named_children[0] if node.named_children else None
            elif kind == "type_assertion":
                node = node.named_children[-1] if node.named_children else None
            elif kind == "call_expression":
                function = node.child_by_field_name("function")
                arguments = node.child_by_field_name("arguments")
                if function is None or arguments is None:
                    return node
                if self.text(function).replace(" ", "") not in ("Object.freeze", "Object.seal"):
                    return node
                inner = [c for c in arguments.named_children if c.type != "comment"]
                if len(inner) != 1:
                    return node
                node = inner[0]
            else:
                return node
        return node

    def _plain_string(self, node: Node) -> str | None:
        parts: list[str] = []
        for child in node.children:
            kind = child.type
            if kind == "string_fragment":
                fragment = self.text(child)
                if "\r" in fragment:  # template literals read CR LF and CR as LF
                    fragment = fragment.replace("\r\n", "\n").replace("\r", "\n")
                parts.append(fragment)
            elif kind == "escape_sequence":
                parts.append(_unescape(self.text(child)))
            elif kind in ('"', "'", "`") or child.is_missing:
                continue
            else:  # a template substitution, or something that did not parse
                return None
        joined = "".join(parts)
        # Pair up surrogates written as \uD83D\uDE00; a lone one becomes U+FFFD.
        return joined.encode("utf-16", "surrogatepass").decode("utf-16", "replace")

    def string(self, node: Node | None) -> str | None:
        """A string literal, a template literal without substitutions, or literals joined by +."""
        node = self.unwrap(node)
        if node is None:
            return None
        stack, parts, seen = [node], [], 0
        while stack:
            current = stack.pop()
            seen += 1
            if seen > 10_000:
                return None
            kind = current.type
            if kind in ("string", "template_string"):
                value = self._plain_string(current)
                if value is None:
                    return None
                parts.append(value)
            elif kind == "binary_expression":
                operator = current.child_by_field_name("operator")
                left = current.child_by_field_name("left")
                right = current.child_by_field_name("right")
                if operator is None or operator.type != "+" or left is None or right is None:
                    return None
                stack += [right, left]
            elif kind == "parenthesized_expression":
                inner = self.unwrap(current)
                if inner is None:
                    return None
                stack.append(inner)
            else:
                return None
        return "".join(parts)

    def number(self, node: Node | None) -> int | float | None:
        node = self.unwrap(node)
        sign = 1
        for _ in range(8):
            if node is None or node.type != "unary_expression":
                break
            operator = node.child_by_field_name("operator")
            if operator is None or operator.type not in ("-", "+"):
                return None
            sign = -sign if operator.type == "-" else sign
            node = self.unwrap(node.child_by_field_name("argument"))
        if node is None or node.type != "number":
            return None
        value = _js_number(self.text(node))
        return None if value is None else sign * value

    def absent(self, node: Node | None) -> bool:
        """`null`, `undefined` or `Infinity`: a title bound that is not there."""
        node = self.unwrap(node)
        if node is None:
            return False
        return node.type in ("null", "undefined") or (
            node.type == "identifier" and self.text(node) in ("undefined", "Infinity")
        )

    def key(self, node: Node | None) -> str | None:
        if node is None:
            return None
        kind = node.type
        if kind in ("property_identifier", "identifier", "private_property_identifier"):
            return self.text(node)
        if kind == "string":
            return self._plain_string(node)
        if kind == "number":
            value = _js_number(self.text(node))
            return None if value is None else _number_key(value)
        if kind == "computed_property_name":
            inner = [c for c in node.named_children if c.type != "comment"]
            if len(inner) == 1:
                text = self.string(inner[0])
                if text is not None:
                    return text
                number = self.number(inner[0])
                if number is not None:
                    return _number_key(number)
                if inner[0].type == "member_expression":  # [TrackId.MOBILE]: an enum's name
                    member = inner[0].child_by_field_name("property")
                    return self.text(member) if member is not None else None
        return None

    def pairs(self, obj: Node, where: str) -> list[tuple[str | None, Node | None, Node]]:
        """(key, value, pair) of an object literal, in order; other members are skipped."""
        out: list[tuple[str | None, Node | None, Node]] = []
        for child in obj.named_children:
            if child.type == "pair":
                key = self.key(child.child_by_field_name("key"))
                out.append((key, child.child_by_field_name("value"), child))
            elif child.type == "comment":
                self.comment(child)
            elif child.type != "ERROR":
                self.skip(child, f"not literal data ({child.type} in {where}): {CODE}")
                self.warnings.append(
                    f"{self.where(child)}: {child.type} in {where} is code, not literal data: "
                    "left out"
                )
        return out

    def items(self, array: Node) -> list[Node]:
        out = []
        for child in array.named_children:
            if child.type == "comment":
                self.comment(child)
            elif child.type != "ERROR":
                out.append(child)
        return out

    def resolve(self, node: Node | None) -> Node | None:
        """A literal, following one identifier to a top-level constant."""
        node = self.unwrap(node)
        if node is not None and node.type == "identifier":
            target = self.consts.get(self.text(node))
            if target is not None:
                return self.unwrap(target)
        return node

    # the module

    def read(self) -> None:
        if b"tracks" not in self.data.lower():
            raise ImportFailed(
                "no `tracks` in the file: a Snowflake constants.js defines "
                "`export const tracks = {...}` with one entry per track",
                source=self.filename,
            )
        if _nesting(self.data) > _MAX_DEPTH:
            raise ImportFailed(
                f"brackets nest more than {_MAX_DEPTH} levels deep: a Snowflake constants.js "
                "nests a handful (and the parser cannot be trusted with such input)",
                source=self.filename,
            )
        tree = _parse(self.data)
        if tree is None:
            raise ImportFailed(
                "the JavaScript parser gave up on this file (so many syntax errors that it is "
                "probably not JavaScript): nothing was imported",
                source=self.filename,
            )
        root = tree.root_node
        self.collect(root)
        problems = self.mark_problems(root) if root.has_error else []
        chosen = self.choose(root)
        tracks = chosen.get(_TRACKS)
        if tracks is None:
            detail = f" ({problems[0]})" if problems else ""
            raise ImportFailed(
                "no `tracks` object found: a Snowflake constants.js defines "
                f"`export const tracks = {{...}}` with one entry per track{detail}",
                source=self.filename,
            )
        self.read_tracks(tracks)
        if _POINTS in chosen:
            self.read_points(chosen[_POINTS])
        if _LEVELS in chosen:
            self.read_levels(chosen[_LEVELS])
        if _TITLES in chosen:
            self.read_titles(chosen[_TITLES])
        self.read_category_names()
        if problems:
            self.warnings += problems

    def collect(self, root: Node) -> None:
        """Every top-level declaration, with a reason in case its lines are not placed."""
        run: tuple[int, int, str] | None = None  # consecutive statements with the same reason
        for statement in root.named_children:
            if statement.type == "comment":
                self.comment(statement)
                continue
            if statement.type == "ERROR":
                continue  # its reason comes from mark_problems
            reason, decls = self.statement(statement)
            if run is not None and (run[2] != reason or decls):
                self._mark_bytes(self.broad, *run)
                run = None
            start = run[0] if run is not None else statement.start_byte
            run = (start, statement.end_byte, reason)
            if decls:
                self._mark_bytes(self.broad, *run)
                run = None
                for decl in decls:
                    self.declare(decl)
        if run is not None:
            self._mark_bytes(self.broad, *run)

    def statement(self, statement: Node) -> tuple[str, list[_Decl]]:
        """Why a top-level statement is not framework data, and the declarations it makes."""
        inner: Node | None = statement
        if statement.type == "export_statement":
            inner = statement.child_by_field_name("declaration") or statement.child_by_field_name(
                "value"
            )
            if inner is None:
                what = "export list" if "type" not in self.text(statement)[:12] else "type"
                return f"{what}: {CODE}", []
        assert inner is not None
        kind = inner.type
        if statement.type == "import_statement" or kind == "import_statement":
            return f"import: {CODE}", []
        if kind in _TYPE_STATEMENTS:
            return f"type declaration: {CODE}", []
        decls: list[_Decl] = []
        if kind in ("lexical_declaration", "variable_declaration"):
            for declarator in inner.named_children:
                if declarator.type != "variable_declarator":
                    continue
                name = declarator.child_by_field_name("name")
                if name is not None and name.type == "identifier":
                    value = declarator.child_by_field_name("value")
                    decls.append(_Decl(self.text(name), value, declarator, statement))
        elif kind in _FUNCTIONS:
            name = inner.child_by_field_name("name")
            label = self.text(name) if name is not None else "default"
            decls.append(_Decl(label, inner, inner, statement))
        elif (
            kind == "expression_statement" and b"=" in self.data[inner.start_byte : inner.end_byte]
        ):
            expression = inner.named_child(0)
            if expression is not None and expression.type == "assignment_expression":
                target = expression.child_by_field_name("left")
                if target is not None and target.type == "member_expression":
                    target = target.child_by_field_name("property")
                if target is not None and target.type in ("identifier", "property_identifier"):
                    value = expression.child_by_field_name("right")
                    decls.append(_Decl(self.text(target), value, expression, statement))
        return CODE, decls

    def declare(self, decl: _Decl) -> None:
        self.decls.append(decl)
        value = self.unwrap(decl.value)
        if value is not None and value.type in ("object", "array", "string", "number"):
            self.consts.setdefault(decl.name, value)
        self._mark(self.broad, decl.node, self.reason_for(decl))

    def reason_for(self, decl: _Decl) -> str:
        known = _KNOWN_CODE.get(_norm_name(decl.name))
        if known:
            return f"'{decl.name}': {known}"
        value = self.unwrap(decl.value)
        if value is None:
            return f"'{decl.name}': {CODE}"
        if value.type in _FUNCTIONS:
            return f"helper function '{decl.name}': {CODE}"
        if _COLOUR_SCALE.match(self.text(value)[:200]):
            return f"d3 colour scale '{decl.name}': {CODE}"
        if value.type in ("object", "array", "string", "number", "template_string"):
            return f"'{decl.name}' is not part of a ladders framework"
        return f"'{decl.name}' is computed by code, not framework data"

    def comment(self, node: Node) -> None:
        """A comment on lines of its own; one after code keeps the code's reason."""
        first = self.line(node.start_byte)
        if not self.data[self.starts[first - 1] : node.start_byte].strip():
            self._mark(self.comments, node, "comment")

    def mark_problems(self, root: Node) -> list[str]:
        """Lines that did not parse, as warnings; the importer reads around them."""
        errors, missing, complete = self.find_problems(root)
        spans: list[tuple[int, int]] = []
        for node in sorted(errors, key=lambda n: n.start_byte):
            first, last = self.span(node)
            if spans and first <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(last, spans[-1][1]))
            else:
                spans.append((first, last))
        for first, last in spans:
            for number in range(first, last + 1):
                self.errors[number] = "did not parse as JavaScript/TypeScript"
        out = []
        if spans:
            listed = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans[:_MAX_LISTED])
            more = f" and {len(spans) - _MAX_LISTED} more" if len(spans) > _MAX_LISTED else ""
            out.append(
                f"lines {listed}{more} did not parse as JavaScript/TypeScript (Flow or syntax "
                "the parser does not know, or a typo): the importer read the parts that parsed"
            )
        if not complete:
            out.append(
                f"the file has so many syntax errors that only the first "
                f"{_MAX_PROBLEM_NODES:,} parts of its syntax tree were searched for them"
            )
        if missing:
            first_missing = min(missing, key=lambda n: n.start_byte)
            out.append(
                f"line {self.line(first_missing.start_byte)}: expected '{first_missing.type}' "
                f"({len(missing)} token(s) missing in all): is the file truncated?"
            )
        return out

    def find_problems(self, root: Node) -> tuple[list[Node], list[Node], bool]:
        """Outermost ERROR nodes and MISSING tokens, visiting only subtrees that hold one."""
        errors: list[Node] = []
        missing: list[Node] = []
        stack = [root]
        visited = 0
        while stack:
            node = stack.pop()
            visited += 1
            if visited > _MAX_PROBLEM_NODES:
                return errors, missing, False
            if node.is_error:
                errors.append(node)
            elif node.is_missing:
                missing.append(node)
            else:
                stack += [c for c in node.children if c.has_error]
        return errors, missing, True

    def choose(self, root: Node) -> dict[str, Node]:
        """The value node of each constant the importer reads: the first definition wins."""
        chosen: dict[str, Node] = {}
        first_at: dict[str, int] = {}
        extra: dict[str, list[int]] = {}
        for decl in self.decls:
            wanted = _norm_name(decl.name)
            if wanted not in _WANTED:
                continue
            value = self.unwrap(decl.value)
            if value is None:
                continue
            if wanted in chosen:
                extra.setdefault(wanted, []).append(self.span(decl.node)[0])
                self.skip(
                    decl.node,
                    f"another definition of '{decl.name}': the one at line {first_at[wanted]} "
                    "is read",
                )
                continue
            if wanted == _TRACKS and value.type != "object":
                self.warnings.append(
                    f"line {self.span(decl.node)[0]}: '{decl.name}' is not an object literal "
                    f"({value.type}): left out"
                )
                continue
            chosen[wanted] = value
            first_at[wanted] = self.span(decl.node)[0]
            self.tracker.place(first_at[wanted])
            self._mark(self.broad, decl.node, f"part of '{decl.name}' the importer does not read")
        for wanted, lines in extra.items():
            shown = ", ".join(map(str, lines[:_MAX_LISTED]))
            more = f" and {len(lines) - _MAX_LISTED} more" if len(lines) > _MAX_LISTED else ""
            self.warnings.append(
                f"'{_WANTED[wanted]}' is defined again at line(s) {shown}{more}: only the first "
                f"definition (line {first_at[wanted]}) is read"
            )
        if root.has_error and len(chosen) < len(_WANTED):
            self.find_in_errors(root, chosen)
        return chosen

    def find_in_errors(self, root: Node, chosen: dict[str, Node]) -> None:
        """Constants the parser could not read as declarations, found by name in what it kept."""
        for wanted, spelled in _WANTED.items():
            if wanted in chosen:
                continue
            needle = spelled.encode()
            position = self.data.find(needle)
            for _ in range(_MAX_NAME_LOOKUPS):
                if position < 0:
                    break
                name = root.named_descendant_for_byte_range(position, position + len(needle))
                position = self.data.find(needle, position + 1)
                if name is None or self.text(name) != spelled:
                    continue
                value = self._value_after(name)
                if value is None or (wanted == _TRACKS and value.type != "object"):
                    continue
                chosen[wanted] = value
                line = self.line(name.start_byte)
                self.tracker.place(line)
                self.warnings.append(
                    f"line {line}: '{spelled}' is in code that did not parse cleanly; its value "
                    "was read anyway: check the result"
                )
                break

    def _value_after(self, name: Node) -> Node | None:
        parent = name.parent
        if parent is not None and parent.type in ("variable_declarator", "pair"):
            value = parent.child_by_field_name("value")
        elif parent is not None and parent.type in (
            "assignment_expression",
            "object_assignment_pattern",
            "assignment_pattern",
        ):
            value = parent.child_by_field_name("right")
        else:
            value = None
            sibling = name.next_sibling
            for _ in range(8):
                if sibling is None:
                    break
                if sibling.type in ("=", ":", "type_annotation", "type_identifier", "ERROR"):
                    sibling = sibling.next_sibling
                    continue
                value = sibling
                break
        if value is None or value.id == name.id:
            return None
        value = self.unwrap(value)
        if value is None or value.type not in ("object", "array", *_FUNCTIONS):
            return None
        return value

    # tracks

    def read_tracks(self, obj: Node) -> None:
        self.place_ends(obj)
        entries = self.pairs(obj, "tracks")
        last: dict[str, int] = {}
        for index, (key, _, _) in enumerate(entries):
            if key is not None:
                last[key] = index
        for index, (key, value, pair) in enumerate(entries):
            if key is None:
                self.skip(pair, f"a track whose id is computed: {CODE}")
                self.warnings.append(f"{self.where(pair)}: a track with a computed id: left out")
                continue
            if last[key] != index:
                self.skip(pair, f"track '{key}' is defined again below; JavaScript keeps the last")
                self.warnings.append(
                    f"{self.where(pair)}: track '{key}' is defined twice; the last one is read"
                )
                continue
            body = self.unwrap(value)
            if body is None or body.type != "object":
                self.skip(pair, f"track '{key}' is not an object literal: {CODE}")
                self.warnings.append(f"{self.where(pair)}: track '{key}' is not an object literal")
                continue
            self.tracker.place(self.span(pair)[0])
            self.place_ends(body)
            self.constants.tracks[key] = self.read_track(key, body)
        if not self.constants.tracks:
            raise ImportFailed(
                "the `tracks` object holds no track objects",
                source=self.filename,
                line=self.span(obj)[0],
            )

    def read_track(self, track_id: str, body: Node) -> TrackData:
        track = TrackData(track_id)
        where = f"track '{track_id}'"
        for key, value, pair in self.pairs(body, where):
            field_name = key or ""
            if field_name in _TRACK_NAME_FIELDS and track.display_name is None:
                track.display_name = self.text_field(value, pair, where, field_name)
            elif field_name == "category":
                text = self.string(value)
                number = self.number(value) if text is None else None
                if text is None and number is not None:
                    text = _number_key(number)
                if text is None or not text.strip():
                    self.not_literal(pair, where, field_name)
                else:
                    track.category = text.strip()
                    self.place(pair)
            elif field_name == "description":
                track.description = self.text_field(value, pair, where, field_name) or ""
            elif field_name == "milestones":
                track.milestones = self.read_milestones(value, pair, where)
            else:
                self.skip(pair, f"'{field_name}' of {where} is not part of a ladders skill")
        return track

    def text_field(self, value: Node | None, pair: Node, where: str, name: str) -> str | None:
        text = self.string(value)
        if text is None:
            self.not_literal(pair, where, name)
            return None
        self.place(pair)
        return text

    def not_literal(self, node: Node, where: str, name: str) -> None:
        self.skip(node, f"'{name}' of {where} is not literal text: {CODE}")
        self.warnings.append(f"{self.where(node)}: '{name}' of {where} is not literal text")

    def read_milestones(self, value: Node | None, pair: Node, where: str) -> list[MilestoneData]:
        array = self.unwrap(value)
        if array is None or array.type != "array":
            self.skip(pair, f"the milestones of {where} are not an array literal: {CODE}")
            self.warnings.append(f"{self.where(pair)}: the milestones of {where} are not an array")
            return []
        self.tracker.place(self.span(pair)[0])
        self.place_ends(array)
        out: list[MilestoneData] = []
        for number, item in enumerate(self.items(array), start=1):
            body = self.unwrap(item)
            milestone = MilestoneData()
            out.append(milestone)
            here = f"milestone {number} of {where}"
            if body is None or body.type != "object":
                self.skip(item, f"{here} is not an object literal: {CODE}")
                self.warnings.append(f"{self.where(item)}: {here} is not an object literal")
                continue
            self.place_ends(body)
            for key, field_value, field_pair in self.pairs(body, here):
                name = key or ""
                if name == "summary":
                    milestone.summary = self.text_field(field_value, field_pair, here, name) or ""
                elif name in ("signals", "examples"):
                    setattr(milestone, name, self.text_list(field_value, field_pair, here, name))
                else:
                    self.skip(field_pair, f"'{name}' of {here} is not part of a ladders milestone")
        return out

    def text_list(self, value: Node | None, pair: Node, where: str, name: str) -> list[str]:
        node = self.unwrap(value)
        if node is not None and node.type != "array":
            single = self.string(node)
            if single is not None:
                self.place(pair)
                return [single]
        if node is None or node.type != "array":
            self.not_literal(pair, where, name)
            return []
        self.tracker.place(self.span(pair)[0])
        self.place_ends(node)
        out = []
        for item in self.items(node):
            text = self.string(item)
            if text is None:
                self.not_literal(item, where, name)
            else:
                self.place(item)
                out.append(text)
        return out

    # scoring

    def read_points(self, value: Node) -> None:
        node = self.resolve(value)
        if node is None:
            return
        table: PointsTable | None = None
        if node.type in _FUNCTIONS:
            table = self.points_function(node)
        elif node.type in ("object", "array"):
            table = self.points_lookup(node)
        if table is None:
            self.warnings.append(
                f"{self.where(node)}: milestoneToPoints is neither a switch nor an object or array "
                "lookup: its points are not read"
            )
            return
        table.line = self.span(node)[0]
        self.constants.milestone_to_points = table

    def points_function(self, function: Node) -> PointsTable | None:
        body = function.child_by_field_name("body")
        if body is None:
            return None
        if body.type != "statement_block":
            return self.points_expression(body, function)
        statements = [c for c in body.named_children if c.type != "comment"]
        for statement in statements:
            if statement.type == "switch_statement":
                self.place_ends(function)
                return self.points_switch(statement)
        for statement in statements:
            if statement.type == "return_statement" and statement.named_children:
                return self.points_expression(statement.named_children[0], function)
        return None

    def points_expression(self, expression: Node, function: Node) -> PointsTable | None:
        """`m => [0, 1, 3][m]`, `m => POINTS[m] ?? 0`."""
        node = self.unwrap(expression)
        default: int | float | None = None
        if node is not None and node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            if operator is None or operator.type not in ("??", "||"):
                return None
            default = self.number(node.child_by_field_name("right"))
            if default is None:
                return None
            node = self.unwrap(node.child_by_field_name("left"))
        if node is None or node.type != "subscript_expression":
            return None
        lookup = self.resolve(node.child_by_field_name("object"))
        if lookup is None or lookup.type not in ("object", "array"):
            return None
        table = self.points_lookup(lookup)
        if table is not None:
            table.default = default
            self.place_ends(function)
            self.place(expression)
        return table

    def points_lookup(self, node: Node) -> PointsTable | None:
        self.place_ends(node)
        if node.type == "array":
            table = PointsTable("array")
            for index, item in enumerate(self.items(node)):
                self.points_entry(table, index, item, item)
            return table
        table = PointsTable("object")
        for key, value, pair in self.pairs(node, "milestoneToPoints"):
            milestone = _js_number(key) if key is not None else None
            if not isinstance(milestone, int):
                self.skip(pair, f"not a milestone number: {CODE}")
                self.warnings.append(
                    f"{self.where(pair)}: milestoneToPoints key {key!r} is not a milestone number"
                )
                continue
            self.points_entry(table, milestone, value, pair)
        return table

    def points_entry(
        self, table: PointsTable, milestone: int, value: Node | None, at: Node
    ) -> None:
        points = self.number(value)
        if points is None:
            self.skip(at, f"points of milestone {milestone} are not a number: {CODE}")
            self.warnings.append(f"{self.where(at)}: points of milestone {milestone} not read")
            return
        table.points[milestone] = points
        if milestone == 0:
            self.skip(at, "milestone 0 means not started: it is worth nothing and not written down")
        else:
            self.place(at)

    def points_switch(self, switch: Node) -> PointsTable:
        table = PointsTable("switch")
        self.place_ends(switch)
        body = switch.child_by_field_name("body")
        pending: list[tuple[int, Node]] = []
        for clause in body.named_children if body is not None else []:
            if clause.type == "switch_case":
                value = self.number(clause.child_by_field_name("value"))
                returned = self.returned_number(clause)
                if not isinstance(value, int):
                    self.skip(clause, f"a case that is not a milestone number: {CODE}")
                    self.warnings.append(
                        f"{self.where(clause)}: milestoneToPoints case is not a milestone number"
                    )
                    continue
                pending.append((value, clause))
                if returned is _NO_STATEMENTS:
                    continue  # falls through to the next case
                for milestone, case in pending:
                    self.points_case(table, milestone, returned, case)
                pending = []
            elif clause.type == "switch_default":
                returned = self.returned_number(clause)
                number = returned if isinstance(returned, int | float) else None
                table.default = number
                for milestone, case in pending:
                    self.points_case(table, milestone, returned, case)
                pending = []
                if number is None:
                    self.warnings.append(
                        f"{self.where(clause)}: the default of milestoneToPoints is not a number"
                    )
                self.skip(clause, f"the default for milestones without a case: {CODE}")
        for milestone, case in pending:  # cases falling off the end: undefined
            self.points_case(table, milestone, None, case)
        return table

    def points_case(self, table: PointsTable, milestone: int, returned: object, case: Node) -> None:
        if not isinstance(returned, int | float):
            self.skip(case, f"case {milestone} does not return a number: {CODE}")
            self.warnings.append(
                f"{self.where(case)}: case {milestone} of milestoneToPoints does not return a "
                "literal number: not read"
            )
            return
        table.points[milestone] = returned
        if milestone == 0:
            self.skip(
                case, "milestone 0 means not started: it is worth nothing and not written down"
            )
        else:
            self.place(case)

    def returned_number(self, clause: Node) -> object:
        """The number a case returns, _NO_STATEMENTS if it falls through, else None."""
        statements = [
            c for c in clause.children_by_field_name("body") if c.is_named and c.type != "comment"
        ]
        if not statements:
            return _NO_STATEMENTS
        first = statements[0]
        if first.type == "statement_block":
            inner = [c for c in first.named_children if c.type != "comment"]
            if not inner:
                return _NO_STATEMENTS
            first = inner[0]
        if first.type != "return_statement" or not first.named_children:
            return None
        return self.number(first.named_children[0])

    def read_levels(self, value: Node) -> None:
        node = self.resolve(value)
        if node is None or node.type != "object":
            self.warnings.append(
                f"{self.where(value)}: pointsToLevels is not an object literal: not read"
            )
            return
        self.place_ends(node)
        levels: dict[str, str] = {}
        for key, level, pair in self.pairs(node, "pointsToLevels"):
            code = self.string(level)
            if code is None:
                number = self.number(level)
                code = None if number is None else _number_key(number)
            if key is None or code is None:
                self.skip(pair, f"not a literal points -> level pair: {CODE}")
                self.warnings.append(f"{self.where(pair)}: pointsToLevels entry not read")
                continue
            levels[key] = code
            self.place(pair)
        self.constants.points_to_levels = levels

    def read_titles(self, value: Node) -> None:
        node = self.resolve(value)
        if node is None or node.type != "array":
            self.warnings.append(f"{self.where(value)}: titles is not an array literal: not read")
            return
        self.place_ends(node)
        titles: list[dict[str, Any]] = []
        for item in self.items(node):
            body = self.unwrap(item)
            if body is None or body.type != "object":
                self.skip(item, f"a title that is not an object literal: {CODE}")
                self.warnings.append(f"{self.where(item)}: a title is not an object literal")
                continue
            title: dict[str, Any] = {}
            used: list[Node] = []
            for key, field_value, pair in self.pairs(body, "titles"):
                name = key or ""
                if name in _TITLE_NAME_FIELDS and "label" not in title:
                    text = self.string(field_value)
                    if text is not None:
                        title["label"] = text
                        used.append(pair)
                    else:
                        self.not_literal(pair, "a title", name)
                    continue
                if name in ("minPoints", "maxPoints"):
                    if self.absent(field_value):
                        used.append(pair)
                        continue
                    number = self.number(field_value)
                    if number is None:
                        resolved = self.resolve(field_value)
                        number = self.number(resolved) if resolved is not field_value else None
                    if number is not None:
                        title[name] = number
                        used.append(pair)
                        continue
                    self.not_literal(pair, "a title", name)
                    continue
                self.skip(pair, f"'{name}' of a title is not part of a ladders title")
            if "label" not in title:
                self.skip(body, f"a title without a label: {CODE}")
                self.warnings.append(f"{self.where(body)}: a title without a label: left out")
                continue
            self.place_ends(body)
            for pair in used:
                self.place(pair)
            titles.append(title)
        self.constants.titles = titles

    def read_category_names(self) -> None:
        """Names (and descriptions) of the category ids, from constants named for categories.

        `categoryNames = {A: 'Building'}`, `categories = [{id: 'A', name: 'Building'}]` or
        `categoryDescriptions = {A: '...'}`; a colour mapping is not a name.
        """
        ids = {t.category for t in self.constants.tracks.values() if t.category is not None}
        for decl in self.decls:
            lowered = decl.name.lower()
            if "categor" not in lowered or "color" in lowered or "colour" in lowered:
                continue
            node = self.unwrap(decl.value)
            if node is None or node.type not in ("object", "array"):
                continue
            entries: list[tuple[str | None, Node | None, Node]]
            if node.type == "object":
                entries = self.pairs(node, decl.name)
            else:
                entries = []
                for item in self.items(node):
                    body = self.unwrap(item)
                    if body is None or body.type != "object":
                        continue
                    fields = {k: v for k, v, _ in self.pairs(body, decl.name)}
                    ident = self.string(fields.get("id")) or self.string(fields.get("key"))
                    entries.append((ident, body, item))
            found = False
            for key, value, at in entries:
                if key is None or key not in ids:
                    continue
                name, description = self.category_entry(value, decl.name)
                if name is None or _looks_like_colour(name):
                    continue
                if "desc" in lowered:  # categoryDescriptions = {A: '...'}
                    if key not in self.constants.category_descriptions:
                        self.constants.category_descriptions[key] = name
                        self.place(at)
                        found = True
                elif key not in self.constants.category_names:
                    self.constants.category_names[key] = name
                    if description:
                        self.constants.category_descriptions[key] = description
                    self.place(at)
                    found = True
            if found:
                self.tracker.place(self.span(decl.node)[0], self.span(decl.node)[1])
                for key, _, at in entries:
                    if key is None or key not in ids:
                        self.skip(at, f"a category no track uses: {CODE}")

    def category_entry(self, value: Node | None, where: str) -> tuple[str | None, str]:
        text = self.string(value)
        if text is not None:
            return text, ""
        body = self.unwrap(value)
        if body is None or body.type != "object":
            return None, ""
        name, description = None, ""
        for key, field_value, _ in self.pairs(body, where):
            if key in _TRACK_NAME_FIELDS and name is None:
                name = self.string(field_value)
            elif key == "description":
                description = self.string(field_value) or ""
        return name, description

    def finish(self) -> None:
        for layer in (self.broad, self.comments, self.specific, self.errors):
            for number, reason in layer.items():
                self.tracker.skip(number, reason)


_NO_STATEMENTS = object()


def _unescape(sequence: str) -> str:
    body = sequence[1:]
    if not body:
        return ""
    if body[0] in "\r\n\u2028\u2029":  # a line continuation
        return ""
    if body[0] in _SIMPLE_ESCAPES and not (body[0] == "0" and len(body) > 1):
        return _SIMPLE_ESCAPES[body[0]]
    try:
        if body[0] == "x" and len(body) == 3:
            return chr(int(body[1:], 16))
        if body[0] == "u":
            digits = body[2:-1] if body[1:2] == "{" else body[1:]
            code = int(digits, 16)
            return chr(code) if code <= 0x10FFFF else "\ufffd"
        if body[0] in "01234567":  # legacy octal
            return chr(int(body, 8))
    except ValueError:
        return body
    return body


def _js_number(text: str) -> int | float | None:
    cleaned = text.strip().replace("_", "").lower()
    if cleaned.endswith("n"):
        cleaned = cleaned[:-1]
    if not cleaned or len(cleaned) > 400:
        return None
    try:
        if cleaned.startswith(("0x", "0o", "0b")):
            return int(cleaned, 0)
        if len(cleaned) > 1 and cleaned[0] == "0" and cleaned.isdigit():
            return int(cleaned, 8) if set(cleaned) <= set("01234567") else int(cleaned)
        if cleaned.isdigit():
            return int(cleaned)
        value = float(cleaned)
    except ValueError:
        return None
    if value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _number_key(value: int | float) -> str:
    """How JavaScript spells a number used as an object key."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def _looks_like_colour(text: str) -> bool:
    stripped = text.strip().lower()
    return stripped.startswith(("#", "rgb(", "rgba(", "hsl(")) and len(stripped) <= 40


def _clip(text: str, limit: int, what: str, warnings: list[str]) -> str:
    text = text.strip()
    if len(text) > limit:
        warnings.append(f"{what} is longer than {limit} characters: cut")
        return text[:limit].strip()
    return text


def _category_name(category_id: str) -> str:
    """'A' -> 'Category A'; a category written out in full ('Building') keeps its name."""
    if len(category_id) <= 3 and not any(c.islower() for c in category_id):
        return f"Category {category_id}"
    return category_id


def _track_name(track_id: str) -> str:
    """'WEB_CLIENT' -> 'Web client'."""
    words = re.sub(r"[_\-\s]+", " ", track_id).strip()
    return (words[:1].upper() + words[1:].lower()) if words else track_id


def read_constants(text: str, filename: str = "constants.js") -> SnowflakeConstants:
    """The literal data of a Snowflake `constants.js` (for tests and tools that want it raw)."""
    reader = _Reader(text, filename, LineTracker(text, filename))
    reader.read()
    return reader.constants


# --- constants to a ladders/v1 framework ------------------------------------------------------


def _whole(value: object, *, up: bool = False) -> int | str | None:
    """A title bound as a whole number of points ('at least 16.5' is 'at least 17').

    None when absent, or "nan", "inf", "-inf" for bounds no total can be compared with.
    """
    if value is None or isinstance(value, int):
        return value
    if not isinstance(value, float):
        return "nan"
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return math.ceil(value) if up else math.floor(value)


def _range_text(title: dict[str, Any]) -> str:
    return f"minPoints {title.get('minPoints', 0)}, maxPoints {title.get('maxPoints', 'none')}"


def _points_or_warn(value: object, what: str, warnings: list[str]) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool):
        warnings.append(f"{what} is {value!r}, not a whole number: left out")
        return None
    if value < 0 or value > _MAX_POINTS:
        warnings.append(f"{what} is {value}, outside 0..{_MAX_POINTS}: left out")
        return None
    return value


class SnowflakeImporter:
    name = "snowflake"
    label = "Medium Snowflake constants.js (JavaScript, Flow or TypeScript)"

    def detect(self, text: str, filename: str) -> float:
        if "ladders/v1" in text[:2000] or not any(m in text for m in _JS_MARKERS):
            return 0.0
        score = 0.0
        if _TRACKS_DECLARED.search(text):
            score += 0.6
        elif "tracks" in text:
            score += 0.2
        score += 0.15 if "milestoneToPoints" in text else 0.0
        score += 0.15 if "pointsToLevels" in text else 0.0
        if score and PurePath(filename).suffix.lower() in _JS_EXTENSIONS:
            score += 0.1
        return min(1.0, round(score, 2))

    def parse(self, text: str, filename: str) -> ImportResult:
        tracker = LineTracker(text, filename)
        reader = _Reader(text, filename, tracker)
        try:
            reader.read()
        finally:
            reader.finish()
        constants = reader.constants
        warnings, inferred = reader.warnings, reader.inferred
        skills, categories = self._skills(constants, warnings, inferred)
        scoring = self._scoring(constants, skills, warnings, inferred)
        tracks = self._tracks(scoring, inferred)
        stem = PurePath(filename).stem
        key = slugify(stem, "snowflake")
        if key in ("constants", "index", "item"):
            key = "snowflake"
        data = document(
            key=key,
            name=FRAMEWORK_NAME,
            categories=categories,
            skills=skills,
            tracks=tracks,
            scoring=scoring,
        )
        inferred.insert(
            0,
            f"framework key '{key}' from the file name; named '{FRAMEWORK_NAME}' "
            "(the file gives no name)",
        )
        try:
            framework = framework_from_data(data, filename)
        except FrameworkInvalid as exc:
            raise ImportFailed(f"the imported framework does not validate:\n{exc}") from None
        report = tracker.report(self.name)
        report.inferred += inferred
        report.warnings += warnings
        return ImportResult(framework, report)

    def _tracks(self, scoring: dict[str, Any], inferred: list[str]) -> list[dict[str, Any]]:
        """One track with a level per threshold: Snowflake's single ladder, driven by points."""
        thresholds: list[dict[str, Any]] = scoring["levels"]
        if not thresholds:
            inferred.append("no level thresholds, so no track: people cannot hold a level")
            return []
        titles: list[dict[str, Any]] = scoring["titles"]
        levels: list[dict[str, Any]] = []
        codes: set[str] = set()
        repeated: list[str] = []
        untitled: list[str] = []
        for threshold in thresholds:  # in order of points, each at most once (see _levels)
            points, code = threshold["min_points"], threshold["code"]
            if code in codes:
                repeated.append(f"'{code}' at {points}")
                continue
            codes.add(code)
            names = [
                t["name"]
                for t in titles
                if t["min_points"] <= points
                and (t.get("max_points") is None or points <= t["max_points"])
            ]
            if not names:
                untitled.append(code)
            levels.append(
                {
                    "code": code,
                    "title": " / ".join(names)[:_MAX_TEXT] or f"Level {code}",
                    "requirements": {"min_points": points},
                }
            )
        inferred.append(
            f"Snowflake has one ladder of levels driven by points: track '{TRACK_KEY}' "
            f"({TRACK_NAME}) has a level per pointsToLevels threshold ({len(levels)}), coded as "
            "in the file, titled by the titles eligible at its threshold and requiring its points"
        )
        if untitled:
            inferred.append(
                f"no title is eligible at the threshold of level(s) {', '.join(untitled)}: "
                "titled 'Level <code>'"
            )
        if repeated:
            inferred.append(
                "pointsToLevels repeats level code(s) "
                + ", ".join(repeated)
                + ": the track's level starts at the lowest threshold of its code"
            )
        return [{"key": TRACK_KEY, "name": TRACK_NAME, "levels": levels}]

    def _skills(
        self, constants: SnowflakeConstants, warnings: list[str], inferred: list[str]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        category_keys: dict[str | None, str] = {}
        categories: list[dict[str, Any]] = []
        taken_categories: set[str] = set()
        named_from_ids: list[str] = []
        skills: list[dict[str, Any]] = []
        taken_skills: set[str] = set()
        for track in constants.tracks.values():
            if track.category not in category_keys:
                if track.category is None:
                    base, name, description = "skills", "Skills", ""
                else:
                    base = slugify(track.category, "category")
                    name = constants.category_names.get(track.category, "")
                    description = constants.category_descriptions.get(track.category, "")
                    if not name.strip():
                        name = _category_name(track.category)
                        named_from_ids.append(f"'{track.category}' -> '{name}'")
                key = unique_key(base, taken_categories)
                category_keys[track.category] = key
                categories.append(
                    {
                        "key": key,
                        "name": _clip(name, _MAX_NAME, f"category '{key}' name", warnings) or key,
                        "description": _clip(
                            description, _MAX_TEXT, f"category '{key}' description", warnings
                        ),
                    }
                )
            key = unique_key(slugify(track.id, "skill"), taken_skills)
            name = (track.display_name or "").strip()
            if not name:
                name = _track_name(track.id) or key
                inferred.append(f"track '{track.id}' has no displayName: named '{name}'")
            milestones = []
            for number, milestone in enumerate(track.milestones, start=1):
                if number > _MAX_MILESTONE:
                    warnings.append(
                        f"track '{track.id}' has {len(track.milestones)} milestones; ladders "
                        f"keeps the first {_MAX_MILESTONE}"
                    )
                    break
                where = f"milestone {number} of track '{track.id}'"
                milestones.append(
                    {
                        "number": number,
                        "summary": _clip(milestone.summary, _MAX_TEXT, where, warnings),
                        "signals": [
                            _clip(s, _MAX_TEXT, f"a signal of {where}", warnings)
                            for s in milestone.signals
                            if s.strip()
                        ],
                        "examples": [
                            _clip(e, _MAX_TEXT, f"an example of {where}", warnings)
                            for e in milestone.examples
                            if e.strip()
                        ],
                    }
                )
            skills.append(
                {
                    "key": key,
                    "name": _clip(name, _MAX_NAME, f"the name of track '{track.id}'", warnings),
                    "category": category_keys[track.category],
                    "description": _clip(
                        track.description, _MAX_TEXT, f"description of track '{track.id}'", warnings
                    ),
                    "milestones": milestones,
                }
            )
        uncategorised = [t.id for t in constants.tracks.values() if t.category is None]
        if uncategorised:
            inferred.append(
                f"track(s) {', '.join(uncategorised)} have no category: put in category 'Skills'"
            )
        inferred.append(
            f"{len(skills)} tracks became skills (key from the track id, e.g. "
            f"'{next(iter(constants.tracks))}' -> '{skills[0]['key']}'), milestones numbered "
            "from 1 in the order of each track's milestones array"
        )
        if named_from_ids:
            inferred.append(
                (
                    "the file names no categories, so they are named after their ids: "
                    if not constants.category_names
                    else "categories the file does not name are named after their ids: "
                )
                + ", ".join(named_from_ids)
            )
        elif constants.category_names:
            inferred.append("category names come from the file's category name mapping")
        return skills, categories

    def _scoring(
        self,
        constants: SnowflakeConstants,
        skills: list[dict[str, Any]],
        warnings: list[str],
        inferred: list[str],
    ) -> dict[str, Any]:
        top = max((len(s["milestones"]) for s in skills), default=0)
        table = constants.milestone_to_points
        points: dict[int, int] = {}
        if table is None:
            points = {n: p for n, p in DEFAULT_POINTS.items() if n <= max(top, 5)}
            inferred.append(
                "no milestoneToPoints found: points per milestone default to "
                + ", ".join(f"{n}: {p}" for n, p in points.items())
            )
        else:
            for milestone, value in sorted(table.points.items()):
                if milestone == 0:
                    continue
                if not 1 <= milestone <= _MAX_MILESTONE:
                    warnings.append(
                        f"milestoneToPoints gives points for milestone {milestone}; ladders "
                        f"milestones are 1..{_MAX_MILESTONE}: left out"
                    )
                    continue
                checked = _points_or_warn(value, f"points of milestone {milestone}", warnings)
                if checked is not None:
                    points[milestone] = checked
            filled = []
            for milestone in range(1, top + 1):
                if milestone in points or milestone in table.points:
                    continue
                fallback = _points_or_warn(
                    table.default if table.default is not None else 0,
                    f"the default points of milestoneToPoints (milestone {milestone})",
                    warnings,
                )
                points[milestone] = fallback or 0
                filled.append(milestone)
            if filled:
                source = "its default" if table.default is not None else "0 (no case for them)"
                inferred.append(
                    f"milestoneToPoints has no entry for milestone(s) "
                    f"{', '.join(map(str, filled))}: worth {source}"
                )
            inferred.append(
                f"points per milestone from milestoneToPoints ({table.kind} at line "
                f"{table.line}): " + ", ".join(f"{n}: {p}" for n, p in sorted(points.items()))
            )
        inferred.append(
            "scoring mode 'highest': like Snowflake, a track counts the points of the milestone "
            "it is at, not of the ones below"
        )
        levels = self._levels(constants, warnings, inferred)
        titles = self._titles(constants, warnings, inferred)
        return {
            "mode": "highest",
            "points": {str(n): p for n, p in sorted(points.items())},
            "levels": levels,
            "titles": titles,
        }

    def _levels(
        self, constants: SnowflakeConstants, warnings: list[str], inferred: list[str]
    ) -> list[dict[str, Any]]:
        if constants.points_to_levels is None:
            inferred.append("no pointsToLevels found: no level thresholds")
            return []
        by_points: dict[int, str] = {}
        for key, code in constants.points_to_levels.items():
            value = _js_number(key)
            if not isinstance(value, int) or value < 0 or value > _MAX_POINTS:
                warnings.append(f"pointsToLevels key {key!r} is not a whole number of points")
                continue
            code = code.strip()
            if not code or len(code) > _MAX_CODE:
                warnings.append(f"pointsToLevels level {code!r} is not a level code (1-32 chars)")
                continue
            if value in by_points:
                warnings.append(f"pointsToLevels gives {value} points twice: the last is kept")
            by_points[value] = code
        return [{"min_points": p, "code": c} for p, c in sorted(by_points.items())]

    def _titles(
        self, constants: SnowflakeConstants, warnings: list[str], inferred: list[str]
    ) -> list[dict[str, Any]]:
        if constants.titles is None:
            inferred.append("no titles found")
            return []
        out: list[dict[str, Any]] = []
        for title in constants.titles:
            label = _clip(str(title["label"]), _MAX_NAME, "a title", warnings)
            if not label:
                warnings.append("a title with an empty label: left out")
                continue
            low, high = _whole(title.get("minPoints"), up=True), _whole(title.get("maxPoints"))
            entry: dict[str, Any] = {
                "name": label,
                "min_points": max(0, low) if isinstance(low, int) else 0,
            }
            never = f"title '{label}' can never be held ({_range_text(title)}): left out"
            if low == "nan" or high == "nan":
                warnings.append(f"title '{label}' has a bound that is not a number: left out")
                continue
            if low == "inf" or high == "-inf" or (isinstance(low, int) and low > _MAX_POINTS):
                warnings.append(never)
                continue
            if isinstance(high, int):
                if high < entry["min_points"]:
                    warnings.append(never)
                    continue
                if high <= _MAX_POINTS:
                    entry["max_points"] = high
            out.append(entry)
        return out


IMPORTER = SnowflakeImporter()
