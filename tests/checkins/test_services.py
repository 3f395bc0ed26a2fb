from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from ladders.checkins.errors import CheckInDenied, CheckInError, CheckInLocked
from ladders.checkins.models import CheckIn, CheckInRating, CheckInState
from ladders.checkins.services import (
    checkin_agree,
    checkin_create,
    checkin_rate,
    checkin_submit_manager,
    checkin_submit_self,
)
from ladders.library.models import FrameworkVersion
from ladders.org.models import Person
from tests.checkins.conftest import (
    all_ratings,
    publish,
    to_agreed,
    to_manager_done,
    to_self_done,
    user,
)

pytestmark = pytest.mark.django_db


def test_happy_path_walks_every_state(check_in: CheckIn) -> None:
    assert check_in.state == CheckInState.DRAFT
    assert to_self_done(check_in).state == CheckInState.SELF_DONE
    check_in.refresh_from_db()
    checkin_rate(
        check_in=check_in,
        rater_role="manager",
        ratings=all_ratings(check_in, 2),
        actor=user("manager"),
    )
    assert checkin_submit_manager(check_in=check_in, actor=user("manager")).state == "manager_done"
    done = checkin_agree(
        check_in=check_in,
        agreed={k: 3 for k in all_ratings(check_in)},
        summary=" Well done ",
        actor=user("manager"),
    )
    assert done.state == CheckInState.AGREED
    assert done.summary == "Well done"
    assert done.agreed_by is not None and done.agreed_by.name == "Manager"
    assert done.agreed_at is not None
    agreed = CheckInRating.objects.filter(check_in=check_in, rater_role="agreed")
    assert sorted(agreed.values_list("milestone", flat=True)) == [3, 3, 3]


def _submit_self(c: CheckIn) -> Any:
    return checkin_submit_self(check_in=c, actor=user("member"))


def _submit_manager(c: CheckIn) -> Any:
    return checkin_submit_manager(check_in=c, actor=user("manager"))


def _agree(c: CheckIn) -> Any:
    agreed = {k: 1 for k in all_ratings(c)}
    return checkin_agree(check_in=c, agreed=agreed, summary="", actor=user("manager"))


def _rate_self(c: CheckIn) -> Any:
    return checkin_rate(check_in=c, rater_role="self", ratings=all_ratings(c), actor=user("member"))


def _rate_manager(c: CheckIn) -> Any:
    return checkin_rate(
        check_in=c, rater_role="manager", ratings=all_ratings(c), actor=user("manager")
    )


STEPS: dict[str, Callable[[CheckIn], Any]] = {
    "rate_self": _rate_self,
    "submit_self": _submit_self,
    "rate_manager": _rate_manager,
    "submit_manager": _submit_manager,
    "agree": _agree,
}
# state -> the steps allowed in it (with every rating in place); every other step is refused
ALLOWED = {
    "draft": {"rate_self", "submit_self"},
    "self_done": {"rate_manager", "submit_manager"},
    "manager_done": {"agree"},
    "agreed": set(),
}
SETUP = {
    "draft": lambda c: _rate_self(c),
    "self_done": lambda c: (to_self_done(c), _rate_manager(c)),
    "manager_done": to_manager_done,
    "agreed": to_agreed,
}


@pytest.mark.parametrize("state", list(ALLOWED))
@pytest.mark.parametrize("step", list(STEPS))
def test_state_machine(check_in: CheckIn, state: str, step: str) -> None:
    SETUP[state](check_in)
    check_in.refresh_from_db()
    assert check_in.state == state
    if step in ALLOWED[state]:
        STEPS[step](check_in)
        return
    expected = CheckInLocked if state == "agreed" else CheckInError
    with pytest.raises(expected):
        STEPS[step](check_in)
    check_in.refresh_from_db()
    assert check_in.state == state


def test_submit_needs_every_skill_rated(check_in: CheckIn) -> None:
    checkin_rate(
        check_in=check_in, rater_role="self", ratings={"skill-0": (1, "")}, actor=user("member")
    )
    with pytest.raises(CheckInError, match="still to rate: Skill 1, Skill 2"):
        _submit_self(check_in)


def test_agree_needs_every_skill(check_in: CheckIn) -> None:
    to_manager_done(check_in)
    with pytest.raises(CheckInError, match="missing: Skill 1, Skill 2"):
        checkin_agree(check_in=check_in, agreed={"skill-0": 1}, summary="", actor=user("manager"))


def test_locked_after_agreement_with_a_clear_error(check_in: CheckIn) -> None:
    to_agreed(check_in)
    with pytest.raises(CheckInLocked, match=r"agreed on .* and is locked"):
        _rate_manager(check_in)
    assert (
        CheckInRating.objects.filter(check_in=check_in, rater_role="manager").first().milestone == 2
    )  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "persona,allowed", [("member", True), ("manager", False), ("admin", False), ("editor", False)]
)
def test_self_rating_only_by_the_person(check_in: CheckIn, persona: str, allowed: bool) -> None:
    rate = lambda: checkin_rate(  # noqa: E731
        check_in=check_in, rater_role="self", ratings={"skill-0": (1, "")}, actor=user(persona)
    )
    if allowed:
        rate()
    else:
        with pytest.raises(CheckInDenied):
            rate()


