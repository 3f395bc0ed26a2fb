from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ladders.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("viewer", "shown"), [("member", True), ("manager", True), ("admin", True), ("editor", False)]
)
def test_progress_and_check_in_links_only_for_those_who_may_see_them(
    viewer: str,
    shown: bool,
    people: dict[str, Person | None],
    persona_client: Callable[[str], Client],
) -> None:
    member = people["member"]
    assert member is not None
    page = persona_client(viewer).get(f"/people/{member.uuid}/").content.decode()
    assert (f'href="/people/{member.uuid}/progress/"' in page) is shown
    assert (f'href="/people/{member.uuid}/check-ins/"' in page) is shown
