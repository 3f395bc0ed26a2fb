"""The promotion packet: everything a promotion case needs for one person and one target level,
gathered in one read instead of by hand the night before.

For each requirement of the target level (as `ladders.frameworks.scoring` checks it): whether it
is met, the active certified milestones behind it and the observations behind those (the
attainment's evidence, plus observations tagged with the skill). Then the check-in history with
the agreed ratings and every summary. The HTML page and the Markdown download both render the
same `Packet`, so they can never disagree.

Privacy: observations pass through `observation_visible_q(viewer)` and nothing else, so a private
observation reaches only the packets of people entitled to see it. Who may open a packet at all
is `can_view_person`, checked by the views, exactly as for the progress page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from ladders.accounts.permissions import User, person_for
from ladders.checkins.models import CheckIn, CheckInRating, CheckInState, RaterRole
from ladders.frameworks import scoring
from ladders.frameworks.errors import LaddersError
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.frameworks.model import Level, Track
from ladders.library import models as library
from ladders.org.models import Person, Position
from ladders.progress.attainments import (
    first_published_framework,
    framework_latest_document,
    milestones_in,
    person_open_position,
)
from ladders.progress.markdown import render_markdown
from ladders.progress.models import Attainment, Observation, ObservationSkill, Visibility
from ladders.progress.selectors import observation_visible_q

Kind = scoring.RequirementKind


class PacketError(LaddersError):
    """The packet cannot be built as asked; the message says why and what to choose instead.

    `doc` is the framework the person is measured on (None if none is published), so a page can
    still offer the choice of track and level."""

    status = 400

    def __init__(self, message: str, doc: FrameworkDoc | None = None) -> None:
        super().__init__(message)
        self.doc = doc


class PacketNoTarget(PacketError):
    """Nothing to default to (the person is at the top of their track): not the user's mistake,
    they just have to pick a level."""

    status = 200


# --- the packet ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PacketTag:
    key: str
    name: str
    milestone: int | None


@dataclass(frozen=True)
class PacketObservation:
    observation: Observation
    html: str  # the Markdown text rendered and sanitised, for the HTML page
    tags: list[PacketTag]

    @property
    def text(self) -> str:
        return self.observation.text

    @property
    def is_private(self) -> bool:
        return self.observation.visibility == Visibility.PRIVATE


@dataclass(frozen=True)
class PacketAttainment:
    attainment: Attainment
    evidence: list[PacketObservation]  # only what the viewer may see


@dataclass(frozen=True)
class SkillEvidence:
    """One skill: where the person stands and what backs it."""

    key: str
    name: str
    category: str
    reached: int
    points: int
    attainments: list[PacketAttainment]  # active ones, lowest milestone first
    observations: list[PacketObservation]  # tagged with the skill, not already cited as evidence

    @property
    def anchor(self) -> str:
        return f"skill-{self.key}"

    @property
    def observation_count(self) -> int:
        """Distinct observations behind the skill: cited as evidence or tagged with it."""
        ids = {o.observation.pk for o in self.observations}
        ids |= {o.observation.pk for a in self.attainments for o in a.evidence}
        return len(ids)

    @property
    def has_evidence(self) -> bool:
        return bool(self.attainments or self.observations)


@dataclass(frozen=True)
class CategoryPoints:
    key: str
    name: str
    points: int
    most: int  # the most the category can be worth, after its cap


@dataclass(frozen=True)
class PacketRequirement:
    result: scoring.RequirementResult
    skills: list[SkillEvidence]  # the one skill, or the skills of the category; none for totals
    categories: list[CategoryPoints] = field(default_factory=list)  # for the total points

    @property
    def kind(self) -> str:
        return self.result.kind.value

    @property
    def attainment_count(self) -> int:
        return sum(len(s.attainments) for s in self.skills)

    @property
    def observation_count(self) -> int:
        ids = {o.observation.pk for s in self.skills for o in s.observations}
        ids |= {o.observation.pk for s in self.skills for a in s.attainments for o in a.evidence}
        return len(ids)


@dataclass(frozen=True)
class AgreedRating:
    skill_key: str
    skill_name: str
    milestone: int


@dataclass(frozen=True)
class PacketCheckIn:
    check_in: CheckIn
    agreed: list[AgreedRating]  # empty until the check-in is agreed

    @property
    def is_agreed(self) -> bool:
        return self.check_in.state == CheckInState.AGREED


@dataclass(frozen=True)
class Packet:
    person: Person
    position: Position | None
    framework: library.Framework
    doc: FrameworkDoc
    track: Track
    level: Level
    current_level: Level | None
    readiness: scoring.Readiness
    requirements: list[PacketRequirement]
    other_skills: list[SkillEvidence]  # skills with evidence that no milestone requirement names
    check_ins: list[PacketCheckIn]
    generated_on: date
    prepared_by: str  # who the packet was built for: it holds only what they may see

    @property
    def latest_agreed(self) -> PacketCheckIn | None:
        """The most recent agreed check-in: its summary is the manager's latest word."""
        agreed = [c for c in self.check_ins if c.is_agreed]
        return max(agreed, key=lambda c: (c.check_in.as_of, c.check_in.agreed_at), default=None)

    @property
    def met_count(self) -> int:
        return len(self.readiness.met)

    @property
    def attainment_count(self) -> int:
        shown = [s for r in self.requirements for s in r.skills] + self.other_skills
        return len({a.attainment.pk for s in shown for a in s.attainments})

    @property
    def observation_count(self) -> int:
        shown = [s for r in self.requirements for s in r.skills] + self.other_skills
        ids = {o.observation.pk for s in shown for o in s.observations}
        ids |= {o.observation.pk for s in shown for a in s.attainments for o in a.evidence}
        return len(ids)


