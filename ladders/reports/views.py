"""The reports index: one line per report, saying what question it answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ladders.accounts.permissions import is_admin

from .scope import reports_required


@reports_required
def report_index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", {"whole_org": is_admin(request.user)})
