from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "ladders.library"
    verbose_name = "Framework library"
