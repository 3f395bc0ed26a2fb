"""Framework health from the document alone: structural findings and writing findings.

Structural findings are everything `ladders lint` reports (its RULES, reused as they are, and the
reference checks of `integrity.py`), plus what only shows across a whole track or skill: levels
that cannot be reached, tracks whose levels ask for less as they go up, milestones without
signals or examples, skills that no level asks for. Writing findings look at the words: signals
nobody could observe, a sentence repeated in two milestones, spelling slips and items too long to
read at a glance. Usage findings need people and evidence, so they live with the database
(`ladders.reports.health`) but use the same `Finding`.

Each finding names the exact place twice: `path` for tools and the file
(`skills.testing.milestones[3].signals[1]`, by key and zero-based position) and `place` for
people ("Testing › milestone 4 › signal 2"). It quotes the text it is about and says why in
plain words, naming skills, categories, tracks and levels as readers know them, not by key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from . import lint, scoring
from .errors import Path, Problem, Severity
from .health_places import category_name, level_name, skill_name
from .health_places import display_path as display_path  # re-exported: reports use health.*
from .health_places import place_of as place_of
from .health_places import text_at as text_at
from .integrity import integrity_problems
from .model import Framework, Skill, Track

Kind = Literal["structural", "writing", "usage"]
SeverityName = Literal["error", "warning", "info"]
KINDS: tuple[Kind, ...] = ("structural", "writing", "usage")
SEVERITIES: tuple[SeverityName, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing worth fixing or looking at in a framework.

    `path` is for tools and the API (skills and tracks by key); `place` is the same place for
    people on a page, by name and counting from 1; `location` is the same place by position in
    the document, which a file's source map turns into a line and column. `skill` is the key of
    the skill the finding is about, if any, so a skill page can show its own findings.
    """

    kind: Kind
    rule: str
    severity: SeverityName
    path: str
    text: str
    message: str
    skill: str = ""
    location: Path = ()
    place: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "text": self.text,
            "message": self.message,
            "skill": self.skill,
        }


# --- places (display_path, place_of and text_at live in health_places) -------------------------


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _skill_of(fw: Framework, location: Path) -> str:
    if len(location) >= 2 and location[0] == "skills" and isinstance(location[1], int):
        return fw.skills[location[1]].key if location[1] < len(fw.skills) else ""
    if len(location) >= 7 and location[4:6] == ("requirements", "milestones"):
        return str(location[6])
    return ""


def _finding(
    fw: Framework,
    kind: Kind,
    rule: str,
    severity: SeverityName,
    location: Path,
    message: str,
    text: str | None = None,
) -> Finding:
    return Finding(
        kind=kind,
        rule=rule,
        severity=severity,
        path=display_path(fw, location),
        text=text_at(fw, location) if text is None else text,
        message=message,
        skill=_skill_of(fw, location),
        location=location,
        place=place_of(fw, location),
    )


def _from_problem(fw: Framework, problem: Problem) -> Finding:
    severity: SeverityName = "error" if problem.severity is Severity.ERROR else "warning"
    return _finding(fw, "structural", problem.rule, severity, problem.path, problem.message)


# --- structural --------------------------------------------------------------------------------


def _milestone_gaps(fw: Framework) -> Iterator[Finding]:
    """Milestones without signals or without examples. A skill where every milestone lacks them
    gets one finding, not one per milestone; empty milestones are lint's (empty-milestone)."""
    for i, skill in enumerate(fw.skills):
        written = [
            (j, m) for j, m in enumerate(skill.milestones) if m.summary or m.signals or m.examples
        ]
        for field, rule, why in (
            ("signals", "no-signals", "a reviewer has no behaviour to look for"),
            ("examples", "no-examples", "people have nothing concrete to compare their work to"),
        ):
            missing = [(j, m) for j, m in written if not getattr(m, field)]
            if not missing:
                continue
            if len(missing) == len(written) and len(written) > 1:
                yield _finding(
                    fw,
                    "structural",
                    rule,
                    "info",
                    ("skills", i),
                    f"none of the {len(written)} milestones of {skill.name} has {field}: {why}",
                )
                continue
            for j, m in missing:
                yield _finding(
                    fw,
                    "structural",
                    rule,
                    "info",
                    ("skills", i, "milestones", j),
                    f"milestone {m.number} of {skill.name} has no {field}: {why}",
                )


