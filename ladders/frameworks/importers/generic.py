"""Ladders of no known shape, in Markdown, HTML or plain text: structure recovered by heuristics.

This is the fallback importer: `detect` answers with a low confidence (0.1 or 0.2) for any
document with level-like headings, so that every specific importer wins over it.

How a document is read
----------------------
1. A front end turns the input into a flat stream of items, each with the source lines it came
   from: headings (with a rank), bullets, paragraph lines, tables, and lines to skip. Markdown and
   plain text go through markdown-it (commonmark + tables); HTML through BeautifulSoup with the
   standard library's "html.parser" (which records the source line of every tag). YAML front
   matter that holds levels (mappings with a `level` key, under named mappings such as topics)
   is read into the same items; front matter without levels is skipped with its reason.
2. Paragraph lines that stand alone may be headings too: a line such as "Level 3", "L4", "IC3",
   "Senior Engineer", "Staff Engineer (IC5)" or "3. Staff Engineer" alone is a level heading;
   a bold line ("**Impact**") or a "Topic: Impact" line is a topic heading; in plain text any
   short capitalised line alone is a heading (levels rank above topics).
3. Headings are nested by rank into sections and the sections are interpreted:
   - a level heading opens a level of the current track (the same code twice is one level);
   - an h1, or a heading that names a Track / Ladder / Career path, is a track when it holds
     levels (otherwise an h1 is the document title); several of them make several tracks;
   - any other heading under a level is a topic: it becomes a skill, level n's bullets under it
     become milestone n's signals ("E.g." / "Example:" / "For example" bullets its examples),
     and level n requires milestone n of every topic present at that level;
   - other headings that hold levels are either topics (levels under several topics with the
     same codes, each level holding bullets only: the topic-first layout), plain wrappers
     ("Levels", "Progression") or tracks (different codes under each).
   - a table with a Level / Grade column gives, per row, milestone n of each topic column; a
     table whose header row names levels gives the same, one topic per row.
4. Bullets under a level but under no topic: when the levels of a track have topics, they are
   that level's expectations (topic ""); when no level of the track has any topic, they (and
   the level's summary) become the milestones of one skill named after the track, so that the
   levels still ask for something a check-in can rate (never both: the same text twice would
   only be noise). "Experience:", "Responsibility:"/"Scope:" and "Title:" lines fill those
   fields of the level.
5. Milestone n of a skill is the n-th level of its track, levels ordered as written unless every
   code carries a number (or every title a seniority word), in which case they are sorted. With
   one track every skill is in a category 'Skills'; with several, each track's skills (keys
   prefixed with the track) are in a category named after the track. Past five levels the
   scoring table goes on with 10 more points per milestone.

Every heading that became a level, skill or track, and every table's orientation, is listed in
`report.inferred`; every non-blank line not used is listed as unplaced with the reason. Text that
repeats within one skill is left out (and reported) so that the result lints clean.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import (
    CData,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
    Tag,
)
from markdown_it import MarkdownIt

from ..errors import FrameworkInvalid
from ..loader import framework_from_data
from ..model import DEFAULT_POINTS
from .base import ImportFailed, ImportResult, LineTracker, document, slugify

MAX_NAME = 200
MAX_TEXT = 10_000
MAX_LEVELS = 99
MAX_CODE = 32
SHORT = 120  # headings longer than this are never levels or tracks
NOTE_LINES = 5  # line numbers listed per note before "and N more"

NO_LEVELS = (
    "no levels found: nothing in the document reads as a level; looked for headings like "
    "'Level 2', 'L3', 'Senior Engineer', or a table with a Level column"
)

# --- Recognising what a line of text is -------------------------------------------------------

_SENIORITY = {
    "intern": 0.5,
    "apprentice": 0.5,
    "trainee": 0.5,
    "graduate": 1,
    "junior": 1,
    "jr": 1,
    "associate": 1,
    "entry-level": 1,
    "entry level": 1,
    "mid": 2,
    "mid-level": 2,
    "middle": 2,
    "intermediate": 2,
    "senior": 3,
    "sr": 3,
    "lead": 4,
    "staff": 4,
    "principal": 5,
    "distinguished": 6,
    "fellow": 6,
    "chief": 7,
}
_SEN = "|".join(sorted((re.escape(w) for w in _SENIORITY), key=len, reverse=True))
_FIELD = (
    r"software|back-?end|front-?end|full[- ]?stack|mobile|ios|android|web|data|platform|"
    r"infrastructure|cloud|devops|qa|test|security|site reliability|reliability|ml|"
    r"machine learning|product|ux|ui|embedded|systems"
)
_ROLE = r"engineer|developer|programmer|architect|scientist|analyst|designer|sre|tester"
_MANAGER = (
    r"engineering manager|manager|tech(?:nical)? lead|team lead|director(?: of engineering)?|"
    r"head of engineering|vp(?: of)? engineering|cto"
)
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_NUMERAL = r"(?:viii|vii|iii|ii|iv|ix|vi|v|x|i|\d{1,2})"
_TITLE = re.compile(
    rf"(?P<sen>(?:(?:{_SEN})\.?\s+){{0,2}})"
    rf"(?:(?:{_FIELD})\s+)?(?P<role>{_ROLE}|{_MANAGER})(?:\s+(?P<num>{_NUMERAL}))?"
    rf"|(?P<alone>(?:(?:{_SEN})\.?\s+)?(?:{_SEN})\.?)"
    rf"|(?P<mgr>{_MANAGER})",
    re.IGNORECASE,
)
_LEVEL_WORD = re.compile(
    r"(level|lvl|grade|band|tier|rung)\s*[-:#.]?\s*(\d{1,2}(?:\.\d{1,2})?)", re.IGNORECASE
)
_SHORT_CODE = re.compile(r"(IC|EM|TL|SE|SWE|MTS|L|E|P|M|G|T)[- ]?(\d{1,2}(?:\.\d{1,2})?)")
_NUMBERED = re.compile(r"(\d{1,2})(?:[.)]|\s+[-–—:])\s+(\S.*)")
_TRACK_WORDS = re.compile(
    r"\b(?:track|ladder|career path|career track|career map|pathway)s?\b", re.I
)
_WRAPPER_WORDS = re.compile(r"\b(?:levels|grades|progression|framework|overview)\b", re.I)
_TRACK_LABEL = re.compile(r"^(?:track|career path|ladder)\s*:\s*", re.I)
_LEVEL_HEADER = re.compile(r"(?:levels?|grades?|bands?|tiers?|rungs?|level code)", re.I)

_BULLET = re.compile(r"[•◦▪▫‣·●○■□►▸▹➢➤✓✔\-–—*+]\s+")
_EXAMPLE = re.compile(
    r"[*_]{0,2}(?:e\.\s?g\.?|eg[.:]|for example|for instance|examples?(?=[*_]{0,2}\s*[:\-–—]))"
    r"[*_]{0,2}\s*[:,\-–—]?\s*[*_]{0,2}\s*",
    re.IGNORECASE,
)
_SIGNALS_MARK = re.compile(
    r"[*_]{0,2}(?:signals?|behaviou?rs?|expectations?|criteria)[*_]{0,2}\s*:?\s*[*_]{0,2}",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"[*_]{0,2} ?(experience|years of experience|responsibility|responsibilities|"
    r"area of responsibility|scope|summary|description|overview|title|job title|role|topic)"
    r" ?[*_]{0,2}",
    re.IGNORECASE,
)
_LABEL_FIELD = {
    "experience": "experience",
    "years of experience": "experience",
    "responsibility": "responsibility",
    "responsibilities": "responsibility",
    "area of responsibility": "responsibility",
    "scope": "responsibility",
    "summary": "summary",
    "description": "summary",
    "overview": "summary",
    "title": "title",
    "job title": "title",
    "role": "title",
    "topic": "topic",
}
_COLUMN_FIELD = {
    **{k: v for k, v in _LABEL_FIELD.items() if v != "topic"},
    "name": "title",
    "position": "title",
    "years": "experience",
    "definition": "summary",
}
_BOLD_LINE = re.compile(r"(?:\*\*|__)([^*_].*?)(?:\*\*|__)\s*:?")
_CHROME = re.compile(
    r"(?:skip to (?:main )?content|skip to navigation|on this page|table of contents|contents|"
    r"back to top|edit this page|edit on github|build your own framework(?: for free)?|menu|"
    r"search|sign in|sign up|log in|login|toggle navigation|print this page|share this page|"
    r"(?:©|copyright\b).{0,200})",
    re.IGNORECASE,
)
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_MARKS = re.compile(r"\*\*|__|`|\\(?=[^\w\s])")
_HTML_TAG = re.compile(r"<[^<>\n]{0,500}>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_NORM = re.compile(r"[\W_]+")
_LEADING_SYMBOLS = re.compile(r"^[^\w(\[\"'<]+(?=\w)")
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    """The comparison form lint uses for repeated text."""
    return _NORM.sub(" ", text.lower()).strip()


def _plain(text: str) -> str:
    """Inline Markdown/HTML marks removed, for names (headings, topics, cells)."""
    text = _MD_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _MD_MARKS.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    if len(text) > 2 and text[0] in "*_" and text[-1] == text[0]:
        text = text[1:-1].strip()
    return text


def _clean_heading(text: str) -> str:
    text = _LEADING_SYMBOLS.sub("", _plain(text))
    return text[:-1].rstrip() if text.endswith(":") else text


@dataclass(frozen=True)
class LevelName:
    """A level as a heading names it: code, title and how it sorts (None: by appearance)."""

    code: str
    title: str
    sort: tuple[str, float, float] | None


def _title_match(text: str) -> re.Match[str] | None:
    """A job title used as a level name; a bare role ("Backend Developer") is not one."""
    m = _TITLE.fullmatch(text)
    if m is None:
        return None
    bare = m.group("role") and not m.group("sen") and not m.group("num")
    if bare and not re.fullmatch(_MANAGER, m.group("role"), re.IGNORECASE):
        return None
    return m


def _title_rest(rest: str) -> str | None:
    """What follows a level code: nothing, or a separator and a short title."""
    rest = rest.strip()
    if not rest or not rest.strip(".:)"):
        return ""
    if rest[0] in "-–—:|·•,(/":
        title = rest[1:].strip().rstrip(")").strip()
        if len(title) <= 100 and not title.endswith("."):
            return title
        return None
    return rest if _title_match(rest) else None


def _title_sort(title: str) -> tuple[str, float, float] | None:
    m = _title_match(title)
    if not m:
        return None
    if m.group("mgr"):
        return None
    words = (m.group("sen") or m.group("alone") or "").lower().replace(".", " ").split()
    ranks = [_SENIORITY[w] for w in words if w in _SENIORITY]
    if "entry" in words:
        ranks.append(1)
    rank = max(ranks, default=0.0) + (0.5 if len(ranks) > 1 else 0.0)
    num = (m.group("num") or "").lower()
    value = float(_ROMAN.get(num, 0)) if not num.isdigit() else float(num)
    if m.group("role") and re.fullmatch(_MANAGER, m.group("role"), re.I) and not ranks:
        return None
    return ("title", rank, value)


def level_name(text: str) -> LevelName | None:
    """The level a heading names, if it names one ('Level 3', 'L4', 'IC3', 'Senior Engineer')."""
    s = _clean_heading(text)
    if not s or len(s) > SHORT:
        return None
    m = _LEVEL_WORD.match(s)
    if m:
        title = _title_rest(s[m.end() :])
        if title is None:
            return None
        word, num = m.group(1).lower(), m.group(2)
        code = f"L{num}" if word in ("level", "lvl") else f"{m.group(1).capitalize()} {num}"
        return LevelName(code, title, ("num", float(num), 0.0))
    m = _SHORT_CODE.match(s)
    if m:
        title = _title_rest(s[m.end() :])
        if title is None:
            return None
        return LevelName(f"{m.group(1)}{m.group(2)}", title, ("num", float(m.group(2)), 0.0))
    m = _NUMBERED.fullmatch(s)
    if m:
        title = m.group(2).strip()
        if not _title_match(title):
            return None
        return LevelName(m.group(1), title, ("num", float(m.group(1)), 0.0))
    if len(s) <= 60 and _title_match(s):
        code = s if len(s) <= MAX_CODE else s[:MAX_CODE].rsplit(" ", 1)[0]
        return LevelName(code, s, _title_sort(s))
    return _code_after_title(s)


_CODE_AFTER = re.compile(r"(.{1,60}?)\s*(?:\(([^()]{1,20})\)|[-–—|·:]\s+(\S.{0,19}))")


def _code_after_title(s: str) -> LevelName | None:
    """'Senior Engineer (L4)', 'Staff Engineer – IC5': a title, then the code."""
    m = _CODE_AFTER.fullmatch(s)
    if not m:
        return None
    title, code = m.group(1).strip(), (m.group(2) or m.group(3) or "").strip()
    if not title or not code or not _title_match(title):
        return None
    inner = level_name(code)
    if inner is None or inner.title or inner.sort is None or inner.sort[0] != "num":
        return None
    return LevelName(inner.code, title, inner.sort)


def _example_text(text: str) -> str | None:
    """The text of an example bullet without its marker, or None if it is not one."""
    m = _EXAMPLE.match(text)
    if not m:
        return None
    rest = text[m.end() :].strip()
    return rest or None


def _is_examples_mark(text: str) -> bool:
    m = _EXAMPLE.match(text)
    return m is not None and not text[m.end() :].strip(" *_:")


def _is_signals_mark(text: str) -> bool:
    if len(text) > 40:
        return False
    return bool(_SIGNALS_MARK.fullmatch(text)) and text.rstrip(" *_").endswith(":")


def _label(text: str) -> tuple[str, str] | None:
    """("experience", "2 years") for "Experience: 2 years" (also "**Experience:** 2 years")."""
    colon = text.find(":", 0, 40)
    if colon < 0:
        return None
    m = _LABEL.fullmatch(text[:colon].strip())
    if not m:
        return None
    tail = text[colon + 1 :].strip()
    if tail.startswith(("**", "__")) and not text[:colon].rstrip().endswith(("**", "__")):
        tail = tail[2:].strip()  # "**Experience:** text"
    return _LABEL_FIELD[m.group(1).lower()], tail


def _is_chrome(text: str) -> bool:
    return len(text) <= 200 and bool(_CHROME.fullmatch(_plain(text)))


# --- The item stream ----------------------------------------------------------------------------

Lines = tuple[int, ...]


@dataclass
class Heading:
    text: str
    rank: float
    lines: Lines
    pseudo: bool = False
    level: LevelName | None = None
    kind: str = "other"  # level, track, other
    origin: str = "heading"


@dataclass
class Para:
    """A paragraph: its logical lines, each (text, source lines, all bold)."""

    lines: list[tuple[str, Lines, bool]]


@dataclass
class Bullet:
    text: str
    lines: Lines
    depth: int = 0
    number: str = ""  # the number of an ordered list item
    example: bool = False  # known to be an example (front matter under an "examples" key)


@dataclass
class Text:
    """One logical line of a paragraph that is not a heading or a bullet."""

    text: str
    lines: Lines
    cont: bool = False  # continues the bullet or line before it


@dataclass
class Cell:
    text: str
    lines: Lines


@dataclass
class Table:
    rows: list[list[Cell]]
    lines: Lines


@dataclass
class Skip:
    lines: Lines
    reason: str


Item = Heading | Para | Bullet | Text | Table | Skip


def _span(first: int, last: int) -> Lines:
    return tuple(range(first, last + 1))


# --- Markdown and plain text --------------------------------------------------------------------


def _markdown_tokens(text: str) -> list[Any]:
    md = MarkdownIt("commonmark").enable("table")
    md.disable(["inline", "text_join"])  # only the block structure is needed
    return md.parse(text)


def _markdown_items(text: str, front: FrontEnd) -> list[Item]:
    tokens = _markdown_tokens(text)
    items: list[Item] = []
    depth = 0
    open_items: list[list[Any]] = []  # per list item: [first paragraph seen, number]
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open" and tok.map:
            inline = tokens[i + 1]
            items.append(
                Heading(inline.content, int(tok.tag[1:]), _span(tok.map[0] + 1, tok.map[1]))
            )
            front.real_headings += 1
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif kind == "list_item_open":
            open_items.append([False, tok.info if tok.markup in (".", ")") else ""])
        elif kind == "list_item_close":
            if open_items:
                open_items.pop()
        elif kind == "paragraph_open" and tok.map:
            inline = tokens[i + 1]
            start = tok.map[0] + 1
            parts = [(s.strip(), (start + k,)) for k, s in enumerate(inline.content.split("\n"))]
            parts = [(s, ln) for s, ln in parts if s]
            if open_items and not open_items[-1][0]:
                open_items[-1][0] = True
                lines = tuple(ln for _, lns in parts for ln in lns)
                joined = " ".join(s for s, _ in parts)
                items.append(Bullet(joined, lines, depth - 1, open_items[-1][1]))
            elif open_items:
                items += [Text(s, ln, cont=True) for s, ln in parts]
            else:
                items.append(Para([(s, ln, False) for s, ln in parts]))
            i += 3
            continue
        elif kind == "table_open" and tok.map:
            j = i
            rows: list[list[Cell]] = []
            while j < n and tokens[j].type != "table_close":
                t = tokens[j]
                if t.type == "tr_open":
                    row_line = t.map[0] + 1 if t.map else tok.map[0] + 1
                    rows.append([])
                elif t.type == "inline" and rows:
                    rows[-1].append(Cell(t.content, (row_line,)))
                j += 1
            items.append(Table(rows, _span(tok.map[0] + 1, tok.map[1])))
            i = j + 1
            continue
        elif kind == "fence" and tok.map:
            items.append(Skip(_span(tok.map[0] + 1, tok.map[1]), "code block"))
        elif kind == "code_block" and tok.map:
            # Indented text: in plain text it is just text (a ladder rarely holds code).
            start = tok.map[0] + 1
            code = [(s.strip(), (start + k,), False) for k, s in enumerate(tok.content.split("\n"))]
            items.append(Para([c for c in code if c[0]]))
        elif kind == "html_block" and tok.map:
            items += _html_items(tok.content, front, tok.map[0], tok.map[1] - tok.map[0])
        elif kind == "hr" and tok.map:
            items.append(Skip(_span(tok.map[0] + 1, tok.map[1]), "a horizontal rule (decoration)"))
        i += 1
    return items


# --- HTML ---------------------------------------------------------------------------------------

_HTML_SKIP = {
    "script": "script",
    "style": "style sheet",
    "noscript": "script fallback",
    "template": "HTML template",
    "svg": "drawing",
    "iframe": "embedded frame",
    "object": "embedded object",
    "canvas": "drawing",
    "select": "form control",
    "button": "button (page chrome)",
}
_HTML_CHROME = {"nav": "page navigation", "footer": "page footer", "aside": "page sidebar"}
_HTML_BLOCK = {
    "address", "article", "blockquote", "body", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "form", "header", "hgroup", "html", "main",
    "menu", "p", "pre", "section", "summary", "caption", "hr", "head", "legend",
}  # fmt: skip
_HTML_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _HtmlReader:
    """One pass over a parsed page, producing items with the source lines of their text."""

    def __init__(self, text: str, front: FrontEnd, offset: int) -> None:
        self.front = front
        self.offset = offset
        with warnings.catch_warnings():
            # bs4's advice ("this looks like a filename / like XML") is no use here.
            warnings.simplefilter("ignore")
            self.soup = BeautifulSoup(text, "html.parser")
        self.text_line: dict[int, int] = {}
        self.items: list[Item] = []
        self.text_lines: set[int] = set()
        self.buffer: list[list[tuple[str, int, bool]]] = [[]]  # logical lines of fragments
        self.depth = 0
        self.lis: list[list[Any]] = []  # open list items: [emitted, depth]
        self.pseudo: list[bool] = []
        self._number_lines()

    def _number_lines(self) -> None:
        """The 1-based line where each string starts (tags know theirs; strings follow)."""
        current = 1
        for node in self.soup.descendants:
            if isinstance(node, Tag):
                if node.sourceline is not None:
                    current = node.sourceline
            else:
                self.text_line[id(node)] = current
                current += str(node).count("\n")

    def _string_lines(self, node: NavigableString) -> list[tuple[str, int]]:
        start = self.text_line.get(id(node), 1) + self.offset
        out = []
        for k, segment in enumerate(str(node).split("\n")):
            if segment.strip():
                out.append((segment, start + k))
                self.text_lines.add(start + k)
        return out

    def _skip_all(self, tag: Tag, reason: str) -> None:
        lines: set[int] = set()
        for node in tag.descendants:
            if isinstance(node, NavigableString):
                lines.update(ln for _, ln in self._string_lines(node))
        if lines:
            self.items.append(Skip(tuple(sorted(lines)), reason))

    def _collect(self, tag: Tag) -> list[tuple[str, Lines, bool]]:
        """The logical lines of an element's text (split at <br> and block elements)."""
        out: list[list[tuple[str, int, bool]]] = [[]]
        for node in tag.descendants:
            if isinstance(node, Tag):
                if node.name == "br" or node.name in _HTML_BLOCK or node.name == "li":
                    out.append([])
                continue
            if not isinstance(node, NavigableString) or isinstance(
                node, (Comment, Declaration, Doctype, ProcessingInstruction, CData)
            ):
                continue
            bold = False
            parent, hops = node.parent, 0
            while parent is not None and parent is not tag and hops < 20:
                if parent.name in ("b", "strong"):
                    bold = True
                    break
                parent, hops = parent.parent, hops + 1
            out[-1] += [(s, ln, bold) for s, ln in self._string_lines(node)]
        return [_logical(frags) for frags in out if any(f[0].strip() for f in frags)]

    def _flush(self) -> None:
        logical = [_logical(b) for b in self.buffer if any(f[0].strip() for f in b)]
        self.buffer = [[]]
        if not logical:
            return
        if self.lis:
            state = self.lis[-1]
            if not state[0]:
                state[0] = True
                text = " ".join(t for t, _, _ in logical)
                lines = tuple(ln for _, lns, _ in logical for ln in lns)
                self.items.append(Bullet(text, lines, state[1]))
            else:
                self.items += [Text(t, lns, cont=True) for t, lns, _ in logical]
            return
        if self.pseudo and self.pseudo[-1]:
            logical = [(t, lns, True) for t, lns, _ in logical]
        self.items.append(Para(logical))

    def _table(self, tag: Tag) -> Table:
        rows: list[list[Cell]] = []
        lines: set[int] = set()
        for tr in tag.find_all("tr"):
            if tr.find_parent("table") is not tag:
                continue
            row = []
            for cell in tr.find_all(["td", "th"], recursive=False):
                logical = self._collect(cell)
                text = "\n".join(t for t, _, _ in logical)
                cell_lines = tuple(ln for _, lns, _ in logical for ln in lns)
                lines.update(cell_lines)
                row.append(Cell(text, cell_lines))
            rows.append(row)
        return Table(rows, tuple(sorted(lines)))

    def read(self) -> list[Item]:
        stack: list[tuple[str, Any, bool]] = [("node", self.soup, False)]
        while stack:
            action, node, bold = stack.pop()
            if action == "exit":
                self._flush()
                if node == "list":
                    self.depth -= 1
                elif node == "li":
                    self.lis.pop()
                elif node == "block":
                    self.pseudo.pop()
                continue
            if isinstance(node, Comment):
                lines = tuple(ln for _, ln in self._string_lines(node))
                if lines:
                    self.items.append(Skip(lines, "HTML comment"))
                continue
            if isinstance(node, (Declaration, Doctype, ProcessingInstruction, CData)):
                continue
            if isinstance(node, NavigableString):
                for s, ln in self._string_lines(node):
                    self.buffer[-1].append((s, ln, bold))
                continue
            name = (node.name or "").lower()
            if name in _HTML_SKIP:
                self._skip_all(node, _HTML_SKIP[name])
                continue
            if name in _HTML_CHROME:
                self._flush()
                self._skip_all(node, _HTML_CHROME[name])
                continue
            if name == "title":
                logical = self._collect(node)
                if logical:
                    text = " ".join(t for t, _, _ in logical)
                    lines = tuple(ln for _, lns, _ in logical for ln in lns)
                    self.front.doc_title = self.front.doc_title or (text, lines)
                continue
            if name == "br":
                self.buffer.append([])
                continue
            if name in _HTML_HEADINGS:
                self._flush()
                logical = self._collect(node)
                if logical:
                    text = " ".join(t for t, _, _ in logical)
                    lines = tuple(ln for _, lns, _ in logical for ln in lns)
                    self.items.append(Heading(text, int(name[1]), lines))
                    self.front.real_headings += 1
                continue
            if name == "table":
                self._flush()
                self.items.append(self._table(node))
                continue
            children = [(("node", c, False)) for c in node.children]
            if name in ("ul", "ol"):
                self._flush()
                self.depth += 1
                stack.append(("exit", "list", False))
            elif name == "li":
                self._flush()
                self.lis.append([False, max(self.depth - 1, 0)])
                stack.append(("exit", "li", False))
            elif name in _HTML_BLOCK:
                self._flush()
                self.pseudo.append(name == "dt")
                stack.append(("exit", "block", False))
            else:  # inline: the text flows into the paragraph being read
                strong = bold or name in ("b", "strong")
                children = [("node", c, strong) for c in node.children]
            stack.extend(reversed(children))
        self._flush()
        return self.items


