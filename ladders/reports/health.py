"""Framework health with the organisation in it: the usage findings, and all three kinds together.

Structural and writing findings come from the document alone (`ladders.frameworks.health`).
Usage findings need people and evidence: skills no level in use asks for, skills no observation
references, milestones nobody or everybody reached, levels nobody holds.

Who counts: the active people whose open position is on the framework. Observations count only
when the viewer may see them (`observation_visible_q`), so a private observation never changes
what someone not entitled to it is told. Reading the counts takes three queries (plus the
viewer's visibility lookup), however many people, skills or observations there are.

Counts about people (who reached which milestone, who holds which level) describe individuals
when the framework has only a handful of people, and a person's certified milestones are
otherwise visible only to themselves, their management chain and admins. So below MIN_GROUP
people only organisation admins get them; everyone else gets one `too-few-people` note instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef

from ladders.accounts.permissions import User, is_admin
from ladders.frameworks import health
from ladders.frameworks.health import Finding
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.frameworks.model import Track
from ladders.library.models import Framework
from ladders.org.models import Position
from ladders.progress.models import Attainment, Observation, ObservationSkill
from ladders.progress.selectors import observation_visible_q

# A milestone reached by this share of the people (or more) no longer tells them apart; the rule
# is "attained-by-most", as 90% is most people, not all of them.
MOST_SHARE = 0.9

# Fewer people than this on a framework and counts about people would single them out.
MIN_GROUP = 5


@dataclass(frozen=True)
class UsageCounts:
    """What the usage findings are computed from."""

    people: int = 0  # active people with an open position on the framework
    holders: dict[tuple[str, str], int] = field(default_factory=dict)  # (track, level) -> people
    reached: dict[str, list[int]] = field(default_factory=dict)  # skill -> each person's top
    observations: dict[str, int] = field(default_factory=dict)  # skill -> visible observations
    # fewer than MIN_GROUP people and the viewer is not an admin: holders and reached are left
    # empty, and nothing about people may be said beyond "fewer than MIN_GROUP"
    withheld: bool = False

    def reached_count(self, skill_key: str, number: int) -> int:
        """People on the framework whose highest certified milestone of the skill is `number`
        or above: reaching a milestone counts as reaching every one below it. The usage findings
        and the skill page's table both use this, so they never disagree."""
        return sum(1 for top in self.reached.get(skill_key, []) if top >= number)


def framework_usage_counts(*, user: User, framework: Framework) -> UsageCounts:
    positions = (
        Position.objects.filter(framework=framework, ended_on__isnull=True, person__is_active=True)
        .values("track_key", "level_code")
        .annotate(people=Count("person", distinct=True))
        .order_by()
    )
    holders = {(row["track_key"], row["level_code"]): row["people"] for row in positions}
    on_framework = Position.objects.filter(
        person=OuterRef("person"),
        framework=framework,
        ended_on__isnull=True,
        person__is_active=True,
    )
    rows = (
        Attainment.objects.filter(framework=framework, revoked_at__isnull=True)
        .annotate(counted=Exists(on_framework))
        .values_list("person_id", "skill_key", "milestone", "counted")
        .order_by()
    )
    tops: dict[tuple[int, str], int] = {}
    for person, skill, milestone, counted in rows:
        if counted:
            tops[(person, skill)] = max(milestone, tops.get((person, skill), 0))
    reached: dict[str, list[int]] = {}
    for (_, skill), top in tops.items():
        reached.setdefault(skill, []).append(top)
    visible = Observation.objects.filter(observation_visible_q(user), framework=framework)
    tagged = (
        ObservationSkill.objects.filter(observation__in=visible)
        .values("skill_key")
        .annotate(n=Count("observation", distinct=True))
        .order_by()
    )
    observations = {row["skill_key"]: row["n"] for row in tagged}
    people = sum(holders.values())
    if 0 < people < MIN_GROUP and not is_admin(user):
        # the queries above still run, so a viewer's query count does not depend on headcount;
        # with no holders, no level counts as in use either, so unrequired-in-use stays quiet
        return UsageCounts(people=people, observations=observations, withheld=True)
    return UsageCounts(people=people, holders=holders, reached=reached, observations=observations)


# --- findings ----------------------------------------------------------------------------------


def _usage(
    doc: FrameworkDoc, rule: str, location: tuple[str | int, ...], message: str, text: str = ""
) -> Finding:
    return Finding(
        kind="usage",
        rule=rule,
        severity="info",
        path=health.display_path(doc, location),
        text=text or health.text_at(doc, location),
        message=message,
        skill=_skill_key(doc, location),
        location=location,
        place=health.place_of(doc, location),
    )


def _skill_key(doc: FrameworkDoc, location: tuple[str | int, ...]) -> str:
    if len(location) > 1 and location[0] == "skills" and isinstance(location[1], int):
        return doc.skills[location[1]].key
    return ""


