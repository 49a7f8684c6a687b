"""manage.py send_weekly_report [--team SLUG] [--week YYYY-Www] [--dry-run]: the weekly report, by hand."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from app.web.models import Team

from ... import send, tasks
from ...models import Delivery, settings_of
from ...recipients import recipients_of
from ...weeks import Week, default_week


class Command(BaseCommand):
    help = (
        "Send each team's weekly report now (or one team's, or one week's), once: a week already sent "
        "is not sent again. --dry-run prints the report and its recipients and sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--team", metavar="SLUG", help="only this team")
        parser.add_argument(
            "--week", metavar="YYYY-Www", help="this ISO week (default: the one the schedule would pick)"
        )
        parser.add_argument("--dry-run", action="store_true", help="print, record and send nothing")

    def handle(self, team=None, week=None, dry_run=False, **options):
        teams = Team.objects.order_by("slug")
        if team:
            teams = teams.filter(slug=team)
            if not teams.exists():
                raise CommandError(f"There is no team {team!r}.")
        try:
            chosen = Week.parse(week) if week else None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        now = timezone.now()
        for t in teams:
            this = chosen or default_week(now, settings_of(t).zone)
            try:
                self.dry_run(t, this, now) if dry_run else self.send(t, this, now)
            except ValueError as exc:  # a week that has not begun
                raise CommandError(str(exc)) from None

    def dry_run(self, team: Team, week: Week, now) -> None:
        _data, rendered = send.compose(team, week, now)
        people = ", ".join(r.address for r in recipients_of(team)) or "nobody"
        self.stdout.write(
            f"== {team.slug} {week} (dry run: nothing recorded or sent)\nTo: {people}\n"
            f"Subject: {rendered.subject}\n\n{rendered.text}"
        )

    def send(self, team: Team, week: Week, now) -> None:
        report = send.prepare(team, week, now)
        wait = send.deliver(report)
        states = dict.fromkeys((Delivery.SENT, Delivery.FAILED, Delivery.PENDING, Delivery.SKIPPED), 0)
        for state in report.deliveries.values_list("state", flat=True):
            states[state] = states.get(state, 0) + 1
        line = f"{team.slug} {week}: " + ", ".join(f"{n} {s}" for s, n in states.items())
        if report.note:
            line += f" ({report.note})"
        if wait is not None:
            try:
                tasks.send_team_report.apply_async((team.pk, str(week)), countdown=wait)
                line += f"; the rest is retried by a worker in {wait:.0f} s"
            except Exception:  # the broker is down: the next scheduled run picks unfinished reports up
                line += "; the rest is retried by the next scheduled run (the broker could not be reached)"
        self.stdout.write(line)
