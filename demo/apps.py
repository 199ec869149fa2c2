from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development only: Northshire's demo records (``seed_demo``) and the synthetic
    deployments the bench loads (``generate_synthetic``). Installed when
    ``SOCIALRX_DEMO`` is on (by default whenever ``DJANGO_DEBUG`` is); no other app
    imports it, and the wheel leaves it out."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demonstration and synthetic data (development only)"
