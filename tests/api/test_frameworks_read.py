"""The frameworks API, reading: list, one framework, versions, diff, search and export.

The fixture publishes tests/fixtures/small.yaml twice. Version 2 differs from version 1 by
exactly three changes, so the diff is known by hand: category "ops" added, skill "testing"
renamed to "Testing and quality", and the summary of milestone coding/1 changed.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from ruamel.yaml import YAML

from ladders.frameworks.loader import framework_from_data, load_file
from ladders.library.models import Draft, Framework, FrameworkVersion
from ladders.library.services import framework_publish

pytestmark = pytest.mark.django_db

SMALL = Path(__file__).parent.parent / "fixtures" / "small.yaml"
READERS = {"admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403}
ALL = [*READERS, "anonymous"]


def small_document() -> dict[str, Any]:
    return load_file(SMALL).framework.to_document()


def second_version(data: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(json.dumps(data))
    data["categories"].append({"key": "ops", "name": "Operations"})
    data["skills"][1]["name"] = "Testing and quality"
    data["skills"][0]["milestones"][0]["summary"] = "Changes code in one module alone"
    return data


@pytest.fixture
def small(people: dict[str, Any]) -> Framework:
    """small.yaml as version 1 (published by the editor), then version 2 with a note."""
    editor = get_user_model().objects.get(username="editor")
    v1 = small_document()
    framework_publish(document=framework_from_data(v1), published_by=editor)
    framework_publish(
        document=framework_from_data(second_version(v1)),
        published_by=editor,
        note="Operations gets its own category.",
    )
    return Framework.objects.get(key="small")


def page_path(url: str) -> str:
    """The `next` or `previous` link of an answer, without the host, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def status_of(api_client: Callable[..., Any], persona: str, path: str, **params: Any) -> int:
    return int(api_client(persona).get(path, **params).status_code)


# ------------------------------------------------------------------ who may read


@pytest.mark.parametrize(
    "path",
    [
        "frameworks",
        "frameworks/small",
        "frameworks/small/versions",
        "frameworks/small/versions/1",
        "frameworks/small/diff",
        "frameworks/small/search?q=code",
        "frameworks/small/export?format=yaml",
    ],
)
@pytest.mark.parametrize("persona", ALL)
def test_members_read_outsiders_are_refused_anonymous_must_sign_in(
    small: Framework, api_client: Callable[..., Any], persona: str, path: str
) -> None:
    expected = 401 if persona == "anonymous" else READERS[persona]
    response = api_client(persona).get(path)
    assert response.status_code == expected
    if expected != 200:
        assert response.json()["error"]["code"] == (
            "unauthenticated" if expected == 401 else "forbidden"
        )


