"""Schemas shared by every router."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


def example(**values: Any) -> ConfigDict:
    """`model_config = example(name="Aiko", ...)`: one example for the whole schema, which is
    what the interactive docs show and what the schema test asks every schema to have."""
    return ConfigDict(json_schema_extra={"examples": [values]})


class Deleted(Schema):
    model_config = example(ok=True)
    ok: bool
