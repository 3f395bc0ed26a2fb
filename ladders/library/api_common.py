"""What the frameworks API modules share: who may call, cursors, and turning records into
answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ladders.accounts.permissions import is_editor, is_member
from ladders.api.errors import ApiError, forbidden, not_found
from ladders.api.pagination import Cursor
from ladders.frameworks.errors import Problem, format_path
from ladders.frameworks.model import KEY_PATTERN

from . import drafts, selectors
from .api_schemas import FrameworkProblemOut
from .models import Framework

KEY_PATH = {"pattern": KEY_PATTERN, "min_length": 1, "max_length": 64}


def member_only(request: HttpRequest) -> None:
    """As the framework pages: anyone in the organisation reads, an outsider gets 403."""
    if not is_member(request.user):
        raise forbidden("Only members of the organisation may read its frameworks.")


def editor_only(request: HttpRequest) -> None:
    """As the editor pages: framework editors and organisation admins."""
    if not is_editor(request.user):
        raise forbidden("Only framework editors and organisation admins may do this.")


def framework_or_404(key: str) -> Framework:
    framework = selectors.framework_get(key=key)
    if framework is None:
        raise not_found("framework")
    return framework


def problem_out(document: dict[str, Any], problem: Problem) -> FrameworkProblemOut:
    return FrameworkProblemOut(
        path=format_path(problem.path),
        where=drafts.part_label(document, problem.path),
        message=drafts.plain_message(document, problem.message),
        rule=problem.rule,
        severity=problem.severity.value,
    )


def _bad_cursor() -> ApiError:
    return ApiError(422, "invalid", "The cursor is not valid.", {"query.cursor": "Invalid Cursor"})


SafeCursor = Cursor  # the shared cursor refuses hand-made cursors with a 422 itself


class ListCursor(SafeCursor):
    """Pages a short list computed in Python (the templates) with the same cursor and answer
    shape as every other list: the cursor holds the offset."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        if not isinstance(queryset, list):
            return super().paginate_queryset(queryset, pagination, request, **params)
        size = self._get_page_size(pagination.page_size)
        start = self.decode(pagination.cursor).o
        after = self.Cursor(o=start + size) if start + size < len(queryset) else None
        before = self.Cursor(o=max(0, start - size)) if start > 0 else None
        url = request.build_absolute_uri()
        return {
            "next": self._add_cursor_to_URL(url, after),
            "previous": self._add_cursor_to_URL(url, before),
            "results": queryset[start : start + size],
        }
