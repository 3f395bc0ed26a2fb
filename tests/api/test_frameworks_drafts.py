"""The frameworks API, changing: installing (import and template), drafts (read, replace,
discard, list) and publishing. Framework editors and organisation admins only, as the pages."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from ladders.audit.models import AuditAction, AuditEvent
from ladders.frameworks.loader import framework_from_data, load_file
from ladders.library import drafts
from ladders.library.models import Draft, Framework, FrameworkVersion
from ladders.library.services import content_hash, framework_publish
from ladders.org.models import Person, Position
from ladders.progress.models import Observation, ObservationSkill

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures"
SMALL = FIXTURES / "small.yaml"
WRITERS = {"admin": True, "editor": True, "manager": False, "member": False, "outsider": False}
ALL = [*WRITERS, "anonymous"]
# tests/fixtures/importers/role-ladder.txt: a role ladder page; its first two lines are the
# site's chrome ("Skip to content", "On this page"), 43 non-blank lines in all
ROLE_LADDER = (FIXTURES / "importers" / "role-ladder.txt").read_text()


def small_document() -> dict[str, Any]:
    return load_file(SMALL).framework.to_document()


@pytest.fixture
def small(people: dict[str, Any]) -> Framework:
    framework_publish(document=framework_from_data(small_document()))
    return Framework.objects.get(key="small")


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def start_draft(framework: Framework, document: dict[str, Any]) -> Draft:
    draft = drafts.draft_get_or_create(framework=framework, user=user("editor"))
    return drafts.draft_update(draft=draft, document=document, user=user("editor"))


def import_body(**extra: Any) -> dict[str, Any]:
    return {"documents": [{"filename": "mobile.txt", "text": ROLE_LADDER}], **extra}


# ------------------------------------------------------------------ who may change


def _calls(small: Framework) -> list[tuple[str, str, Any]]:
    data = small_document() | {"description": "Changed by the matrix."}
    return [
        ("post", "frameworks/install?dry_run=true", import_body()),
        ("get", "frameworks/install/templates", None),
        ("get", "frameworks/drafts", None),
        ("put", "frameworks/small/draft", {"document": data}),
        ("get", "frameworks/small/draft", None),
        ("delete", "frameworks/small/draft", None),
    ]


@pytest.mark.parametrize("persona", ALL)
def test_only_editors_and_admins_change_frameworks(
    small: Framework, api_client: Callable[..., Any], persona: str
) -> None:
    client = api_client(persona)
    for method, path, body in _calls(small):
        response = client.get(path) if method == "get" else getattr(client, method)(path, body)
        if persona == "anonymous":
            assert response.status_code == 401, (method, path)
        elif WRITERS[persona]:
            assert response.status_code == 200, (method, path, response.content)
        else:
            assert response.status_code == 403, (method, path)
            assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("persona", ALL)
def test_publish_and_template_install_matrix(
    small: Framework, api_client: Callable[..., Any], persona: str
) -> None:
    draft = start_draft(small, small_document() | {"description": "Second take."})
    revision = drafts.draft_revision(draft=draft)
    client = api_client(persona)
    published = client.post("frameworks/small/publish", {"revision": revision})
    copied = client.post(
        "frameworks/install/templates", {"template": "starter", "key": f"copy-{persona}"}
    )
    expected = 401 if persona == "anonymous" else (201 if WRITERS[persona] else 403)
    assert (published.status_code, copied.status_code) == (expected, expected)


def test_read_only_tokens_cannot_change_anything(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    start_draft(small, small_document() | {"description": "Second take."})
    client = api_client("admin", read_only=True)
    calls = [
        client.post("frameworks/install", import_body()),
        client.post("frameworks/install/templates", {"template": "starter", "key": "copy"}),
        client.put("frameworks/small/draft", {"document": small_document()}),
        client.delete("frameworks/small/draft"),
        client.post("frameworks/small/publish", {"revision": "x"}),
    ]
    assert [r.status_code for r in calls] == [403] * 5
    assert {r.json()["error"]["code"] for r in calls} == {"read_only_token"}
    assert Draft.objects.get().document["description"] == "Second take."
    assert FrameworkVersion.objects.count() == 1
    # reading still works with it
    assert client.get("frameworks/small/draft").status_code == 200


# ------------------------------------------------------------------ importing


def test_a_dry_run_previews_the_import_and_saves_nothing(
    people: dict[str, Any], api_client: Callable[..., Any]
) -> None:
    response = api_client("editor").post("frameworks/install?dry_run=true", import_body())
    assert response.status_code == 200
    body = response.json()
    assert (body["key"], body["name"], body["saved"]) == (
        "mobile-engineer",
        "Mobile Engineer",
        False,
    )
    assert (body["existing"], body["existing_draft"]) == (False, False)
    assert body["sources"] == [
        {"filename": "mobile.txt", "format": "role-ladder", "lines": 43, "placed": 41}
    ]
    assert [(u["line"], u["text"], u["reason"]) for u in body["unplaced"]] == [
        (1, "Skip to content", "page chrome"),
        (2, "On this page", "page chrome"),
    ]
    assert body["document"]["schema"] == "ladders/v1"
    assert [s["key"] for s in body["document"]["skills"]] == [
        "craft",
        "delivery",
        "collaboration",
        "mentoring",
    ]
    assert any("each topic became a skill" in line for line in body["inferred"])
    assert Framework.objects.count() == 0 and Draft.objects.count() == 0


def test_installing_saves_a_draft_of_a_new_framework(
    people: dict[str, Any], api_client: Callable[..., Any]
) -> None:
    client = api_client("editor")
    response = client.post("frameworks/install", import_body(key="mobile", format="role-ladder"))
    assert response.status_code == 201
    assert response.json()["saved"] is True and response.json()["existing_draft"] is True
    draft = Draft.objects.get(framework__key="mobile")
    assert draft.document["name"] == "Mobile Engineer"
    assert not FrameworkVersion.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.FRAMEWORK_INSTALL)
    assert event.target == "mobile"
    assert event.data["file"] == "mobile.txt" and event.data["format"] == "role-ladder"

    again = client.post("frameworks/install", import_body(key="mobile"))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    assert "already used by the framework 'Mobile Engineer'" in again.json()["error"]["message"]


def test_installing_into_an_existing_framework_replaces_its_draft(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    start_draft(small, small_document() | {"description": "Work in progress."})
    response = api_client("admin").post(
        "frameworks/install", import_body(key="small", into_existing=True)
    )
    assert response.status_code == 201
    assert response.json()["existing"] is True
    draft = Draft.objects.get(framework=small)
    assert draft.document["name"] == "Mobile Engineer"
    assert [s["key"] for s in draft.document["skills"]][:1] == ["craft"]
    assert FrameworkVersion.objects.filter(framework=small).count() == 1


def test_several_documents_become_one_framework(
    people: dict[str, Any], api_client: Callable[..., Any]
) -> None:
    support = (
        "# Support Engineer\n\n## Level 1\n- Answers tickets\n\n## Level 2\n- Owns escalations\n"
    )
    body = {
        "key": "together",
        "documents": [
            {"filename": "mobile.txt", "text": ROLE_LADDER},
            {"filename": "support.md", "text": support},
        ],
    }
    response = api_client("editor").post("frameworks/install?dry_run=true", body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["key"] == "together"
    # support.md: 5 non-blank lines (2 headings of levels, their 2 bullets, the title), all placed
    assert answer["sources"] == [
        {"filename": "mobile.txt", "format": "role-ladder", "lines": 43, "placed": 41},
        {"filename": "support.md", "format": "generic", "lines": 5, "placed": 5},
    ]
    assert {t["name"] for t in answer["document"]["tracks"]} == {
        "Mobile Engineer",
        "Support Engineer",
    }


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (import_body(format="no-such-format"), 422, "import_failed"),
        ({"documents": []}, 422, "invalid"),
        ({"format": "auto"}, 422, "invalid"),
        (import_body(key="Not A Key"), 422, "invalid"),
        (import_body(key="drafts"), 400, "bad_request"),
        ({"documents": [{"filename": "x.txt", "text": "a\x00b"}]}, 422, "invalid"),
        (
            {"format": "ladders", "documents": [{"filename": "f.yaml", "text": "schema: nope\n"}]},
            422,
            "import_failed",
        ),
    ],
)
def test_import_errors(
    people: dict[str, Any],
    api_client: Callable[..., Any],
    body: dict[str, Any],
    status: int,
    code: str,
) -> None:
    response = api_client("editor").post("frameworks/install", body)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert Framework.objects.count() == 0


def test_an_invalid_native_document_says_where(
    people: dict[str, Any], api_client: Callable[..., Any]
) -> None:
    text = SMALL.read_text().replace("category: people", "category: nowhere")
    body = {"format": "ladders", "documents": [{"filename": "small.yaml", "text": text}]}
    response = api_client("editor").post("frameworks/install", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_failed"
    # mentoring is the third skill; its category is line 41 of small.yaml, column 15
    assert (
        "small.yaml:41:15: error: skill 'mentoring' names category 'nowhere'" in (error["message"])
    )
    assert error["message"].endswith("(skills[2].category)")


# ------------------------------------------------------------------ templates


def test_templates_list_the_starter_then_stored_templates(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    data = small_document() | {"key": "house-style", "name": "House style"}
    framework_publish(document=framework_from_data(data), is_template=True)
    body = api_client("editor").get("frameworks/install/templates").json()
    assert [t["choice"] for t in body["results"]] == ["starter", "framework:house-style"]
    assert body["results"][1]["origin"] == "house-style, version 1"
    first = api_client("editor").get("frameworks/install/templates", page_size=1).json()
    assert [t["choice"] for t in first["results"]] == ["starter"]
    parts = urlsplit(first["next"])
    second = api_client("editor").get(f"{parts.path}?{parts.query}").json()
    assert [t["choice"] for t in second["results"]] == ["framework:house-style"]
    assert second["next"] is None and second["previous"] is not None


def test_installing_a_template_copy(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("editor")
    response = client.post(
        "frameworks/install/templates",
        {"template": "starter", "key": "acme", "name": "Acme engineering"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["key"], body["name"], body["latest_version"]) == ("acme", "Acme engineering", None)
    assert body["next_version"] == 1
    assert body["document"]["name"] == "Acme engineering"

    taken = client.post("frameworks/install/templates", {"template": "starter", "key": "small"})
    assert taken.status_code == 409
    unknown = client.post("frameworks/install/templates", {"template": "nope", "key": "other"})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "there is no template 'nope'"
    refused = client.post("frameworks/install/templates", {"template": "starter", "key": "install"})
    assert refused.status_code == 400
    assert client.post("frameworks/install/templates", {"key": "x"}).status_code == 422


# ------------------------------------------------------------------ drafts


def test_no_draft_is_a_404(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("editor")
    assert client.get("frameworks/small/draft").status_code == 404
    assert client.delete("frameworks/small/draft").status_code == 404
    assert client.post("frameworks/small/publish", {"revision": "x"}).status_code == 404
    assert client.get("frameworks/nope/draft").status_code == 404
    assert client.put("frameworks/nope/draft", {"document": small_document()}).status_code == 404


def test_a_draft_with_its_review(small: Framework, api_client: Callable[..., Any]) -> None:
    data = small_document()
    data["skills"][0]["name"] = "Programming"
    draft = start_draft(small, data)
    body = api_client("editor").get("frameworks/small/draft").json()
    assert (body["key"], body["base_version"], body["latest_version"]) == ("small", 1, 1)
    assert body["next_version"] == 2 and body["updated_by"] == "Editor"
    assert body["revision"] == content_hash(draft.document)
    assert body["document"] == draft.document
    assert body["changes"] == [
        {
            "kind": "renamed",
            "area": "skill",
            "subject": "skill coding",
            "details": ["name: Coding → Programming"],
        }
    ]
    assert body["changelog"] == "## Renamed\n- Skill coding\n  - name: Coding → Programming"
    assert body["impact"] == {"tracks": [], "levels": [], "skills": []}


def test_a_draft_without_tracks_can_be_reviewed(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    data = small_document()
    del data["tracks"]
    data["scoring"] = {}
    start_draft(small, data)
    body = api_client("editor").get("frameworks/small/draft").json()
    assert [c["subject"] for c in body["changes"]] == ["track ic", "scoring"]


def test_the_impact_counts_only_observations_the_caller_may_see(
    small: Framework, people: dict[str, Any], api_client: Callable[..., Any]
) -> None:
    """A draft without the skill 'mentoring' and the level E3: one person holds E3; two
    observations name mentoring, one shared and one private between member and manager."""
    member, manager = people["member"], people["manager"]
    version = FrameworkVersion.objects.get(framework=small)
    Position.objects.create(
        person=member,
        framework=small,
        version=version,
        track_key="ic",
        level_code="E3",
        started_on=datetime.date(2025, 1, 6),
    )
    for visibility in ("shared", "private"):
        observation = Observation.objects.create(
            subject=member,
            author=manager,
            framework=small,
            text=f"A {visibility} note about mentoring",
            observed_on=datetime.date(2025, 1, 6),
            visibility=visibility,
        )
        ObservationSkill.objects.create(observation=observation, skill_key="mentoring")
    data = small_document()
    data["skills"] = data["skills"][:2]
    data["tracks"][0]["levels"] = data["tracks"][0]["levels"][:2]
    data["scoring"]["levels"] = data["scoring"]["levels"][:2]
    start_draft(small, data)

    editor_view = api_client("editor").get("frameworks/small/draft").json()["impact"]
    assert editor_view["levels"] == [
        {"track": "ic", "track_name": "Individual contributor", "level": "E3", "people": 1}
    ]
    assert editor_view["skills"] == [
        {
            "skill": "mentoring",
            "skill_name": "Mentoring",
            "attainments": 0,
            "people": 0,
            "observations": 1,
        }
    ]
    # an admin may see every observation
    admin_view = api_client("admin").get("frameworks/small/draft").json()["impact"]
    assert admin_view["skills"][0]["observations"] == 2
    assert "private note" not in json.dumps(editor_view) + json.dumps(admin_view)


def test_replacing_the_draft(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("editor")
    data = small_document() | {"description": "Now with a better description."}
    response = client.put("frameworks/small/draft", {"document": data})
    assert response.status_code == 200
    body = response.json()
    assert body["document"]["description"] == "Now with a better description."
    assert [c["subject"] for c in body["changes"]] == ["framework"]
    assert Draft.objects.get().document == data

    again = data | {"description": "Third take."}
    stale = client.put("frameworks/small/draft", {"document": again, "revision": "0" * 64})
    assert stale.status_code == 409
    fresh = client.put("frameworks/small/draft", {"document": again, "revision": body["revision"]})
    assert fresh.status_code == 200
    assert Draft.objects.get().document["description"] == "Third take."


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        (
            lambda d: d["skills"][2].update(category="nowhere"),
            ["skills[2].category"],
        ),
        (lambda d: d.update(key="renamed"), ["key"]),
        (lambda d: d["skills"][0].pop("name"), ["skills[0].name"]),
        (lambda d: d.update(schema="ladders/v9"), ["schema"]),
    ],
)
def test_an_invalid_replacement_is_a_422_with_paths_and_saves_nothing(
    small: Framework, api_client: Callable[..., Any], change: Any, fields: list[str]
) -> None:
    data = small_document()
    change(data)
    response = api_client("editor").put("frameworks/small/draft", {"document": data})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_framework"
    assert list(response.json()["error"]["fields"]) == fields
    assert not Draft.objects.exists()  # not even the draft this edit would have started


@pytest.mark.parametrize(
    "body",
    [{}, {"document": []}, {"document": "text"}, {"document": {"name": "a\x00b"}}],
)
def test_a_malformed_replacement_is_a_422(
    small: Framework, api_client: Callable[..., Any], body: dict[str, Any]
) -> None:
    response = api_client("editor").put("frameworks/small/draft", body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_discarding(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("editor")
    start_draft(small, small_document() | {"description": "Scrap this."})
    response = client.delete("frameworks/small/draft")
    assert response.json() == {"key": "small", "framework_kept": True}
    assert not Draft.objects.exists() and Framework.objects.filter(key="small").exists()

    client.post("frameworks/install", import_body(key="fresh"))
    gone = client.delete("frameworks/fresh/draft")
    assert gone.json() == {"key": "fresh", "framework_kept": False}
    assert not Framework.objects.filter(key="fresh").exists()


def test_the_list_of_drafts(small: Framework, api_client: Callable[..., Any]) -> None:
    start_draft(small, small_document() | {"description": "Draft."})
    api_client("editor").post("frameworks/install", import_body(key="another"))
    body = api_client("admin").get("frameworks/drafts").json()
    # by framework name: "Mobile Engineer" (the import) before "Small framework"
    assert [(d["key"], d["base_version"], d["latest_version"]) for d in body["results"]] == [
        ("another", None, None),
        ("small", 1, 1),
    ]
    assert body["results"][1]["updated_by"] == "Editor"


@pytest.mark.parametrize("count", [3, 30])
def test_drafts_list_queries_stay_flat(
    people: dict[str, Any],
    api_client: Callable[..., Any],
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    for i in range(count):
        framework = Framework.objects.create(key=f"f{i}", name=f"F{i}")
        Draft.objects.create(
            framework=framework,
            document=small_document() | {"key": f"f{i}"},
            updated_by=user("editor"),
        )
    client = api_client("editor")
    with django_assert_max_num_queries(5):
        body = client.get("frameworks/drafts", page_size=100).json()
    assert len(body["results"]) == count


@pytest.mark.parametrize("people_count", [3, 30])
def test_draft_review_queries_stay_flat(
    small: Framework,
    api_client: Callable[..., Any],
    django_assert_max_num_queries: Any,
    people_count: int,
) -> None:
    version = FrameworkVersion.objects.get(framework=small)
    for i in range(people_count):
        person = Person.objects.create(name=f"P{i}", email=f"p{i}@example.com")
        Position.objects.create(
            person=person,
            framework=small,
            version=version,
            track_key="ic",
            level_code="E3",
            started_on=datetime.date(2025, 1, 6),
        )
    data = small_document()
    data["tracks"][0]["levels"] = data["tracks"][0]["levels"][:2]
    data["scoring"]["levels"] = data["scoring"]["levels"][:2]
    start_draft(small, data)
    client = api_client("editor")
    # the token and its last use, the caller's person, the draft with its versions' numbers,
    # the latest version (for the changes and for the impact), people's positions, certified
    # milestones, the caller's reports, observations: 10, whatever the number of people
    with django_assert_max_num_queries(10):
        impact = client.get("frameworks/small/draft").json()["impact"]
    assert impact["levels"][0]["people"] == people_count


# ------------------------------------------------------------------ publishing


def test_publishing_the_reviewed_draft(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("editor")
    data = small_document()
    data["skills"][0]["name"] = "Programming"
    revision = client.put("frameworks/small/draft", {"document": data}).json()["revision"]

    response = client.post(
        "frameworks/small/publish", {"revision": revision, "note": "Coding is programming now."}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["published"] is True
    assert body["version"]["number"] == 2 and body["version"]["published_by"] == "Editor"
    assert body["version"]["note"] == "Coding is programming now."
    assert body["version"]["changelog"] == (
        "Coding is programming now.\n\n## Renamed\n- Skill coding\n  - name: Coding → Programming"
    )
    assert not Draft.objects.exists()
    latest = client.get("frameworks/small").json()
    assert latest["latest_version"] == 2
    assert AuditEvent.objects.filter(action=AuditAction.FRAMEWORK_PUBLISH).count() == 2


def test_publishing_refuses_a_draft_that_changed_since_it_was_read(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    client = api_client("editor")
    first = client.put("frameworks/small/draft", {"document": small_document() | {"name": "A"}})
    client.put("frameworks/small/draft", {"document": small_document() | {"name": "B"}})
    response = client.post("frameworks/small/publish", {"revision": first.json()["revision"]})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert FrameworkVersion.objects.count() == 1 and Draft.objects.exists()


def test_publishing_an_unchanged_draft_closes_it(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    draft = start_draft(small, small_document())
    response = api_client("admin").post(
        "frameworks/small/publish", {"revision": drafts.draft_revision(draft=draft)}
    )
    assert response.status_code == 200
    assert response.json()["published"] is False
    assert response.json()["version"]["number"] == 1
    assert not Draft.objects.exists() and FrameworkVersion.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"note": "no revision"}, {"revision": ""}, {"revision": "x", "note": "n" * 4001}],
)
def test_publish_body_errors(
    small: Framework, api_client: Callable[..., Any], body: dict[str, Any]
) -> None:
    start_draft(small, small_document() | {"name": "Changed"})
    response = api_client("editor").post("frameworks/small/publish", body)
    assert response.status_code == 422
    assert FrameworkVersion.objects.count() == 1