def _logical(frags: list[tuple[str, int, bool]]) -> tuple[str, Lines, bool]:
    text = _SPACE.sub(" ", " ".join(s for s, _, _ in frags)).strip()
    lines = tuple(sorted({ln for s, ln, _ in frags if s.strip()}))
    bold = all(b for s, _, b in frags if s.strip())
    return text, lines, bold


def _html_items(text: str, front: FrontEnd, offset: int = 0, count: int = 0) -> list[Item]:
    """Items of an HTML text whose first line is line `offset + 1` and which spans `count`
    lines (all of `text` when 0)."""
    reader = _HtmlReader(text, front, offset)
    items = reader.read()
    count = count or len(text.splitlines())
    front.markup_lines.update(
        n for n in range(offset + 1, offset + count + 1) if n not in reader.text_lines
    )
    return items


# --- From the item stream to headings, bullets and text -----------------------------------------


@dataclass
class FrontEnd:
    """What the front ends learned besides the items."""

    plain: bool = False
    real_headings: int = 0
    doc_title: tuple[str, Lines] | None = None  # <title>, or front matter's title
    markup_lines: set[int] = field(default_factory=set)  # HTML tags without text
    yaml_lines: set[int] = field(default_factory=set)  # front matter keys that only nest


def _pseudo_rank(kind: str, plain: bool) -> float:
    if plain:
        return {"track": 1, "level": 2}.get(kind, 3)
    return {"track": 6.5, "level": 7}.get(kind, 8)


