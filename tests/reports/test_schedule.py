"""The schedules: beat sends the reports and rescans every repository on cron expressions read from the
environment (a deploy changes them without code), on the housekeeping queue; the rescan uses the pipeline."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from app.celery import app as celery_app
from app.reports import checks, rescan, send, tasks
from app.reports.models import ReportSettings
from app.reports.weeks import Week
from app.web import pipeline
from app.web.models import Scan
from tests.conftest import ROOT, wait_until
from tests.test_processes import Output, procfile, start

from . import story
from .story import NOW


def test_the_defaults_are_monday_8_and_sunday_night_in_utc():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["weekly-report"]["task"] == tasks.send_weekly_reports.name
    assert schedule["weekly-report"]["schedule"] == crontab(minute="0", hour="8", day_of_week="1")
    assert schedule["rescan-all"]["task"] == tasks.rescan_all.name
    assert schedule["rescan-all"]["schedule"] == crontab(minute="0", hour="22", day_of_week="0")
    assert celery_app.conf.timezone == "UTC"


@pytest.mark.parametrize("name", [tasks.send_weekly_reports.name, tasks.send_team_report.name, tasks.rescan_all.name])
def test_the_report_tasks_go_to_the_housekeeping_queue(name):
    assert celery_app.amqp.router.route({}, name)["queue"].name == "housekeeping"


@pytest.mark.django_db(transaction=True)
def test_beat_takes_its_schedules_from_the_environment(worker_env):
    beat = Output(
        start(procfile()["beat"], {**worker_env, "WEEKLY_REPORT_CRON": "30 6 * * 2", "RESCAN_ALL_CRON": "15 23 * * 6"})
    )
    try:
        beat.wait_for("beat: Starting")
        tasks_in_db = wait_until(
            lambda: (
                PeriodicTask.objects.filter(name__in=["weekly-report", "rescan-all"])
                .select_related("crontab")
                .order_by("name")
                .count()
                == 2
            ),
            timeout=30,
        )
    finally:
        beat.stop()
    assert tasks_in_db
    rows = {t.name: t for t in PeriodicTask.objects.select_related("crontab")}
    weekly, rescan_all = rows["weekly-report"].crontab, rows["rescan-all"].crontab
    assert (weekly.minute, weekly.hour, weekly.day_of_week, str(weekly.timezone)) == ("30", "6", "2", "UTC")
    assert (rescan_all.minute, rescan_all.hour, rescan_all.day_of_week) == ("15", "23", "6")
    assert rows["weekly-report"].task == tasks.send_weekly_reports.name


@pytest.mark.parametrize(
    ("value", "error"),
    [("every monday", "not a cron expression of five fields"), ("61 8 * * 1", "Invalid end range: 61 > 59")],
)
def test_a_malformed_schedule_stops_the_process_at_start(value, error):
    check = "import django; django.setup()"
    env = {
        "DJANGO_SETTINGS_MODULE": "app.settings",
        "SECRET_KEY": "x",
        "FACTORCARD_DOTENV": "0",
        "WEEKLY_REPORT_CRON": value,
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0 and error in done.stderr


@pytest.mark.django_db
def test_the_dispatcher_picks_each_teams_week_and_unfinished_reports(team, other_team, monday, site):
    ReportSettings.objects.create(team=other_team, time_zone="Pacific/Auckland")
    story.story(team)
    sunday_night = NOW - timedelta(hours=10, minutes=1)  # Sunday 21:59 UTC: Monday 10:59 in Auckland
    assert send.due_reports(sunday_night) == [(team.pk, "2026-W48"), (other_team.pk, "2026-W48")]
    thursday = NOW + timedelta(days=3, hours=3)  # Thursday 11:00 UTC, 00:00 on Friday in Auckland
    assert send.due_reports(thursday) == [(team.pk, "2026-W48"), (other_team.pk, "2026-W49")]
    report = send.prepare(team, Week(2026, 47), NOW - timedelta(days=7))  # nobody to send to: complete at once
    assert report.completed_at is not None and (team.pk, "2026-W47") not in send.due_reports(NOW)
    report.completed_at = None  # as if a delivery were still waiting for its retry
    report.save()
    assert send.due_reports(NOW) == [(team.pk, "2026-W47"), (team.pk, "2026-W48"), (other_team.pk, "2026-W48")]


@pytest.mark.django_db
def test_the_rescan_requests_a_scheduled_scan_of_every_repository_once(team, other_team, monday, monkeypatch):
    monkeypatch.setattr(pipeline, "enqueue", lambda scan_id: True)  # no broker: the scans are only requested
    repos = story.story(team)
    elsewhere = story.repository(other_team, "ledger", NOW - timedelta(days=5))
    Scan.objects.create(repository=repos["catalog"], state=Scan.CLONING)  # a scan in progress: not stacked
    assert rescan.rescan_all() == 7  # six of Platform's seven, and Payments' one
    assert rescan.rescan_all() == 0  # a second firing: every repository already has one queued
    scheduled = Scan.objects.filter(trigger=Scan.SCHEDULE, state=Scan.QUEUED)
    assert scheduled.count() == 7 and elsewhere.scans.filter(trigger=Scan.SCHEDULE).count() == 1
    assert not scheduled.filter(repository=repos["catalog"]).exists()


def test_the_deploy_check_warns_when_links_would_point_at_this_machine(settings):
    settings.SITE_URL = "http://localhost:8000"
    assert [w.id for w in checks.site_url(None)] == ["reports.W001"]
    settings.SITE_URL = "https://factorcard.example.com"
    assert checks.site_url(None) == []
