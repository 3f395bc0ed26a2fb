"""The manager's dashboard (everyone below the signed-in person in the chain) and the team
heatmap (members × skills). Views parse, call a selector and render."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ladders.accounts.permissions import is_admin, managed_ids, member_required, person_for
from ladders.checkins.selectors import checkin_reminders
from ladders.org.models import Team

from .team_selectors import CELL_LABELS, CHECKIN_GAP, report_rows, team_heatmap


@member_required
def manager_dashboard(request: HttpRequest) -> HttpResponse:
    me = person_for(request.user)
    ids = managed_ids(me) if me is not None else set()
    reminders = checkin_reminders(user=request.user)
    rows = report_rows(ids=ids, waiting=reminders.as_manager)
    return render(
        request,
        "progress/team/dashboard.html",
        {
            "me": me,
            "rows": rows,
            "own_waiting": reminders.as_subject,
            "waiting_count": len(reminders.as_manager),
            "overdue_count": sum(1 for r in rows if r.overdue),
            "gap_months": round(CHECKIN_GAP.days / 30.5),
        },
    )


def _visible_people(user: Any) -> set[int] | None:
    """Admins see everyone; others see themselves and the people below them."""
    if is_admin(user):
        return None
    me = person_for(user)
    return set() if me is None else {me.pk} | managed_ids(me)


@member_required
def team_heatmap_view(request: HttpRequest, slug: str) -> HttpResponse:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise Http404("No such team")
    return render(
        request,
        "progress/team/heatmap.html",
        {
            "team": team,
            "heatmap": team_heatmap(team=team, visible=_visible_people(request.user)),
            "legend": CELL_LABELS.items(),
            "limited": not is_admin(request.user),
        },
    )
