from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.starter import load_starter
from ladders.library.services import framework_publish
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def starter_version() -> Any:
    return framework_publish(document=load_starter().framework)


# (url, expected status per persona); an outsider has an account but no place in the organisation.
PAGES = {
    "/": {"admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403},
    "/frameworks/ladders-starter/": {
        "admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403,
    },
    "/frameworks/no-such-framework/": {
        "admin": 404, "editor": 404, "manager": 404, "member": 404, "outsider": 403,
    },
}  # fmt: skip


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


def test_framework_page_shows_every_skill_and_level(
    persona_client: Callable[[str], Client], starter_version: Any
) -> None:
    html = persona_client("member").get("/frameworks/ladders-starter/").content.decode()
    doc = load_starter().framework
    for skill in doc.skills:
        assert skill.name in html
    for track in doc.tracks:
        for level in track.levels:
            assert f"<td>{level.code}</td>" in html


def _framework_with(skills: int) -> Any:
    return framework_from_data(
        {
            "schema": "ladders/v1",
            "key": "sized",
            "name": "Sized",
            "categories": [{"key": "c", "name": "C"}],
            "skills": [
                {"key": f"s{i}", "name": f"S{i}", "category": "c",
                 "milestones": [{"number": 1, "summary": f"Step of {i}"}]}
                for i in range(skills)
            ],
        }
    )  # fmt: skip


@pytest.mark.parametrize("url", ["/", "/frameworks/sized/"])
def test_query_count_does_not_grow_with_skills_or_frameworks(
    url: str, persona_client: Callable[[str], Client]
) -> None:
    client = persona_client("member")
    framework_publish(document=_framework_with(2))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    framework_publish(document=_framework_with(40))
    framework_publish(document=load_starter().framework)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
    assert len(small) <= 5  # session, user, person, framework(s), version


def test_admin_cannot_hand_make_frameworks_or_versions(db: None, starter_version: Any) -> None:
    from django.contrib.auth import get_user_model

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