def _levels_in_use(doc: FrameworkDoc, counts: UsageCounts) -> tuple[list[str], set[str]]:
    """Codes of the levels people hold and the next ones up, and the skills those levels ask for."""
    codes: list[str] = []
    skills: set[str] = set()
    for track in doc.tracks:
        for i, level in enumerate(track.levels):
            if counts.holders.get((track.key, level.code)):
                for lv in track.levels[i : i + 2]:
                    if lv.code not in codes:
                        codes.append(lv.code)
                    skills |= set(lv.requirements.milestones)
    return codes, skills


def _skill_findings(doc: FrameworkDoc, counts: UsageCounts) -> Iterator[Finding]:
    required_anywhere = {
        k for t in doc.tracks for lv in t.levels for k in lv.requirements.milestones
    }
    in_use, required_in_use = _levels_in_use(doc, counts)
    seen_any = any(counts.observations.values())
    for i, skill in enumerate(doc.skills):
        where = ("skills", i)
        if in_use and skill.key in required_anywhere and skill.key not in required_in_use:
            yield _usage(
                doc,
                "unrequired-in-use",
                where,
                f"none of the levels people hold or are working towards ({', '.join(in_use)}) "
                f"requires a milestone of {skill.name}",
            )
        if seen_any and not counts.observations.get(skill.key):
            yield _usage(
                doc,
                "never-observed",
                where,
                f"no observation you can see references {skill.name}",
            )
        if counts.people and not counts.withheld:
            yield from _milestone_findings(doc, counts, i)


def _milestone_findings(doc: FrameworkDoc, counts: UsageCounts, i: int) -> Iterator[Finding]:
    """Nobody past a milestone, or (nearly) everybody at it. Reaching a milestone implies every
    one below it, so each is one finding per skill: the first milestone nobody reached, and the
    last one that at least MOST_SHARE of the people reached."""
    skill = doc.skills[i]
    ordered = sorted(enumerate(skill.milestones), key=lambda jm: jm[1].number)
    unreached = [(j, m) for j, m in ordered if counts.reached_count(skill.key, m.number) == 0]
    if unreached:
        j, m = unreached[0]
        rest = [str(x.number) for _, x in unreached[1:]]
        above = (
            ""
            if not rest
            else f" or milestone {rest[0]} above it"
            if len(rest) == 1
            else f" or any of milestones {', '.join(rest)} above it"
        )
        message = (
            f"nobody has reached any milestone of {skill.name}"
            if j == ordered[0][0]
            else f"nobody has reached milestone {m.number} of {skill.name}{above}"
        )
        yield _usage(doc, "never-attained", ("skills", i, "milestones", j), message)
    if counts.people < 2:
        return
    most = [
        (j, m, n)
        for j, m in ordered
        if (n := counts.reached_count(skill.key, m.number)) >= MOST_SHARE * counts.people
    ]
    if most:
        j, m, n = most[-1]
        who = f"all {n} of {n}" if n == counts.people else f"{n} of {counts.people}"
        below = " (and every milestone below it)" if m.number != ordered[0][1].number else ""
        yield _usage(
            doc,
            "attained-by-most",
            ("skills", i, "milestones", j),
            f"{who} people on this framework have reached milestone {m.number} of "
            f"{skill.name}{below}, so it hardly tells anyone apart any more",
        )


def _level_findings(doc: FrameworkDoc, counts: UsageCounts) -> Iterator[Finding]:
    for t, track in enumerate(doc.tracks):
        yield from _unheld(doc, counts, t, track)


def _unheld(doc: FrameworkDoc, counts: UsageCounts, t: int, track: Track) -> Iterator[Finding]:
    for i, level in enumerate(track.levels):
        if not counts.holders.get((track.key, level.code)):
            yield _usage(
                doc,
                "level-unheld",
                ("tracks", t, "levels", i),
                f"nobody holds level {level.code} of the {track.name} track",
            )


def usage_findings(doc: FrameworkDoc, counts: UsageCounts) -> list[Finding]:
    found: list[Finding] = []
    if not counts.people:
        found.append(
            _usage(
                doc,
                "no-people",
                (),
                "nobody holds a position on this framework yet, so nothing can be said about "
                "milestones reached or levels held",
                text=doc.name,
            )
        )
    if counts.withheld:
        found.append(
            _usage(
                doc,
                "too-few-people",
                (),
                f"fewer than {MIN_GROUP} people hold a position on this framework, and counts "
                "that small would point at individuals: counts about people (milestones "
                f"reached, levels held) are shown from {MIN_GROUP} people on, and before that "
                "only to organisation admins",
                text=doc.name,
            )
        )
    if doc.skills and not any(counts.observations.values()):
        found.append(
            _usage(
                doc,
                "never-observed",
                ("skills",),
                "no observation you can see references any skill of this framework",
                text="",
            )
        )
    found += _skill_findings(doc, counts)
    if counts.people and not counts.withheld:
        found += _level_findings(doc, counts)
    return found


# --- all three kinds ---------------------------------------------------------------------------


def framework_health(
    *, user: User, framework: Framework, doc: FrameworkDoc, counts: UsageCounts | None = None
) -> list[Finding]:
    """Every finding of the framework, for this viewer: structural, writing, then usage."""
    if counts is None:
        counts = framework_usage_counts(user=user, framework=framework)
    return [*health.framework_findings(doc), *usage_findings(doc, counts)]
