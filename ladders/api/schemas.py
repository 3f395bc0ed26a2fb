"""Schemas shared by every router."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, ConfigDict


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it as bad input rather than fail on save
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
"""A string field that refuses NUL characters (422 naming the field), as the pages' forms do."""


def example(**values: Any) -> ConfigDict:
    """`model_config = example(name="Aiko", ...)`: one example for the whole schema, which is
    what the interactive docs show and what the schema test asks every schema to have."""
    return ConfigDict(json_schema_extra={"examples": [values]})


class Deleted(Schema):
    model_config = example(ok=True)
    ok: bool