# --- choosing the target -------------------------------------------------------------------------


def _current_level(
    track: Track, position: Position | None, doc: FrameworkDoc, reached: dict[str, int]
) -> Level | None:
    """The person's level on `track`: their position's, when they hold one on it; otherwise the
    highest level their certified milestones reach."""
    if position is not None and position.track_key == track.key:
        level = track.level(position.level_code)
        if level is not None:
            return level
    return scoring.track_level(doc, track, reached)


def _pick_track(doc: FrameworkDoc, track_key: str | None, position: Position | None) -> Track:
    if not doc.tracks:
        raise PacketNoTarget(f"{doc.name} has no tracks, so there is no level to aim for.", doc)
    if track_key:
        track = doc.track(track_key)
        if track is None:
            known = ", ".join(f"{t.key} ({t.name})" for t in doc.tracks)
            raise PacketError(
                f"{doc.name} has no track {track_key!r}; its tracks are: {known}.", doc
            )
        return track
    if position is not None and doc.track(position.track_key) is not None:
        return doc.track(position.track_key)  # type: ignore[return-value]
    return doc.tracks[0]


def _pick_level(
    doc: FrameworkDoc, track: Track, level_code: str | None, current: Level | None, name: str
) -> Level:
    if level_code:
        level = track.level(level_code)
        if level is not None:
            return level
        codes = ", ".join(lv.code for lv in track.levels) or "(none)"
        elsewhere = [t.name for t in doc.tracks if t.level(level_code) is not None]
        hint = (
            f" {level_code} is on {', '.join(elsewhere)}: choose that track." if elsewhere else ""
        )
        raise PacketError(
            f"{track.name} has no level {level_code!r}; its levels are: {codes}.{hint}", doc
        )
    upcoming = scoring.next_level(track, current)
    if upcoming is None:
        raise PacketNoTarget(
            f"{name} is at the top of {track.name} ({current.code if current else 'no level'}): "
            "there is no next level, so choose the level to build the packet for.",
            doc,
        )
    return upcoming


# --- reading -------------------------------------------------------------------------------------


def _observations(viewer: User, person: Person) -> dict[int, Observation]:
    """Every observation of `person` that `viewer` may see, with authors and skill tags: two
    queries (plus the chain lookup of the visibility rule) however many there are."""
    rows = (
        Observation.objects.filter(observation_visible_q(viewer))
        .filter(subject=person)
        .select_related("author")
        .prefetch_related(
            Prefetch("skills", queryset=ObservationSkill.objects.order_by("skill_key"))
        )
        .order_by("observed_on", "id")
    )
    return {o.pk: o for o in rows}


def _evidence_links(attainments: Iterable[Attainment]) -> dict[int, list[int]]:
    """attainment id -> ids of its evidence observations, in one query."""
    through = Attainment.evidence.through
    links: dict[int, list[int]] = {}
    pairs = through.objects.filter(attainment_id__in=[a.pk for a in attainments]).values_list(
        "attainment_id", "observation_id"
    )
    for attainment_id, observation_id in pairs:
        links.setdefault(attainment_id, []).append(observation_id)
    return links


def _packet_observation(observation: Observation, doc: FrameworkDoc) -> PacketObservation:
    tags = []
    for tag in observation.skills.all():
        skill = doc.skill(tag.skill_key)
        tags.append(PacketTag(tag.skill_key, skill.name if skill else tag.skill_key, tag.milestone))
    return PacketObservation(observation, render_markdown(observation.text), tags)