def _heading_like(text: str, first: bool, alone: bool, bold: bool, plain: bool) -> str | None:
    """The heading a paragraph line stands for, or None when it is just text."""
    if len(text) > SHORT:
        return None
    if level_name(text):
        return text
    if not first:
        return None
    label = _label(text)
    if label and label[0] == "topic" and label[1]:
        return label[1]
    if bold and not _is_examples_mark(text) and not _is_signals_mark(text):
        return text
    m = _BOLD_LINE.fullmatch(text)
    if m and "**" not in m.group(1) and not _is_examples_mark(text) and not _is_signals_mark(text):
        return m.group(1)
    if not plain or not alone or _label(text) or _EXAMPLE.match(text):
        return None
    if _is_signals_mark(text):
        return None
    words = text.split()
    if len(text) > 60 or len(words) > 8 or not (text[0].isupper() or text[0].isdigit()):
        return None
    if text[-1] in ".,;!?" or text.endswith(("...", "…")):
        return None
    return text


def _classify(heading: Heading, plain: bool) -> None:
    level = level_name(heading.text)
    if level:
        heading.kind, heading.level = "level", level
    elif len(heading.text) <= SHORT and _TRACK_WORDS.search(_plain(heading.text)):
        heading.kind = "track"
    if heading.pseudo:
        heading.rank = _pseudo_rank(heading.kind, plain)