@pytest.mark.parametrize(
    "persona,allowed", [("manager", True), ("admin", True), ("member", False), ("editor", False)]
)
def test_manager_rating_by_chain_or_admin(check_in: CheckIn, persona: str, allowed: bool) -> None:
    to_self_done(check_in)

    def rate() -> Any:
        return checkin_rate(
            check_in=check_in,
            rater_role="manager",
            ratings={"skill-0": (1, "")},
            actor=user(persona),
        )

    if allowed:
        rate()
    else:
        with pytest.raises(CheckInDenied):
            rate()


@pytest.mark.parametrize(
    "persona,allowed", [("manager", True), ("admin", True), ("member", False), ("editor", False)]
)
def test_agreement_by_chain_or_admin(check_in: CheckIn, persona: str, allowed: bool) -> None:
    to_manager_done(check_in)
    agreed = {k: 1 for k in all_ratings(check_in)}

    def agree() -> Any:
        return checkin_agree(check_in=check_in, agreed=agreed, summary="", actor=user(persona))

    if allowed:
        agree()
    else:
        with pytest.raises(CheckInDenied):
            agree()


def test_higher_in_the_chain_may_rate(people: dict[str, Person | None], check_in: CheckIn) -> None:
    manager, admin = people["manager"], people["editor"]
    assert manager is not None and admin is not None
    manager.manager = admin  # the editor now sits above the manager
    manager.save()
    to_self_done(check_in)
    checkin_rate(
        check_in=check_in, rater_role="manager", ratings={"skill-0": (3, "")}, actor=user("editor")
    )


def test_an_admin_never_gives_the_manager_rating_of_their_own_check_in(
    people: dict[str, Person | None], version: FrameworkVersion
) -> None:
    admin = people["admin"]
    assert admin is not None
    c = checkin_create(
        person=admin, actor=user("admin"), as_of=date(2026, 1, 1), framework=version.framework
    )
    checkin_rate(check_in=c, rater_role="self", ratings=all_ratings(c), actor=user("admin"))
    checkin_submit_self(check_in=c, actor=user("admin"))
    with pytest.raises(CheckInDenied):
        checkin_rate(check_in=c, rater_role="manager", ratings=all_ratings(c), actor=user("admin"))


@pytest.mark.parametrize(
    "ratings,message",
    [
        ({"no-such-skill": (1, "")}, "'no-such-skill' is not a skill"),
        ({"skill-0": (4, "")}, "milestone 4 does not exist; use 0, 1, 2, 3"),
    ],
)
def test_ratings_are_checked_against_the_snapshot(
    check_in: CheckIn, ratings: dict[str, Any], message: str
) -> None:
    with pytest.raises(CheckInError, match=message):
        checkin_rate(check_in=check_in, rater_role="self", ratings=ratings, actor=user("member"))
    assert not CheckInRating.objects.exists()


def test_unknown_rater_role_is_refused(check_in: CheckIn) -> None:
    with pytest.raises(CheckInError, match="unknown rater"):
        checkin_rate(check_in=check_in, rater_role="agreed", ratings={}, actor=user("manager"))


def test_rating_again_replaces_the_earlier_one(check_in: CheckIn) -> None:
    for m in (1, 3):
        checkin_rate(
            check_in=check_in,
            rater_role="self",
            ratings={"skill-0": (m, f" note {m} ")},
            actor=user("member"),
        )
    rating = CheckInRating.objects.get(check_in=check_in)
    assert (rating.milestone, rating.comment) == (3, "note 3")


@pytest.mark.parametrize(
    "persona,allowed",
    [("member", True), ("manager", True), ("admin", True), ("editor", False), ("outsider", False)],
)
def test_who_opens_a_check_in(member: Person, persona: str, allowed: bool) -> None:
    def create() -> CheckIn:
        return checkin_create(person=member, actor=user(persona), as_of=date(2026, 1, 1))

    if allowed:
        assert create().version.number == 1
    else:
        with pytest.raises(CheckInDenied):
            create()


def test_one_check_in_in_progress_at_a_time(check_in: CheckIn, member: Person) -> None:
    with pytest.raises(CheckInError, match="already has a check-in in progress"):
        checkin_create(person=member, actor=user("manager"), as_of=date(2026, 7, 1))
    to_agreed(check_in)
    checkin_create(person=member, actor=user("manager"), as_of=date(2026, 7, 1))


def test_version_is_the_position_one_not_the_latest(check_in: CheckIn, member: Person) -> None:
    newer = publish(3, word="New")
    assert newer.number == 2
    assert check_in.version.number == 1  # the member's position is still on version 1


def test_without_a_position_the_framework_is_needed(
    people: dict[str, Person | None], version: FrameworkVersion
) -> None:
    manager = people["manager"]
    assert manager is not None
    with pytest.raises(CheckInError, match="no current position: choose the framework"):
        checkin_create(person=manager, actor=user("manager"), as_of=date(2026, 1, 1))
    newer = publish(3, word="New")
    made = checkin_create(
        person=manager, actor=user("manager"), as_of=date(2026, 1, 1), framework=version.framework
    )
    assert made.version == newer
    assert made.snapshot["skills"][0]["milestones"][0]["summary"] == "New summary 0.1"
