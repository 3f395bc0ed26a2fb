from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "ladders.checkins"
    verbose_name = "Check-ins"
