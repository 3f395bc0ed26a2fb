"""Observations through the API: only what `observation_visible_q` allows, in lists, counts,
reads and earlier versions; writes as the pages allow them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ladders.progress.models import Observation, ObservationRevision, Visibility
from ladders.progress.services import observation_update

from .test_progress_fixtures import Org, observe

pytest_plugins = ["tests.api.test_progress_fixtures"]  # the small framework and `org`

ALL = ["admin", "editor", "manager", "member"]


@pytest.fixture
def seen(org: Org) -> dict[str, Observation]:
    """o1 manager→member private; o2 editor→member shared; o3 member→editor private;
    gone: member→member shared but deleted."""
    made = {
        "o1": observe(org, author=org.manager, subject=org.member, visibility=Visibility.PRIVATE),
        "o2": observe(
            org,
            author=org.editor,
            subject=org.member,
            skills=(("testing", 2), ("coding", None)),
            on=date(2026, 4, 1),
        ),
        "o3": observe(org, author=org.member, subject=org.editor, visibility=Visibility.PRIVATE),
        "gone": observe(org, author=org.member, subject=org.member),
    }
    Observation.objects.filter(pk=made["gone"].pk).update(deleted_at=timezone.now())
    return made


def _uuids(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {o["uuid"] for o in response.json()["results"]}


# --- lists and counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("admin", {"o1", "o2", "o3"}),
        ("editor", {"o2", "o3"}),
        ("manager", {"o1", "o2"}),
        ("member", {"o1", "o2", "o3"}),
    ],
)
def test_list_and_count_show_only_what_the_caller_may_see(
    api_client, seen, persona: str, visible: set[str]
) -> None:
    client = api_client(persona)
    expected = {str(seen[name].uuid) for name in visible}
    assert _uuids(client.get("observations")) == expected
    assert client.get("observations/count").json() == {"count": len(expected)}


def test_outsider_is_refused_and_anonymous_must_authenticate(api_client, seen) -> None:
    for path in ["observations", "observations/count", f"observations/{seen['o2'].uuid}"]:
        assert api_client("outsider").get(path).status_code == 403
        assert api_client("anonymous").get(path).status_code == 401


def test_filters_person_author_mine_skill_dates_and_visibility(api_client, seen, org: Org) -> None:
    member = api_client("member")
    u = {name: str(o.uuid) for name, o in seen.items()}
    assert _uuids(member.get("observations", person=str(org.member.uuid))) == {u["o1"], u["o2"]}
    assert _uuids(member.get("observations", author=str(org.editor.uuid))) == {u["o2"]}
    assert _uuids(member.get("observations", mine="true")) == {u["o3"]}
    assert _uuids(member.get("observations", skill="testing")) == {u["o2"]}
    assert _uuids(member.get("observations", since="2026-03-15")) == {u["o2"]}
    assert _uuids(member.get("observations", until="2026-03-01")) == {u["o1"], u["o3"]}
    assert _uuids(member.get("observations", visibility="private")) == {u["o1"], u["o3"]}
    # the editor may not see o1: the person filter does not reveal it, nor does the count
    editor = api_client("editor")
    assert _uuids(editor.get("observations", person=str(org.member.uuid))) == {u["o2"]}
    assert editor.get("observations/count", person=str(org.member.uuid)).json()["count"] == 1


def test_list_shape_and_order(api_client, seen, org: Org) -> None:
    body = api_client("member").get("observations", person=str(org.member.uuid)).json()
    first = body["results"][0]
    assert first["uuid"] == str(seen["o2"].uuid)  # observed 1 April, newer than o1's 1 March
    assert first["author"] == {"uuid": str(org.editor.uuid), "name": "Editor"}
    assert first["skills"] == [
        {"key": "coding", "milestone": None},
        {"key": "testing", "milestone": 2},
    ]
    assert first["framework"] == "small" and first["visibility"] == "shared"


def test_filter_errors(api_client, seen) -> None:
    client = api_client("member")
    response = client.get("observations", person="7b4c1a52-3c1f-4c0e-9a55-1d2a7b9f6e10")
    assert response.status_code == 404
    response = client.get("observations", skill="Not A Key")
    assert response.status_code == 422 and "query.skill" in response.json()["error"]["fields"]
    assert client.get("observations", since="yesterday").status_code == 422


def test_list_queries_stay_flat(api_client, org: Org, django_assert_max_num_queries) -> None:
    client = api_client("member")
    for _ in range(3):
        observe(org, author=org.manager, subject=org.member)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("observations").json()["results"]) == 3
    for _ in range(27):
        observe(org, author=org.manager, subject=org.member, skills=(("coding", 1), ("testing", 1)))
    with django_assert_max_num_queries(len(few)):
        assert len(client.get("observations").json()["results"]) == 30
    assert len(few) <= 8


# --- read ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("editor", 404), ("manager", 200), ("member", 200)]
)
def test_get_a_private_observation(api_client, seen, persona: str, status: int) -> None:
    response = api_client(persona).get(f"observations/{seen['o1'].uuid}")
    assert response.status_code == status
    if status == 200:
        assert response.json()["text"] == "Saw it"
    else:
        assert response.json()["error"]["code"] == "not_found"


def test_a_deleted_observation_is_gone_for_everyone(api_client, seen) -> None:
    for persona in ALL:
        assert api_client(persona).get(f"observations/{seen['gone'].uuid}").status_code == 404


# --- create --------------------------------------------------------------------------------------


def _body(org: Org, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "subject": str(org.member.uuid),
        "text": "Reviewed the **parser** change with care.",
        "observed_on": "2026-05-02",
        "link": "https://example.com/pull/7",
        "visibility": "shared",
        "skills": [{"key": "coding", "milestone": 2}, {"key": "testing"}],
    }
    body.update(changes)
    return body


@pytest.mark.parametrize("persona", ALL)
def test_any_member_may_write_an_observation(api_client, org: Org, persona: str) -> None:
    response = api_client(persona).post("observations", _body(org))
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["subject"]["uuid"] == str(org.member.uuid)
    assert made["author"]["name"] == persona.title()
    assert made["skills"] == [
        {"key": "coding", "milestone": 2},
        {"key": "testing", "milestone": None},
    ]
    saved = Observation.objects.get(uuid=made["uuid"])
    assert saved.author.name == persona.title() and saved.link == "https://example.com/pull/7"


def test_create_is_refused_to_outsiders_anonymous_and_read_only_tokens(api_client, org) -> None:
    assert api_client("outsider").post("observations", _body(org)).status_code == 403
    assert api_client("anonymous").post("observations", _body(org)).status_code == 401
    response = api_client("member", read_only=True).post("observations", _body(org))
    assert response.status_code == 403
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"skills": [{"key": "cooking"}]}, "body.skills"),
        ({"skills": [{"key": "testing", "milestone": 3}]}, "body.skills"),  # testing tops at 2
        ({"skills": []}, "body.skills"),
        ({"observed_on": "2999-01-01"}, "body.observed_on"),
        ({"text": "   "}, "body.text"),
        ({"text": None}, "body.text"),
        ({"visibility": "everyone"}, "body.visibility"),
        ({"link": "not a url"}, "body.link"),
        ({"text": "a\x00b"}, "body.text"),
    ],
)
def test_create_validation_names_the_field(api_client, org, changes, field: str) -> None:
    response = api_client("member").post("observations", _body(org, **changes))
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert not Observation.objects.exists()


def test_create_about_an_unknown_person_is_404(api_client, org) -> None:
    response = api_client("member").post(
        "observations", _body(org, subject="7b4c1a52-3c1f-4c0e-9a55-1d2a7b9f6e10")
    )
    assert response.status_code == 404


# --- edit, delete, revisions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 403), ("editor", 404), ("manager", 200), ("member", 403)]
)
def test_only_the_author_edits(api_client, seen, persona: str, status: int) -> None:
    response = api_client(persona).patch(f"observations/{seen['o1'].uuid}", {"text": "Better"})
    assert response.status_code == status
    expected = "Better" if status == 200 else "Saw it"
    assert Observation.objects.get(pk=seen["o1"].pk).text == expected


def test_edit_keeps_the_earlier_version_and_changes_only_what_is_sent(api_client, seen) -> None:
    client = api_client("manager")
    response = client.patch(f"observations/{seen['o1'].uuid}", {"visibility": "shared"})
    assert response.status_code == 200
    body = response.json()
    assert body["visibility"] == "shared" and body["text"] == "Saw it"
    assert body["skills"] == [{"key": "coding", "milestone": 1}]
    revision = ObservationRevision.objects.get(observation=seen["o1"])
    assert revision.visibility == "private" and revision.action == "edited"
    bad = client.patch(f"observations/{seen['o1'].uuid}", {"skills": [{"key": "nope"}]})
    assert bad.status_code == 422 and "body.skills" in bad.json()["error"]["fields"]
    assert api_client("outsider").patch(f"observations/{seen['o1'].uuid}", {}).status_code == 403
    assert api_client("anonymous").patch(f"observations/{seen['o1'].uuid}", {}).status_code == 401
    read_only = api_client("manager", read_only=True)
    assert read_only.patch(f"observations/{seen['o1'].uuid}", {"text": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 403), ("editor", 404), ("manager", 200), ("member", 403)]
)
def test_only_the_author_deletes_and_the_history_stays(
    api_client, seen, persona: str, status: int
) -> None:
    response = api_client(persona).delete(f"observations/{seen['o1'].uuid}")
    assert response.status_code == status
    if status == 200:
        assert response.json() == {"ok": True}
        assert api_client("member").get(f"observations/{seen['o1'].uuid}").status_code == 404
        revision = ObservationRevision.objects.get(observation=seen["o1"])
        assert revision.action == "deleted" and revision.text == "Saw it"
    else:
        assert Observation.objects.get(pk=seen["o1"].pk).deleted_at is None


def test_delete_refuses_outsiders_anonymous_and_read_only(api_client, seen) -> None:
    path = f"observations/{seen['o1'].uuid}"
    assert api_client("outsider").delete(path).status_code == 403
    assert api_client("anonymous").delete(path).status_code == 401
    assert api_client("manager", read_only=True).delete(path).status_code == 403
    assert Observation.objects.get(pk=seen["o1"].pk).deleted_at is None


@pytest.fixture
def edited(org: Org) -> Observation:
    """Member writes privately about the manager, shares it, then edits the shared text: two
    earlier versions, the first private."""
    made = observe(
        org, author=org.member, subject=org.manager, visibility=Visibility.PRIVATE, text="v1"
    )
    for text in ["v2", "v3"]:
        observation_update(
            observation=made,
            editor=org.member,
            text=text,
            observed_on=made.observed_on,
            skills=[("coding", 1)],
            visibility=Visibility.SHARED,
        )
    return made


@pytest.mark.parametrize(
    ("persona", "texts"),
    [
        ("admin", ["v2", "v1"]),
        ("editor", ["v2"]),  # not entitled to the private first version
        ("manager", ["v2", "v1"]),  # the subject
        ("member", ["v2", "v1"]),  # the author
    ],
)
def test_revisions_hide_earlier_private_versions(
    api_client, edited, persona: str, texts: list[str]
) -> None:
    response = api_client(persona).get(f"observations/{edited.uuid}/revisions")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["text"] for r in results] == texts
    assert results[-1]["changed_by"]["name"] == "Member"


def test_revisions_of_what_you_may_not_see(api_client, seen) -> None:
    assert api_client("editor").get(f"observations/{seen['o1'].uuid}/revisions").status_code == 404
    assert (
        api_client("outsider").get(f"observations/{seen['o1'].uuid}/revisions").status_code == 403
    )
    path = f"observations/{seen['o1'].uuid}/revisions"
    assert api_client("anonymous").get(path).status_code == 401


def test_future_dates_are_measured_from_today(api_client, org) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api_client("member").post("observations", _body(org, observed_on=tomorrow))
    assert response.status_code == 422
    today = timezone.localdate().isoformat()
    assert (
        api_client("member").post("observations", _body(org, observed_on=today)).status_code == 201
    )