def _normalise(items: list[Item], plain: bool) -> list[Item]:
    """Paragraphs split into headings, bullets and text lines; chrome set aside."""
    out: list[Item] = []
    for item in items:
        if isinstance(item, Heading):
            if _is_chrome(item.text):
                out.append(Skip(item.lines, "page chrome"))
                continue
            _classify(item, plain)
            out.append(item)
        elif isinstance(item, Bullet):
            if item.number and level_name(f"{item.number}. {item.text}"):
                heading = Heading(f"{item.number}. {item.text}", 0, item.lines, pseudo=True)
                _classify(heading, plain)
                out.append(heading)
            else:
                out.append(item)
        elif isinstance(item, Para):
            out += _para_items(item, plain)
        else:
            out.append(item)
    return out


def _para_items(para: Para, plain: bool) -> list[Item]:
    out: list[Item] = []
    after_bullet = False
    first = True
    count = len(para.lines)
    for k, (text, lines, bold) in enumerate(para.lines):
        if not text:
            continue
        if _is_chrome(text):
            out.append(Skip(lines, "page chrome"))
            continue
        m = _BULLET.match(text)
        if m and text[m.end() :].strip():
            out.append(Bullet(text[m.end() :].strip(), lines))
            after_bullet, first = True, False
            continue
        following = para.lines[k + 1][0] if k + 1 < count else ""
        alone = k + 1 == count or bool(_BULLET.match(following))
        heading = _heading_like(text, first, alone, bold, plain)
        if heading is not None and not (after_bullet and not level_name(text)):
            h = Heading(heading, 0, lines, pseudo=True)
            _classify(h, plain)
            out.append(h)
            after_bullet, first = False, True
            continue
        out.append(Text(text, lines, cont=after_bullet))
        first = False
    return out


# --- Sections -----------------------------------------------------------------------------------


@dataclass
class Section:
    heading: Heading | None
    rank: float
    children: list[Any] = field(default_factory=list)
    has_levels: bool = False
    leaf_levels: bool = True  # every level directly inside holds no sub-heading
    codes: set[str] = field(default_factory=set)


def _sections(items: list[Item]) -> Section:
    root = Section(None, 0)
    stack = [root]
    for item in items:
        if isinstance(item, Heading):
            while len(stack) > 1 and stack[-1].rank >= item.rank:
                stack.pop()
            section = Section(item, item.rank)
            stack[-1].children.append(section)
            stack.append(section)
        else:
            stack[-1].children.append(item)
    _summarise(root)
    return root


def _summarise(section: Section) -> None:
    for child in section.children:
        if isinstance(child, Section):
            _summarise(child)
            if child.heading and child.heading.kind == "level" and child.heading.level:
                section.has_levels = True
                section.codes.add(child.heading.level.code.lower())
                if any(isinstance(c, Section) for c in child.children):
                    section.leaf_levels = False
            elif child.has_levels:
                section.has_levels = True
        elif isinstance(child, Table) and _orientation(child)[0]:
            section.has_levels = True


# --- Tables -------------------------------------------------------------------------------------


def _orientation(table: Table) -> tuple[str, Any]:
    """('rows', level column) or ('columns', [level names]) or ('', None)."""
    if len(table.rows) < 2 or not table.rows[0]:
        return "", None
    header = [_clean_heading(c.text) for c in table.rows[0]]
    for index, name in enumerate(header):
        if _LEVEL_HEADER.fullmatch(name):
            numeric = _numeric_columns(table)
            if all(i == index or i in numeric for i in range(len(header))) and numeric:
                return "", None  # levels against numbers (points, years): not descriptions
            return "rows", index
    names = [level_name(h) for h in header[1:]]
    found = [n for n in names if n]
    if len(found) >= 2 and len(found) * 2 >= len(names):
        return "columns", names
    return "", None


_NUMBERISH = re.compile(r"[\d\s.,+\-–—%/<>=≥≤]*")


def _numeric_columns(table: Table) -> set[int]:
    """Columns whose cells are all numbers or ranges ("15+", "0–3"): points, not descriptions."""
    out = set()
    for index in range(len(table.rows[0])):
        cells = [_plain(row[index].text) for row in table.rows[1:] if index < len(row)]
        if any(cells) and all(len(c) <= 40 and _NUMBERISH.fullmatch(c) for c in cells):
            out.add(index)
    return out


def _cell_items(text: str) -> list[str]:
    parts = [p.strip() for p in _BR.sub("\n", text).split("\n")]
    out: list[str] = []
    for part in parts:
        for piece in re.split(r"\s+•\s+", part):
            piece = piece.strip()
            m = _BULLET.match(piece)
            if m:
                piece = piece[m.end() :].strip()
            if piece:
                out.append(piece)
    return out


# --- Building the framework ---------------------------------------------------------------------


class Entry:
    """One signal, example or piece of text, with the lines it came from."""

    __slots__ = ("lines", "parts", "raw")

    def __init__(self, text: str, lines: Lines, raw: str | None = None) -> None:
        self.parts = [text]
        self.lines = list(lines)
        self.raw = [raw if raw is not None else text]

    def add(self, text: str, lines: Lines) -> None:
        self.parts.append(text)
        self.raw.append(text)
        self.lines.extend(lines)

    @property
    def text(self) -> str:
        return " ".join(self.parts)

    @property
    def raw_text(self) -> str:
        return " ".join(self.raw)


@dataclass
class Slot:
    """What one level says under one topic: milestone n of that topic's skill."""

    summary: list[Entry] = field(default_factory=list)
    signals: list[Entry] = field(default_factory=list)
    examples: list[Entry] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)


@dataclass
class LevelB:
    name: LevelName
    order: int
    origin: str = "heading"
    lines: list[int] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)
    title: list[Entry] = field(default_factory=list)
    summary: list[Entry] = field(default_factory=list)
    experience: list[Entry] = field(default_factory=list)
    responsibility: list[Entry] = field(default_factory=list)
    general: list[tuple[str, Entry]] = field(default_factory=list)
    topics: dict[str, Slot] = field(default_factory=dict)
    requirements: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class TopicB:
    name: str
    description: list[Entry] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    aliases: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class TrackB:
    name: str
    lines: list[int] = field(default_factory=list)
    levels: dict[str, LevelB] = field(default_factory=dict)
    topics: dict[str, TopicB] = field(default_factory=dict)
    description: list[Entry] = field(default_factory=list)
    wrappers: list[int] = field(default_factory=list)