def _unused_skills(fw: Framework) -> Iterator[Finding]:
    """Skills no level asks for, once the framework states requirements at all; a framework with
    text-only levels gets one note instead of a finding per skill."""
    levels = [lv for t in fw.tracks for lv in t.levels]
    required = {key for lv in levels for key in lv.requirements.milestones}
    if not levels or not fw.skills:
        return
    if not required:
        yield _finding(
            fw,
            "structural",
            "no-requirements",
            "info",
            ("tracks",),
            f"none of the {len(levels)} levels names a milestone it requires, so readiness for "
            "a level can only be judged by reading its text",
            text="",
        )
        return
    by_category = {key for lv in levels for key in lv.requirements.category_points}
    for i, skill in enumerate(fw.skills):
        if skill.key in required:
            continue
        counted = skill.category in by_category
        through = (
            f"the points levels ask for in the {category_name(fw, skill.category)} category "
            "and in total"
            if counted
            else "total points, as no level asks for points in its category either"
        )
        yield _finding(
            fw,
            "structural",
            "unused-skill",
            "info" if counted else "warning",
            ("skills", i),
            f"no level of any track requires a milestone of {skill.name}; it only counts "
            f"towards readiness through {through}",
        )


def _decreases(fw: Framework, t: int, track: Track) -> Iterator[Finding]:
    """A later level asking for less than an earlier one: less of a skill, fewer points."""
    most: dict[tuple[str, str], tuple[int, str]] = {}  # (what, key) -> (highest, level code)
    for i, level in enumerate(track.levels):
        req = level.requirements
        base: Path = ("tracks", t, "levels", i, "requirements")
        asks: list[tuple[str, str, int, Path, str]] = [
            ("milestone", k, n, (*base, "milestones", k), f"milestone {n} of {skill_name(fw, k)}")
            for k, n in req.milestones.items()
        ]
        if req.min_points is not None:
            asks.append(
                (
                    "points",
                    "",
                    req.min_points,
                    (*base, "min_points"),
                    _points(req.min_points),
                )
            )
        asks += [
            (
                "category",
                k,
                n,
                (*base, "category_points", k),
                f"{_points(n)} in {category_name(fw, k)}",
            )
            for k, n in req.category_points.items()
        ]
        for what, key, value, location, label in asks:
            before = most.get((what, key))
            if before is not None and value < before[0]:
                yield _finding(
                    fw,
                    "structural",
                    "level-decrease",
                    "warning",
                    location,
                    f"level {level.code} asks for {label}, less than the {before[0]} that "
                    f"the lower level {before[1]} asks for",
                )
            if before is None or value > before[0]:
                most[(what, key)] = (value, level.code)


def _same_as_below(fw: Framework, t: int, track: Track) -> Iterator[Finding]:
    for i, (lower, level) in enumerate(zip(track.levels, track.levels[1:], strict=False), 1):
        if not level.requirements.is_empty and level.requirements == lower.requirements:
            yield _finding(
                fw,
                "structural",
                "level-no-increase",
                "warning",
                ("tracks", t, "levels", i, "requirements"),
                f"level {level.code} requires exactly what {lower.code} below it requires, "
                "so meeting one means meeting both",
                text=level_name(level),
            )


def _max_milestone_map(fw: Framework) -> dict[str, int]:
    return {s.key: s.max_milestone for s in fw.skills if s.max_milestone}


def _blocked_levels(fw: Framework, t: int, track: Track) -> Iterator[Finding]:
    """Levels are climbed in order (scoring.track_level), so one level nobody can meet blocks
    every level above it, however reachable those are on their own."""
    best = _max_milestone_map(fw)
    for i, level in enumerate(track.levels):
        if scoring.readiness(fw, track, level, best).ready:
            continue
        above = [lv.code for lv in track.levels[i + 1 :]]
        if above:
            yield _finding(
                fw,
                "structural",
                "blocked-levels",
                "warning",
                ("tracks", t, "levels", i),
                f"nobody can meet level {level.code}, even with every skill at its top "
                f"milestone, and levels are climbed in order, so {', '.join(above)} above it "
                "can never be reached either",
            )
        return


def _track_findings(fw: Framework) -> Iterator[Finding]:
    for t, track in enumerate(fw.tracks):
        yield from _decreases(fw, t, track)
        yield from _same_as_below(fw, t, track)
        yield from _blocked_levels(fw, t, track)


def structural_findings(fw: Framework) -> list[Finding]:
    """Reference errors, every lint rule, and the structural rules of health."""
    problems = integrity_problems(fw)
    found = [_from_problem(fw, p) for p in problems]
    if problems:  # scoring cannot be trusted on a document with broken references
        return found
    found += [_from_problem(fw, p) for rule in lint.RULES for p in rule(fw)]
    return found + beyond_lint_structural(fw)


def beyond_lint_structural(fw: Framework) -> list[Finding]:
    """The structural rules of health that `ladders lint` does not have on its own."""
    return [*_milestone_gaps(fw), *_unused_skills(fw), *_track_findings(fw)]


# --- writing -----------------------------------------------------------------------------------


def _listed(words: str) -> list[str]:
    return words.split()


