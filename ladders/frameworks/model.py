"""The framework document: what a `schema: ladders/v1` file holds.

These models check the shape of one document (types, slugs, ranges). Rules that look across the
document — unique keys, references between skills, categories, tracks and titles — live in
`integrity.py`, so that every problem can be reported at once with its path.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

SCHEMA_ID = "ladders/v1"

KEY_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
Key = Annotated[
    str,
    StringConstraints(pattern=KEY_PATTERN, min_length=1, max_length=64),
    Field(description="A stable slug: lowercase letters and digits, joined by '-' or '_'."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LevelCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=32),
    Field(description="How people name the rung, e.g. L1, IC3 or 2.1."),
]
# Strict: `number: true` or `points: "3"` are mistakes, not numbers.
MilestoneNumber = Annotated[int, Strict(), Field(ge=1, le=99)]
Points = Annotated[int, Strict(), Field(ge=0, le=1_000_000)]
# Keys of the points table are written as strings in YAML and JSON ("1": 1).
PointsKey = Annotated[int, Field(ge=1, le=99)]

DEFAULT_POINTS: dict[int, int] = {1: 1, 2: 3, 3: 6, 4: 12, 5: 20}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Model):
    """A group of skills, e.g. Building or Communication."""

    key: Key
    name: Name
    description: Text = ""


class Milestone(_Model):
    """Step `number` of a skill. 0 means "not started" and is never written down."""

    number: MilestoneNumber
    summary: Text = ""
    signals: list[Text] = Field(default_factory=list, description="Observable behaviours.")
    examples: list[Text] = Field(default_factory=list, description="Things someone actually did.")
    points: Points | None = Field(
        default=None, description="Overrides the scoring table for this milestone."
    )


class Skill(_Model):
    """One axis of growth, with ordered milestones (numbers may be sparse, e.g. 3 to 6)."""

    key: Key
    name: Name
    category: Key
    description: Text = ""
    milestones: list[Milestone] = Field(default_factory=list)

    def milestone(self, number: int) -> Milestone | None:
        return next((m for m in self.milestones if m.number == number), None)

    @property
    def max_milestone(self) -> int:
        return max((m.number for m in self.milestones), default=0)


class ExpectationGroup(_Model):
    """Free-text expectations of a level, optionally under a topic such as Impact."""

    topic: Text = ""
    items: list[Text] = Field(default_factory=list)


class Requirements(_Model):
    """What a level asks for in a form the scoring engine can check."""

    milestones: dict[Key, MilestoneNumber] = Field(
        default_factory=dict, description="Minimum milestone per skill key."
    )
    min_points: Points | None = None
    category_points: dict[Key, Points] = Field(
        default_factory=dict, description="Minimum points per category key."
    )

    @property
    def is_empty(self) -> bool:
        return not self.milestones and self.min_points is None and not self.category_points


class Level(_Model):
    """A rung of a track."""

    code: LevelCode
    title: Text = ""
    summary: Text = ""
    experience: Text = ""
    responsibility: Text = ""
    expectations: list[ExpectationGroup] = Field(default_factory=list)
    requirements: Requirements = Field(default_factory=Requirements)


class Track(_Model):
    """A career path, e.g. Backend IC or Engineering Manager, with levels from lowest to highest."""

    key: Key
    name: Name
    description: Text = ""
    levels: list[Level] = Field(default_factory=list)

    def level(self, code: str) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def level_index(self, code: str) -> int | None:
        return next((i for i, lv in enumerate(self.levels) if lv.code == code), None)


class LevelThreshold(_Model):
    """Total points from which a level code applies."""

    min_points: Points
    code: LevelCode


class Title(_Model):
    """A job title a person is eligible for when their total is within the range (inclusive)."""

    name: Name
    min_points: Points = 0
    max_points: Points | None = None
    track: Key | None = Field(default=None, description="Limit the title to one track.")

    @model_validator(mode="after")
    def _range_is_ordered(self) -> Title:
        if self.max_points is not None and self.max_points < self.min_points:
            raise ValueError(
                f"max_points ({self.max_points}) is below min_points ({self.min_points})"
            )
        return self

    def covers(self, points: int) -> bool:
        return self.min_points <= points and (self.max_points is None or points <= self.max_points)


ScoringMode = Literal["highest", "cumulative"]


class Scoring(_Model):
    """How milestones turn into points, and points into level codes and titles."""

    mode: ScoringMode = Field(
        default="highest",
        description=(
            "highest: a skill at milestone m is worth points[m]. "
            "cumulative: it is worth points[1] + ... + points[m]."
        ),
    )
    points: dict[PointsKey, Points] = Field(default_factory=lambda: dict(DEFAULT_POINTS))
    levels: list[LevelThreshold] = Field(default_factory=list)
    titles: list[Title] = Field(default_factory=list)
    category_caps: dict[Key, Points] = Field(default_factory=dict)


class Framework(_Model):
    """One framework document: categories, skills, tracks and scoring."""

    json_schema: str | None = Field(
        default=None,
        alias="$schema",
        max_length=500,
        description="Where editors find the JSON Schema of this format; ignored by Ladders.",
    )
    schema_: Literal["ladders/v1"] = Field(alias="schema", default="ladders/v1")
    key: Key
    name: Name
    description: Text = ""
    categories: list[Category] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    tracks: list[Track] = Field(default_factory=list)
    scoring: Scoring = Field(default_factory=Scoring)

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        title="Ladders framework (ladders/v1)",
    )

    def skill(self, key: str) -> Skill | None:
        return next((s for s in self.skills if s.key == key), None)

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)

    def track(self, key: str) -> Track | None:
        return next((t for t in self.tracks if t.key == key), None)

    def to_document(self) -> dict[str, object]:
        """The plain data of the file, without fields left at their defaults."""
        data = self.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        data["schema"] = SCHEMA_ID
        scoring = self.scoring.model_dump(mode="json", exclude_defaults=True)
        scoring["points"] = {str(k): v for k, v in sorted(self.scoring.points.items())}
        data["scoring"] = {k: scoring[k] for k in Scoring.model_fields if k in scoring}
        ordered: dict[str, object] = {"schema": SCHEMA_ID}
        ordered.update((k, v) for k, v in data.items() if k != "schema")
        return ordered
