"""manage.py ensure_demo_user: a first user and team for a fresh install (prints a new password once)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from ...models import Team


class Command(BaseCommand):
    help = "Create the user 'demo' (staff) in the team 'Demo' if no user exists yet, and print its password."

    def handle(self, **options):
        User = get_user_model()
        if User.objects.filter(username="demo").exists():
            self.stdout.write("Sign in as demo (its password was printed on the first run; to set a new one: "
                              ".venv/bin/python manage.py changepassword demo).")
            return
        if User.objects.exists():
            self.stdout.write("Users exist already; nothing to do.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser("demo", "demo@localhost", password)
        team, _ = Team.objects.get_or_create(slug="demo", defaults={"name": "Demo"})
        team.members.add(user)
        self.stdout.write(f"Created user 'demo' with password {password} (team Demo). It is shown this once; "
                          "to set another: .venv/bin/python manage.py changepassword demo")
