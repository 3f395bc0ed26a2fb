"""The evidence coverage report on hand-built attainments.

Dates are relative to today; "old" means observed before the same day twelve months ago.

member (reports to manager), certified by the manager:
    coding 1     evidence: a shared observation 30 days ago            → covered
    coding 2     evidence: a shared observation 400 days ago           → only old
    testing 1    no evidence                                           → without
    mentoring 3  evidence: a PRIVATE observation by the admin, 20 days → covered for the manager
                 and the admin; without evidence for anyone who may not see it
    testing 2    revoked (with recent evidence)                        → not counted
Pat (reports to manager):
    coding 1     evidence: an observation its author deleted           → without
    testing 1    evidence: observed exactly twelve months ago          → covered (not older)
Manager: nothing certified.

For the manager: member 4 milestones, 1 without, 1 only old, 2 covered (50%); Pat 2, 1 without,
1 covered (50%); ties break on more milestones first, so member before Pat.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ladders.frameworks.loader import framework_from_data
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person
from ladders.progress.attainments import attainment_certify, attainment_revoke
from ladders.progress.models import Observation, Visibility
from ladders.progress.services import observation_create
from ladders.reports.evidence import evidence_coverage, months_before
from ladders.reports.scope import report_people
from tests.conftest import PERSONAS

People = dict[str, Person | None]
Clients = Callable[[str], Client]
PAGES = ["report-evidence", "report-evidence-csv"]
ALLOWED = {"admin": 200, "editor": 403, "manager": 200, "member": 403, "outsider": 403}
SECRET = "Handled the awkward reorg conversation with real care"


def framework_data() -> dict[str, Any]:
    return {
        "schema": "ladders/v1",
        "key": "evidence",
        "name": "Evidence test framework",
        "categories": [{"key": "craft", "name": "Craft"}],
        "skills": [
            {
                "key": key,
                "name": key.title(),
                "category": "craft",
                "milestones": [{"number": n, "summary": f"{key} {n}"} for n in (1, 2, 3)],
            }
            for key in ("coding", "testing", "mentoring")
        ],
        "tracks": [{"key": "ic", "name": "IC", "levels": [{"code": "E1"}]}],
    }


def _p(people: People, name: str) -> Person:
    person = people[name]
    assert person is not None
    return person


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def publish() -> Framework:
    return framework_publish(document=framework_from_data(framework_data())).framework


@pytest.fixture
def framework(db: None) -> Framework:
    return publish()


class Maker:
    def __init__(self, framework: Framework, certifier: Person) -> None:
        self.framework, self.certifier = framework, certifier
        self.today = timezone.localdate()

    def seen(
        self, subject: Person, skill: str, days: int, *, author: Person | None = None, **kw: Any
    ) -> Observation:
        return observation_create(
            author=author or self.certifier,
            subject=subject,
            framework=self.framework,
            text=kw.pop("text", f"Did good {skill} work"),
            observed_on=kw.pop("on", self.today - timedelta(days=days)),
            skills=[(skill, None)],
            visibility=kw.pop("visibility", Visibility.SHARED),
        )

    def certify(self, person: Person, skill: str, n: int, *evidence: Observation) -> Any:
        return attainment_certify(
            person=person,
            framework=self.framework,
            skill_key=skill,
            milestone=n,
            certified_by=self.certifier,
            evidence=list(evidence),
            actor=user("admin"),
        )


@pytest.fixture
def made(people: People, framework: Framework) -> dict[str, Person]:
    return build(people, framework)


def build(people: People, framework: Framework) -> dict[str, Person]:
    admin, manager, member = _p(people, "admin"), _p(people, "manager"), _p(people, "member")
    pat = Person.objects.create(name="Pat", email="pat@x.test", manager=manager)
    make = Maker(framework, manager)
    make.certify(member, "coding", 1, make.seen(member, "coding", 30))
    make.certify(member, "coding", 2, make.seen(member, "coding", 400))
    make.certify(member, "testing", 1)
    private = make.seen(
        member, "mentoring", 20, author=admin, visibility=Visibility.PRIVATE, text=SECRET
    )
    make.certify(member, "mentoring", 3, private)
    revoked = make.certify(member, "testing", 2, make.seen(member, "testing", 10))
    attainment_revoke(attainment=revoked, revoked_by=manager, reason="Certified too early")
    gone = make.seen(pat, "coding", 15)
    make.certify(pat, "coding", 1, gone)
    Observation.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    edge = months_before(make.today, 12)
    make.certify(pat, "testing", 1, make.seen(pat, "testing", 0, on=edge))
    return {"member": member, "pat": pat, "manager": manager}


def _summary(coverage: Any) -> list[tuple[str, int, int, int, int]]:
    return [
        (r.person.name, r.attainments, r.without_evidence, r.only_old, r.covered)
        for r in coverage.rows
    ]


def test_months_before() -> None:
    assert months_before(date(2026, 6, 15), 12) == date(2025, 6, 15)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 10), 1) == date(2025, 12, 10)


def test_coverage_per_person_weakest_first(made: dict[str, Person]) -> None:
    viewer = user("manager")
    coverage = evidence_coverage(viewer=viewer, people=report_people(viewer))
    assert _summary(coverage) == [("Member", 4, 1, 1, 2), ("Pat", 2, 1, 0, 1)]
    assert [r.percent for r in coverage.rows] == [50, 50]
    assert [p.name for p in coverage.without_attainments] == ["Manager"]
    today = timezone.localdate()
    assert coverage.rows[0].latest == today - timedelta(days=20)
    assert coverage.rows[1].latest == months_before(today, 12)
    assert (coverage.attainments, coverage.covered) == (6, 3)


def test_a_private_observation_the_viewer_may_not_see_does_not_count(
    made: dict[str, Person],
) -> None:
    # the editor may see only shared observations of the member: the private evidence behind
    # mentoring 3 is not theirs to count, so that milestone shows as without evidence
    coverage = evidence_coverage(viewer=user("editor"), people=[made["member"]])
    assert _summary(coverage) == [("Member", 4, 2, 1, 1)]
    assert coverage.rows[0].latest == timezone.localdate() - timedelta(days=30)
    # the member's manager and the admin may see it
    for viewer in ("manager", "admin"):
        (row,) = evidence_coverage(viewer=user(viewer), people=[made["member"]]).rows
        assert (row.without_evidence, row.covered) == (1, 2)


def test_sorting_puts_the_weakest_first(made: dict[str, Person], framework: Framework) -> None:
    make = Maker(framework, made["manager"])
    bare = Person.objects.create(name="Aaron", email="aaron@x.test", manager=made["manager"])
    make.certify(bare, "coding", 1)
    viewer = user("manager")
    names = [
        r.person.name for r in evidence_coverage(viewer=viewer, people=report_people(viewer)).rows
    ]
    assert names == ["Aaron", "Member", "Pat"]  # 0%, then 50% with more milestones first


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_permissions(persona: str, page: str, persona_client: Clients, made: object) -> None:
    assert persona_client(persona).get(reverse(page)).status_code == ALLOWED[persona]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(page: str, made: object) -> None:
    response = Client().get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_page(persona_client: Clients, made: dict[str, Person]) -> None:
    html = persona_client("manager").get(reverse("report-evidence")).content.decode()
    assert "3 of 6 certified milestones have recent evidence" in html
    assert html.index(">Member<") < html.index(">Pat<")
    assert f'href="{reverse("person-progress", args=[made["pat"].uuid])}"' in html
    assert "50%" in html
    assert SECRET not in html  # counts only: no observation text on this page


def test_csv(persona_client: Clients, made: object) -> None:
    response = persona_client("admin").get(reverse("report-evidence-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["person"], r["attainments"], r["without_evidence"], r["only_old_evidence"],
             r["covered"], r["share_covered"]) for r in rows] == [
        ("Member", "4", "1", "1", "2", "0.50"),
        ("Pat", "2", "1", "0", "1", "0.50"),
    ]  # fmt: skip
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_flat(
    page: str, persona_client: Clients, made: dict[str, Person], framework: Framework
) -> None:
    client = persona_client("manager")
    make = Maker(framework, made["manager"])

    def grow(start: int, stop: int) -> None:
        for n in range(start, stop):
            who = Person.objects.create(name=f"P{n}", email=f"p{n}@x.test", manager=made["member"])
            make.certify(who, "coding", 1, make.seen(who, "coding", n * 20))
            make.certify(who, "testing", 1)

    grow(0, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(page)).status_code == 200
    grow(3, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(page)).status_code == 200
    assert len(many) == len(few) <= 16


def test_csv_cells_never_start_a_formula_even_in_an_email(persona_client, people, made) -> None:
    from ladders.reports.calibration_views import _safe

    assert _safe("=1+1@example.com") == "'=1+1@example.com"
    assert _safe("ana@example.com") == "ana@example.com"
    member = made["member"]
    member.email = "=1+1@example.com"
    member.save()
    body = persona_client("admin").get("/reports/evidence.csv").content.decode()
    assert "'=1+1@example.com" in body
    assert "=1+1@example.com" not in body.replace("'=1+1@example.com", "")
