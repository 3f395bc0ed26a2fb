from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "ladders.org"
    verbose_name = "Organisation"
