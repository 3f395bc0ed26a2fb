"""Reading framework files: YAML or JSON text to a validated `Framework`.

Every problem is reported at once with FILE:LINE:COL and its path in the document. YAML is read
safely: no tags beyond the core schema, a bounded size, and a bound on what aliases expand to.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from .errors import FrameworkInvalid, Path, Problem
from .integrity import integrity_problems
from .model import Framework

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_EXPANDED_NODES = 500_000
_CORE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")
}


@dataclass
class SourceMap:
    """Where each part of a loaded document came from, for messages with line and column."""

    data: Any = None
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of `path`'s value (or its key, with `at_key`), or of its
        nearest ancestor that exists."""
        node = self.data
        best = (1, 1) if node is not None else (0, 0)
        for i, part in enumerate(path):
            if at_key and i == len(path) - 1 and isinstance(node, CommentedMap) and part in node:
                line, col = node.lc.key(part)
                return line + 1, col + 1
            pos, node = _step(node, part)
            if pos is None:
                break
            best = pos
        return best


def _step(node: Any, part: str | int) -> tuple[tuple[int, int] | None, Any]:
    try:
        if isinstance(node, CommentedMap) and part in node:
            line, col = node.lc.value(part)
            return (line + 1, col + 1), node[part]
        if isinstance(node, CommentedMap) and isinstance(part, int):
            # Pydantic reports dict keys that were coerced to int (scoring.points "1").
            key = str(part)
            if key in node:
                line, col = node.lc.value(key)
                return (line + 1, col + 1), node[key]
        if isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, col = node.lc.item(part)
            return (line + 1, col + 1), node[part]
    except (KeyError, TypeError, AttributeError):
        pass
    return None, None


@dataclass
class LoadedFramework:
    framework: Framework
    source: SourceMap
    filename: str


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _check_nodes(root: Node, filename: str) -> None:
    """Refuse custom tags and documents whose aliases expand beyond reason."""
    sizes: dict[int, int] = {}
    problems: list[Problem] = []

    def size(node: Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # guards against recursive aliases
        if node.tag not in _CORE_TAGS and len(problems) < 20:
            mark = node.start_mark
            problems.append(
                Problem(
                    f"tag '{node.tag}' is not allowed; framework files hold plain data only",
                    rule="unsafe-yaml",
                    line=mark.line + 1,
                    column=mark.column + 1,
                )
            )
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        sizes[id(node)] = total
        return total

    expanded = size(root)
    if problems:
        raise FrameworkInvalid(filename, problems)
    if expanded > MAX_EXPANDED_NODES:
        raise FrameworkInvalid(
            filename,
            [
                Problem(
                    f"document expands to {expanded:,} values through aliases; the limit is "
                    f"{MAX_EXPANDED_NODES:,} (is this an alias bomb?)",
                    rule="too-large",
                    line=1,
                    column=1,
                )
            ],
        )


def parse_text(text: str, filename: str = "<text>") -> Any:
    """Parse YAML or JSON text safely into plain data that remembers positions."""
    try:
        return _parse_text(text, filename)
    except RecursionError:
        raise FrameworkInvalid(
            filename, [Problem("document is nested too deeply to read", rule="too-large")]
        ) from None


def _parse_text(text: str, filename: str) -> Any:
    if len(text.encode("utf-8", errors="ignore")) > MAX_DOCUMENT_BYTES:
        raise FrameworkInvalid(
            filename,
            [
                Problem(
                    f"document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB",
                    rule="too-large",
                )
            ],
        )
    yaml = _yaml()
    try:
        nodes = list(yaml.compose_all(text))
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, filename) from None
    except YAMLError as exc:
        raise FrameworkInvalid(
            filename, [Problem(f"not valid YAML: {exc}", rule="syntax")]
        ) from None
    nodes = [n for n in nodes if n is not None]
    if len(nodes) != 1:
        raise FrameworkInvalid(
            filename,
            [
                Problem(
                    "expected exactly one document, found "
                    f"{len(nodes)}" + ("" if nodes else " (the file is empty)"),
                    rule="syntax",
                    line=1,
                    column=1,
                )
            ],
        )
    _check_nodes(nodes[0], filename)
    try:
        # build from the nodes already composed (and checked) rather than parsing again
        return _yaml().constructor.construct_document(nodes[0])
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, filename) from None
    except (YAMLError, ValueError, TypeError) as exc:
        raise FrameworkInvalid(
            filename, [Problem(f"not valid YAML: {exc}", rule="syntax")]
        ) from None


def _syntax_error(exc: MarkedYAMLError, filename: str) -> FrameworkInvalid:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or exc.context or "syntax error"
    if exc.context and exc.problem:
        what = f"{exc.problem} ({exc.context})"
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return FrameworkInvalid(filename, [Problem(str(what), rule="syntax", line=line, column=col)])


def framework_from_data(
    data: Any, filename: str = "<data>", source: SourceMap | None = None
) -> Framework:
    """Validate plain data as a framework, raising `FrameworkInvalid` with every problem."""
    source = source or SourceMap()
    if not isinstance(data, dict):
        kind = (
            "a list"
            if isinstance(data, list)
            else "nothing"
            if data is None
            else f"a single value ({str(data)[:40]!r})"
        )
        raise FrameworkInvalid(
            filename,
            [
                Problem(
                    f"expected a mapping with 'schema: ladders/v1' at the top, found {kind}",
                    line=1,
                    column=1,
                )
            ],
        )
    if data.get("schema") != "ladders/v1":
        got = data.get("schema")
        hint = (
            "add 'schema: ladders/v1' as the first line"
            if got is None
            else f"'{got}' is not a schema this version reads; use 'ladders/v1'"
        )
        path: Path = ("schema",)
        line, col = source.locate(path)
        raise FrameworkInvalid(filename, [Problem(hint, path, "schema", line=line, column=col)])
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        problems = [_from_pydantic(err, data) for err in exc.errors(include_url=False)]
        raise FrameworkInvalid(filename, _locate_all(problems, source)) from None
    problems = integrity_problems(framework)
    if problems:
        raise FrameworkInvalid(filename, _locate_all(problems, source))
    return framework


