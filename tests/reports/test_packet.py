"""The promotion packet: page and Markdown download of one person's case for a target level.

The fixture is built by hand, so every number below is counted here, not read from the code:

Framework "packet-test", scoring 'highest' with the default points (1, 3, 6 for milestones
1, 2, 3). Skills: design and testing (category Craft), mentoring and hiring (category People).
Track "eng": E1 (design 1), E2 (design 2, testing 2, mentoring 1, 8 points in total, 6 points
in Craft), E3 (design 3, testing 3, mentoring 2).

The member holds position eng/E1. Active attainments (all certified by the manager):
design 1, design 2, testing 1, mentoring 1, hiring 1 = 5; testing 2 was certified then revoked.
So milestones are design 2 (3 points), testing 1 (1), mentoring 1 (1), hiring 1 (1) = 6 points;
Craft = 3 + 1 = 4.

Default target E2 (the level after E1). Requirements, in the framework's order:
  design at 2:    has 2, met       attainments 2 (design 1, 2)  observations 2 (O1, O3)
  testing at 2:   has 1, NOT met   attainments 1 (testing 1)    observations 1 (O2, private)
  mentoring at 1: has 1, met       attainments 1                observations 0 (O5 is deleted)
  8 points total: has 6, NOT met (2 short)
  6 in Craft:     has 4, NOT met   attainments 3                observations 3 (O1, O2, O3)
2 of 5 met, 2 points short. Hiring is named by no milestone requirement, so it is listed under
"Other skills" with O4. Totals: 5 certified milestones, 4 observations (O1 to O4).

Observations of the member: O1 shared, by the manager, evidence of design 2; O2 private, by the
manager, evidence of testing 1; O3 shared, by the member, tagged design (no milestone); O4
shared, by the editor, tagged hiring 1; O5 shared, tagged mentoring, deleted by its author.

Check-ins: agreed as of 10 Jan 2026 ("Steady first quarter."), agreed as of 1 Mar 2026 ("Ready
to lead design work."), and one open as of 1 May 2026, still waiting for the self-rating.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ladders.checkins.models import CheckIn
from ladders.checkins.services import (
    checkin_agree,
    checkin_create,
    checkin_rate,
    checkin_submit_manager,
    checkin_submit_self,
)
from ladders.frameworks.loader import framework_from_data
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position
from ladders.progress.attainments import attainment_certify, attainment_revoke
from ladders.progress.models import Observation, Visibility
from ladders.progress.services import observation_create
from ladders.reports.packet import promotion_packet
from ladders.reports.packet_markdown import packet_markdown
from tests.conftest import PERSONAS

People = dict[str, Person | None]
Clients = Callable[[str], Client]

VIEW = {"admin": 200, "editor": 403, "manager": 200, "member": 200, "outsider": 403}


def framework_data(extra_skills: int = 0) -> dict[str, Any]:
    skills = [
        ("design", "Design", "craft", 3),
        ("testing", "Testing", "craft", 3),
        ("mentoring", "Mentoring", "people", 3),
        ("hiring", "Hiring", "people", 2),
    ] + [(f"extra-{i}", f"Extra {i}", "people", 3) for i in range(extra_skills)]
    return {
        "schema": "ladders/v1",
        "key": "packet-test",
        "name": "Packet test framework",
        "categories": [{"key": "craft", "name": "Craft"}, {"key": "people", "name": "People"}],
        "skills": [
            {
                "key": key,
                "name": name,
                "category": category,
                "milestones": [
                    {"number": n, "summary": f"{name} step {n}"} for n in range(1, top + 1)
                ],
            }
            for key, name, category, top in skills
        ],
        "tracks": [
            {
                "key": "eng",
                "name": "Engineering",
                "levels": [
                    {
                        "code": "E1",
                        "title": "Engineer",
                        "requirements": {"milestones": {"design": 1}},
                    },
                    {
                        "code": "E2",
                        "title": "Senior engineer",
                        "requirements": {
                            "milestones": {"design": 2, "testing": 2, "mentoring": 1},
                            "min_points": 8,
                            "category_points": {"craft": 6},
                        },
                    },
                    {
                        "code": "E3",
                        "title": "Staff engineer",
                        "requirements": {"milestones": {"design": 3, "testing": 3, "mentoring": 2}},
                    },
                ],
            },
            {"key": "lead", "name": "Leadership", "levels": [{"code": "L1"}]},
        ],
    }


def publish(extra_skills: int = 0) -> Framework:
    doc = framework_from_data(framework_data(extra_skills))
    return framework_publish(document=doc).framework


def p(people: People, name: str) -> Person:
    person = people[name]
    assert person is not None
    return person


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def place(person: Person, framework: Framework, level: str = "E1") -> Position:
    return Position.objects.create(
        person=person,
        framework=framework,
        version=framework.versions.get(),
        track_key="eng",
        level_code=level,
        started_on=date(2025, 6, 1),
    )


def observe(
    author: Person,
    subject: Person,
    framework: Framework,
    text: str,
    skills: list[tuple[str, int | None]],
    *,
    private: bool = False,
    on: date = date(2026, 2, 1),
) -> Observation:
    return observation_create(
        author=author,
        subject=subject,
        framework=framework,
        text=text,
        observed_on=on,
        skills=skills,
        visibility=Visibility.PRIVATE if private else Visibility.SHARED,
    )


def check_in(person: Person, as_of: date, summary: str | None, milestone: int = 1) -> CheckIn:
    """A check-in of the member; agreed (every skill at `milestone`) unless summary is None."""
    made = checkin_create(person=person, actor=user("member"), as_of=as_of)
    if summary is None:
        return made
    keys = [s["key"] for s in made.snapshot["skills"]]
    checkin_rate(
        check_in=made,
        rater_role="self",
        ratings={k: (milestone, "") for k in keys},
        actor=user("member"),
    )
    checkin_submit_self(check_in=made, actor=user("member"))
    checkin_rate(
        check_in=made,
        rater_role="manager",
        ratings={k: (milestone, "") for k in keys},
        actor=user("manager"),
    )
    checkin_submit_manager(check_in=made, actor=user("manager"))
    return checkin_agree(
        check_in=made,
        agreed={k: milestone for k in keys},
        summary=summary,
        actor=user("manager"),
    )


@pytest.fixture
def case(people: People) -> dict[str, Any]:
    """The hand-built case described at the top of this module."""
    fw = publish()
    member, manager, editor = p(people, "member"), p(people, "manager"), p(people, "editor")
    place(member, fw)
    o1 = observe(
        manager, member, fw, "**Led** the cache design. <script>alert(1)</script>", [("design", 2)]
    )
    o2 = observe(
        manager,
        member,
        fw,
        "Quietly fixed the flaky payment tests.",
        [("testing", 1)],
        private=True,
    )
    o3 = observe(member, member, fw, "Wrote the design note for search.", [("design", None)])
    o4 = observe(editor, member, fw, "Ran two interviews well.", [("hiring", 1)])
    o5 = observe(manager, member, fw, "Paired with the new joiner.", [("mentoring", 1)])
    Observation.objects.filter(pk=o5.pk).update(deleted_at=timezone.now())

    def certify(skill: str, milestone: int, evidence: list[Observation] = ()) -> Any:  # type: ignore[assignment]
        return attainment_certify(
            person=member,
            framework=fw,
            skill_key=skill,
            milestone=milestone,
            certified_by=manager,
            evidence=list(evidence),
        )

    certify("design", 1)
    certify("design", 2, [o1])
    certify("testing", 1, [o2])
    attainment_revoke(attainment=certify("testing", 2), revoked_by=manager, reason="Too early")
    certify("mentoring", 1)
    certify("hiring", 1, [o4])
    check_in(member, date(2026, 1, 10), "Steady first quarter.")
    check_in(member, date(2026, 3, 1), "Ready to lead design work.", milestone=2)
    check_in(member, date(2026, 5, 1), None)
    return {"framework": fw, "member": member, "observations": [o1, o2, o3, o4, o5]}


def page(member: Person, query: str = "") -> str:
    return reverse("promotion-packet", args=[member.uuid]) + query


def markdown_url(member: Person, query: str = "") -> str:
    return reverse("promotion-packet-md", args=[member.uuid]) + query


def text(html: bytes | str) -> str:
    raw = html.decode() if isinstance(html, bytes) else html
    raw = re.sub(r"<style.*?</style>", " ", raw, flags=re.S)
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", raw)).split())
    return re.sub(r" ([.,:;])", r"\1", words)  # "<b>6</b>." reads "6."


def rows(html: bytes) -> list[str]:
    found = re.findall(r'<tr data-testid="req-row">(.*?)</tr>', html.decode(), flags=re.S)
    return [text(r) for r in found]


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_packet_page_permissions_match_the_progress_page(
    persona: str, persona_client: Clients, case: dict[str, Any]
) -> None:
    client = persona_client(persona)
    member = case["member"]
    progress = client.get(reverse("person-progress", args=[member.uuid])).status_code
    response = client.get(page(member))
    assert response.status_code == VIEW[persona] == progress
    if response.status_code == 200:
        assert "Promotion packet: Member" in text(response.content)


@pytest.mark.parametrize("persona", PERSONAS)
def test_markdown_permissions(persona: str, persona_client: Clients, case: dict[str, Any]) -> None:
    response = persona_client(persona).get(markdown_url(case["member"]))
    assert response.status_code == VIEW[persona]
    if response.status_code == 200:
        assert response.content.decode().startswith("# Promotion packet: Member\n")


@pytest.mark.parametrize("url", [page, markdown_url])
def test_anonymous_is_sent_to_sign_in(url: Callable[[Person], str], case: dict[str, Any]) -> None:
    response = Client().get(url(case["member"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("url", [page, markdown_url])
def test_a_report_cannot_open_their_managers_packet(
    url: Callable[[Person], str], persona_client: Clients, people: People, case: dict[str, Any]
) -> None:
    assert persona_client("member").get(url(p(people, "manager"))).status_code == 403


def test_unknown_person_is_404(persona_client: Clients, case: dict[str, Any]) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    assert persona_client("admin").get(f"/people/{missing}/packet/").status_code == 404
    assert persona_client("admin").get(f"/people/{missing}/packet.md").status_code == 404


# --- what the packet says ------------------------------------------------------------------------


def test_page_lists_each_requirement_met_or_missing_with_its_evidence_counts(
    persona_client: Clients, case: dict[str, Any]
) -> None:
    html = persona_client("manager").get(page(case["member"])).content
    words = text(html)
    assert "E2 Senior engineer on Engineering" in words
    assert "Current level E1 Engineer" in words
    # label, has, needs, status, certified milestones, observations
    assert rows(html) == [
        "Design at milestone 2 2 2 met 2 2",
        "Testing at milestone 2 1 2 not met 1 1",
        "Mentoring at milestone 1 1 1 met 1 0",
        "8 points in total 6 8 not met — —",
        "6 points in Craft 4 6 not met 3 3",
    ]
    assert "2 of 5 requirements met, 2 points short. Points: 6." in words
    assert "Evidence: 5 certified milestones, 4 observations." in words
    assert "Not met 6 points in Craft Has 4, needs 6: 2 short." in words


def test_page_shows_attainments_with_evidence_and_other_tagged_observations(
    persona_client: Clients, case: dict[str, Any]
) -> None:
    html = persona_client("manager").get(page(case["member"])).content.decode()
    words = text(html)
    section = words[words.index("Met Design at milestone 2") : words.index("Not met Testing")]
    assert "Milestone 1 certified by Manager" in section
    assert "no evidence you can see was attached" in section
    assert "Milestone 2 certified by Manager" in section
    assert "Led the cache design." in section  # its evidence
    assert "Other observations tagged Design" in section
    assert "Wrote the design note for search." in section
    # the revoked testing 2 is not part of the case; the deleted observation never shows
    testing = words[words.index("Not met Testing") : words.index("Met Mentoring")]
    assert "Milestone 2 certified" not in testing
    assert "Paired with the new joiner" not in words
    # hiring is named by no milestone requirement: it has its own section
    other = words[words.index("Other skills") :]
    assert "Hiring (People)" in other and "Ran two interviews well." in other


def test_observation_markdown_is_rendered_safely_in_html_and_kept_in_markdown(
    persona_client: Clients, case: dict[str, Any]
) -> None:
    client = persona_client("manager")
    html = client.get(page(case["member"])).content.decode()
    assert "<strong>Led</strong> the cache design." in html
    assert "<script>alert(1)</script>" not in html
    markdown = client.get(markdown_url(case["member"])).content.decode()
    assert "> **Led** the cache design. <script>alert(1)</script>" in markdown


def test_check_in_history_and_the_latest_summary(
    persona_client: Clients, case: dict[str, Any]
) -> None:
    html = persona_client("manager").get(page(case["member"])).content.decode()
    latest = re.search(r'data-testid="latest-summary">(.*?)</blockquote>', html, flags=re.S)
    assert latest is not None and text(latest.group(1)) == "Ready to lead design work."
    history = [text(h) for h in re.findall(r'data-testid="check-in">(.*?)</div>', html, re.S)]
    assert len(history) == 3
    assert history[0].startswith("Check-in as of 1 May 2026 Waiting for the self-rating")
    assert history[1].startswith("Check-in as of 1 Mar 2026 Agreed and locked")
    assert "by Manager" in history[1]
    assert "Agreed milestones: Design 2, Testing 2, Mentoring 2, Hiring 2" in history[1]
    assert history[1].endswith("Ready to lead design work.")
    assert history[2].startswith("Check-in as of 10 Jan 2026 Agreed and locked")
    assert history[2].endswith("Steady first quarter.")


def test_markdown_download_says_the_same(persona_client: Clients, case: dict[str, Any]) -> None:
    response = persona_client("manager").get(markdown_url(case["member"]))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="packet-member-e2.md"'
    md = response.content.decode()
    assert "- Target: **E2 Senior engineer** on Engineering" in md
    assert "- Current level: E1 Engineer" in md
    assert "## Other skills" in md.splitlines()
    assert "2 of 5 requirements met, 2 points short. Points: 6." in md
    assert "Evidence: 5 certified milestones, 4 observations." in md
    for line in [
        "| Design at milestone 2 | 2 | 2 | yes |",
        "| Testing at milestone 2 | 1 | 2 | no |",
        "| Mentoring at milestone 1 | 1 | 1 | yes |",
        "| 8 points in total | 6 | 8 | no |",
        "| 6 points in Craft | 4 | 6 | no |",
        "### Not met: Testing at milestone 2",
        "Has 1, needs 2, 1 short.",
        "Milestone 2 reached, worth 3 points. 2 certified milestones, 2 observations.",
        "3 certified milestones and 3 observations across its skills.",
        "| Craft | 4 | 12 |",
        "### Hiring (People)",
        "    > Ran two interviews well.",
        "Manager's latest summary (check-in as of 1 Mar 2026):",
        "### Check-in as of 1 May 2026: Waiting for the self-rating",
        "- Agreed milestones: Design 1, Testing 1, Mentoring 1, Hiring 1",
        "> Steady first quarter.",
    ]:
        assert line in md.splitlines(), line
    assert md.count("- **Milestone ") == 5
    assert "Paired with the new joiner" not in md


# --- private observations ------------------------------------------------------------------------


PRIVATE = "Quietly fixed the flaky payment tests."


@pytest.mark.parametrize("persona", ["admin", "manager", "member"])
def test_entitled_viewers_see_the_private_observation_in_both_formats(
    persona: str, persona_client: Clients, case: dict[str, Any]
) -> None:
    client = persona_client(persona)
    html = client.get(page(case["member"])).content.decode()
    assert PRIVATE in html and "obs-private" in html
    assert (
        "Observation by Manager, 1 Feb 2026 (private) · Testing 1"
        in client.get(markdown_url(case["member"])).content.decode()
    )


@pytest.mark.parametrize(
    ("viewer", "seen", "per_requirement"),
    [
        # O2 was the only observation behind testing; the editor still sees O1, O3 and O4
        ("editor", 3, [2, 0, 0, 0, 2]),
        # an account with no person in the organisation sees no observation at all
        ("outsider", 0, [0, 0, 0, 0, 0]),
    ],
)
def test_a_viewer_not_entitled_never_gets_the_private_observation(
    viewer: str, seen: int, per_requirement: list[int], case: dict[str, Any]
) -> None:
    # Through the pages nobody unentitled gets this far (403), so build the packet directly:
    # the selector applies the visibility rule by itself, whoever calls it.
    packet = promotion_packet(person=case["member"], viewer=user(viewer))
    html = render_to_string(
        "reports/packet.html", {"person": case["member"], "packet": packet, "user": user(viewer)}
    )
    md = packet_markdown(packet)
    assert PRIVATE not in html and PRIVATE not in md
    assert packet.observation_count == seen
    assert [r.observation_count for r in packet.requirements] == per_requirement
    assert f"Evidence: 5 certified milestones, {seen} observations." in md
    assert ("**Led** the cache design" in md) is (seen > 0)  # shared ones still show


# --- choosing the target level -------------------------------------------------------------------


def test_another_level_is_chosen_with_the_get_form(
    persona_client: Clients, case: dict[str, Any]
) -> None:
    client = persona_client("manager")
    html = client.get(page(case["member"])).content.decode()
    assert '<form method="get"' in html and 'name="track"' in html and 'name="level"' in html
    assert '<option value="E2" selected>' in html
    chosen = client.get(page(case["member"], "?track=eng&level=E3")).content
    assert rows(chosen) == [
        "Design at milestone 3 2 3 not met 2 2",
        "Testing at milestone 3 1 3 not met 1 1",
        "Mentoring at milestone 2 1 2 not met 1 0",
    ]
    md = client.get(markdown_url(case["member"], "?track=eng&level=E3")).content.decode()
    assert "0 of 3 requirements met." in md


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?track=nope", "Packet test framework has no track 'nope'; its tracks are: eng"),
        ("?level=Z9", "Engineering has no level 'Z9'; its levels are: E1, E2, E3."),
        ("?track=eng&level=L1", "L1 is on Leadership: choose that track."),
    ],
)
def test_unknown_track_or_level_is_a_clear_400(
    query: str, message: str, persona_client: Clients, case: dict[str, Any]
) -> None:
    client = persona_client("manager")
    response = client.get(page(case["member"], query))
    assert response.status_code == 400
    assert message in text(response.content)
    assert 'name="level"' in response.content.decode()  # the form to choose again
    download = client.get(markdown_url(case["member"], query))
    assert download.status_code == 400 and message in download.content.decode()
    assert download["Content-Type"] == "text/plain; charset=utf-8"


def test_top_of_the_track_asks_for_a_level(
    persona_client: Clients, people: People, case: dict[str, Any]
) -> None:
    Position.objects.filter(person=case["member"]).update(level_code="E3")
    response = persona_client("manager").get(page(case["member"]))
    assert response.status_code == 200
    assert "Member is at the top of Engineering (E3)" in text(response.content)
    assert "E2" in text(persona_client("manager").get(page(case["member"], "?level=E2")).content)


def test_without_a_position_the_next_level_comes_from_the_certified_milestones(
    persona_client: Clients, case: dict[str, Any]
) -> None:
    # design 2 meets E1 but not E2, so the member is at E1 and E2 comes next
    Position.objects.filter(person=case["member"]).delete()
    html = persona_client("manager").get(page(case["member"])).content
    assert "E2 Senior engineer on Engineering" in text(html)


# --- the page itself -----------------------------------------------------------------------------


def test_progress_page_links_to_the_packet(persona_client: Clients, case: dict[str, Any]) -> None:
    html = persona_client("member").get(reverse("person-progress", args=[case["member"].uuid]))
    assert f'href="{page(case["member"])}">Promotion packet</a>' in html.content.decode()


def test_page_prints_without_navigation_and_breaks_between_sections(
    persona_client: Clients, case: dict[str, Any]
) -> None:
    html = persona_client("manager").get(page(case["member"])).content.decode()
    assert "@media print" in html and "break-before: page" in html
    assert html.count('data-testid="requirement"') == 5
    assert f'href="{markdown_url(case["member"])}?track=eng&amp;level=E2"' in html