# Praise that says how good something is without saying what anyone did.
VAGUE_WORDS = frozenset(
    _listed("""amazing awesome beautiful beautifully brilliant brilliantly clean cleanly deep deeply
    effective effectively elegant elegantly excellent excellently exceptional exceptionally
    fantastic first-class gifted good great greatly guru high-quality impressive incredible
    natural naturally nice ninja outstanding passionate perfect perfectly proper properly
    rockstar solid stellar strong strongly superb superior talented top-notch wizard
    wonderful world-class""")
)

# Verbs for things someone can be seen doing. "Writes", "shows" or "knows" are not enough on
# their own: "writes beautiful code" names no behaviour a reviewer could check.
_OBSERVABLE = _listed(
    """add adopt alert analyse analyze answer approve ask assign attend audit automate benchmark
    block break brief build calculate call catch chair change check choose close coach collect
    comment compare configure convert create cut debug decide define delegate delete deliver demo
    deploy describe design detect diagnose document draft draw escalate estimate explain extract
    facilitate file find fix flag follow give hire host identify implement instrument interview
    introduce investigate join label launch lead leave list log measure mentor merge migrate
    model monitor move name negotiate note notify onboard open organise organize pair patch pick
    plan point post prepare present prioritise prioritize profile propose prototype publish raise
    record reduce refactor reject release remove rename replace report reproduce request resolve
    restore retire review revert rewrite roll rotate run schedule secure send set shadow share
    ship sign sketch speak split state submit suggest summarise summarize survey teach test track
    train triage tune unblock update upgrade validate verify volunteer walk"""
)
_IRREGULAR = _listed(
    """broke broken brought built caught chose chosen cut drew drawn found gave given led left
    ran set sent split spoke spoken taught wrote"""
)


def _forms(verb: str) -> set[str]:
    """The usual English forms of a regular verb: adds, added, adding, planned, tries."""
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", verb + "es", stem + "ed", stem + "ing", verb + "d"}
    if re.fullmatch(r".*[^aeiou][aeiou][bdgkmnprt]", verb):
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    if verb.endswith("y"):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    return forms


OBSERVABLE_VERBS = frozenset(
    {form for verb in _OBSERVABLE for form in _forms(verb)} | set(_IRREGULAR)
)

# Word limits per kind of text: past these an item stops being read at a glance.
WORD_LIMITS = {
    "signal": 30,
    "example": 40,
    "summary": 30,
    "expectation": 30,
    "description": 60,
    "level text": 50,
}

_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_CODE = re.compile(r"`[^`]*`|https?://\S+")


def _words(text: str) -> list[str]:
    return _WORD.findall(_CODE.sub(" ", text))


@dataclass(frozen=True)
class _Text:
    location: Path
    what: str  # signal, example, summary, expectation, description, level text, name
    text: str
    milestone: tuple[int, int] | None = None  # (skill index, milestone number)


def _texts(fw: Framework) -> Iterator[_Text]:
    """Every piece of prose in the document, with where it is and what kind of text it is."""
    yield _Text(("description",), "introduction", fw.description)  # no word limit
    for i, category in enumerate(fw.categories):
        yield _Text(("categories", i, "description"), "description", category.description)
    for i, skill in enumerate(fw.skills):
        yield from _skill_texts(i, skill)
    for t, track in enumerate(fw.tracks):
        yield _Text(("tracks", t, "description"), "description", track.description)
        for i, level in enumerate(track.levels):
            base: Path = ("tracks", t, "levels", i)
            yield _Text((*base, "title"), "name", level.title)
            for field in ("summary", "experience", "responsibility"):
                yield _Text((*base, field), "level text", getattr(level, field))
            for g, group in enumerate(level.expectations):
                for k, item in enumerate(group.items):
                    yield _Text((*base, "expectations", g, "items", k), "expectation", item)


def _skill_texts(i: int, skill: Skill) -> Iterator[_Text]:
    yield _Text(("skills", i, "name"), "name", skill.name)
    yield _Text(("skills", i, "description"), "description", skill.description)
    for j, m in enumerate(skill.milestones):
        base: Path = ("skills", i, "milestones", j)
        where = (i, m.number)
        yield _Text((*base, "summary"), "summary", m.summary, where)
        for k, signal in enumerate(m.signals):
            yield _Text((*base, "signals", k), "signal", signal, where)
        for k, example in enumerate(m.examples):
            yield _Text((*base, "examples", k), "example", example, where)


def _vague(fw: Framework, texts: Iterable[_Text]) -> Iterator[Finding]:
    for item in texts:
        if item.what not in ("signal", "expectation"):
            continue
        words = [w.lower() for w in _words(item.text)]
        vague = [w for w in words if w in VAGUE_WORDS]
        if vague and not any(w in OBSERVABLE_VERBS for w in words):
            praise = ", ".join(f'"{w}"' for w in dict.fromkeys(vague))
            yield _finding(
                fw,
                "writing",
                "vague-signal",
                "warning",
                item.location,
                f"this {item.what} praises ({praise}) but names no behaviour anyone could "
                "observe: say what the person does and what comes of it",
                item.text,
            )


