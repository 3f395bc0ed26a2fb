"""The audit log for organisation admins: browse it, filter it, export it as CSV."""

from __future__ import annotations

import csv
import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from ladders.accounts.permissions import admin_required

from .models import AuditAction
from .selectors import audit_event_list

PAGE_SIZE = 100


@admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    page = Paginator(audit_event_list(action=action), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {"page": page, "action": action, "actions": AuditAction.choices},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@admin_required
def audit_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    events = audit_event_list(action=request.GET.get("action", "")).iterator(chunk_size=500)
    writer = csv.writer(_Echo())
    header = ["time", "actor", "action", "target", "data"]

    def rows():  # type: ignore[no-untyped-def]
        yield writer.writerow(header)
        for e in events:
            yield writer.writerow(
                [
                    e.created_at.isoformat(),
                    _safe(e.actor_name),
                    e.action,
                    _safe(e.target),
                    _safe(json.dumps(e.data, sort_keys=True)),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ladders-audit-log.csv"'
    return response
