from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "ladders.progress"
    verbose_name = "Progression"
