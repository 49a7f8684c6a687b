"""The registry of checks. Check ids are stable (scan history and finding fingerprints depend on them),
so the full list is snapshotted here: adding, renaming or removing a check means editing CHECK_IDS."""

from __future__ import annotations

import re

import pytest

from scoring.factors import all_checks
from scoring.model import FACTOR_BY_NUMBER, FACTORS
from scoring.registry import check

CHECK_IDS = [
    "admin-processes.admin-tasks",
    "admin-processes.manual-server-steps",
    "admin-processes.migrate-on-start",
    "admin-processes.migrations-tool",
    "admin-processes.release-phase",
    "backing-services.attached-resources",
    "backing-services.env-branching",
    "backing-services.hardcoded-host",
    "build-release-run.build-definition",
    "build-release-run.floating-app-image",
    "build-release-run.floating-base-image",
    "build-release-run.git-in-image-build",
    "build-release-run.install-at-startup",
    "build-release-run.migrate-in-build",
    "build-release-run.mutating-deploy",
    "build-release-run.release-step",
    "build-release-run.secrets-in-build",
    "build-release-run.source-mounted",
    "build-release-run.versioned-images",
    "codebase.copied-app-per-environment",
    "codebase.copied-shared-folder",
    "codebase.environment-branches",
    "codebase.link-outside-tree",
    "codebase.revision-control",
    "codebase.shared-code-by-path",
    "concurrency.background-threads",
    "concurrency.in-container-supervisor",
    "concurrency.process-types",
    "concurrency.self-daemonizing",
    "config.committed-env-file",
    "config.committed-secret",
    "config.connection-string-credentials",
    "config.debug-in-production",
    "config.env-example",
    "config.env-reads",
    "config.no-env-reads",
    "config.per-environment-config",
    "dependencies.curl-pipe-shell",
    "dependencies.declared",
    "dependencies.lock-file-ignored",
    "dependencies.missing-manifest",
    "dependencies.no-lock-file",
    "dependencies.undeclared-system-tool",
    "dev-prod-parity.debug-picks-service",
    "dev-prod-parity.embedded-database",
    "dev-prod-parity.floating-service-image",
    "dev-prod-parity.in-process-substitute",
    "dev-prod-parity.same-services",
    "dev-prod-parity.service-version-drift",
    "disposability.early-ack",
    "disposability.graceful-shutdown",
    "disposability.health-checks",
    "disposability.late-ack",
    "disposability.signal-forwarding",
    "disposability.slow-startup",
    "logs.file-handler",
    "logs.logrotate-config",
    "logs.stdout-evidence",
    "logs.var-log-path",
    "port-binding.hard-coded-port",
    "port-binding.injected-server",
    "port-binding.port-from-env",
    "port-binding.server-dependency",
    "processes.in-memory-shared-state",
    "processes.local-disk-storage",
    "processes.local-session-store",
    "processes.module-state",
    "processes.shared-state-evidence",
    "processes.sqlite-database",
    "processes.sticky-sessions",
]
ID = re.compile(r"[a-z]+(?:-[a-z]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*")


def test_it_lists_every_check_id():
    assert sorted(c.spec.id for c in all_checks()) == CHECK_IDS


def test_it_declares_each_check_completely():
    checks = all_checks()
    ids = [c.spec.id for c in checks]
    assert len(ids) == len(set(ids))
    for c in checks:
        spec = c.spec
        assert ID.fullmatch(spec.id), spec.id
        assert spec.id.startswith(FACTOR_BY_NUMBER[spec.factor].id + "."), spec.id
        assert spec.title.strip() and spec.remediation.strip(), spec.id
        assert len(spec.doc) >= 40 and spec.doc.split("\n\n", 1)[0].strip(), spec.id  # the user documentation
        assert callable(c.fn)


def test_it_has_checks_for_every_factor():
    factors = {c.spec.factor for c in all_checks()}
    assert factors == {f.number for f in FACTORS}


def test_it_orders_checks_by_factor():
    numbers = [c.spec.factor for c in all_checks()]
    assert numbers == sorted(numbers)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        # an id whose prefix is not its factor's id
        ({"id": "config.misfiled", "factor": 11}, "must start with 'logs.'"),
        # an id already taken
        ({"id": "logs.file-handler", "factor": 11}, "duplicate check id"),
    ],
)
def test_it_refuses_a_badly_declared_check(kwargs, error):
    with pytest.raises(ValueError, match=error):
        check(**kwargs, title="t", remediation="r")(lambda ctx: iter(()))


def test_it_refuses_a_check_without_documentation():
    def undocumented(ctx):
        return iter(())

    with pytest.raises(ValueError, match="needs a docstring"):
        check("logs.undocumented-probe", factor=11, title="t", remediation="r")(undocumented)
    assert "logs.undocumented-probe" not in {c.spec.id for c in all_checks()}
