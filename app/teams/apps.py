from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "app.teams"
    label = "teams"