def test_an_outsider_learns_nothing_about_a_missing_framework(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    # refused before the key is looked up: 403 whether the framework exists or not
    assert status_of(api_client, "outsider", "frameworks/nothing-here") == 403
    assert status_of(api_client, "member", "frameworks/nothing-here") == 404


# ------------------------------------------------------------------ the list


def test_list_shows_published_frameworks_by_name_with_their_latest_version(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    data = small_document() | {"key": "alpha", "name": "Alpha ladder"}
    framework_publish(document=framework_from_data(data), is_template=True)
    # a framework that is only a draft is not in the library yet
    draft_only = Framework.objects.create(key="draft-only", name="Aaa draft only")
    Draft.objects.create(framework=draft_only, document=data | {"key": "draft-only"})

    body = api_client("member").get("frameworks").json()
    assert [(f["key"], f["latest_version"], f["is_template"]) for f in body["results"]] == [
        ("alpha", 1, True),
        ("small", 2, False),
    ]
    assert body["next"] is None and body["previous"] is None
    assert set(body["results"][0]) == {
        "key",
        "name",
        "is_template",
        "latest_version",
        "created_at",
    }


def test_list_filters_by_words_and_template(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    data = small_document() | {"key": "alpha", "name": "Alpha ladder"}
    framework_publish(document=framework_from_data(data), is_template=True)
    client = api_client("member")
    assert [f["key"] for f in client.get("frameworks", q="LADDER").json()["results"]] == ["alpha"]
    assert [f["key"] for f in client.get("frameworks", q="smal").json()["results"]] == ["small"]
    assert [f["key"] for f in client.get("frameworks", template="true").json()["results"]] == [
        "alpha"
    ]
    assert [f["key"] for f in client.get("frameworks", template="false").json()["results"]] == [
        "small"
    ]
    assert client.get("frameworks", q="nothing like it").json()["results"] == []


def test_list_pages_with_a_cursor(small: Framework, api_client: Callable[..., Any]) -> None:
    for name in ("Beta", "Gamma"):
        data = small_document() | {"key": name.lower(), "name": name}
        framework_publish(document=framework_from_data(data))
    client = api_client("member")
    first = client.get("frameworks", page_size=2).json()
    assert [f["name"] for f in first["results"]] == ["Beta", "Gamma"]
    assert first["next"] is not None
    second = client.get(page_path(first["next"])).json()
    assert [f["name"] for f in second["results"]] == ["Small framework"]
    assert second["next"] is None


def test_a_bad_cursor_is_a_422_naming_it(small: Framework, api_client: Callable[..., Any]) -> None:
    response = api_client("member").get("frameworks", cursor="not a cursor!")
    assert response.status_code == 422
    assert "query.cursor" in response.json()["error"]["fields"]


@pytest.mark.parametrize("count", [3, 30])
def test_list_queries_stay_flat(
    people: dict[str, Any],
    api_client: Callable[..., Any],
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    base = small_document()
    for i in range(count):
        framework_publish(document=framework_from_data(base | {"key": f"f{i}", "name": f"F{i}"}))
    client = api_client("member")
    # token, its last use, the caller's person, the page of frameworks
    with django_assert_max_num_queries(5):
        response = client.get("frameworks", page_size=100)
    assert len(response.json()["results"]) == count


# ------------------------------------------------------------------ one framework


def test_get_a_framework_answers_the_latest_version_with_counts(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    body = api_client("member").get("frameworks/small").json()
    # small.yaml: 2 categories (+ "ops" in version 2), 3 skills, 1 track of 3 levels;
    # highest mode, the most a skill gives: coding 6 + testing 3 + mentoring 12 = 21
    assert body["latest_version"] == 2
    assert (body["categories"], body["skills"], body["tracks"], body["levels"]) == (3, 3, 1, 3)
    assert (body["scoring_mode"], body["max_points"]) == ("highest", 21)
    assert body["description"] == "Used by the tests."
    assert body["version"]["number"] == 2 and body["version"]["is_latest"] is True
    assert body["version"]["published_by"] == "Editor"
    assert body["version"]["note"] == "Operations gets its own category."
    assert body["version"]["document"] == FrameworkVersion.objects.get(number=2).document
    assert body["can_edit"] is False and body["has_draft"] is None


def test_get_an_older_version_and_what_an_editor_sees(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    body = api_client("editor").get("frameworks/small", version=1).json()
    assert body["version"]["number"] == 1 and body["version"]["is_latest"] is False
    assert body["categories"] == 2
    assert body["version"]["document"] == small_document()
    assert body["can_edit"] is True and body["has_draft"] is False


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("frameworks/nope", {}, 404),
        ("frameworks/small", {"version": 3}, 404),
        ("frameworks/small", {"version": 0}, 422),
        ("frameworks/small", {"version": "two"}, 422),
        ("frameworks/small", {"version": 10**30}, 422),
        ("frameworks/Not A Key", {}, 422),
        ("frameworks/small/versions/3", {}, 404),
        ("frameworks/small/versions/0", {}, 422),
        ("frameworks/nope/versions", {}, 404),
        ("frameworks/nope/versions/1", {}, 404),
        ("frameworks/draft-only", {}, 404),
        ("frameworks/draft-only/versions", {}, 404),
        ("frameworks/draft-only/diff", {}, 404),
    ],
)
def test_missing_and_malformed_addresses(
    small: Framework,
    api_client: Callable[..., Any],
    path: str,
    params: dict[str, Any],
    status: int,
) -> None:
    # a framework installed as a draft and never published is not in the library yet
    draft_only = Framework.objects.create(key="draft-only", name="Draft only")
    Draft.objects.create(framework=draft_only, document=small_document() | {"key": "draft-only"})
    response = api_client("admin").get(path, **params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == ("not_found" if status == 404 else "invalid")


@pytest.mark.parametrize("extra", [0, 25])
def test_get_queries_stay_flat_as_versions_grow(
    small: Framework,
    api_client: Callable[..., Any],
    django_assert_max_num_queries: Any,
    extra: int,
) -> None:
    data = small_document()
    for i in range(extra):
        framework_publish(document=framework_from_data(data | {"description": f"Take {i}"}))
    client = api_client("editor")
    # token, last use, person (twice: the permission and the editor check share it), the
    # version, whether a draft exists
    with django_assert_max_num_queries(6):
        assert client.get("frameworks/small").json()["latest_version"] == 2 + extra


# ------------------------------------------------------------------ versions


def test_versions_newest_first_with_notes_and_changelogs(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    body = api_client("member").get("frameworks/small/versions").json()
    v2, v1 = body["results"]
    assert (v2["number"], v1["number"]) == (2, 1)
    assert v2["note"] == "Operations gets its own category."
    assert v2["changelog"].startswith("Operations gets its own category.\n\n## Added")
    assert "- Category ops" in v2["changelog"]
    assert v1["changelog"] == "" and v1["note"] == ""
    assert v1["published_by"] == "Editor"
    assert "document" not in v1


def test_versions_filter_by_publication_day(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    FrameworkVersion.objects.filter(number=1).update(published_at="2025-01-10T12:00:00Z")
    FrameworkVersion.objects.filter(number=2).update(published_at="2025-03-01T12:00:00Z")
    client = api_client("member")

    def numbers(**params: str) -> list[int]:
        return [
            v["number"] for v in client.get("frameworks/small/versions", **params).json()["results"]
        ]

    assert numbers(since="2025-02-01") == [2]
    assert numbers(until="2025-02-01") == [1]
    assert numbers(since="2025-01-10", until="2025-03-01") == [2, 1]
    assert numbers(since="9999-12-31") == []
    assert numbers(until="0001-01-01") == []
    bad = client.get("frameworks/small/versions", since="yesterday")
    assert bad.status_code == 422 and "query.since" in bad.json()["error"]["fields"]


def test_versions_page_one_at_a_time(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("member")
    first = client.get("frameworks/small/versions", page_size=1).json()
    assert [v["number"] for v in first["results"]] == [2]
    second = client.get(page_path(first["next"])).json()
    assert [v["number"] for v in second["results"]] == [1]
    assert second["next"] is None


@pytest.mark.parametrize(
    "path",
    [
        "frameworks",
        "frameworks/small/versions",
        "frameworks/install/templates",
        "frameworks/drafts",
    ],
)
@pytest.mark.parametrize("raw", [b"o=99999999999", b"o=-5", b"r=maybe", b"p=abc&o=x"])
def test_a_hand_made_cursor_is_a_422_on_every_list(
    small: Framework, api_client: Callable[..., Any], path: str, raw: bytes
) -> None:
    response = api_client("admin").get(path, cursor=base64.b64encode(raw).decode())
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"query.cursor": "Invalid Cursor"}


def test_a_cursor_pointing_at_no_version_number_is_a_422(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    cursor = base64.b64encode(b"p=abc").decode()
    response = api_client("member").get("frameworks/small/versions", cursor=cursor)
    assert response.status_code == 422


@pytest.mark.parametrize("extra", [0, 25])
def test_versions_queries_stay_flat(
    small: Framework,
    api_client: Callable[..., Any],
    django_assert_max_num_queries: Any,
    extra: int,
) -> None:
    data = small_document()
    for i in range(extra):
        framework_publish(document=framework_from_data(data | {"description": f"Take {i}"}))
    client = api_client("member")
    with django_assert_max_num_queries(5):
        body = client.get("frameworks/small/versions", page_size=100).json()
    assert len(body["results"]) == 2 + extra


def test_a_version_with_its_document(small: Framework, api_client: Callable[..., Any]) -> None:
    body = api_client("member").get("frameworks/small/versions/1").json()
    assert body["number"] == 1 and body["is_latest"] is False
    assert body["document"] == small_document()


# ------------------------------------------------------------------ diff


def test_diff_defaults_to_the_latest_against_the_one_before(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    body = api_client("member").get("frameworks/small/diff").json()
    assert (body["from_version"], body["to_version"]) == (1, 2)
    assert body["summary"] == {"added": 1, "removed": 0, "renamed": 1, "changed": 1}
    assert [(c["kind"], c["subject"]) for c in body["changes"]] == [
        ("added", "category ops"),
        ("changed", "milestone coding/1"),
        ("renamed", "skill testing"),
    ]
    assert body["changes"][2]["details"] == ["name: Testing → Testing and quality"]
    assert body["changelog"].startswith("## Added\n- Category ops\n  - Operations")
    assert "## Renamed\n- Skill testing" in body["changelog"]


def test_diff_backwards_and_errors(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("member")
    back = client.get("frameworks/small/diff", **{"from": 2, "to": 1}).json()
    assert back["summary"] == {"added": 0, "removed": 1, "renamed": 1, "changed": 1}
    missing = client.get("frameworks/small/diff", **{"from": 1, "to": 7})
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == (
        "There is no version 7. The published versions are 1, 2."
    )
    assert client.get("frameworks/small/diff", **{"from": 0}).status_code == 422
    assert client.get("frameworks/nope/diff").status_code == 404


# ------------------------------------------------------------------ search


def test_search_finds_skills_and_levels_with_marked_words(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    client = api_client("member")
    body = client.get("frameworks/small/search", q="plugin").json()
    assert body["version"] == 2 and body["words"] == ["plugin"]
    assert [s["key"] for s in body["skills"]] == ["coding"]
    hit = body["skills"][0]["hits"][0]
    assert hit["label"] == "Milestone 3 · example" and hit["milestone"] == 3
    assert hit["text"] == "Designed the plugin interface for exporters"
    assert [p["text"] for p in hit["parts"] if p["marked"]] == ["plugin"]
    assert body["levels"] == []

    levels = client.get("frameworks/small/search", q="project").json()["levels"]
    assert [(lv["track"], lv["code"], lv["index"]) for lv in levels] == [("ic", "E3", 2)]

    # a word only version 1 has: milestone coding/1 said "with guidance"
    old = client.get("frameworks/small/search", q="guidance", version=1).json()
    assert [s["key"] for s in old["skills"]] == ["coding"]
    assert client.get("frameworks/small/search", q="guidance").json()["skills"] == []


def test_search_too_short_or_missing(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("member")
    short = client.get("frameworks/small/search", q="a").json()
    assert short["hint"] == "Type at least 2 characters to search."
    assert short["skills"] == [] and short["levels"] == []
    assert client.get("frameworks/small/search").status_code == 422
    assert client.get("frameworks/small/search", q="x" * 201).status_code == 422


# ------------------------------------------------------------------ export


def test_export_yaml_and_json_are_the_stored_document(
    small: Framework, api_client: Callable[..., Any]
) -> None:
    client = api_client("member")
    response = client.get("frameworks/small/export", format="yaml", version=1)
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="small-v1.yaml"'
    assert json.loads(json.dumps(YAML(typ="safe").load(response.content))) == small_document()

    response = client.get("frameworks/small/export", format="json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="small-v2.json"'
    assert response.json() == FrameworkVersion.objects.get(number=2).document


def test_export_markdown_and_csv(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("member")
    for name in ("markdown", "md"):
        response = client.get("frameworks/small/export", format=name, version=1)
        assert response["Content-Type"] == "text/markdown; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="small-v1.md"'
        assert response.content.decode().startswith("# Small framework\n\nUsed by the tests.")

    response = client.get("frameworks/small/export", format="csv", version=1)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="small-v1.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["category", "skill_key", "skill", "milestone", "points", "kind", "text"]
    # one row per summary, signal and example: coding 4+3+3, testing 2+2, mentoring 2+2
    assert len(rows) - 1 == 18
    assert rows[1] == [
        "Craft",
        "coding",
        "Coding",
        "1",
        "1",
        "summary",
        "Changes code in one module with guidance",
    ]


def test_export_html_is_the_site_zipped(small: Framework, api_client: Callable[..., Any]) -> None:
    response = api_client("member").get("frameworks/small/export", format="html", version=1)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="small-v1.zip"'
    names = sorted(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    # the index, a page per skill (3) and track (1), one comparison per pair of levels (3)
    assert names == [
        "small-v1/index.html",
        "small-v1/skills/coding.html",
        "small-v1/skills/mentoring.html",
        "small-v1/skills/testing.html",
        "small-v1/tracks/ic.html",
        "small-v1/tracks/ic/compare-0-1.html",
        "small-v1/tracks/ic/compare-0-2.html",
        "small-v1/tracks/ic/compare-1-2.html",
    ]


def test_export_errors(small: Framework, api_client: Callable[..., Any]) -> None:
    client = api_client("member")
    unknown = client.get("frameworks/small/export", format="pdf")
    assert unknown.status_code == 422 and "query.format" in unknown.json()["error"]["fields"]
    assert client.get("frameworks/small/export").status_code == 422
    assert client.get("frameworks/small/export", format="csv", version=9).status_code == 404
    assert client.get("frameworks/nope/export", format="csv").status_code == 404


@pytest.mark.parametrize("extra", [0, 25])
def test_export_and_search_queries_stay_flat(
    small: Framework,
    api_client: Callable[..., Any],
    django_assert_max_num_queries: Any,
    extra: int,
) -> None:
    data = small_document()
    for i in range(extra):
        framework_publish(document=framework_from_data(data | {"description": f"Take {i}"}))
    client = api_client("member")
    with django_assert_max_num_queries(4):
        assert client.get("frameworks/small/export", format="csv").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("frameworks/small/search", q="code").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("frameworks/small/diff").status_code == 200
