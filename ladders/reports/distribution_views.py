"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404("Not written yet")


level_distribution = level_distribution_csv = time_in_level = time_in_level_csv = _todo
