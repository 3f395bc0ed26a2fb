"""Cursor pagination for every list: `?cursor=...&page_size=...`, answering
`{"results": [...], "next": "<cursor or null>", "previous": "<cursor or null>"}`.

Lists order by a stable key (creation time, then a unique field); the cursor is opaque."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import CursorPagination


class Cursor(CursorPagination):
    class Input(Schema):
        page_size: int | None = Field(
            None, description="Items per page (at most 200).", examples=[50]
        )
        cursor: str | None = Field(
            None, description="From a previous answer's next or previous.", examples=["cD0yMDI2"]
        )

    class Output(Schema):
        previous: str | None = Field(description="The previous page, or null.", examples=[None])
        next: str | None = Field(
            description="The next page's address, or null on the last page.",
            examples=["https://ladders.example/api/v1/people?cursor=cD0yMDI2"],
        )
        results: list[Any] = Field(examples=[[]])

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("page_size", settings.API_PAGE_SIZE)
        kwargs.setdefault("max_page_size", settings.API_MAX_PAGE_SIZE)
        super().__init__(**kwargs)
