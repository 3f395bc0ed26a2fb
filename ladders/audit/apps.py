from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ladders.audit"
    verbose_name = "Audit log"
