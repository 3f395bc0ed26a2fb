"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def framework_health(request: HttpRequest, key: str) -> HttpResponse:
    raise Http404("Not written yet")
