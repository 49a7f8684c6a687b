"""Thin Celery wrappers: take primary keys, call the pipeline."""

from celery import shared_task

from . import pipeline


@shared_task(name=pipeline.RUN_SCAN_TASK)
def run_scan_task(scan_id: int) -> None:
    pipeline.run_scan(scan_id)


@shared_task(name="app.web.tasks.sweep")
def sweep() -> dict[str, int]:
    return pipeline.sweep()
