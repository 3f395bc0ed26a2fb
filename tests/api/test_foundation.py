"""What every API operation shares: authentication, the error shape, limits, the OpenAPI
document. Walks the live OpenAPI document, so operations added later are covered too."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from ladders.accounts.tokens import token_create
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "put", "patch", "delete"}


def _schema() -> dict:
    return Client().get("/api/v1/openapi.json").json()


def _operations() -> list[tuple[str, str]]:
    ops = []
    for path, methods in _schema()["paths"].items():
        for method in methods:
            concrete = re.sub(
                r"\{[^}]+\}", lambda m: str(uuid.uuid4()) if "uuid" in m.group() else "x", path
            )
            ops.append((method, concrete))
    return ops


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_every_operation_refuses_anonymous_callers_with_401(db) -> None:
    client = Client()
    ops = _operations()
    assert len(ops) >= 3
    for method, path in ops:
        response = getattr(client, method)(path, content_type="application/json")
        _assert_error(response, 401, "unauthenticated")


def test_a_bad_token_is_401_even_with_a_session_cookie(persona_client) -> None:
    client = persona_client("member")
    assert client.get("/api/v1/me").status_code == 200  # the session alone works
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer lad_nope_nope"})
    _assert_error(response, 401, "unauthenticated")


def test_every_write_refuses_a_read_only_token(api_client) -> None:
    reader = api_client("admin", read_only=True)
    writes = [(m, p) for m, p in _operations() if m in WRITE_METHODS]
    assert writes
    for method, path in writes:
        response = getattr(reader.client, method)(
            path, "{}", content_type="application/json", headers=reader.headers
        )
        _assert_error(response, 403, "read_only_token")
    assert reader.get("me").status_code == 200


def test_session_writes_need_the_csrf_token(people) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["member"].user)
    refused = client.post(
        "/api/v1/tokens", json.dumps({"name": "x"}), content_type="application/json"
    )
    assert refused.status_code == 403
    client.get("/account/tokens/")  # sets the CSRF cookie, as a page visit does
    token = client.cookies["csrftoken"].value
    made = client.post(
        "/api/v1/tokens",
        json.dumps({"name": "x"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert made.status_code == 201


def test_validation_errors_name_the_field(api_client) -> None:
    error = _assert_error(api_client("member").post("tokens", {"name": 5}), 422, "invalid")
    assert list(error["fields"]) == ["body.name"]
    error = _assert_error(api_client("member").post("tokens", None), 422, "invalid")
    assert error["fields"]


def test_malformed_json_is_a_client_error(api_client) -> None:
    client = api_client("member")
    response = client.client.post(
        "/api/v1/tokens", "{not json", content_type="application/json", headers=client.headers
    )
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_bad_cursor_and_page_size_are_422(api_client) -> None:
    client = api_client("member")
    assert _assert_error(client.get("tokens", cursor="%%%"), 422, "invalid")["fields"]
    assert _assert_error(client.get("tokens", page_size="many"), 422, "invalid")["fields"]


def test_cursor_pagination_walks_every_item_once_in_a_stable_order(api_client, people) -> None:
    user = people["member"].user
    for i in range(7):
        token_create(user=user, name=f"t{i}")
    client = api_client("member")  # the 8th token
    seen: list[str] = []
    page = client.get("tokens", page_size=3).json()
    pages = 1
    while True:
        seen += [t["prefix"] for t in page["results"]]
        if not page["next"]:
            break
        page = client.client.get(page["next"], headers=client.headers).json()
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 8
    assert client.get("tokens", page_size=10_000).json()["next"] is None  # capped, not refused


def test_unknown_api_paths_answer_json_404(api_client) -> None:
    _assert_error(api_client("member").get("/api/v1/no-such-thing"), 404, "not_found")
    _assert_error(Client().get("/api/v2/me"), 404, "not_found")


@override_settings(API_MAX_BODY_BYTES=1000)
def test_bodies_over_the_limit_are_413(api_client) -> None:
    error = _assert_error(
        api_client("member").post("tokens", {"name": "x" * 2000}), 413, "too_large"
    )
    assert "1000" in error["message"]


@override_settings(API_RATE_LIMIT="3/min")
def test_requests_over_the_rate_limit_are_429_per_token(api_client) -> None:
    cache.clear()
    first, second = api_client("member"), api_client("manager")
    assert [first.get("me").status_code for _ in range(3)] == [200, 200, 200]
    response = first.get("me")
    _assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
    assert second.get("me").status_code == 200  # another token has its own allowance
    cache.clear()


def _has_example(prop: dict) -> bool:
    """A property has its own example, or refers to a schema (which is checked itself)."""
    if "examples" in prop or "example" in prop or "$ref" in prop:
        return True
    items = prop.get("items", {})
    return bool("$ref" in items or any("$ref" in a for a in prop.get("anyOf", [])))


def test_openapi_documents_every_operation_and_every_schema_has_examples(db) -> None:
    schema = _schema()
    assert schema["info"]["version"] == "1"
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            assert {"401", "413", "429"} <= set(op["responses"]), (method, path)
            assert op.get("summary") or op.get("description"), (method, path)
    missing = []
    for name, component in schema["components"]["schemas"].items():
        props = component.get("properties", {})
        has = "examples" in component or "example" in component or "enum" in component
        has = has or (props and all(_has_example(p) for p in props.values()))
        if not has:
            missing.append(name)
    assert not missing, f"schemas without examples: {missing}"


def test_interactive_docs_are_served_without_a_cdn(client, db) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/swagger-ui" in body and "cdn." not in body


def test_me_says_who_is_calling(api_client, people) -> None:
    me = api_client("manager").get("me").json()
    assert me["username"] == "manager" and me["person"] == str(people["manager"].uuid)
    assert me["token"].startswith("lad_") and me["read_only"] is False
    assert me["is_manager"] is True
    assert api_client("member").get("me").json()["is_manager"] is False
    outsider = api_client("outsider").get("me").json()
    assert outsider["person"] is None and outsider["role"] is None


def test_token_endpoints_manage_only_your_tokens(api_client, persona_client, people) -> None:
    member = api_client("member")
    # a token cannot make tokens (a leaked one would otherwise become a lasting one) ...
    error = _assert_error(member.post("tokens", {"name": "bot"}), 403, "forbidden")
    assert "not with another token" in error["message"]
    # ... the signed-in browser can
    made = persona_client("member").post(
        "/api/v1/tokens",
        json.dumps({"name": "bot", "read_only": True, "expires_in_days": 7}),
        content_type="application/json",
    )
    assert made.status_code == 201
    secret = made.json()["secret"]
    assert ApiClient(secret).get("me").json()["read_only"] is True
    prefix = made.json()["prefix"]
    _assert_error(api_client("manager").delete(f"tokens/{prefix}"), 404, "not_found")
    assert member.delete(f"tokens/{prefix}").json()["revoked_at"]
    _assert_error(ApiClient(secret).get("me"), 401, "unauthenticated")
    listed = [t["prefix"] for t in member.get("tokens").json()["results"]]
    assert prefix in listed and all(
        "secret" not in t for t in member.get("tokens").json()["results"]
    )


def test_a_stray_session_cookie_never_yields_a_csrf_page(db) -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "not-a-session"
    response = client.delete("/api/v1/tokens/lad_0000", headers={"Authorization": "Bearer lad_x"})
    _assert_error(response, 401, "unauthenticated")
    response = client.post("/api/v1/tokens", "{}", content_type="application/json")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")


def test_nul_in_a_token_name_or_an_address_is_refused_not_a_server_error(
    api_client, persona_client
) -> None:
    made = persona_client("member").post(
        "/api/v1/tokens", json.dumps({"name": "ci\x00sync"}), content_type="application/json"
    )
    assert _assert_error(made, 422, "invalid")["fields"] == {
        "body.name": "Value error, must not contain the NUL character"
    }
    _assert_error(api_client("member").delete("tokens/lad_%00"), 404, "not_found")
    page = persona_client("member").post("/account/tokens/lad_%00/revoke/")
    assert page.status_code == 400
    assert persona_client("member").get("/people/?team=%00").status_code == 400


def test_nul_in_a_query_parameter_or_a_cursor_is_422_naming_it(api_client) -> None:
    import base64

    client = api_client("member")
    error = _assert_error(client.get("tokens", q="a\x00b"), 422, "invalid")
    assert error["fields"] == {"query.q": "must not contain the NUL character"}
    cursor = base64.b64encode(b"p=2026%00x").decode()
    error = _assert_error(client.get("tokens", cursor=cursor), 422, "invalid")
    assert list(error["fields"]) == ["query.cursor"]


@override_settings(API_MAX_BODY_BYTES=10)
def test_every_operation_answers_413_to_a_body_over_the_limit(api_client) -> None:
    client = api_client("admin")
    for method, path in _operations():
        response = client.client.generic(
            method.upper(),
            path,
            json.dumps({"x": "y" * 50}),
            content_type="application/json",
            headers=client.headers,
        )
        _assert_error(response, 413, "too_large")


@override_settings(API_RATE_LIMIT="1/min")
def test_every_operation_answers_429_past_the_rate_limit(api_client) -> None:
    cache.clear()
    client = api_client("admin")
    assert client.get("me").status_code == 200  # the one request of this minute
    for method, path in _operations():
        response = client.client.generic(
            method.upper(), path, "{}", content_type="application/json", headers=client.headers
        )
        _assert_error(response, 429, "rate_limited")
    cache.clear()
