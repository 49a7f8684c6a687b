"""Thin Celery wrappers taking primary keys, and the worker's process hooks."""

import structlog
from celery import shared_task
from celery.signals import worker_process_init, worker_ready

from . import pipeline, stopping, sweep, workdirs

log = structlog.get_logger(__name__)

RETURN_DELAYS = (5, 10, 20, 30, 60, 60, 60, 60, 60, 60)  # ~7 minutes of database outage, then the sweep


@shared_task(name=pipeline.RUN_SCAN_TASK, bind=True, max_retries=len(RETURN_DELAYS))
def run_scan_task(self, scan_id: int, released: int | None = None) -> None:
    try:
        pipeline.run_scan(scan_id, released)
    except pipeline.ReturnToQueue as exc:
        delay = RETURN_DELAYS[min(self.request.retries, len(RETURN_DELAYS) - 1)]
        raise self.retry(args=[scan_id], kwargs={"released": exc.attempt}, countdown=delay, exc=exc) from exc


@shared_task(name="app.web.tasks.sweep")
def sweep_task() -> dict[str, int]:
    return sweep.sweep()


@worker_process_init.connect
def pool_process_started(**kwargs) -> None:
    """A stop signal sent to the whole process group (Heroku, honcho, systemd) must not kill the
    scans in flight (stopping.py). A new pool process (one replacing a killed one) also removes the
    clone folders of dead processes."""
    stopping.only_the_parent_may_stop_this_process()
    workdirs.remove_orphans()


@worker_ready.connect
def worker_started(sender=None, **kwargs) -> None:
    """One JSON line with what the banner said (the banner is off), then remove orphaned folders."""
    queues = list(sender.app.amqp.queues.consume_from or ()) if sender is not None else []
    log.info("worker_ready", queues=queues, concurrency=getattr(sender.controller, "concurrency", None))
    workdirs.remove_orphans()
