"""What the frameworks API reads and answers. Every schema carries an example for the docs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, field_validator

from ladders.api.schemas import Text, example
from ladders.frameworks.model import KEY_PATTERN

from .selectors import changelog_note, user_label, version_publisher

# The largest number a version column holds on every database we run on.
MAX_NUMBER = 2_147_483_647
MAX_DOCUMENTS = 20


FrameworkKey = Annotated[
    str,
    Field(pattern=KEY_PATTERN, min_length=1, max_length=64, examples=["ladders-starter"]),
]

SMALL_DOCUMENT = {
    "schema": "ladders/v1",
    "key": "ladders-starter",
    "name": "Ladders starter framework",
    "categories": [{"key": "craft", "name": "Craft"}],
    "skills": [
        {
            "key": "coding",
            "name": "Coding",
            "category": "craft",
            "milestones": [{"number": 1, "summary": "Changes code in one module with guidance"}],
        }
    ],
}
ExportFormat = Literal["yaml", "json", "markdown", "md", "csv", "html"]

# ------------------------------------------------------------------ frameworks and versions


class FrameworkOut(Schema):
    model_config = example(
        key="ladders-starter",
        name="Ladders starter framework",
        is_template=True,
        latest_version=3,
        created_at="2026-11-02T09:00:00Z",
    )
    key: str = Field(description="The stable key every record refers to.")
    name: str
    is_template: bool = Field(description="Offered as a template when installing a framework.")
    latest_version: int = Field(description="The number of the latest published version.")
    created_at: datetime

    @staticmethod
    def resolve_latest_version(obj: Any) -> int:
        return int(obj.latest_number)  # annotated by `selectors.framework_list`


class FrameworkVersionOut(Schema):
    model_config = example(
        number=2,
        uuid="7d1c2a9e-5b0f-4e43-9a8e-2f61d4c0b7aa",
        content_hash="9f2b…",
        published_at="2026-11-20T14:05:00Z",
        published_by="Aiko Brennan",
        note="Testing now asks for a test plan at milestone 2.",
        changelog="Testing now asks for a test plan at milestone 2.\n\n## Changed\n"
        "- Milestone testing/2\n  - summary: Adds tests → Plans the tests",
    )
    number: int
    uuid: UUID
    content_hash: str = Field(description="SHA-256 of the document's canonical JSON.")
    published_at: datetime
    published_by: str = Field(description="Who published it; empty when not recorded.")
    note: str = Field(description="The editor's release note, if any.")
    changelog: str = Field(
        description="Markdown: the release note, then what changed from the version before."
    )

    # read from a FrameworkVersion (select_related published_by__person to stay one query)
    @staticmethod
    def resolve_published_by(obj: Any) -> str:
        return version_publisher(obj)

    @staticmethod
    def resolve_note(obj: Any) -> str:
        return changelog_note(obj.changelog)


class FrameworkVersionDetailOut(FrameworkVersionOut):
    model_config = example(
        number=1,
        uuid="7d1c2a9e-5b0f-4e43-9a8e-2f61d4c0b7aa",
        content_hash="9f2b…",
        published_at="2026-11-20T14:05:00Z",
        published_by="Aiko Brennan",
        note="",
        changelog="",
        is_latest=True,
        document=SMALL_DOCUMENT,
    )
    is_latest: bool
    document: dict[str, Any] = Field(description="The stored `ladders/v1` document.")

    @staticmethod
    def resolve_is_latest(obj: Any) -> bool:
        return bool(obj.number == getattr(obj, "latest_number", obj.number))


class FrameworkDetailOut(Schema):
    model_config = example(
        key="ladders-starter",
        name="Ladders starter framework",
        description="A small framework to start from.",
        is_template=True,
        created_at="2026-11-02T09:00:00Z",
        latest_version=1,
        categories=1,
        skills=1,
        tracks=0,
        levels=0,
        scoring_mode="highest",
        max_points=20,
        can_edit=False,
        has_draft=None,
        version={**FrameworkVersionDetailOut.model_config["json_schema_extra"]["examples"][0]},  # type: ignore[index]
    )
    key: str
    name: str
    description: str
    is_template: bool
    created_at: datetime
    latest_version: int
    categories: int = Field(description="How many categories the shown version has.")
    skills: int
    tracks: int
    levels: int = Field(description="Levels over all tracks.")
    scoring_mode: str = Field(description="`highest` or `cumulative`.")
    max_points: int = Field(description="The most points anyone can reach in this version.")
    can_edit: bool = Field(description="Whether the caller may edit and publish it.")
    has_draft: bool | None = Field(description="Whether a draft exists; null unless can_edit.")
    version: FrameworkVersionDetailOut = Field(
        description="The version asked for, else the latest."
    )


# ------------------------------------------------------------------ diff and search


class FrameworkChangeOut(Schema):
    model_config = example(
        kind="changed",
        area="milestone",
        subject="milestone testing/2",
        details=["summary: Adds tests → Plans the tests"],
    )
    kind: Literal["added", "removed", "renamed", "changed"]
    area: str = Field(description="framework, category, skill, milestone, track, level, scoring")
    subject: str
    details: list[str]


class FrameworkDiffOut(Schema):
    model_config = example(
        key="ladders-starter",
        from_version=1,
        to_version=2,
        summary={"added": 0, "removed": 0, "renamed": 0, "changed": 1},
        changes=[FrameworkChangeOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        changelog="## Changed\n- Milestone testing/2\n  - summary: Adds tests → Plans the tests",
    )
    key: str
    from_version: int
    to_version: int
    summary: dict[str, int] = Field(description="How many changes of each kind.")
    changes: list[FrameworkChangeOut]
    changelog: str = Field(description="The changes as a Markdown changelog.")


class SearchPartOut(Schema):
    model_config = example(text="deploy", marked=True)
    text: str
    marked: bool = Field(description="Whether this part matched a word of the query.")


class SearchHitOut(Schema):
    model_config = example(
        label="Milestone 2 · signal",
        milestone=2,
        text="Rolls back a bad deploy",
        parts=[{"text": "Rolls back a bad ", "marked": False}, {"text": "deploy", "marked": True}],
    )
    label: str = Field(description="Where in the skill or level the text is.")
    milestone: int | None
    text: str = Field(description="The snippet, the parts joined.")
    parts: list[SearchPartOut]


class SearchSkillOut(Schema):
    model_config = example(
        key="operations",
        name="Operations",
        category="craft",
        hits=[SearchHitOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
    )
    key: str
    name: str
    category: str
    hits: list[SearchHitOut]


class SearchLevelOut(Schema):
    model_config = example(
        track="engineer",
        track_name="Engineer",
        index=2,
        code="IC3",
        title="Senior Engineer",
        hits=[{"label": "Summary", "milestone": None, "text": "Owns deploys", "parts": []}],
    )
    track: str
    track_name: str
    index: int = Field(description="Position of the level in its track, from 0.")
    code: str
    title: str
    hits: list[SearchHitOut]


class FrameworkSearchOut(Schema):
    model_config = example(
        key="ladders-starter",
        version=1,
        query="deploy",
        words=["deploy"],
        hint="",
        skills=[SearchSkillOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        levels=[],
    )
    key: str
    version: int
    query: str
    words: list[str]
    hint: str = Field(description="Set, instead of results, when the query cannot be searched.")
    skills: list[SearchSkillOut]
    levels: list[SearchLevelOut]


# ------------------------------------------------------------------ problems, drafts, imports


class FrameworkProblemOut(Schema):
    model_config = example(
        path="skills[0].milestones[1]",
        where="skill 'coding', milestone 2",
        message="milestone 2 has no summary, signals or examples",
        rule="empty-milestone",
        severity="warning",
    )
    path: str = Field(description="Where in the document, as `skills[0].name`.")
    where: str = Field(description="The same place in words.")
    message: str
    rule: str
    severity: str


class DraftPositionsLostOut(Schema):
    model_config = example(track="manager", track_name="Manager", level=None, people=2)
    track: str
    track_name: str
    level: str | None = Field(description="The level code; null when the whole track goes.")
    people: int


class DraftSkillRecordsLostOut(Schema):
    model_config = example(
        skill="reliability", skill_name="Reliability", attainments=3, people=2, observations=4
    )
    skill: str
    skill_name: str
    attainments: int
    people: int
    observations: int = Field(description="Only observations the caller may see are counted.")


class DraftImpactOut(Schema):
    model_config = example(
        tracks=[DraftPositionsLostOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        levels=[],
        skills=[],
    )
    tracks: list[DraftPositionsLostOut]
    levels: list[DraftPositionsLostOut]
    skills: list[DraftSkillRecordsLostOut]


_DRAFT_EXAMPLE: dict[str, Any] = {
    "key": "ladders-starter",
    "name": "Ladders starter framework",
    "base_version": 1,
    "latest_version": 1,
    "updated_at": "2026-11-21T10:00:00Z",
    "updated_by": "Aiko Brennan",
}


class FrameworkDraftSummaryOut(Schema):
    """A draft in the list of drafts, read from `selectors.framework_draft_list`."""

    model_config = example(**_DRAFT_EXAMPLE)
    key: str
    name: str
    base_version: int | None = Field(description="The version the draft started from.")
    latest_version: int | None = Field(description="Null for a framework never published.")
    updated_at: datetime
    updated_by: str

    @staticmethod
    def resolve_key(obj: Any) -> str:
        return str(obj.framework.key)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.framework.name)

    @staticmethod
    def resolve_base_version(obj: Any) -> int | None:
        return obj.base_version.number if obj.base_version else None

    @staticmethod
    def resolve_latest_version(obj: Any) -> int | None:
        return obj.latest_number  # type: ignore[no-any-return]

    @staticmethod
    def resolve_updated_by(obj: Any) -> str:
        return user_label(obj.updated_by)


class FrameworkDraftOut(Schema):
    model_config = example(
        **_DRAFT_EXAMPLE,
        revision="4be1…",
        next_version=2,
        document=SMALL_DOCUMENT,
        changes=[FrameworkChangeOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        changelog="## Changed\n- Milestone testing/2",
        findings=[FrameworkProblemOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        impact=DraftImpactOut.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
    )
    key: str
    name: str
    base_version: int | None = Field(description="The version the draft started from.")
    latest_version: int | None = Field(description="Null for a framework never published.")
    updated_at: datetime
    updated_by: str
    revision: str = Field(description="Send it back to publish exactly what you read.")
    next_version: int = Field(description="The number publishing would give.")
    document: dict[str, Any] = Field(description="The draft's `ladders/v1` document.")
    changes: list[FrameworkChangeOut] = Field(description="What publishing would change.")
    changelog: str
    findings: list[FrameworkProblemOut] = Field(
        description="Lint warnings; they do not stop a publish."
    )
    impact: DraftImpactOut = Field(description="People's records the draft would leave behind.")


class FrameworkDraftIn(Schema):
    model_config = example(document=SMALL_DOCUMENT, revision=None)
    document: dict[str, Any] = Field(description="The whole `ladders/v1` document.")
    revision: str | None = Field(
        default=None,
        max_length=64,
        description="The draft's revision as you read it; 409 if it changed since.",
    )

    @field_validator("document")
    @classmethod
    def _storable(cls, value: dict[str, Any]) -> dict[str, Any]:
        if "\\u0000" in json.dumps(value):
            raise ValueError("text in the document must not contain the NUL character")
        return value


class FrameworkDraftDiscardOut(Schema):
    model_config = example(key="ladders-starter", framework_kept=True)
    key: str
    framework_kept: bool = Field(
        description="False when the framework was never published and went with its draft."
    )


class FrameworkPublishIn(Schema):
    model_config = example(revision="4be1…", note="Testing now asks for a test plan.")
    revision: str = Field(
        min_length=1, max_length=64, description="The `revision` of the draft you reviewed."
    )
    note: Text = Field(default="", max_length=4000, description="Your release note.")


class FrameworkPublishOut(Schema):
    model_config = example(
        published=True,
        version=FrameworkVersionOut.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
    )
    published: bool = Field(
        description="False when the draft matched the latest version: it is closed, "
        "and `version` is that latest version."
    )
    version: FrameworkVersionOut


class ImportSourceIn(Schema):
    model_config = example(filename="backend.md", text="# Backend ladder\n\n## Level 1\n- Ships")
    filename: Text = Field(min_length=1, max_length=200)
    text: Text = Field(description="The document's text (UTF-8, at most 5 MiB).")


class FrameworkImportIn(Schema):
    model_config = example(
        format="auto",
        key="backend-ladder",
        documents=[ImportSourceIn.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        into_existing=False,
    )
    format: str = Field(
        default="auto",
        max_length=40,
        description="`auto` to detect it, or one of: ladders, snowflake, monzo, "
        "milestone-page, skill-page, role-ladder, career-map, generic.",
    )
    key: FrameworkKey | None = Field(
        default=None, description="Save under this key; by default it is made from the name."
    )
    documents: list[ImportSourceIn] = Field(min_length=1, max_length=MAX_DOCUMENTS)
    into_existing: bool = Field(
        default=False,
        description="When the key is taken: replace that framework's draft instead of a 409.",
    )


class ImportSourceOut(Schema):
    model_config = example(filename="backend.md", format="generic", lines=12, placed=11)
    filename: str
    format: str = Field(description="The importer that read it.")
    lines: int = Field(description="Non-blank lines read.")
    placed: int = Field(description="Lines that became part of the framework.")


class ImportUnplacedOut(Schema):
    model_config = example(
        source="backend.md", line=7, text="Thanks to everyone", reason="not recognised"
    )
    source: str
    line: int
    text: str
    reason: str


class FrameworkImportOut(Schema):
    model_config = example(
        key="backend-ladder",
        name="Backend ladder",
        saved=False,
        existing=False,
        existing_draft=False,
        document={**SMALL_DOCUMENT, "key": "backend-ladder", "name": "Backend ladder"},
        sources=[ImportSourceOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        unplaced=[ImportUnplacedOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        inferred=["categories from the level headings"],
        warnings=[],
        findings=[],
    )
    key: str
    name: str
    saved: bool = Field(description="False for a dry run; true when saved as a draft.")
    existing: bool = Field(description="Whether a framework had this key before.")
    existing_draft: bool = Field(
        description="Whether the framework with this key has a draft now (true once saved)."
    )
    document: dict[str, Any]
    sources: list[ImportSourceOut]
    unplaced: list[ImportUnplacedOut] = Field(description="Lines left out, with why.")
    inferred: list[str]
    warnings: list[str]
    findings: list[FrameworkProblemOut] = Field(description="Lint warnings of the framework.")


class FrameworkTemplateOut(Schema):
    model_config = example(
        choice="starter",
        name="Ladders starter framework",
        description="A small framework to start from.",
        origin="ships with Ladders",
    )
    choice: str = Field(description="What to send as `template` to install a copy.")
    name: str
    description: str
    origin: str


class FrameworkTemplateIn(Schema):
    model_config = example(template="starter", key="acme-engineering", name="Acme engineering")
    template: Text = Field(min_length=1, max_length=200)
    key: FrameworkKey
    name: Text = Field(default="", max_length=200)