@dataclass
class Cursor:
    """Where content goes while reading one section."""

    track: TrackB | None = None
    level: LevelB | None = None
    topic: str | None = None
    mode: str = "signals"
    last: Entry | None = None
    target: list[Entry] | None = None  # description paragraphs outside levels


class Builder:
    def __init__(self, tracker: LineTracker, filename: str, front: FrontEnd) -> None:
        self.tracker = tracker
        self.filename = filename
        self.front = front
        self.tracks: dict[str, TrackB] = {}
        self.title: tuple[str, Lines] | None = None
        self.description: list[Entry] = []
        self.inferred: list[str] = []
        self.warnings: list[str] = []
        self.tables: list[str] = []
        self.partial: list[tuple[int, str]] = []  # lines with a part left out as a repeat
        self.placed: set[int] = set()

    def place(self, *lines: int) -> None:
        self.placed.update(lines)
        self.tracker.place(*lines)

    # -- tracks, levels, topics

    def default_track(self) -> TrackB:
        name = self.title[0] if self.title else (PurePath(self.filename).stem or "Ladder")
        return self.track(name, ())

    def track(self, name: str, lines: Lines) -> TrackB:
        name = _TRACK_LABEL.sub("", _clean_heading(name)).strip() or "Ladder"
        key = _norm(name) or name
        track = self.tracks.get(key)
        if track is None:
            track = self.tracks[key] = TrackB(name[:MAX_NAME].strip())
        track.lines += lines
        return track

    def level(self, track: TrackB, name: LevelName, lines: Lines, origin: str) -> LevelB:
        key = _SPACE.sub(" ", name.code.lower())
        level = track.levels.get(key)
        if level is None:
            level = track.levels[key] = LevelB(name, len(track.levels), origin)
            level.lines += lines
        else:
            level.seen += lines
        if name.title and name.title != name.code:
            level.title.append(Entry(name.title, ()))
        return level

    def topic(
        self, track: TrackB, level: LevelB | None, name: str, lines: Lines, heading: Lines = ()
    ) -> str:
        """The key of the topic `name` in `track`; `lines` are its own heading lines (a topic
        first layout), `heading` the lines of a heading naming it under one level."""
        name = _clean_heading(name)[:MAX_NAME].strip() or "Topic"
        key = _norm(name) or name.lower()
        if key not in track.topics:
            # "Communication & Feedback" where the other levels say "Communication".
            cuts = [i for i, ch in enumerate(key) if ch == " "]
            for cut in cuts:  # the prefixes of the name at word boundaries, shortest first
                known = key[:cut]
                if (
                    known in track.topics
                    and level is not None
                    and known not in level.topics
                    and len(known) >= 3
                ):
                    track.topics[known].aliases.setdefault(name, []).extend(lines or heading)
                    return known
            track.topics[key] = TopicB(name)
        track.topics[key].lines += lines
        return key

    # -- reading sections

    def read(self, root: Section) -> None:
        self.title = self._find_title(root)
        self.visit(root, Cursor())
        page = self.front.doc_title
        if page and (not self.title or page[1] != self.title[1]):
            for n in page[1]:
                self.tracker.skip(n, "page title: the document's first heading names it")

    def _find_title(self, root: Section) -> tuple[str, Lines] | None:
        for child in root.children:
            if isinstance(child, Section) and child.heading:
                h = child.heading
                if h.kind == "level":
                    break
                if not h.pseudo and h.rank == 1:
                    return _clean_heading(h.text), h.lines
                if h.pseudo and self.front.plain and not self.front.real_headings:
                    return _clean_heading(h.text), h.lines
                if not h.pseudo:
                    break
        if self.front.doc_title:
            return _clean_heading(self.front.doc_title[0]), self.front.doc_title[1]
        return None

    def visit(self, section: Section, cur: Cursor) -> None:
        groups = [
            c
            for c in section.children
            if isinstance(c, Section)
            and c.heading
            and c.heading.kind == "other"
            and c.has_levels
            and cur.level is None
        ]
        roles = self._group_roles(groups, cur)
        for child in section.children:
            if isinstance(child, Section):
                self.visit_section(child, cur, roles.get(id(child)))
            else:
                self.content(child, cur)

    def _group_roles(self, groups: list[Section], cur: Cursor) -> dict[int, str]:
        roles: dict[int, str] = {}
        holders: dict[str, int] = {}  # level code -> how many of the groups hold it
        for g in groups:
            for code in g.codes:
                holders[code] = holders.get(code, 0) + 1
        for g in groups:
            assert g.heading is not None
            if _WRAPPER_WORDS.search(_plain(g.heading.text)):
                roles[id(g)] = "wrapper"
            elif len(groups) == 1:
                roles[id(g)] = "topic" if g.leaf_levels else "wrapper"
            else:
                shared = any(holders[code] > 1 for code in g.codes)
                roles[id(g)] = "topic" if shared and g.leaf_levels else "track"
        return roles

    def visit_section(self, section: Section, cur: Cursor, role: str | None) -> None:
        h = section.heading
        assert h is not None
        lines = h.lines
        if h.kind == "level" and h.level:
            track = cur.track or self.default_track()
            level = self.level(track, h.level, lines, h.origin)
            topic = cur.topic if cur.level is None else None
            self.visit(section, Cursor(track, level, topic))
            return
        if cur.level is not None:  # any other heading under a level is a topic
            assert cur.track is not None
            topic = self.topic(cur.track, cur.level, h.text, (), lines)
            slot = cur.level.topics.setdefault(topic, Slot())
            slot.headings += lines
            self.visit(section, Cursor(cur.track, cur.level, topic))
            return
        if section.has_levels and (h.kind == "track" or (not h.pseudo and h.rank == 1)):
            track = self.track(h.text, lines)
            self.visit(section, Cursor(track, None, None, target=track.description))
            return
        if section.has_levels and role == "topic":
            track = cur.track or self.default_track()
            topic = self.topic(track, None, h.text, lines)
            self.visit(section, Cursor(track, None, topic, target=track.topics[topic].description))
            return
        if section.has_levels and role == "track":
            track = self.track(h.text, lines)
            self.visit(section, Cursor(track, None, None, target=track.description))
            return
        if section.has_levels:  # a wrapper such as "Levels": read through it
            track = cur.track or self.default_track()
            track.wrappers += lines
            self.visit(section, Cursor(track, None, cur.topic, target=cur.target))
            return
        if self.title and lines == self.title[1]:
            self.place(*lines)
            self.visit(section, Cursor(cur.track, None, None, target=self.description))
            return
        # A section with no level in it: "About", "FAQ"...
        for n in lines:
            self.tracker.skip(n, "heading of a section with no level in it")
        self.visit(section, Cursor(cur.track, None, None, target=None))

    # -- content

    def content(self, item: Any, cur: Cursor) -> None:
        if isinstance(item, Skip):
            for n in item.lines:
                self.tracker.skip(n, item.reason)
        elif isinstance(item, Table):
            self.table(item, cur)
        elif isinstance(item, (Bullet, Text)):
            if cur.level is None:
                self.outside(item, cur)
            elif cur.topic is None:
                self.level_content(item, cur)
            else:
                self.topic_content(item, cur)

    def outside(self, item: Bullet | Text, cur: Cursor) -> None:
        if isinstance(item, Text) and cur.target is not None:
            if item.cont and cur.last is not None:
                cur.last.add(item.text, item.lines)
            else:
                cur.last = Entry(item.text, item.lines)
                cur.target.append(cur.last)
            return
        reason = (
            f"under topic '{cur.track.topics[cur.topic].name}' but before any level"
            if cur.topic and cur.track
            else "not under a level heading"
        )
        for n in item.lines:
            self.tracker.skip(n, reason)

    def _continues(self, item: Bullet | Text, cur: Cursor) -> bool:
        if not isinstance(item, Text) or cur.last is None:
            return False
        return item.cont or item.text[:1].islower()

    def level_content(self, item: Bullet | Text, cur: Cursor) -> None:
        level = cur.level
        assert level is not None
        if self._marker(item, cur):
            return
        if self._continues(item, cur):
            assert cur.last is not None
            cur.last.add(item.text, item.lines)
            return
        if isinstance(item, Text):
            label = _label(item.text)
            if label and label[1]:
                where = label[0]
                entry = Entry(label[1], item.lines)
                getattr(level, where if where != "topic" else "summary").append(entry)
                cur.last = entry
                return
            example = _example_text(item.text)
            if example is None:
                cur.last = Entry(item.text, item.lines)
                level.summary.append(cur.last)
                return
        example = _example_text(item.text)
        if isinstance(item, Bullet) and item.example:
            example = item.text
        if example is not None or cur.mode == "examples":
            entry = Entry(example or item.text, item.lines, raw=item.text)
            level.general.append(("example", entry))
        else:
            entry = Entry(item.text, item.lines)
            level.general.append(("signal", entry))
        cur.last = entry

    def topic_content(self, item: Bullet | Text, cur: Cursor) -> None:
        assert cur.level is not None and cur.topic is not None
        slot = cur.level.topics.setdefault(cur.topic, Slot())
        if self._marker(item, cur):
            return
        if self._continues(item, cur):
            assert cur.last is not None
            cur.last.add(item.text, item.lines)
            return
        example = _example_text(item.text)
        if isinstance(item, Bullet) and item.example:
            example = item.text
        if isinstance(item, Text) and example is None:
            label = _label(item.text)
            if label and label[1] and label[0] == "summary":
                cur.last = Entry(label[1], item.lines)
                slot.summary.append(cur.last)
                return
            if not slot.signals and not slot.examples:
                cur.last = Entry(item.text, item.lines)
                slot.summary.append(cur.last)
                return
        if example is not None or cur.mode == "examples":
            cur.last = Entry(example or item.text, item.lines, raw=item.text)
            slot.examples.append(cur.last)
        else:
            cur.last = Entry(item.text, item.lines)
            slot.signals.append(cur.last)

    def _marker(self, item: Bullet | Text, cur: Cursor) -> bool:
        if _is_examples_mark(item.text):
            cur.mode = "examples"
        elif _is_signals_mark(item.text):
            cur.mode = "signals"
        else:
            return False
        self.place(*item.lines)
        cur.last = None
        return True

    def table(self, table: Table, cur: Cursor) -> None:
        orientation, how = _orientation(table)
        first = table.lines[0] if table.lines else 0
        if not orientation:
            for n in table.lines:
                self.tracker.skip(n, "table without a Level column or a header row of levels")
            return
        track = cur.track or self.default_track()
        header = table.rows[0]
        for cell in header:
            self.place(*cell.lines)
        if orientation == "rows":
            self._row_table(table, track, how)
            numeric = _numeric_columns(table)
            topics = [
                _clean_heading(c.text)
                for i, c in enumerate(header)
                if i != how and _clean_heading(c.text) and i not in numeric
            ]
            self.tables.append(
                f"table at line {first}: one level per row (column "
                f"'{_clean_heading(header[how].text)}'), columns: {', '.join(topics) or 'none'}"
            )
        else:
            self._column_table(table, track, how)
            self.tables.append(
                f"table at line {first}: one level per column "
                f"({', '.join(n.code for n in how if n)}), one topic per row"
            )
        # The delimiter row of a Markdown table, and any line only the table holds.
        used = {n for row in table.rows for c in row for n in c.lines}
        for n in table.lines:
            if n not in used:
                self.place(n)

    def _row_table(self, table: Table, track: TrackB, column: int) -> None:
        header = [_clean_heading(c.text) for c in table.rows[0]]
        word = header[column].lower()
        numeric = _numeric_columns(table) - {column}
        for row in table.rows[1:]:
            if column >= len(row) or not _plain(row[column].text):
                for c in row:
                    for n in c.lines:
                        self.tracker.skip(n, "table row without a level")
                continue
            name = _cell_level(_plain(row[column].text), word)
            level = self.level(track, name, row[column].lines, "table row")
            for index, cell in enumerate(row):
                if index == column or index >= len(header):
                    continue
                if index in numeric:
                    for n in cell.lines:
                        self.tracker.skip(n, f"column '{header[index]}' holds only numbers")
                    continue
                self._cell(track, level, header[index], cell, table.rows[0][index].lines)

    def _column_table(self, table: Table, track: TrackB, names: list[LevelName | None]) -> None:
        header = table.rows[0]
        levels: list[LevelB | None] = [None]
        for index, name in enumerate(names, start=1):
            levels.append(
                self.level(track, name, header[index].lines, "table header") if name else None
            )
        for row in table.rows[1:]:
            if not row or not _plain(row[0].text):
                for c in row:
                    for n in c.lines:
                        self.tracker.skip(n, "table row without a topic")
                continue
            for index, cell in enumerate(row[1:], start=1):
                level = levels[index] if index < len(levels) else None
                if level is None:
                    for n in cell.lines:
                        self.tracker.skip(n, "table column without a level")
                    continue
                self._cell(track, level, _clean_heading(row[0].text), cell, row[0].lines)

    def _cell(self, track: TrackB, level: LevelB, column: str, cell: Cell, head: Lines) -> None:
        text = cell.text.strip()
        if not text:
            return
        if not column:
            for n in cell.lines:
                self.tracker.skip(n, "table column without a header")
            return
        target = _COLUMN_FIELD.get(column.lower())
        if target:
            getattr(level, target).append(Entry(_plain(text), cell.lines))
            return
        topic = self.topic(track, level, column, (), head)
        slot = level.topics.setdefault(topic, Slot())
        slot.headings += head
        for part in _cell_items(text):
            example = _example_text(part)
            if example is not None:
                slot.examples.append(Entry(example, cell.lines, raw=part))
            else:
                slot.signals.append(Entry(part, cell.lines))

    # -- the framework

    def build(self) -> dict[str, Any]:
        tracks = [t for t in self.tracks.values() if t.levels]
        for empty in (t for t in self.tracks.values() if not t.levels):
            # A heading that only groups other tracks (often the document title).
            self.description[:0] = empty.description
            for n in empty.lines:
                self.tracker.skip(n, "heading of a track with no level in it")
        if not tracks:
            raise ImportFailed(NO_LEVELS, source=self.filename)
        several = len(tracks) > 1
        keys = _Keys()
        categories: list[dict[str, Any]] = []
        skills: list[dict[str, Any]] = []
        out_tracks: list[dict[str, Any]] = []
        top = 0
        for track in tracks:
            ordered = self._order(track)
            top = max(top, len(ordered))
            track_key = keys.take("track", slugify(track.name, "track"))
            category = "skills"
            if several:
                category = keys.take("category", slugify(track.name, "skills"))
            made = self._track_skills(track, ordered, keys, category, several)
            if made and (several or not categories):
                name = track.name if several else "Skills"
                categories.append({"key": category, "name": name})
            skills += made
            levels = [self._level_doc(lv) for lv in ordered]
            self.place(*track.lines, *track.wrappers)
            if track.wrappers:
                self.inferred.append(
                    f"track '{track.name}': the headings at {_lines(track.wrappers)} "
                    "only group its levels"
                )
            description = self._join(track.description, "\n\n", "track description")
            out_tracks.append(
                {"key": track_key, "name": track.name or track_key, "description": description,
                 "levels": levels}
            )  # fmt: skip
        if categories and not several:
            self.inferred.append("the source names no categories: every skill is in 'Skills'")
        elif several:
            self.inferred.append(
                f"{len(tracks)} tracks: each track's skills are in a category named after it"
            )
        name = self.title[0] if self.title else tracks[0].name
        if self.title:
            self.place(*self.title[1])
        name = name[:MAX_NAME].strip() or "Ladder"
        scoring: dict[str, Any] = {}
        if top > 5:
            points = dict(DEFAULT_POINTS)
            for n in range(6, top + 1):
                points[n] = points[n - 1] + 10
            scoring["points"] = {str(k): v for k, v in points.items()}
            self.inferred.append(
                f"levels go up to {top}: scoring points for milestone"
                f"{' 6' if top == 6 else f's 6-{top}'} continue the default table with 10 "
                "more per milestone"
            )
        self.inferred += self.tables
        self.partial = [(n, text) for n, text in self.partial if n in self.placed]
        for line, text in self.partial[:20]:
            self.inferred.append(
                f"line {line}: part of it repeats earlier text and was left out: {text}"
            )
        if len(self.partial) > 20:
            self.inferred.append(f"... and {len(self.partial) - 20} more lines with repeated parts")
        return document(
            key=slugify(name, "ladder"),
            name=name,
            description=self._join(self.description, "\n\n", "description"),
            categories=categories,
            skills=skills,
            tracks=out_tracks,
            scoring=scoring,
        )

    def _order(self, track: TrackB) -> list[LevelB]:
        levels = sorted(track.levels.values(), key=lambda lv: lv.order)
        sorts = [lv.name.sort for lv in levels]
        if all(sorts) and len({s[0] for s in sorts if s}) == 1 and len(set(sorts)) == len(sorts):
            by_rank = sorted(levels, key=lambda lv: lv.name.sort or ("", 0.0, 0.0))
            if by_rank != levels:
                self.inferred.append(
                    f"track '{track.name}': levels ordered by their number or seniority, "
                    "not as listed"
                )
            levels = by_rank
        for level in levels[MAX_LEVELS:]:
            for n in level.lines + level.seen + _all_lines(level):
                self.tracker.skip(n, f"track '{track.name}' has more than {MAX_LEVELS} levels")
        levels = levels[:MAX_LEVELS]
        for n, level in enumerate(levels, 1):
            code = level.name.code
            how = level.origin
            where = _lines(level.lines + level.seen)
            title = level.name.title
            title = f" '{title}'" if title and title != code else ""
            self.inferred.append(
                f"level {code}{title} of track '{track.name}' (milestone {n} of its skills) "
                f"from the {how} at {where}"
            )
        return levels

    def _track_skills(
        self,
        track: TrackB,
        levels: list[LevelB],
        keys: _Keys,
        category: str,
        several: bool,
    ) -> list[dict[str, Any]]:
        made: list[dict[str, Any]] = []
        has_topics = any(lv.topics for lv in levels)
        if not has_topics and any(lv.general for lv in levels):
            # No topic anywhere in the track: the levels' bullets become one skill.
            key = keys.take("skill", slugify(track.name, "skill"))
            slots = {}
            for lv in levels:
                slot = Slot(summary=lv.summary)
                lv.summary = []
                for kind, entry in lv.general:
                    (slot.examples if kind == "example" else slot.signals).append(entry)
                slots[id(lv)] = slot
                lv.general = []
            skill = self._skill(key, track.name, category, "", levels, slots, TopicB(track.name))
            if skill:
                made.append(skill)
                self.inferred.append(
                    f"track '{track.name}' has no topics under its levels: their text and bullets "
                    f"are the milestones of one skill '{track.name}' ({key})"
                )
            return made
        for topic_key, topic in track.topics.items():
            base = slugify(f"{track.name} {topic.name}" if several else topic.name, "skill")
            slots = {id(lv): lv.topics[topic_key] for lv in levels if topic_key in lv.topics}
            key = keys.peek("skill", base)
            description = self._join(topic.description, "\n\n", f"skill '{topic.name}'")
            skill = self._skill(key, topic.name, category, description, levels, slots, topic)
            if skill is None:
                for n in topic.lines + [n for s in slots.values() for n in s.headings]:
                    self.tracker.skip(n, f"topic '{topic.name}' has nothing under it")
                continue
            keys.take("skill", base)
            made.append(skill)
            headings = topic.lines + [n for s in slots.values() for n in s.headings]
            note = f"skill '{topic.name}' ({key}) from the headings at {_lines(headings)}"
            if topic.aliases:
                note += "; also read as this skill: " + ", ".join(
                    f"'{a}' ({_lines(ls)})" for a, ls in topic.aliases.items()
                )
            self.inferred.append(note)
        if any(lv.general for lv in levels):
            self.inferred.append(
                f"track '{track.name}': bullets under a level but under no topic are that "
                "level's expectations"
            )
        return made

    def _skill(
        self,
        key: str,
        name: str,
        category: str,
        description: str,
        levels: list[LevelB],
        slots: dict[int, Slot],
        topic: TopicB,
    ) -> dict[str, Any] | None:
        seen: dict[str, str] = {}
        milestones = []
        alias_lines = [n for ls in topic.aliases.values() for n in ls]
        for number, level in enumerate(levels, 1):
            slot = slots.get(id(level))
            if slot is None:
                continue
            where = f"milestone {number} of '{name}'"
            summary = self._unique(slot.summary, seen, where)
            signals = self._unique(slot.signals, seen, where)
            examples = self._unique(slot.examples, seen, where)
            if not (summary or signals or examples):
                for n in slot.headings:
                    self.tracker.skip(n, f"topic '{name}' has nothing new under it at this level")
                continue
            self.place(*slot.headings)
            milestone: dict[str, Any] = {"number": number}
            text = self._join(summary, "\n\n", where)
            if text:
                milestone["summary"] = text
            milestone["signals"] = [self._text(e, where) for e in signals]
            milestone["examples"] = [self._text(e, where) for e in examples]
            milestones.append(milestone)
            level.requirements.append((key, number))
        if not milestones:
            return None
        self.place(*topic.lines, *alias_lines)
        return {
            "key": key,
            "name": name[:MAX_NAME].strip() or key,
            "category": category,
            "description": description,
            "milestones": milestones,
        }

    def _unique(self, entries: list[Entry], seen: dict[str, str], where: str) -> list[Entry]:
        kept = []
        for entry in entries:
            norm = _norm(entry.text)
            if not norm:
                kept.append(entry)
                continue
            if norm in seen:
                for n in entry.lines:
                    self.tracker.skip(n, f"repeats text already in {seen[norm]}")
                    self.partial.append((n, entry.text[:80]))
                continue
            seen[norm] = where
            kept.append(entry)
        return kept

    def _text(self, entry: Entry, where: str, raw: bool = False) -> str:
        self.place(*entry.lines)
        text = entry.raw_text if raw else entry.text
        if len(text) > MAX_TEXT:
            self.warnings.append(
                f"{where}: text from line {entry.lines[0]} cut to {MAX_TEXT:,} characters"
            )
            text = text[:MAX_TEXT]
        return text.strip()

    def _join(self, entries: list[Entry], sep: str, where: str) -> str:
        parts: list[str] = []
        seen: set[str] = set()
        size = 0
        for entry in entries:
            norm = _norm(entry.text)
            if norm in seen:
                for n in entry.lines:
                    self.tracker.skip(n, f"repeats text already in {where}")
                continue
            seen.add(norm)
            text = entry.text.strip()
            if size + len(text) + len(sep) > MAX_TEXT:
                for n in entry.lines:
                    self.tracker.skip(n, f"{where} is longer than {MAX_TEXT:,} characters")
                continue
            self.place(*entry.lines)
            parts.append(text)
            size += len(text) + len(sep)
        return sep.join(parts)

    def _level_doc(self, level: LevelB) -> dict[str, Any]:
        where = f"level {level.name.code}"
        self.place(*level.lines, *level.seen)
        out: dict[str, Any] = {"code": level.name.code}
        title = self._join(level.title, " / ", f"{where} title")
        if title:
            out["title"] = title
        for part in ("summary", "experience", "responsibility"):
            text = self._join(getattr(level, part), "\n\n", f"{where} {part}")
            if text:
                out[part] = text
        if level.general:
            items = []
            seen: set[str] = set()
            for _kind, entry in level.general:
                norm = _norm(entry.raw_text)
                if norm in seen:
                    for n in entry.lines:
                        self.tracker.skip(n, f"repeats an expectation of {where}")
                    continue
                seen.add(norm)
                items.append(self._text(entry, where, raw=True))
            out["expectations"] = [{"topic": "", "items": items}]
        if level.requirements:
            out["requirements"] = {"milestones": dict(level.requirements)}
        return out


