"""The promotion packet over the API: the same selector and the same rule as the page (the
person, anyone above them in the chain, admins). Anyone else gets 404, so whether a person
exists does not leak. Observations are only those the caller may see, as everywhere."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ladders.accounts.permissions import can_view_person
from ladders.api.errors import errors, not_found
from ladders.api.schemas import example
from ladders.org.models import Person

from . import packet as packets

router = Router(tags=["reports"])

_PERSON = "0b5e4a52-3c1f-4c0e-9a55-1d2a7b9f6e10"
_OBSERVATION = dict(
    uuid="6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
    author="Tomasz Reyes",
    observed_on="2026-01-26",
    visibility="shared",
    text="Rewrote the retry helper: **180 lines down to 60**.",
    link="",
    skills=[dict(skill="code-quality", name="Code quality", milestone=3)],
)


class PacketQuery(Schema):
    model_config = example(track="engineer", level="IC4")
    track: str = Field("", max_length=64, description="A track key; default: the person's.")
    level: str = Field(
        "", max_length=32, description="A level code of that track; default: the next level."
    )


class PacketTagOut(Schema):
    model_config = example(skill="code-quality", name="Code quality", milestone=3)
    skill: str = Field(description="The skill's key.")
    name: str
    milestone: int | None


class PacketObservationOut(Schema):
    model_config = example(**_OBSERVATION)
    uuid: UUID
    author: str = Field(description="The author's name.")
    observed_on: date
    visibility: str = Field(description="private or shared.")
    text: str = Field(description="Markdown, as written.")
    link: str
    skills: list[PacketTagOut]


class PacketAttainmentOut(Schema):
    model_config = example(
        uuid="2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
        milestone=3,
        certified_by="Tomasz Reyes",
        certified_at="2026-01-29T10:00:00Z",
        evidence=[_OBSERVATION],
    )
    uuid: UUID
    milestone: int
    certified_by: str = Field(description="The certifier's name.")
    certified_at: datetime
    evidence: list[PacketObservationOut] = Field(description="Only the evidence you may see.")


class PacketSkillOut(Schema):
    model_config = example(
        skill="code-quality",
        name="Code quality",
        category="Craft",
        reached=3,
        points=6,
        observation_count=1,
        attainments=[],
        observations=[],
    )
    skill: str
    name: str
    category: str = Field(description="The category's name.")
    reached: int = Field(description="Highest active certified milestone; 0 for none.")
    points: int
    observation_count: int = Field(description="Distinct observations behind the skill.")
    attainments: list[PacketAttainmentOut] = Field(
        description="Active ones, lowest milestone first."
    )
    observations: list[PacketObservationOut] = Field(
        description="Tagged with the skill and not already evidence of one of its attainments."
    )


class PacketCategoryOut(Schema):
    model_config = example(key="craft", name="Craft", points=15, most=60)
    key: str
    name: str
    points: int
    most: int = Field(description="The most the category can be worth, after its cap.")


class PacketRequirementOut(Schema):
    model_config = example(
        kind="milestone",
        key="system-design",
        label="System design at milestone 3",
        required=3,
        actual=2,
        met=False,
        missing=1,
        skills=["system-design"],
        attainment_count=2,
        observation_count=0,
        categories=[],
    )
    kind: str = Field(description="milestone, min_points or category_points.")
    key: str = Field(description="The skill or category key; empty for min_points.")
    label: str
    required: int
    actual: int
    met: bool
    missing: int
    skills: list[str] = Field(description="Keys of the skills behind it; see `skills` below.")
    attainment_count: int
    observation_count: int
    categories: list[PacketCategoryOut] = Field(description="Points per category (min_points).")


class PacketAgreedOut(Schema):
    model_config = example(skill="code-quality", name="Code quality", milestone=3)
    skill: str
    name: str
    milestone: int


class PacketCheckInOut(Schema):
    model_config = example(
        uuid="7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
        as_of="2026-07-15",
        state="agreed",
        state_label="Agreed and locked",
        created_at="2026-07-08T09:00:00Z",
        agreed_at="2026-07-20T15:00:00Z",
        agreed_by="Tomasz Reyes",
        summary="Lead the design of one component end to end next.",
        agreed=[dict(skill="code-quality", name="Code quality", milestone=3)],
    )
    uuid: UUID
    as_of: date
    state: str
    state_label: str
    created_at: datetime
    agreed_at: datetime | None
    agreed_by: str | None
    summary: str
    agreed: list[PacketAgreedOut] = Field(
        description="The agreed milestone per skill, once agreed."
    )


class PacketOut(Schema):
    model_config = example(
        person=_PERSON,
        name="Aiko Brennan",
        framework="ladders-starter",
        track="engineer",
        level="IC4",
        level_title="Senior Engineer",
        current_level="IC3",
        ready=False,
        points=42,
        points_missing=33,
        met=7,
        attainment_count=21,
        observation_count=3,
        requirements=[],
        skills=[],
        check_ins=[],
        latest_summary="Lead the design of one component end to end next.",
        prepared_by="Tomasz Reyes",
        generated_on="2026-11-22",
    )
    person: UUID
    name: str
    framework: str = Field(description="The framework's key.")
    track: str
    level: str = Field(description="The target level's code.")
    level_title: str
    current_level: str | None
    ready: bool
    points: int
    points_missing: int
    met: int = Field(description="How many requirements are met.")
    attainment_count: int
    observation_count: int
    requirements: list[PacketRequirementOut]
    skills: list[PacketSkillOut] = Field(
        description="Skills a milestone requirement names, then other skills with evidence."
    )
    check_ins: list[PacketCheckInOut] = Field(description="Newest first.")
    latest_summary: str | None = Field(description="Summary of the latest agreed check-in.")
    prepared_by: str = Field(description="Whose view of the observations this is.")
    generated_on: date


def _observation(o: packets.PacketObservation) -> PacketObservationOut:
    obs = o.observation
    return PacketObservationOut(
        uuid=obs.uuid,
        author=obs.author.name,
        observed_on=obs.observed_on,
        visibility=obs.visibility,
        text=obs.text,
        link=obs.link,
        skills=[PacketTagOut(skill=t.key, name=t.name, milestone=t.milestone) for t in o.tags],
    )


def _skill(s: packets.SkillEvidence) -> PacketSkillOut:
    return PacketSkillOut(
        skill=s.key,
        name=s.name,
        category=s.category,
        reached=s.reached,
        points=s.points,
        observation_count=s.observation_count,
        attainments=[
            PacketAttainmentOut(
                uuid=a.attainment.uuid,
                milestone=a.attainment.milestone,
                certified_by=a.attainment.certified_by.name,
                certified_at=a.attainment.certified_at,
                evidence=[_observation(o) for o in a.evidence],
            )
            for a in s.attainments
        ],
        observations=[_observation(o) for o in s.observations],
    )


def _requirement(row: packets.PacketRequirement) -> PacketRequirementOut:
    r = row.result
    return PacketRequirementOut(
        kind=r.kind.value,
        key=r.key,
        label=r.label,
        required=r.required,
        actual=r.actual,
        met=r.met,
        missing=r.missing,
        skills=[s.key for s in row.skills],
        attainment_count=row.attainment_count,
        observation_count=row.observation_count,
        categories=[
            PacketCategoryOut(key=c.key, name=c.name, points=c.points, most=c.most)
            for c in row.categories
        ],
    )


def _check_in(row: packets.PacketCheckIn) -> PacketCheckInOut:
    c = row.check_in
    return PacketCheckInOut(
        uuid=c.uuid,
        as_of=c.as_of,
        state=c.state,
        state_label=c.get_state_display(),
        created_at=c.created_at,
        agreed_at=c.agreed_at,
        agreed_by=c.agreed_by.name if c.agreed_by else None,
        summary=c.summary,
        agreed=[
            PacketAgreedOut(skill=a.skill_key, name=a.skill_name, milestone=a.milestone)
            for a in row.agreed
        ],
    )


def packet_out(packet: packets.Packet) -> PacketOut:
    named = [r.skills[0] for r in packet.requirements if r.result.kind.value == "milestone"]
    latest = packet.latest_agreed
    return PacketOut(
        person=packet.person.uuid,
        name=packet.person.name,
        framework=packet.framework.key,
        track=packet.track.key,
        level=packet.level.code,
        level_title=packet.level.title,
        current_level=packet.current_level.code if packet.current_level else None,
        ready=packet.readiness.ready,
        points=packet.readiness.points,
        points_missing=packet.readiness.points_missing,
        met=packet.met_count,
        attainment_count=packet.attainment_count,
        observation_count=packet.observation_count,
        requirements=[_requirement(r) for r in packet.requirements],
        skills=[_skill(s) for s in [*named, *packet.other_skills]],
        check_ins=[_check_in(c) for c in packet.check_ins],
        latest_summary=latest.check_in.summary if latest else None,
        prepared_by=packet.prepared_by,
        generated_on=packet.generated_on,
    )


@router.get(
    "/people/{uuid}/packet",
    response={200: PacketOut, **errors(400, 404)},
    summary="Promotion packet of a person",
    description=(
        "Readiness for a target level requirement by requirement, with the certified milestones "
        "and the observations behind each, and the check-in history. 400 names the tracks or "
        "levels to choose from when `track` or `level` is unknown, or when the person is at "
        "the top of their track and no `level` is given."
    ),
)
def promotion_packet(request: HttpRequest, uuid: UUID, query: Query[PacketQuery]) -> PacketOut:
    person = Person.objects.select_related("manager").filter(uuid=uuid).first()
    if person is None or not can_view_person(request.user, person):
        raise not_found("person")
    packet = packets.promotion_packet(
        person=person,
        viewer=request.user,
        track_key=query.track.strip() or None,
        level_code=query.level.strip() or None,
    )
    return packet_out(packet)
