"""How a pool process reacts to SIGTERM: only its own parent may stop it with one.

Heroku, honcho and systemd stop a worker by sending SIGTERM to every process of its group. The main
process then begins a warm shutdown, which waits for the scans in flight; pool processes that died
of the same signal would lose those scans. So a pool process blocks SIGTERM and a thread takes each
one with sigwaitinfo(), which names the sender: one from the parent (billiard stopping the pool in a
cold shutdown, or cancelling a task) is delivered as before and ends the process through billiard's
handler (finally blocks run, the clone folder is removed); any other sender's is ignored, and logged.
"""

from __future__ import annotations

import os
import signal
import threading

import structlog

log = structlog.get_logger(__name__)


def only_the_parent_may_stop_this_process() -> None:
    """Call in the pool process, before it starts any other thread (they inherit the blocked signal)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    threading.Thread(target=_take_sigterms, args=(os.getppid(),), name="sigterm", daemon=True).start()


def _take_sigterms(parent: int) -> None:
    while True:
        info = signal.sigwaitinfo({signal.SIGTERM})
        if info.si_pid == parent:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # this thread only: it receives it
            os.kill(os.getpid(), signal.SIGTERM)  # the handler runs in the main thread, as before
            return
        log.info("sigterm_ignored", sender=info.si_pid, detail="the worker's warm shutdown finishes the scan first")