def _cell_level(text: str, column: str) -> LevelName:
    name = level_name(text)
    if name:
        return name
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})?", text):
        word = column.split()[0] if column else "level"
        if word.startswith("level"):
            return LevelName(f"L{text}", "", ("num", float(text), 0.0))
        return LevelName(f"{word.capitalize().rstrip('s')} {text}", "", ("num", float(text), 0.0))
    code = text if len(text) <= MAX_CODE else text[:MAX_CODE].rsplit(" ", 1)[0] or text[:MAX_CODE]
    return LevelName(code.strip(), text if code != text else "", None)


def _all_lines(level: LevelB) -> list[int]:
    out = [n for e in level.summary + level.experience + level.responsibility for n in e.lines]
    out += [n for _, e in level.general for n in e.lines]
    for slot in level.topics.values():
        out += slot.headings
        out += [n for e in slot.summary + slot.signals + slot.examples for n in e.lines]
    return out


def _lines(numbers: list[int] | Lines) -> str:
    unique = sorted(set(numbers))
    if not unique:
        return "no line"
    shown = ", ".join(str(n) for n in unique[:NOTE_LINES])
    more = f" and {len(unique) - NOTE_LINES} more" if len(unique) > NOTE_LINES else ""
    return f"line{'s' if len(unique) > 1 else ''} {shown}{more}"


