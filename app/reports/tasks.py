"""Thin Celery wrappers: beat fires the first and the last; the first queues one task per team."""

from celery import shared_task

from . import rescan, send


@shared_task(name="app.reports.tasks.send_weekly_reports")
def send_weekly_reports() -> int:
    due = send.due_reports()
    for team_id, week in due:
        send_team_report.delay(team_id, week)
    return len(due)


@shared_task(bind=True, name="app.reports.tasks.send_team_report", max_retries=None)
def send_team_report(self, team_id: int, week: str) -> None:
    wait = send.send_week(team_id, week)
    if wait is not None:  # a delivery failed and is due again later (or another worker holds it)
        raise self.retry(countdown=wait)


@shared_task(name="app.reports.tasks.rescan_all")
def rescan_all() -> int:
    return rescan.rescan_all()
