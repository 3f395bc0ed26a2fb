"""A year of invented progression history for the demo organisation (ladders.org.demo).

Everything is written through the real services, so it obeys every rule (who may certify, who
may rate a check-in, which skills and milestones exist), and only then are the timestamps moved
back with queryset updates to spread the history over the last twelve months. Demo use only.
Running it again changes nothing: it stops as soon as any demo person has an observation.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ladders.checkins import services as checkins
from ladders.checkins.models import CheckIn
from ladders.checkins.selectors import checkin_document
from ladders.org.demo import PEOPLE
from ladders.org.models import Person, Position

from . import services
from .attainments import attainment_certify
from .models import Attainment, FeedbackAsk, FeedbackRequest, Observation, Visibility

# Certified milestones per level: each meets its level (skills, category points and total) and
# part of the next level's requirements, as ladders.frameworks.scoring counts them.
LEVEL_MILESTONES: dict[str, dict[str, int]] = {
    "IC1": {"code-quality": 2, "testing": 1, "communication": 1, "project-delivery": 1,
            "reliability": 1},
    "IC2": {"code-quality": 2, "testing": 2, "communication": 2, "project-delivery": 1,
            "reliability": 2, "system-design": 1, "product-sense": 1, "ways-of-working": 1},
    "IC3": {"code-quality": 3, "testing": 3, "communication": 3, "project-delivery": 3,
            "system-design": 2, "reliability": 2, "product-sense": 2, "mentoring": 2,
            "ways-of-working": 2, "hiring": 1, "team-health": 1, "strategy": 1},
    "IC4": {"code-quality": 4, "testing": 3, "communication": 4, "project-delivery": 4,
            "system-design": 3, "reliability": 3, "product-sense": 2, "mentoring": 2,
            "hiring": 2, "ways-of-working": 3, "team-health": 2, "strategy": 2},
    "IC5": {"code-quality": 4, "testing": 4, "communication": 5, "project-delivery": 4,
            "system-design": 5, "reliability": 4, "product-sense": 3, "mentoring": 3,
            "hiring": 2, "ways-of-working": 3, "team-health": 3, "strategy": 3},
    "M1": {"code-quality": 4, "system-design": 2, "testing": 2, "communication": 4,
           "mentoring": 3, "hiring": 3, "project-delivery": 4, "reliability": 3,
           "product-sense": 3, "team-health": 2, "ways-of-working": 2, "strategy": 2},
    "M2": {"code-quality": 4, "system-design": 3, "testing": 3, "communication": 5,
           "mentoring": 4, "hiring": 3, "project-delivery": 4, "reliability": 4,
           "product-sense": 3, "team-health": 3, "ways-of-working": 3, "strategy": 3},
}  # fmt: skip

# Small personal touches that stay within the same level.
EXTRA: dict[str, dict[str, int]] = {
    "Samir Castellano": {"reliability": 3},
    "Hana Kowalczyk": {"product-sense": 3},
    "Noor Haddad": {"hiring": 3},
    "Mateo Sandoval": {"reliability": 4},
}

# What people wrote, per skill: (in their own words, by someone else about {first}).
NOTES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "code-quality": (
        (
            "Split the refund exporter into a parser, a validator and a writer so each piece "
            "has its own tests. The review took one round instead of the usual three.",
        ),
        (
            "{first} rewrote the retry helper in the webhook client: the nested callbacks are "
            "gone and the function went from 180 lines to 60. Two people reused it the same week.",
            "Reviews from {first} point at the exact line and suggest the change. On the "
            "ledger-sync pull request that saved us a day of back and forth.",
        ),
    ),
    "system-design": (
        (
            "Wrote a design note for the receipt archive comparing object storage with a "
            "partitioned table; we went with storage plus a small index table.",
        ),
        (
            "{first}'s design for the card-token cache named the failure cases up front "
            "(expired tokens, double writes) and the rollout plan. Neighbouring teams signed "
            "off without changes.",
            "In the design review for the push-notification fan-out, {first} argued for a "
            "queue over direct calls and showed the numbers from last year's launch spike.",
        ),
    ),
    "testing": (
        (
            "Replaced the sleep calls in the checkout end-to-end suite with a wait helper. "
            "The suite has been green for 300 runs in a row since.",
        ),
        (
            "{first} built a fake of the bank-transfer API so our integration tests run in "
            "under a minute. Three other people have written tests against it already.",
            "Before fixing the time-zone bug in the booking screen, {first} wrote a failing "
            "test for it, then added cases for the two daylight-saving weekends.",
        ),
    ),
    "reliability": (
        (
            "Took my first full on-call week. Handled the disk-usage alert on the job runners "
            "alone and fixed the runbook step that pointed at the old dashboard.",
        ),
        (
            "{first} led the response to the payment-callback outage on a Saturday: clear "
            "updates every 20 minutes, service back in 50 minutes, and a calm write-up on Monday.",
            "After the queue backlog incident {first} added an alert on consumer lag and a "
            "dashboard panel for it. It caught the next backlog before users noticed.",
        ),
    ),
    "project-delivery": (
        (
            "Broke the saved-cards feature into nine tickets and shipped it behind a flag two "
            "days before the date we had agreed with the product manager.",
        ),
        (
            "{first} saw the app-store review delay coming and moved the release a week "
            "earlier, which kept the marketing date. Nobody had to work late.",
            "{first} ran the migration of payouts to the new provider in four stages, each "
            "with a rollback plan. No customer saw an error during the switch.",
        ),
    ),
    "product-sense": (
        (
            "Sat in on five support calls about failed top-ups and proposed showing the bank's "
            "reason in the app. Support tickets on it dropped by a third.",
        ),
        (
            "{first} questioned the requirement to export every field and showed that users "
            "only ever opened four of them; the simpler export shipped a sprint earlier.",
            "{first} looked at the funnel before building the onboarding change and picked "
            "the step where most people gave up. Completion went up by 8 points.",
        ),
    ),
    "communication": (
        (
            "Wrote the weekly update for the Android release and kept it to five bullets. "
            "Two stakeholders said it was the first one they read to the end.",
        ),
        (
            "{first} explained the fee rounding change to the finance team without jargon and "
            "answered every question in the thread within the day.",
            "The incident summary {first} wrote was clear enough that support reused it word "
            "for word in their customer note.",
        ),
    ),
    "mentoring": (
        (
            "Paired with our new joiner twice a week for their first month; they shipped "
            "their first feature on their own in week five.",
        ),
        (
            "{first} coached me through my first design note: asked good questions, let me "
            "find the answers, and reviewed two drafts within a day each.",
            "{first} runs a fortnightly hour where juniors bring a pull request they are "
            "unsure about. Three people have mentioned it in their check-ins.",
        ),
    ),
    "hiring": (
        (
            "Rewrote our take-home exercise so it takes two hours instead of an evening and "
            "added a scoring guide for interviewers.",
        ),
        (
            "{first}'s interview feedback is specific and arrives the same day; the debrief "
            "for the mobile role leaned on it heavily.",
            "{first} trained four new interviewers on the system-design round and sat in on "
            "their first interview each.",
        ),
    ),
    "strategy": (
        (
            "Drafted the platform team's plan for next half: retire the old job scheduler and "
            "move the build cache to shared storage, with the cost of both.",
        ),
        (
            "{first} connected the team's roadmap to the company goal on merchant retention "
            "and dropped two projects that did not serve it. The team agreed with the reasons.",
            "{first} wrote the one-page case for moving the mobile apps to a shared UI kit, "
            "and it was funded at the planning meeting.",
        ),
    ),
    "team-health": (
        (
            "Started a short retro after every on-call week. The rotation now swaps shifts "
            "without a manager having to step in.",
        ),
        (
            "{first} noticed two people on the team were regularly working late before the "
            "release and rebalanced the work before it became a problem.",
            "When the team split in two, {first} talked to everyone one to one first. "
            "Nobody learned about the change from the announcement.",
        ),
    ),
    "ways-of-working": (
        (
            "Proposed we cap work in progress at three tickets per person; our average "
            "cycle time went from nine days to five.",
        ),
        (
            "{first} replaced our hour-long planning meeting with a written async round and "
            "a 20-minute call. People prepare now, and it ends on time.",
            "{first} set up the shared definition of done for the payments squads, so "
            "reviews stop arguing about what 'finished' means.",
        ),
    ),
}

COMMENTS = {
    "self": "Examples are in my observations; happy to talk through them.",
    "manager": "Matches what I have seen this period; see the linked observations.",
}


def _day(today: date, days_ago: int) -> datetime:
    moment = datetime.combine(today - timedelta(days=days_ago), time(10, 30))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _milestones(person: Person, position: Position) -> dict[str, int]:
    milestones = dict(LEVEL_MILESTONES.get(position.level_code, {}))
    for key, number in EXTRA.get(person.name, {}).items():
        milestones[key] = max(number, milestones.get(key, 0))
    return milestones


def _history_days(person: Person, today: date) -> int:
    """How far back this person's history goes: eighteen months at most (so some evidence is
    over a year old), never before they started."""
    first = person.positions.order_by("started_on").values_list("started_on", flat=True).first()
    since = (today - first).days if first else 365
    return max(30, min(540, since - 5))


def _observations(
    person: Person, position: Position, milestones: dict[str, int], today: date, span: int
) -> list[Observation]:
    rng = random.Random(f"ladders-demo:{person.email}")
    first = person.name.split()[0]
    peers = list(
        Person.objects.filter(team_id=person.team_id, is_active=True)
        .exclude(pk__in=[person.pk, person.manager_id or 0])
        .order_by("name")
    ) or list(Person.objects.exclude(pk=person.pk).order_by("name")[:3])
    skills = sorted(milestones, key=lambda k: (-milestones[k], k)) or [
        "strategy",
        "team-health",
        "hiring",
        "communication",
    ]
    count = 3 + len(person.name) % 4  # 3 to 6
    roles = ["manager", "self", "peer", "manager", "peer", "self"]
    made = []
    for index in range(count):
        key = skills[index % len(skills)]
        role = roles[index]
        if role == "manager" and person.manager is None:
            role = "peer"
        author = {"manager": person.manager, "self": person}.get(role) or rng.choice(peers)
        own, others = NOTES[key]
        text = own[0] if role == "self" else others[index % len(others)].format(first=first)
        days_ago = int(span * (count - index) / (count + 0.5))
        observation = services.observation_create(
            author=author,
            subject=person,
            framework=position.framework,
            text=text,
            observed_on=today - timedelta(days=days_ago),
            skills=[(key, milestones.get(key) or None)],
            visibility=Visibility.PRIVATE if index % 4 == 3 else Visibility.SHARED,
        )
        made.append(observation)
    return made


def _attainments(
    person: Person,
    position: Position,
    milestones: dict[str, int],
    observations: list[Observation],
    today: date,
    span: int,
) -> None:
    certifier = person.manager
    if certifier is None:
        return  # nobody above them in the chain may certify their milestones
    ordered = sorted(milestones.items())
    for index, (key, top) in enumerate(ordered):
        earliest = max(1, top - 1)
        for number in range(earliest, top + 1):
            if number < top:
                days_ago = span - index  # the lower milestone: near the start of the history
            else:
                days_ago = max(3, int(span * 0.85 * (len(ordered) - index) / len(ordered)))
            certified_at = _day(today, days_ago)
            evidence = [
                o
                for o in observations
                if o.observed_on <= certified_at.date()
                and any(s.skill_key == key for s in o.skills.all())
            ]
            attainment = attainment_certify(
                person=person,
                framework=position.framework,
                skill_key=key,
                milestone=number,
                certified_by=certifier,
                # the service checks evidence against the certifier's account; demo managers
                # without one get theirs attached below, as they would see it if they signed in
                evidence=evidence if certifier.user_id is not None else [],
            )
            if certifier.user_id is None and evidence:
                attainment.evidence.set(evidence)
            Attainment.objects.filter(pk=attainment.pk).update(certified_at=certified_at)


def _feedback(people: dict[str, Person], today: date) -> None:
    felix, noor = people["Felix Amadi"], people["Noor Haddad"]
    position = felix.positions.filter(ended_on__isnull=True).first()
    assert position is not None
    answered = services.feedback_request_create(
        requester=felix,
        subject=felix,
        framework=position.framework,
        peers=[noor],
        skill_keys=["testing", "code-quality"],
        message="I'm working toward Engineer III: how did my tests on the refunds work look?",
    )
    services.feedback_request_answer(
        request=answered,
        peer=noor,
        text=(
            "Felix's tests for partial refunds cover the odd cases (zero amounts, refunds "
            "larger than the capture) and read like a specification. Next step: fewer mocks "
            "in the integration tests."
        ),
        observed_on=today - timedelta(days=40),
        skills=[("testing", 2), ("code-quality", None)],
        visibility=Visibility.SHARED,
    )
    FeedbackRequest.objects.filter(pk=answered.pk).update(created_at=_day(today, 48))
    FeedbackAsk.objects.filter(request=answered).update(answered_at=_day(today, 40))
    Observation.objects.filter(subject=felix, author=noor).update(
        created_at=_day(today, 40), updated_at=_day(today, 40)
    )

    lena, aiko, tomasz = people["Lena Vukovic"], people["Aiko Brennan"], people["Tomasz Reyes"]
    open_request = services.feedback_request_create(
        requester=tomasz,
        subject=lena,
        framework=position.framework,
        peers=[aiko],
        skill_keys=["communication", "project-delivery"],
        message=(
            "You paired with Lena on the payout statements: how did she keep you and "
            "support informed along the way?"
        ),
    )
    FeedbackRequest.objects.filter(pk=open_request.pk).update(created_at=_day(today, 6))


def _ratings(keys: list[str], milestones: dict[str, int], role: str) -> dict[str, tuple[int, str]]:
    return {k: (milestones.get(k, 0), COMMENTS[role] if k in milestones else "") for k in keys}


def _checkins(aiko: Person, milestones: dict[str, int], today: date) -> None:
    manager = aiko.manager
    me: AbstractBaseUser | None = aiko.user
    boss: AbstractBaseUser | None = manager.user if manager is not None else None
    if me is None or boss is None:
        return  # check-ins need both to act through their accounts
    earlier = {k: max(0, n - 1) for k, n in milestones.items()}
    summaries = {
        300: (
            "Agreed. Aiko owns the reconciliation job now and her reviews have got sharper. "
            "Next: take one incident from page to postmortem herself."
        ),
        130: (
            "Agreed. The payout statements shipped on the date she set, with tests others now "
            "copy. Focus for the next months: lead the design of one component end to end and "
            "write it up before building."
        ),
    }
    for days_ago, reached in ((300, earlier), (130, milestones)):
        check_in = checkins.checkin_create(
            person=aiko, actor=me, as_of=today - timedelta(days=days_ago)
        )
        keys = [s.key for s in checkin_document(check_in).skills]
        checkins.checkin_rate(
            check_in=check_in, rater_role="self", ratings=_ratings(keys, reached, "self"), actor=me
        )
        checkins.checkin_submit_self(check_in=check_in, actor=me)
        checkins.checkin_rate(
            check_in=check_in,
            rater_role="manager",
            ratings=_ratings(keys, reached, "manager"),
            actor=boss,
        )
        checkins.checkin_submit_manager(check_in=check_in, actor=boss)
        checkins.checkin_agree(
            check_in=check_in,
            agreed={k: reached.get(k, 0) for k in keys},
            summary=summaries[days_ago],
            actor=boss,
        )
        CheckIn.objects.filter(pk=check_in.pk).update(
            created_at=_day(today, days_ago + 7), agreed_at=_day(today, days_ago - 5)
        )
    current = checkins.checkin_create(person=aiko, actor=me, as_of=today - timedelta(days=4))
    keys = [s.key for s in checkin_document(current).skills]
    hopes = dict(milestones, **{"system-design": 3})
    checkins.checkin_rate(
        check_in=current, rater_role="self", ratings=_ratings(keys, hopes, "self"), actor=me
    )
    checkins.checkin_submit_self(check_in=current, actor=me)
    CheckIn.objects.filter(pk=current.pk).update(created_at=_day(today, 4))


@transaction.atomic
def demo_progress_create() -> None:
    """Write a year of observations, feedback, check-ins and certified milestones for the demo
    organisation. Does nothing when the organisation is missing or already has history."""
    emails = [demo.email for demo in PEOPLE]
    found = {p.email.lower(): p for p in Person.objects.filter(email__in=emails)}
    people = {demo.name: found[demo.email.lower()] for demo in PEOPLE if demo.email in found}
    if len(people) != len(PEOPLE):
        return
    if Observation.objects.filter(subject__in=people.values()).exists():
        return
    today = timezone.localdate()
    for demo in PEOPLE:
        person = people[demo.name]
        position = person.positions.filter(ended_on__isnull=True).select_related("framework")
        current = position.first()
        if current is None:
            continue
        milestones = _milestones(person, current)
        span = _history_days(person, today)
        observations = _observations(person, current, milestones, today, span)
        for observation in observations:
            moment = _day(today, (today - observation.observed_on).days)
            Observation.objects.filter(pk=observation.pk).update(
                created_at=moment, updated_at=moment
            )
        _attainments(person, current, milestones, observations, today, span)
    _feedback(people, today)
    aiko = people["Aiko Brennan"]
    aiko_position = aiko.positions.filter(ended_on__isnull=True).first()
    if aiko_position is not None:
        _checkins(aiko, _milestones(aiko, aiko_position), today)
