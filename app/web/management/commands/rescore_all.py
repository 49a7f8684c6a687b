"""manage.py rescore_all: queue a scan of every registered repository."""

from django.core.management.base import BaseCommand

from ...pipeline import rescore_all


class Command(BaseCommand):
    help = "Queue a new scan of every repository (for example after an engine upgrade)."

    def handle(self, **options):
        count = rescore_all()
        self.stdout.write(f"Queued {count} scan{'s' if count != 1 else ''}.")
