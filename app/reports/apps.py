from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "app.reports"
    label = "reports"
    verbose_name = "Weekly reports"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check)
