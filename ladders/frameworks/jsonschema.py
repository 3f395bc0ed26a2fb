"""The JSON Schema of the file format, generated from the model so the two never disagree."""

from __future__ import annotations

from typing import Any

from .model import SCHEMA_ID, Framework

SCHEMA_URL = "https://ladders.dev/schema/ladders-v1.json"


def framework_json_schema() -> dict[str, Any]:
    schema = Framework.model_json_schema(by_alias=True, mode="validation")
    schema["properties"]["schema"]["const"] = SCHEMA_ID
    schema["required"] = sorted({*schema.get("required", []), "schema"})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_URL, **schema}