def _locate_all(problems: list[Problem], source: SourceMap) -> list[Problem]:
    located = [
        p if p.line else p.located(*source.locate(p.path, at_key=p.rule == "unknown-field"))
        for p in problems
    ]
    return sorted(located, key=lambda p: (p.line, p.column))


_FIELD_MESSAGES = {
    "missing": "required field is missing",
}


def _from_pydantic(err: Any, data: Any) -> Problem:
    loc: Path = tuple(part for part in err["loc"] if part != "[key]")
    kind = err["type"]
    rule = "invalid"
    if kind == "extra_forbidden":
        rule = "unknown-field"
        name = str(loc[-1])
        message = f"unknown field '{name}'"
        allowed = _allowed_fields(loc[:-1], data)
        close = difflib.get_close_matches(name, allowed, n=1)
        if close:
            message += f"; did you mean '{close[0]}'?"
        elif allowed:
            message += f"; allowed here: {', '.join(allowed)}"
    elif kind == "string_pattern_mismatch":
        message = (
            f"'{err['input']}' is not a valid key; use lowercase letters and digits joined "
            "by '-' or '_' (for example 'system-design')"
        )
    elif kind == "missing":
        message = f"required field '{loc[-1]}' is missing" if loc else "required field missing"
    elif kind == "string_type" and isinstance(err.get("input"), bool):
        message = f"expected text, got {_shown(err['input'])}; put it in quotes"
    elif kind == "string_type" and isinstance(err.get("input"), (int, float)):
        message = f"expected text, got the number {err['input']!r}; put it in quotes"
    elif kind in ("int_type", "int_parsing", "int_from_float") and "input" in err:
        message = f"expected a whole number, got {_shown(err['input'])}"
    else:
        message = err["msg"][0].lower() + err["msg"][1:]
        message = message.replace("Value error, ", "").replace("value error, ", "")
        if "input" in err and isinstance(err["input"], (str, int, float, bool)):
            shown = repr(err["input"])
            if len(shown) < 60:
                message += f" (got {shown})"
    return Problem(message, loc, rule)


def _shown(value: Any) -> str:
    try:
        return json.dumps(value)[:60]
    except (TypeError, ValueError):
        return repr(value)[:60]


def _allowed_fields(parent: Path, data: Any) -> list[str]:
    from . import model

    by_container = {
        "": model.Framework,
        "categories": model.Category,
        "skills": model.Skill,
        "milestones": model.Milestone,
        "tracks": model.Track,
        "levels": model.Level,
        "expectations": model.ExpectationGroup,
        "requirements": model.Requirements,
        "scoring": model.Scoring,
        "titles": model.Title,
    }
    names = [p for p in parent if isinstance(p, str)]
    container = names[-1] if names else ""
    if container == "levels" and names[:1] == ["scoring"]:
        cls: type[Any] = model.LevelThreshold
    else:
        cls = by_container.get(container, model.Framework)
    return [f.alias or name for name, f in cls.model_fields.items()]


NOT_LADDERS_HINT = (
    "this does not look like a ladders/v1 file (it has no 'schema: ladders/v1'); "
    "to convert a ladder in another format, use 'ladders import FILE -o OUT.yaml'"
)


def _check_json_syntax(text: str, filename: str) -> None:
    """JSON files must be JSON: YAML would quietly accept trailing commas and single quotes."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkInvalid(
            filename,
            [
                Problem(
                    f"not valid JSON: {exc.msg}", rule="syntax", line=exc.lineno, column=exc.colno
                )
            ],
        ) from None
    except RecursionError:
        raise FrameworkInvalid(
            filename, [Problem("not valid JSON: nested too deeply", rule="syntax")]
        ) from None


def load_text(text: str, filename: str = "<text>") -> LoadedFramework:
    if filename.lower().endswith(".json"):
        _check_json_syntax(text, filename)
    try:
        data = parse_text(text, filename)
        source = SourceMap(data=data)
        return LoadedFramework(framework_from_data(data, filename, source), source, filename)
    except FrameworkInvalid as exc:
        if "ladders/v1" not in text[:4000] and not any(p.rule == "too-large" for p in exc.problems):
            exc.problems.insert(0, Problem(NOT_LADDERS_HINT, rule="not-ladders", line=1, column=1))
        raise


def read_file(path: str | FilePath) -> str:
    """The text of a framework file, with clear errors for missing, huge or binary files."""
    file = FilePath(path)
    name = str(path)
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise FrameworkInvalid(name, [Problem("no such file", rule="io")]) from None
    except OSError as exc:
        raise FrameworkInvalid(name, [Problem(f"cannot read: {exc.strerror}", rule="io")]) from None
    if file.is_dir():
        raise FrameworkInvalid(name, [Problem("is a directory, not a file", rule="io")])
    if not file.is_file():
        raise FrameworkInvalid(name, [Problem("is not a regular file", rule="io")])
    if size > MAX_DOCUMENT_BYTES:
        raise FrameworkInvalid(
            name,
            [
                Problem(
                    f"file is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}",
                    rule="too-large",
                )
            ],
        )
    raw = file.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkInvalid(
            name, [Problem(f"not UTF-8 text (byte {exc.start} is invalid)", rule="io")]
        ) from None


def load_file(path: str | FilePath) -> LoadedFramework:
    return load_text(read_file(path), str(path))
