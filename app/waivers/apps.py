from django.apps import AppConfig


class WaiversConfig(AppConfig):
    name = "app.waivers"
    label = "waivers"
    verbose_name = "Waivers"
