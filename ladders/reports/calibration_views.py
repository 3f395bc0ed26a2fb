"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404("Not written yet")


calibration = calibration_csv = skill_gaps = skill_gaps_csv = _todo
evidence_coverage = evidence_coverage_csv = _todo
