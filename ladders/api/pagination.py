"""Cursor pagination for every list: `?cursor=...&page_size=...`, answering
`{"results": [...], "next": "<cursor or null>", "previous": "<cursor or null>"}`.

Lists order by a stable key (creation time, then a unique field); the cursor is opaque."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja.pagination import CursorPagination


class Cursor(CursorPagination):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("page_size", settings.API_PAGE_SIZE)
        kwargs.setdefault("max_page_size", settings.API_MAX_PAGE_SIZE)
        super().__init__(**kwargs)
