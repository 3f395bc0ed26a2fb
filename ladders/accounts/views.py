"""Account pages: the account page, invitations, and the admin's invite action.

Sign-in, sign-out and password change use Django's views; password reset confirmation is wrapped
only to clear the sign-in lockout once the password has been changed through the emailed link.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from ladders.accounts.permissions import admin_required
from ladders.org.models import Person

from . import selectors, services
from .errors import AccountError, InvitationInvalid
from .forms import InvitationAcceptForm


def account(request: HttpRequest) -> HttpResponse:
    """Anyone signed in sees their own account, outsiders included."""
    person = selectors.account_person(user=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/account.html", {"person": person})


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = selectors.invitation_open_get(token=token)
    except InvitationInvalid as exc:
        return _invitation_invalid(request, exc)
    suggested = invitation.person.email.split("@")[0]
    form = InvitationAcceptForm(request.POST or None, initial={"username": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except InvitationInvalid as exc:
            return _invitation_invalid(request, exc)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {invitation.person.name}. You are signed in.")
            return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def _invitation_invalid(request: HttpRequest, exc: InvitationInvalid) -> HttpResponse:
    return render(request, "accounts/invitation_invalid.html", {"error": exc}, status=exc.status)


@admin_required
@require_POST
def person_invite(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = get_object_or_404(Person, uuid=uuid)
    try:
        invitation, url = services.invitation_create(
            person=person,
            created_by=request.user,  # type: ignore[arg-type]
            base_url=request.build_absolute_uri("/"),
        )
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        until = date_format(timezone.localtime(invitation.expires_at), "j F Y")
        messages.success(
            request,
            format_html(
                "{} is invited: the link was emailed to {}. If it does not arrive, pass this "
                'link on yourself (it works once, until {}): <a href="{}">{}</a>',
                person.name,
                person.email,
                until,
                url,
                url,
            ),
        )
    return redirect("person-detail", person.uuid)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, plus: a password set from the emailed link lifts a sign-in lockout."""

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        services.login_failures_clear(user=form.user)  # type: ignore[attr-defined]
        return response