class _Keys:
    """Unique slugs per kind without rescanning: 'item', 'item-2', 'item-3'..."""

    def __init__(self) -> None:
        self.taken: dict[str, set[str]] = {}
        self.next: dict[tuple[str, str], int] = {}

    def peek(self, kind: str, base: str) -> str:
        taken = self.taken.setdefault(kind, set())
        if base not in taken:
            return base
        n = self.next.get((kind, base), 2)
        while True:
            suffix = f"-{n}"
            key = base[: 64 - len(suffix)] + suffix
            if key not in taken:
                self.next[(kind, base)] = n
                return key
            n += 1

    def take(self, kind: str, base: str) -> str:
        key = self.peek(kind, base)
        self.taken[kind].add(key)
        return key


# --- The importer -------------------------------------------------------------------------------

_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
_HTML_TAGS = re.compile(r"<(?:h[1-6]|p|ul|ol|li|table|div|section|article)[\s>]", re.I)
_CODE_EXT = {".js", ".ts", ".json", ".yaml", ".yml", ".py", ".toml", ".csv", ".xml"}


def _is_html(text: str, filename: str) -> bool:
    ext = PurePath(filename).suffix.lower()
    if ext in (".html", ".htm", ".xhtml"):
        return True
    if ext in (".md", ".markdown", ".txt", ".text", ".mdown"):
        return False
    head = text[:5000]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


