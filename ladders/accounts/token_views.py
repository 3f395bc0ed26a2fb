"""The personal access tokens page: list, create (the secret is shown on the answer page, once)
and revoke. Anyone signed in may hold tokens; a token can do exactly what its owner can."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import tokens
from .errors import AccountError
from .forms import TokenCreateForm


@require_http_methods(["GET", "POST"])
def token_page(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = tokens.token_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenCreateForm()
    response = render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": tokens.token_list(user=request.user),  # type: ignore[arg-type]
            "api_docs": "/api/v1/docs",
        },
        status=200 if form.is_bound is False or created or not form.errors else 400,
    )
    response["Cache-Control"] = "no-store"  # the page may hold a secret shown once
    return response


@require_POST
def token_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    try:
        token = tokens.token_revoke(user=request.user, prefix=prefix)  # type: ignore[arg-type]
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Token {token.prefix} ({token.name}) is revoked.")
    return redirect("account-tokens")
