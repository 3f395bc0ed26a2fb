"""The promotion packet reads in a fixed number of queries: the same with 3 attainments,
observations and check-ins as with 30."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ladders.checkins.models import CheckIn, CheckInRating, CheckInState, RaterRole
from ladders.org.models import Person
from ladders.progress.models import Attainment, Observation, ObservationSkill, Visibility
from ladders.reports.packet import promotion_packet
from ladders.reports.packet_markdown import packet_markdown
from tests.reports.test_packet import p, place, publish, user

People = dict[str, Person | None]
Clients = Callable[[str], Client]

# Selector: the viewer's person (who the packet is prepared for), position, latest version,
# attainments, evidence links, the chain below the viewer (the manager has one report: one
# query per level, 2), observations, their skill tags, check-ins, agreed ratings = 11.
SELECTOR_QUERIES = 11
# Page and download: session, user, the subject, then the selector's 11 (the viewer's person is
# loaded by the permission check and cached for the request) = 14.
PAGE_QUERIES = 14


def history(people: People, n: int) -> Person:
    """`n` active attainments on the extra skills, each with one observation as evidence (every
    other one private), and `n` // 3 agreed check-ins."""
    fw = publish(extra_skills=10)
    member, manager = p(people, "member"), p(people, "manager")
    place(member, fw)
    version = fw.versions.get()
    picks = [(f"extra-{i}", m) for i in range(10) for m in (1, 2, 3)][:n]
    for i, (skill, milestone) in enumerate(picks):
        observation = Observation.objects.create(
            subject=member,
            author=manager,
            framework=fw,
            text=f"Observation number {i}",
            observed_on=date(2026, 1, 1) + timedelta(days=i),
            visibility=Visibility.PRIVATE if i % 2 else Visibility.SHARED,
        )
        ObservationSkill.objects.create(
            observation=observation, skill_key=skill, milestone=milestone
        )
        attainment = Attainment.objects.create(
            person=member, framework=fw, skill_key=skill, milestone=milestone, certified_by=manager
        )
        attainment.evidence.add(observation)
    for i in range(n // 3):
        check_in = CheckIn.objects.create(
            person=member,
            framework=fw,
            version=version,
            snapshot=version.document,
            as_of=date(2025, 1, 1) + timedelta(days=30 * i),
            state=CheckInState.AGREED,
            agreed_at=timezone.now(),
            agreed_by=manager,
            summary=f"Summary {i}",
        )
        CheckInRating.objects.bulk_create(
            CheckInRating(
                check_in=check_in, skill_key=s["key"], rater_role=RaterRole.AGREED, milestone=1
            )
            for s in version.document["skills"]
        )
    return member


@pytest.mark.parametrize("n", [3, 30])
def test_selector_queries_are_flat(n: int, people: People, django_assert_num_queries: Any) -> None:
    member = history(people, n)
    viewer = user("manager")
    with django_assert_num_queries(SELECTOR_QUERIES):
        packet = promotion_packet(person=member, viewer=viewer)
        markdown = packet_markdown(packet)
    assert packet.attainment_count == n and packet.observation_count == n
    assert len(packet.check_ins) == n // 3
    assert markdown.count("Observation by Manager") == n


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("name", ["promotion-packet", "promotion-packet-md"])
def test_page_and_download_queries_are_flat(
    n: int, name: str, people: People, persona_client: Clients, django_assert_num_queries: Any
) -> None:
    member = history(people, n)
    client = persona_client("manager")
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(reverse(name, args=[member.uuid]))
    assert response.status_code == 200
    assert response.content.decode().count("Observation number") == n
