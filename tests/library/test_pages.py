"""Framework reading pages: who may see them, what unknown addresses show, and query counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.starter import load_starter
from ladders.library.services import framework_publish
from ladders.org.models import Person
from ladders.progress.models import Attainment, Observation, ObservationSkill, Visibility
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

STARTER = "/frameworks/ladders-starter"


@pytest.fixture
def starter_version() -> Any:
    return framework_publish(document=load_starter().framework)


MEMBER_PAGE = {"admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403}
MISSING = {"admin": 404, "editor": 404, "manager": 404, "member": 404, "outsider": 403}

# (url, expected status per persona); an outsider has an account but no place in the organisation.
PAGES = {
    "/": MEMBER_PAGE,
    f"{STARTER}/": MEMBER_PAGE,
    f"{STARTER}/?version=1": MEMBER_PAGE,
    f"{STARTER}/skills/code-quality/": MEMBER_PAGE,
    f"{STARTER}/tracks/engineer/": MEMBER_PAGE,
    f"{STARTER}/tracks/engineer/compare/?from=IC1&to=IC2": MEMBER_PAGE,
    f"{STARTER}/search/?q=review": MEMBER_PAGE,
    f"{STARTER}/versions/": MEMBER_PAGE,
    f"{STARTER}/diff/?from=1&to=1": MEMBER_PAGE,
    "/frameworks/no-such-framework/": MISSING,
    f"{STARTER}/skills/no-such-skill/": MISSING,
    f"{STARTER}/tracks/no-such-track/": MISSING,
    f"{STARTER}/tracks/engineer/compare/?from=IC1&to=nope": MISSING,
    f"{STARTER}/?version=9": MISSING,
    f"{STARTER}/diff/?from=1&to=9": MISSING,
}

PAGE_NAMES = [
    "/frameworks/{key}/",
    "/frameworks/{key}/skills/code-quality/",
    "/frameworks/{key}/tracks/engineer/",
    "/frameworks/{key}/tracks/engineer/compare/",
    "/frameworks/{key}/search/?q=review",
    "/frameworks/{key}/versions/",
    "/frameworks/{key}/diff/",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", list(PAGES))
def test_page_permissions(
    url: str, persona: str, persona_client: Callable[[str], Client], starter_version: Any
) -> None:
    response = persona_client(persona).get(url)
    assert response.status_code == PAGES[url][persona]


@pytest.mark.parametrize("url", list(PAGES))
def test_anonymous_visitors_are_sent_to_sign_in(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_login_page_is_public() -> None:
    assert Client().get("/login/").status_code == 200


def test_django_admin_is_for_superusers_only(persona_client: Callable[[str], Client]) -> None:
    for persona in PERSONAS:
        assert persona_client(persona).get("/admin/").status_code == 302


# --- unknown addresses: a page that says what is missing, never a 500 --------------------------


@pytest.mark.parametrize("url", PAGE_NAMES)
def test_every_page_of_an_unknown_framework_says_so(
    url: str, persona_client: Callable[[str], Client], starter_version: Any
) -> None:
    response = persona_client("member").get(url.format(key="nope"))
    assert response.status_code == 404
    assert "There is no framework with the key “nope”" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"{STARTER}/skills/code-qualty/", "has no skill “code-qualty”"),
        (f"{STARTER}/tracks/enginer/", "has no track “enginer”"),
        (f"{STARTER}/tracks/enginer/compare/?from=IC1&to=IC2", "has no track “enginer”"),
        (f"{STARTER}/tracks/engineer/compare/?from=nope&to=IC2", "Engineer has no level “nope”"),
        (f"{STARTER}/tracks/engineer/compare/?from=IC1&to=IC99", "Its levels are IC1, IC2"),
        (f"{STARTER}/?version=9", "has no version 9"),
        (f"{STARTER}/?version=abc", "“abc” is not a version number"),
        (f"{STARTER}/?version=-1", "“-1” is not a version number"),
        (f"{STARTER}/skills/code-quality/?version=2", "has no version 2"),
        (f"{STARTER}/diff/?from=1&to=9", "There is no version 9. The published versions are 1"),
        (f"{STARTER}/diff/?from=x&to=1", "“x” is not a version number"),
    ],
)
def test_unknown_parts_get_a_helpful_404(
    url: str, message: str, persona_client: Callable[[str], Client], starter_version: Any
) -> None:
    response = persona_client("member").get(url)
    assert response.status_code == 404
    assert message in response.content.decode()


def test_a_mistyped_skill_key_suggests_the_skill_meant(
    persona_client: Callable[[str], Client], starter_version: Any
) -> None:
    html = persona_client("member").get(f"{STARTER}/skills/code-qualty/").content.decode()
    assert "Did you mean Code quality?" in html
    assert f'href="{STARTER}/skills/code-quality/"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=IC2&to=IC2", "Choose two different levels"),
        ("?from=IC2", "Choose a level to compare to"),
        ("?to=IC2", "Choose a level to compare from"),
    ],
)
def test_an_incomplete_comparison_asks_for_what_is_missing(
    query: str, message: str, persona_client: Callable[[str], Client], starter_version: Any
) -> None:
    response = persona_client("member").get(f"{STARTER}/tracks/engineer/compare/{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'name="from"' in html  # the form is there to fix it


# --- query counts: the same for 2 or 12 skills, levels, versions and people ---------------------


def _sized(size: int, revision: int = 0) -> Any:
    """A framework of `size` skills and a track of `size` levels, each asking for every skill."""
    skills = [
        {
            "key": f"s{i}",
            "name": f"Skill {i}",
            "category": "c",
            "milestones": [
                {"number": n, "summary": f"Step {n} of {i} (r{revision})", "signals": ["a step"]}
                for n in (1, 2, 3)
            ],
        }
        for i in range(size)
    ]
    levels = [
        {
            "code": f"L{j}",
            "title": f"Level {j}",
            "summary": f"A step up {j}",
            "expectations": [{"topic": "Impact", "items": [f"Does {j}", "a step"]}],
            "requirements": {"milestones": {f"s{i}": min(3, j + 1) for i in range(size)}},
        }
        for j in range(size)
    ]
    return framework_from_data(
        {
            "schema": "ladders/v1",
            "key": "sized",
            "name": "Sized",
            "categories": [{"key": "c", "name": "C"}],
            "skills": skills,
            "tracks": [{"key": "t", "name": "T", "levels": levels}],
            "scoring": {"titles": [{"name": "Any", "track": "t"}]},
        }
    )


def _add_people(count: int, manager: Person, author: Person) -> None:
    """People below `manager`, each with attainments and a private and a shared observation."""
    for i in range(count):
        person = Person.objects.create(
            name=f"P{Person.objects.count()}-{i}",
            email=f"p{Person.objects.count()}-{i}@example.com",
            manager=manager,
        )
        framework = _framework()
        for n in (1, 2):
            Attainment.objects.create(
                person=person, framework=framework, skill_key="s0", milestone=n, certified_by=author
            )
        for visibility in Visibility:
            observation = Observation.objects.create(
                subject=person,
                author=author,
                framework=framework,
                text="Did a thing",
                observed_on=datetime.date(2024, 1, 1),
                visibility=visibility,
            )
            ObservationSkill.objects.create(observation=observation, skill_key="s0")


def _framework() -> Any:
    from ladders.library.models import Framework

    return Framework.objects.get(key="sized")


SIZED_URLS = [
    "/",
    "/frameworks/sized/",
    "/frameworks/sized/?version=1",
    "/frameworks/sized/skills/s0/",
    "/frameworks/sized/tracks/t/",
    "/frameworks/sized/tracks/t/compare/?from=L0&to=L1",
    "/frameworks/sized/search/?q=step",
    "/frameworks/sized/versions/",
    "/frameworks/sized/diff/",
    "/frameworks/sized/diff/?from=1&to=2",
]


@pytest.mark.parametrize("persona", ["manager", "member"])
@pytest.mark.parametrize("url", SIZED_URLS)
def test_query_count_does_not_grow_with_skills_levels_versions_or_people(
    url: str,
    persona: str,
    persona_client: Callable[[str], Client],
    people: dict[str, Person | None],
) -> None:
    client = persona_client(persona)
    manager, admin = people["manager"], people["admin"]
    assert manager is not None and admin is not None
    framework_publish(document=_sized(2))
    framework_publish(document=_sized(2, revision=1))
    _add_people(1, manager, admin)
    client.get(url)  # warm up what is loaded once per process
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for revision in range(2, 5):
        framework_publish(document=_sized(12, revision=revision))
    framework_publish(document=load_starter().framework)
    _add_people(10, manager, admin)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(small) <= 9


def test_overview_reads_the_version_in_one_query(
    persona_client: Callable[[str], Client], starter_version: Any
) -> None:
    client = persona_client("admin")
    client.get(f"{STARTER}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"{STARTER}/")
    assert len(queries) <= 4  # session, user, person, version with its framework and publisher


def test_pages_never_parse_a_published_document_again(
    persona_client: Callable[[str], Client], starter_version: Any, monkeypatch: Any
) -> None:
    client = persona_client("member")
    client.get(f"{STARTER}/")  # parsed once here (or earlier in this process)
    from ladders.library import selectors

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a page parsed a framework document again")

    monkeypatch.setattr(selectors, "framework_from_data", refuse)
    for url in PAGE_NAMES:
        assert client.get(url.format(key="ladders-starter")).status_code == 200


def test_admin_cannot_hand_make_frameworks_or_versions(db: None, starter_version: Any) -> None:
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "pw"))
    assert admin.get("/admin/library/frameworkversion/add/").status_code == 403
    assert admin.get("/admin/library/framework/add/").status_code == 403


def test_frameworks_without_a_version_are_not_listed(
    persona_client: Callable[[str], Client],
) -> None:
    from ladders.library.models import Framework

    Framework.objects.create(key="empty-one", name="Empty one")
    assert "Empty one" not in persona_client("member").get("/").content.decode()
    assert persona_client("member").get("/frameworks/empty-one/").status_code == 404
    assert persona_client("member").get("/frameworks/empty-one/versions/").status_code == 404
