from django.urls import path

from . import calibration_views, distribution_views, health_views, packet_views, views

urlpatterns = [
    path("reports/", views.report_index, name="report-index"),
    # framework health: every finding, structural, usage and writing
    path("frameworks/<slug:key>/health/", health_views.framework_health, name="framework-health"),
    # level distribution, time in level and promotion velocity
    path("reports/levels/", distribution_views.level_distribution, name="report-levels"),
    path("reports/levels.csv", distribution_views.level_distribution_csv, name="report-levels-csv"),
    path("reports/time-in-level/", distribution_views.time_in_level, name="report-time"),
    path("reports/time-in-level.csv", distribution_views.time_in_level_csv, name="report-time-csv"),
    # calibration, skill gaps, evidence coverage
    path("reports/calibration/", calibration_views.calibration, name="report-calibration"),
    path(
        "reports/calibration.csv",
        calibration_views.calibration_csv,
        name="report-calibration-csv",
    ),
    path("reports/skill-gaps/", calibration_views.skill_gaps, name="report-gaps"),
    path("reports/skill-gaps.csv", calibration_views.skill_gaps_csv, name="report-gaps-csv"),
    path("reports/evidence/", calibration_views.evidence_coverage, name="report-evidence"),
    path(
        "reports/evidence.csv",
        calibration_views.evidence_coverage_csv,
        name="report-evidence-csv",
    ),
    # promotion packet for a person and a target level
    path(
        "people/<uuid:uuid>/packet/",
        packet_views.promotion_packet,
        name="promotion-packet",
    ),
    path(
        "people/<uuid:uuid>/packet.md",
        packet_views.promotion_packet_markdown,
        name="promotion-packet-md",
    ),
]