def _too_long(fw: Framework, texts: Iterable[_Text]) -> Iterator[Finding]:
    for item in texts:
        limit = WORD_LIMITS.get(item.what)
        count = len(item.text.split())
        if limit is not None and count > limit:
            yield _finding(
                fw,
                "writing",
                "too-long",
                "info",
                item.location,
                f"this {item.what} is {count} words long; keep it to {limit} or fewer so it "
                "can be read and checked at a glance, or split it in two",
                item.text,
            )


def _sentences(text: str) -> list[str]:
    """Sentences of at least six words, normalised so case and punctuation do not count."""
    parts = re.split(r"(?<=[.!?;])\s+|\n+", text)
    normal = (re.sub(r"[\W_]+", " ", p.lower()).strip() for p in parts)
    return [s for s in normal if len(s.split()) >= 6]


def _repeated(fw: Framework, texts: Iterable[_Text]) -> Iterator[Finding]:
    """A sentence written again in another milestone of the same skill. Whole items repeated
    word for word are lint's duplicate-text; this catches a sentence inside longer text."""
    seen: dict[tuple[int, str], tuple[int, str]] = {}  # (skill, sentence) -> (milestone, item)
    for item in texts:
        if item.milestone is None:
            continue
        skill_index, number = item.milestone
        whole = re.sub(r"[\W_]+", " ", item.text.lower()).strip()
        for sentence in dict.fromkeys(_sentences(item.text)):
            first = seen.setdefault((skill_index, sentence), (number, whole))
            if first[0] == number or (sentence == whole == first[1]):
                continue
            skill = fw.skills[skill_index]
            yield _finding(
                fw,
                "writing",
                "repeated-sentence",
                "warning",
                item.location,
                f"milestone {number} of {skill.name} repeats a sentence of milestone "
                f"{first[0]}: say what is different at this milestone",
                item.text,
            )


@cache
def spelling_dictionary() -> dict[str, tuple[str, ...]]:
    """codespell's list of common misspellings (misspelling -> corrections), read once."""
    source = resources.files("codespell_lib").joinpath("data", "dictionary.txt")
    table: dict[str, tuple[str, ...]] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        wrong, sep, right = line.partition("->")
        if not sep:
            continue
        right = right.strip()
        if "," in right.rstrip(","):  # several corrections, or the last part is a reason
            head, _, tail = right.rpartition(",")
            fixes = [w.strip() for w in right.rstrip(",").split(",")]
            if tail.strip() and " " in tail.strip():  # a reason, not a correction
                fixes = [w.strip() for w in head.split(",")]
        else:
            fixes = [right.rstrip(",").strip()]
        table[wrong.strip().lower()] = tuple(f for f in fixes if f)
    return table


def _matching_case(word: str, fix: str) -> str:
    return fix[:1].upper() + fix[1:] if word[:1].isupper() else fix


def _spelling(fw: Framework, texts: Iterable[_Text]) -> Iterator[Finding]:
    table = spelling_dictionary()
    for item in texts:
        slips = {w: table[w.lower()] for w in _words(item.text) if w.lower() in table}
        for word, fixes in slips.items():
            options = " or ".join(f"'{_matching_case(word, f)}'" for f in fixes)
            yield _finding(
                fw,
                "writing",
                "spelling",
                "warning",
                item.location,
                f"'{word}' looks misspelt; did you mean {options}?",
                item.text,
            )


def writing_findings(fw: Framework) -> list[Finding]:
    texts = [t for t in _texts(fw) if t.text.strip()]
    return [
        *_vague(fw, texts),
        *_repeated(fw, texts),
        *_spelling(fw, texts),
        *_too_long(fw, texts),
    ]


# --- together ----------------------------------------------------------------------------------

_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def framework_findings(fw: Framework) -> list[Finding]:
    """Every structural and writing finding of a framework, in document order within a kind."""
    return [*structural_findings(fw), *writing_findings(fw)]


def beyond_lint(fw: Framework) -> list[Finding]:
    """What `ladders lint --health` adds to lint: the health-only structural rules and writing."""
    if integrity_problems(fw):
        return writing_findings(fw)
    return [*beyond_lint_structural(fw), *writing_findings(fw)]


def for_skill(findings: Iterable[Finding], skill_key: str) -> list[Finding]:
    return [f for f in findings if f.skill == skill_key]


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: _SEVERITY_ORDER[f.severity])


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each kind and each severity, plus the total."""
    result = {name: 0 for name in (*KINDS, *SEVERITIES, "total")}
    for f in findings:
        result[f.kind] += 1
        result[f.severity] += 1
        result["total"] += 1
    return result
