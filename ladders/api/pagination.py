"""Cursor pagination for every list: `?cursor=...&page_size=...`, answering
`{"results": [...], "next": "<address or null>", "previous": "<address or null>"}`.

Lists order by a stable key (creation time or name, then a unique field); the cursor is opaque.
A hand-made cursor that does not decode, does not validate or does not fit the ordering is a
422 on `query.cursor`, never a server error.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import CursorPagination
from pydantic import ValidationError as PydanticValidationError

from .errors import invalid


def _bad_cursor() -> Exception:
    return invalid("query.cursor", "Invalid Cursor")


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

    def decode(self, encoded: str | None) -> Any:
        try:
            cursor = self.Cursor.from_encoded_param(encoded)
        except PydanticValidationError:
            raise _bad_cursor() from None
        # PostgreSQL refuses to compare text holding NUL
        if cursor.p is not None and "\x00" in cursor.p:
            raise _bad_cursor()
        return cursor

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **params: Any) -> Any:
        self.decode(pagination.cursor)
        return super().paginate_queryset(queryset, pagination, request, **params)

    def _find_position(self, queryset: QuerySet, cursor: Any) -> QuerySet:  # type: ignore[type-arg]
        try:
            return super()._find_position(queryset, cursor)  # type: ignore[misc]
        except (ValueError, TypeError, OverflowError, DjangoValidationError):
            raise _bad_cursor() from None
