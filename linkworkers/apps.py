from django.apps import AppConfig


class LinkworkersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "linkworkers"