def _skill_evidence(
    doc: FrameworkDoc,
    reached: dict[str, int],
    attainments: list[Attainment],
    links: dict[int, list[int]],
    observations: dict[int, Observation],
    framework: library.Framework,
) -> dict[str, SkillEvidence]:
    """One SkillEvidence per skill of the framework, in framework order."""
    shown = {pk: _packet_observation(o, doc) for pk, o in observations.items()}
    by_skill: dict[str, list[PacketAttainment]] = {}
    for a in sorted(attainments, key=lambda a: (a.milestone, a.certified_at)):
        evidence = [shown[pk] for pk in links.get(a.pk, []) if pk in shown]
        evidence.sort(key=lambda o: (o.observation.observed_on, o.observation.pk))
        by_skill.setdefault(a.skill_key, []).append(PacketAttainment(a, evidence))
    tagged: dict[str, list[PacketObservation]] = {}
    for pk, o in observations.items():
        if o.framework_id != framework.pk:
            continue
        for tag in o.skills.all():
            tagged.setdefault(tag.skill_key, []).append(shown[pk])
    categories = {c.key: c.name for c in doc.categories}
    result = {}
    for skill in doc.skills:
        held = by_skill.get(skill.key, [])
        cited = {o.observation.pk for a in held for o in a.evidence}
        result[skill.key] = SkillEvidence(
            key=skill.key,
            name=skill.name,
            category=categories.get(skill.category, skill.category),
            reached=reached.get(skill.key, 0),
            points=scoring.skill_points(doc, skill, reached.get(skill.key, 0)),
            attainments=held,
            observations=[o for o in tagged.get(skill.key, []) if o.observation.pk not in cited],
        )
    return result


def _requirements(
    doc: FrameworkDoc, readiness: scoring.Readiness, skills: dict[str, SkillEvidence]
) -> list[PacketRequirement]:
    reached = {k: s.reached for k, s in skills.items()}
    totals = scoring.category_points(doc, reached)
    most = scoring.max_category_points(doc)
    rows = []
    for result in readiness.results:
        if result.kind is Kind.MILESTONE:
            rows.append(PacketRequirement(result, [skills[result.key]]))
        elif result.kind is Kind.CATEGORY_POINTS:
            members = [skills[s.key] for s in doc.skills if s.category == result.key]
            rows.append(PacketRequirement(result, members))
        else:
            categories = [
                CategoryPoints(c.key, c.name, totals.get(c.key, 0), most.get(c.key, 0))
                for c in doc.categories
            ]
            rows.append(PacketRequirement(result, [], categories))
    return rows


def _check_ins(person: Person) -> list[PacketCheckIn]:
    """Every check-in of the person, newest first, with the agreed rating of each skill (two
    queries). Skill names come from each check-in's own snapshot, as it was agreed."""
    agreed = CheckInRating.objects.filter(rater_role=RaterRole.AGREED)
    rows = (
        CheckIn.objects.filter(person=person)
        .select_related("agreed_by", "created_by", "version")
        .prefetch_related(Prefetch("ratings", queryset=agreed, to_attr="agreed_ratings"))
        .order_by("-as_of", "-id")
    )
    packets = []
    for check_in in rows:
        skills = check_in.snapshot.get("skills", []) if isinstance(check_in.snapshot, dict) else []
        order = {s.get("key"): i for i, s in enumerate(skills)}
        names = {s.get("key"): s.get("name", s.get("key")) for s in skills}
        ratings = sorted(check_in.agreed_ratings, key=lambda r: order.get(r.skill_key, len(order)))
        packets.append(
            PacketCheckIn(
                check_in,
                [
                    AgreedRating(r.skill_key, names.get(r.skill_key, r.skill_key), r.milestone)
                    for r in ratings
                ],
            )
        )
    return packets


def _viewer_name(viewer: User) -> str:
    me = person_for(viewer)
    return me.name if me is not None else viewer.get_username()


def promotion_packet(
    *, person: Person, viewer: User, track_key: str | None = None, level_code: str | None = None
) -> Packet:
    """The packet of `person` for a level (by default the next one on their current track), as
    `viewer` may see it. A fixed number of queries, however much history the person has.

    Raises PacketError for a track or level the framework does not have."""
    # the framework of the progress page: the open position's, else the first published one
    position = person_open_position(person=person)
    framework = position.framework if position else first_published_framework()
    if framework is None:
        raise PacketNoTarget("No framework is published yet, so there is no level to aim for.")
    doc = framework_latest_document(framework)
    attainments = list(
        Attainment.objects.filter(person=person, framework=framework, revoked_at__isnull=True)
        .select_related("certified_by")
        .order_by("skill_key", "milestone", "id")
    )
    active: dict[str, int] = {}
    for a in attainments:
        active[a.skill_key] = max(active.get(a.skill_key, 0), a.milestone)
    reached = milestones_in(doc, active)
    track = _pick_track(doc, track_key, position)
    current = _current_level(track, position, doc, reached)
    level = _pick_level(doc, track, level_code, current, person.name)
    ready = scoring.readiness(doc, track, level, reached)
    known = [a for a in attainments if doc.skill(a.skill_key) is not None]
    skills = _skill_evidence(
        doc, reached, known, _evidence_links(known), _observations(viewer, person), framework
    )
    named = {r.key for r in ready.results if r.kind is Kind.MILESTONE}
    return Packet(
        person=person,
        position=position,
        framework=framework,
        doc=doc,
        track=track,
        level=level,
        current_level=current,
        readiness=ready,
        requirements=_requirements(doc, ready, skills),
        other_skills=[s for k, s in skills.items() if k not in named and s.has_evidence],
        check_ins=_check_ins(person),
        generated_on=timezone.localdate(),
        prepared_by=_viewer_name(viewer),
    )