def _front_matter(lines: list[str]) -> int:
    """How many lines a YAML front matter block takes at the top (0 if none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for i in range(1, min(len(lines), 20_000)):
        if lines[i].strip() in ("---", "..."):
            return i + 1
    return 0


_LEVEL_KEYS = ("level", "grade", "band", "tier")
_NAME_KEYS = ("title", "name", "topic", "skill", "competency", "area")
_EXAMPLE_KEY = re.compile(r"examples?|e\.?g\.?", re.IGNORECASE)
_MAX_YAML_DEPTH = 40


def _front_matter_items(lines: list[str], filename: str, front: FrontEnd) -> list[Item]:
    """YAML front matter that holds a ladder, as items: mappings with a `level` key are level
    headings, named mappings that hold levels are topics, strings in lists are bullets (those
    under an `examples` key are examples). Front matter without levels is skipped."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ..loader import parse_text

    block = _span(1, len(lines))
    try:
        data = parse_text("\n".join(["", *lines[1:-1]]), filename)
    except (FrameworkInvalid, RecursionError, ValueError, TypeError):
        return [Skip(block, "YAML front matter that does not parse")]
    items: list[Item] = []
    used: set[int] = {1, len(lines)}
    unused: dict[int, str] = {}

    def level_value(node: Any) -> str | None:
        if not isinstance(node, CommentedMap):
            return None
        for key in _LEVEL_KEYS:
            value = node.get(key)
            if isinstance(value, (int, str)) and not isinstance(value, bool):
                text = str(value).strip()
                if text and len(text) <= MAX_CODE:
                    return key
        return None

    def holds_levels(node: Any, depth: int) -> bool:
        if depth > _MAX_YAML_DEPTH:
            return False
        if level_value(node):
            return True
        values = node.values() if isinstance(node, CommentedMap) else node
        if isinstance(node, (CommentedMap, CommentedSeq)):
            return any(holds_levels(v, depth + 1) for v in values)
        return False

    def line_of(parent: Any, key: Any, of_key: bool = False) -> int:
        try:
            if isinstance(parent, CommentedMap):
                return int((parent.lc.key(key) if of_key else parent.lc.value(key))[0]) + 1
            return int(parent.lc.item(key)[0]) + 1
        except (KeyError, TypeError, AttributeError, IndexError):
            return 0

    def walk(node: Any, depth: int, example: bool) -> None:
        if depth > _MAX_YAML_DEPTH:
            return
        if isinstance(node, CommentedSeq):
            for index, value in enumerate(node):
                line = line_of(node, index)
                if isinstance(value, str) and value.strip():
                    items.append(Bullet(value.strip(), (line,), example=example))
                    used.add(line)
                elif isinstance(value, (CommentedMap, CommentedSeq)):
                    used.add(line)
                    walk(value, depth + 1, example)
            return
        if not isinstance(node, CommentedMap):
            return
        key = level_value(node)
        skip_keys: set[Any] = set()
        if key:
            line = line_of(node, key)
            value = str(node[key]).strip()
            text = f"Level {value}" if re.fullmatch(r"\d{1,2}", value) else value
            items.append(Heading(text, depth + 1, (line,), origin="front matter entry"))
            used.add(line)
            skip_keys.add(key)
        elif holds_levels(node, depth):
            names = [k for k in _NAME_KEYS if isinstance(node.get(k), str) and node[k].strip()]
            if names and depth > 0:
                name = node[names[0]].strip()
                if not re.search(r"[^\W\d_]", _clean_heading(name)):
                    name = node[names[-1]].strip()
                name = _clean_heading(name)
                if name[:1].islower():
                    name = name[:1].upper() + name[1:]
                lines_used = tuple(line_of(node, k) for k in names)
                items.append(Heading(name, depth + 1, lines_used, origin="front matter entry"))
                used.update(lines_used)
                skip_keys.update(names)
        for k, value in node.items():
            if k in skip_keys:
                continue
            line = line_of(node, k)
            if isinstance(value, (CommentedMap, CommentedSeq)):
                used.add(line_of(node, k, of_key=True))
                walk(value, depth + 1, example or bool(_EXAMPLE_KEY.fullmatch(str(k))))
            elif isinstance(value, str) and value.strip() and (key or example):
                items.append(Bullet(value.strip(), (line,), example=example))
                used.add(line)
            elif depth == 0 and k == "title" and isinstance(value, str) and value.strip():
                front.doc_title = front.doc_title or (value.strip(), (line,))
                used.add(line)
            elif value is None or value == "":
                used.add(line_of(node, k, of_key=True))  # an empty field says nothing
            else:
                unused[line] = f"front matter field '{k}' is not part of the ladder"

    if not holds_levels(data, 0):
        return [Skip(block, "YAML front matter without levels")]
    walk(data, 0, False)
    front.yaml_lines.update(used - {n for it in items for n in getattr(it, "lines", ())})
    items += [Skip((n,), reason) for n, reason in sorted(unused.items()) if n not in used]
    rest = [n for n in block if n not in used and n not in unused]
    if rest:
        items.append(Skip(tuple(rest), "front matter text not read"))
    return items


class GenericImporter:
    name = "generic"
    label = "Any Markdown, HTML or plain-text ladder (heuristic: levels, topics, tables)"

    def detect(self, text: str, filename: str) -> float:
        if PurePath(filename).suffix.lower() in _CODE_EXT:
            return 0.0
        found = 0
        for k, raw in enumerate(text[:200_000].splitlines()):
            if k >= 5000 or found >= 3:
                break
            s = raw.strip()
            if not s or len(s) > SHORT or _BULLET.match(s) or s[0] in "-\"'{[":
                continue
            s = _HTML_TAG.sub("", s).lstrip("#").strip()
            if s.startswith("|"):
                cells = [_plain(c) for c in s.strip("|").split("|")]
                named = sum(1 for c in cells if level_name(c))
                if named >= 2 or any(_LEVEL_HEADER.fullmatch(c) for c in cells):
                    found += 2
                continue
            if level_name(s):
                found += 1
        if (
            not found
            and text.startswith("---")
            and re.search(r"(?m)^\s*-?\s*level:\s*\d", text[:20_000])
        ):
            found = 1  # front matter that may hold levels
        return 0.0 if found == 0 else 0.1 if found == 1 else 0.2

    def parse(self, text: str, filename: str) -> ImportResult:
        try:
            return self._parse(text, filename)
        except ImportFailed:
            raise
        except RecursionError:
            raise ImportFailed("the document nests too deeply to read", source=filename) from None
        except Exception as exc:  # a bug; still never a traceback for the person importing
            raise ImportFailed(
                f"could not read this document (internal error: {type(exc).__name__}: {exc})",
                source=filename,
            ) from None

    def _parse(self, text: str, filename: str) -> ImportResult:
        tracker = LineTracker(text, filename)
        lines = list(tracker.lines)
        front = FrontEnd()
        items: list[Item] = []
        skipped = _front_matter(lines)
        if skipped:
            items += _front_matter_items(lines[:skipped], filename, front)
            lines[:skipped] = [""] * skipped
        body = "\n".join(lines)
        if _is_html(text, filename):
            items += _html_items(body, front)
        else:
            ext = PurePath(filename).suffix.lower()
            items += _markdown_items(body, front)
            front.plain = ext in (".txt", ".text") or front.real_headings == 0
        items = _normalise(items, front.plain)
        root = _sections(items)
        builder = Builder(tracker, filename, front)
        builder.read(root)
        data = builder.build()
        if front.markup_lines:
            tracker.place(*front.markup_lines)
            builder.inferred.append(
                f"{len(front.markup_lines)} lines hold only HTML tags: counted as placed"
            )
        if front.yaml_lines:
            tracker.place(*front.yaml_lines)
            builder.inferred.append(
                f"{len(front.yaml_lines)} front matter lines only open a list or mapping "
                "(such as 'criteria:'): counted as placed"
            )
        try:
            framework = framework_from_data(data, filename)
        except FrameworkInvalid as exc:
            raise ImportFailed(f"the recovered framework does not validate:\n{exc}") from None
        report = tracker.report(self.name)
        kind = "HTML" if _is_html(text, filename) else "plain text" if front.plain else "Markdown"
        report.inferred = [f"read as {kind}", *builder.inferred]
        report.warnings = builder.warnings
        return ImportResult(framework, report)


IMPORTER = GenericImporter()
