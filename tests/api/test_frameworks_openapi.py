"""The frameworks API as its OpenAPI document describes it: every operation tagged, every schema
of ours with an example, and the error answers each operation can give documented."""

from __future__ import annotations

from typing import Any

import pytest

from ladders.api.api import api

# Health lives beside these paths but belongs to the reports app.
OURS = "/api/v1/frameworks"
NINJA_PAGES = "Paged"  # ninja's page wrappers around our item schemas


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()  # type: ignore[no-any-return]


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        if path.startswith(OURS) and not path.endswith("/health")
        for method, operation in item.items()
    }


def test_every_operation_is_listed_with_its_tag(document: dict[str, Any]) -> None:
    found = operations(document)
    assert sorted(found) == [
        ("DELETE", "/api/v1/frameworks/{key}/draft"),
        ("GET", "/api/v1/frameworks"),
        ("GET", "/api/v1/frameworks/drafts"),
        ("GET", "/api/v1/frameworks/install/templates"),
        ("GET", "/api/v1/frameworks/{key}"),
        ("GET", "/api/v1/frameworks/{key}/diff"),
        ("GET", "/api/v1/frameworks/{key}/draft"),
        ("GET", "/api/v1/frameworks/{key}/export"),
        ("GET", "/api/v1/frameworks/{key}/search"),
        ("GET", "/api/v1/frameworks/{key}/versions"),
        ("GET", "/api/v1/frameworks/{key}/versions/{number}"),
        ("POST", "/api/v1/frameworks/install"),
        ("POST", "/api/v1/frameworks/install/templates"),
        ("POST", "/api/v1/frameworks/{key}/publish"),
        ("PUT", "/api/v1/frameworks/{key}/draft"),
    ]
    assert all(op["tags"] == ["frameworks"] for op in found.values())
    assert all(op.get("summary") and op.get("description") for op in found.values())


def test_every_operation_documents_its_errors(document: dict[str, Any]) -> None:
    for (method, path), operation in operations(document).items():
        statuses = {str(status) for status in operation["responses"]}
        assert {"401", "403", "422"} <= statuses, (method, path)
        if "{key}" in path:
            assert "404" in statuses, (method, path)
        if method != "GET" and path.endswith(("/draft", "/publish", "/install")):
            assert "409" in statuses or method == "DELETE", (method, path)


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                found.add(value.rsplit("/", 1)[-1])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def test_every_schema_of_ours_has_an_example(document: dict[str, Any]) -> None:
    components = document["components"]["schemas"]
    names: set[str] = set()
    _refs(list(operations(document).values()), names)
    while True:  # and the schemas those schemas name
        before = len(names)
        for name in list(names):
            _refs(components[name], names)
        if len(names) == before:
            break
    ours = {n for n in names if not n.startswith(NINJA_PAGES) and n != "ErrorBody"}
    assert len(ours) >= 25
    missing = sorted(n for n in ours if not components[n].get("examples"))
    assert missing == []


def test_the_import_body_names_every_format(document: dict[str, Any]) -> None:
    from ladders.frameworks.importers import importers

    text = document["components"]["schemas"]["FrameworkImportIn"]["properties"]["format"][
        "description"
    ]
    named = text.split("one of: ", 1)[1].rstrip(".").split(", ")
    assert named == list(importers())


def test_no_other_schema_takes_the_name_of_ours(document: dict[str, Any]) -> None:
    """Components are named by class: a schema of the same name elsewhere would silently
    describe our operations with its fields."""
    from ninja import Schema

    from ladders.library import api_schemas

    ours = [
        cls
        for cls in vars(api_schemas).values()
        if isinstance(cls, type)
        and issubclass(cls, Schema)
        and cls.__module__ == api_schemas.__name__
    ]
    assert len(ours) >= 25
    components = document["components"]["schemas"]
    for cls in ours:
        wanted = {field.alias or name for name, field in cls.model_fields.items()}
        assert set(components[cls.__name__]["properties"]) == wanted, cls.__name__
