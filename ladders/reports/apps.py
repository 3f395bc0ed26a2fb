from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ladders.reports"
    label = "reports"
    verbose_name = "Reports"
