"""The `html` exporter: a self-contained, printable static site of one framework.

Every page inlines its stylesheet and links to the others by relative paths, so the site works
opened from disk, from any web server, or printed. All text comes from the framework and is
escaped by the templates; nothing about a particular framework is written here.

Pages, by path:

- `index.html`: the framework, its categories and skills, tracks and scoring.
- `skills/<skill key>.html`: one skill, its milestones and the levels that require it.
- `tracks/<track key>.html`: one track's ladder.
- `tracks/<track key>/compare-<i>-<j>.html`: levels `i` and `j` (0-based indexes, `i < j`) of a
  track side by side, with what is new or changed at the higher level highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..compare import (
    ExpectationRow,
    Item,
    TextRow,
    compare_levels,
    grouped_expectations,
    level_requirements,
)
from ..compare import RequirementRow as LevelRequirementRow
from ..model import Framework, Level, Milestone, Skill, Track
from ..scoring import max_total_points, milestone_points, skill_max_points, skill_points

TEMPLATES = Path(__file__).parent / "templates"
PALETTE_SIZE = 8  # colours `cat-0` .. `cat-7` in site.css, given to categories in order

State = Literal["same", "changed", "added", "removed"]


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# --- paths -------------------------------------------------------------------------------------


def skill_path(skill_key: str) -> str:
    return f"skills/{skill_key}.html"


def track_path(track_key: str) -> str:
    return f"tracks/{track_key}.html"


def compare_path(track_key: str, lower: int, higher: int) -> str:
    return f"tracks/{track_key}/compare-{lower}-{higher}.html"


def _root(path: str) -> str:
    """The prefix that leads from the page at `path` back to the site root."""
    return "../" * path.count("/")


# --- what the templates show -------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryView:
    key: str
    name: str
    description: str
    css: str
    skills: list[Skill]


@dataclass(frozen=True)
class Words:
    """A sentence with at most one link in it: `before` + link(`text`, `href`) + `after`."""

    before: str = ""
    text: str = ""
    href: str | None = None
    after: str = ""


@dataclass(frozen=True)
class MilestoneView:
    milestone: Milestone
    points: int  # what this milestone is worth (highest) or adds (cumulative)
    total: int  # what the skill is worth at this milestone


@dataclass(frozen=True)
class RequiredBy:
    track: Track
    index: int
    level: Level
    number: int
    defined: bool  # whether the skill writes this milestone down (sparse skills may not)


@dataclass(frozen=True)
class LevelView:
    index: int
    level: Level
    requirements: list[Words]
    expectations: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class RequirementRow:
    label: Words
    unit: Literal["milestone", "points"]
    lower: int | None
    higher: int | None

    @property
    def state(self) -> State:
        if self.lower == self.higher:
            return "same"
        if self.lower is None:
            return "added"
        return "removed" if self.higher is None else "changed"

    def _words(self, value: str) -> str:
        return f"milestone {value}" if self.unit == "milestone" else f"at least {value} points"

    @property
    def lower_text(self) -> str:
        return "—" if self.lower is None else self._words(str(self.lower))

    @property
    def higher_text(self) -> str:
        if self.higher is None:
            return "not required"
        if self.state == "changed":
            return self._words(f"{self.lower} → {self.higher}")
        return self._words(str(self.higher))


@dataclass(frozen=True)
class Comparison:
    track: Track
    lower_index: int
    higher_index: int
    lower: Level
    higher: Level
    texts: list[TextRow]
    expectations: list[ExpectationRow]
    requirements: list[RequirementRow]


# --- index -------------------------------------------------------------------------------------


def _categories(fw: Framework) -> list[CategoryView]:
    """Categories in document order with their skills; skills of an unknown category come last."""
    views = [
        CategoryView(c.key, c.name, c.description, f"cat-{i % PALETTE_SIZE}", [])
        for i, c in enumerate(fw.categories)
    ]
    by_key = {v.key: v for v in views}
    for skill in fw.skills:
        if skill.category not in by_key:
            by_key[skill.category] = CategoryView(
                skill.category, skill.category, "", "cat-none", []
            )
            views.append(by_key[skill.category])
        by_key[skill.category].skills.append(skill)
    return views


def _mode_words(fw: Framework) -> str:
    table = sorted(fw.scoring.points.items())
    if not table:
        return "No points are given per milestone."
    number, points = table[min(2, len(table) - 1)]
    if fw.scoring.mode == "cumulative":
        parts = [p for n, p in table if n <= number]
        sum_words = " + ".join(map(str, parts)) + f" = {sum(parts)}" if len(parts) > 1 else ""
        return (
            "Cumulative: every milestone reached adds its points to those of the milestones below "
            f"it, so a skill at milestone {number} is worth {sum_words or sum(parts)} points."
        )
    return (
        "Highest: a skill is worth the points of the highest milestone reached, so a skill at "
        f"milestone {number} is worth {points} points."
    )


def _index_context(fw: Framework) -> dict[str, object]:
    running, table = 0, []
    for number, points in sorted(fw.scoring.points.items()):
        running += points
        table.append((number, points, running))
    overridden = any(m.points is not None for s in fw.skills for m in s.milestones)
    thresholds = [
        (
            t,
            [
                (track, i)
                for track in fw.tracks
                for i, level in enumerate(track.levels)
                if level.code == t.code
            ],
        )
        for t in sorted(fw.scoring.levels, key=lambda t: t.min_points)
    ]
    return {
        "categories": _categories(fw),
        "points_table": table,
        "mode_words": _mode_words(fw),
        "overridden": overridden,
        "max_points": max_total_points(fw),
        "thresholds": thresholds,
        "caps": [(_category_name(fw, k), v) for k, v in fw.scoring.category_caps.items()],
    }


def _category_name(fw: Framework, key: str) -> str:
    category = fw.category(key)
    return category.name if category else key


# --- skills ------------------------------------------------------------------------------------


def _milestones(fw: Framework, skill: Skill) -> list[MilestoneView]:
    ordered = sorted(skill.milestones, key=lambda m: m.number)
    return [
        MilestoneView(m, milestone_points(fw, skill, m), skill_points(fw, skill, m.number))
        for m in ordered
    ]


def _required_by(fw: Framework, skill: Skill) -> list[RequiredBy]:
    return [
        RequiredBy(track, i, level, number, skill.milestone(number) is not None)
        for track in fw.tracks
        for i, level in enumerate(track.levels)
        if (number := level.requirements.milestones.get(skill.key)) is not None
    ]


# --- tracks ------------------------------------------------------------------------------------


def _skill_words(fw: Framework, root: str, key: str) -> Words:
    skill = fw.skill(key)
    if skill is None:
        return Words(text=key)
    return Words(text=skill.name, href=root + skill_path(key))


def _category_words(fw: Framework, root: str, key: str) -> Words:
    return Words(text=_category_name(fw, key), href=f"{root}index.html#category-{key}")


def _requirement_words(fw: Framework, root: str, level: Level) -> list[Words]:
    words = []
    for r in level_requirements(fw, level):
        if r.kind == "milestone":
            words.append(
                replace(_skill_words(fw, root, r.key), after=f" at milestone {r.value} or higher")
            )
        elif r.kind == "min_points":
            words.append(Words(before=f"At least {r.value} points in total"))
        elif r.kind == "category_points":
            cat = _category_words(fw, root, r.key)
            words.append(
                Words(before=f"At least {r.value} points in ", text=cat.text, href=cat.href)
            )
        else:
            words.append(Words(before=f"At least {r.value} points in total (scoring threshold)"))
    return words


def _level_views(fw: Framework, track: Track, root: str) -> list[LevelView]:
    return [
        LevelView(i, level, _requirement_words(fw, root, level), grouped_expectations(level))
        for i, level in enumerate(track.levels)
    ]


# --- comparisons -------------------------------------------------------------------------------
# What changed is decided by `frameworks.compare`, shared with the web pages; this site shows a
# reworded expectation as one item dropped and one added, and links requirement labels.

_AS_ADDED: dict[str, State] = {"changed": "added"}
_AS_REMOVED: dict[str, State] = {"changed": "removed"}


def _site_items(items: list[Item], states: dict[str, State]) -> list[Item]:
    return [Item(i.text, states.get(i.state, i.state)) for i in items]


def _requirement_label(fw: Framework, root: str, row: LevelRequirementRow) -> Words:
    if row.kind == "milestone":
        return _skill_words(fw, root, row.key)
    if row.kind == "category_points":
        return replace(_category_words(fw, root, row.key), before="Points in ")
    return Words(before="Total points" if row.kind == "min_points" else "Scoring threshold")


def _comparison(fw: Framework, track: Track, i: int, j: int) -> Comparison:
    root = _root(compare_path(track.key, i, j))
    lower, higher = track.levels[i], track.levels[j]
    c = compare_levels(fw, lower, higher)
    return Comparison(
        track=track,
        lower_index=i,
        higher_index=j,
        lower=lower,
        higher=higher,
        texts=c.texts,
        expectations=[
            ExpectationRow(
                row.topic,
                _site_items(row.lower, _AS_REMOVED),
                _site_items(row.higher, _AS_ADDED),
            )
            for row in c.expectations
        ],
        requirements=[
            RequirementRow(_requirement_label(fw, root, r), r.unit, r.lower, r.higher)
            for r in c.requirements
        ],
    )


# --- rendering ---------------------------------------------------------------------------------


def _render(fw: Framework, path: str, template: str, title: str, **context: object) -> str:
    return (
        _env()
        .get_template(template)
        .render(
            fw=fw,
            root=_root(path),
            path=path,
            page_title=title,
            skill_path=skill_path,
            track_path=track_path,
            compare_path=compare_path,
            **context,
        )
    )


def render_site(fw: Framework) -> dict[str, str]:
    """Every page of the site, by its path relative to the site root."""
    pages = {"index.html": _render(fw, "index.html", "index.html", fw.name, **_index_context(fw))}
    categories = {c.key: c for c in _categories(fw)}
    for skill in fw.skills:
        path = skill_path(skill.key)
        pages[path] = _render(
            fw,
            path,
            "skill.html",
            skill.name,
            skill=skill,
            category=categories[skill.category],
            milestones=_milestones(fw, skill),
            max_points=skill_max_points(fw, skill),
            required_by=_required_by(fw, skill),
        )
    for track in fw.tracks:
        path = track_path(track.key)
        n = len(track.levels)
        pages[path] = _render(
            fw,
            path,
            "track.html",
            track.name,
            track=track,
            levels=_level_views(fw, track, _root(path)),
        )
        for i in range(n):
            for j in range(i + 1, n):
                path = compare_path(track.key, i, j)
                comparison = _comparison(fw, track, i, j)
                title = f"{track.name}: {comparison.lower.code} and {comparison.higher.code}"
                pages[path] = _render(fw, path, "compare.html", title, c=comparison)
    return pages


def write_site(fw: Framework, out_dir: Path) -> list[Path]:
    """Write the site under `out_dir` (created if needed) and return the files written."""
    written = []
    for relative, text in render_site(fw).items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
