from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ladders.accounts"
    verbose_name = "Accounts"
