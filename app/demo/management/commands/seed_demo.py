"""manage.py seed_demo: the offline demo (see app/demo/seed.py), once; the demo user joins its team."""

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from app.web.models import Team

from ...seed import seed


class Command(BaseCommand):
    help = "Create the Demo team's example repositories under LOCAL_REPOSITORY_ROOT and scan them (once)."

    def handle(self, **options):
        root = settings.FACTORCARD.get("LOCAL_REPOSITORY_ROOT")
        if not root:
            raise CommandError("Set LOCAL_REPOSITORY_ROOT (a folder for the demo repositories; bin/dev does).")
        team, _ = Team.objects.get_or_create(slug="demo", defaults={"name": "Demo"})
        demo = get_user_model().objects.filter(username="demo").first()
        if demo is not None:
            team.members.add(demo)
        if team.repositories.exists():
            self.stdout.write("The demo is seeded already; nothing to do.")
            return
        started = time.monotonic()
        Path(root).mkdir(parents=True, exist_ok=True)
        result = seed(team, Path(root))
        self.stdout.write(
            f"Seeded the demo: {result.repositories} repositories, {result.scans} scans "
            f"in {time.monotonic() - started:.1f} s."
        )
        for line in result.failed:
            self.stderr.write(f"  a demo scan failed: {line}")
