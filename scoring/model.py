"""The engine's value types: findings, checks, factor results and the report.

All are frozen dataclasses so a report, once built, cannot be changed by a consumer.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; info (positive evidence) is 0."""
        return _RANKS[self]

    def demoted(self, steps: int = 1) -> Severity:
        """One or more steps less severe, never below low (a violation stays a violation)."""
        if self is Severity.INFO:
            return self
        return _BY_RANK[max(1, self.rank - steps)]


_RANKS = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}
_BY_RANK = {rank: sev for sev, rank in _RANKS.items()}


class Status(enum.StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NA = "na"


class Kind(enum.StrEnum):
    SERVICE = "service"
    LIBRARY = "library"
    STATIC_SITE = "static-site"
    CLI = "cli"
    MONOREPO = "monorepo"


@dataclass(frozen=True)
class Factor:
    number: int
    id: str
    name: str
    # Whether a service is expected to show positive evidence for this factor; a service with
    # neither evidence nor violations gets `warn` ("could not tell") rather than `pass`.
    evidence_expected: bool = True


FACTORS: tuple[Factor, ...] = (
    Factor(1, "codebase", "Codebase"),
    Factor(2, "dependencies", "Dependencies"),
    Factor(3, "config", "Config"),
    Factor(4, "backing-services", "Backing services"),
    Factor(5, "build-release-run", "Build, release, run"),
    Factor(6, "processes", "Processes", evidence_expected=False),
    Factor(7, "port-binding", "Port binding"),
    Factor(8, "concurrency", "Concurrency"),
    Factor(9, "disposability", "Disposability"),
    Factor(10, "dev-prod-parity", "Dev/prod parity"),
    Factor(11, "logs", "Logs"),
    Factor(12, "admin-processes", "Admin processes"),
)
FACTOR_BY_NUMBER = {f.number: f for f in FACTORS}
FACTOR_BY_ID = {f.id: f for f in FACTORS}
# Process-model factors: not applicable to libraries, static sites and config-less CLIs.
PROCESS_MODEL_FACTORS = frozenset({6, 7, 8, 9, 12})


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Severity
    path: str | None
    line: int | None
    message: str
    remediation: str
    snippet: str = ""
    # Set by the runner when the path is a test/doc/example/vendored file and the severity was lowered.
    demoted_from: Severity | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across scans: ignores the line number, which moves as a file is edited."""
        raw = "\x1f".join((self.check, self.path or "", self.message, self.snippet.strip()))
        return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()[:20]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "check": self.check,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "remediation": self.remediation,
            "snippet": self.snippet,
            "fingerprint": self.fingerprint,
        }
        if self.demoted_from is not None:
            out["demoted_from"] = self.demoted_from.value
        return out


@dataclass(frozen=True)
class CheckSpec:
    id: str
    factor: int
    title: str
    remediation: str
    doc: str
    # Where this check applies in a monorepo: per deployable, or once for the whole repository.
    repository_wide: bool = False


@dataclass(frozen=True)
class FactorResult:
    number: int
    id: str
    name: str
    status: Status
    score: float | None
    summary: str
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "id": self.id,
            "name": self.name,
            "status": self.status.value,
            "score": self.score,
            "summary": self.summary,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class Stats:
    files_scanned: int = 0
    bytes_scanned: int = 0
    duration_ms: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    partial: bool = False
    partial_reasons: tuple[str, ...] = ()
    check_errors: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "files_scanned": self.files_scanned,
            "bytes_scanned": self.bytes_scanned,
            "duration_ms": self.duration_ms,
            "skipped": dict(self.skipped),
            "partial": self.partial,
            "partial_reasons": list(self.partial_reasons),
            "check_errors": list(self.check_errors),
        }


@dataclass(frozen=True)
class Deployable:
    path: str  # "." for the repository root
    kind: Kind
    reasons: tuple[str, ...]
    # Library folders of the same repository this deployable uses (by manifest reference): their
    # files are scored as part of it (a monorepo's shared code is not dropped).
    uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    engine_name: str
    engine_version: str
    target_path: str
    commit: str | None
    kind: Kind
    kind_reasons: tuple[str, ...]
    score: float
    factors: tuple[FactorResult, ...]
    stats: Stats
    deployables: tuple[Deployable, ...] = ()

    SCHEMA_VERSION = 1

    def factor(self, key: int | str) -> FactorResult:
        for f in self.factors:
            if key in (f.number, f.id):
                return f
        raise KeyError(key)

    @property
    def findings(self) -> list[Finding]:
        return [finding for f in self.factors for finding in f.findings]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.SCHEMA_VERSION,
            "engine": {"name": self.engine_name, "version": self.engine_version},
            "target": {"path": self.target_path, "commit": self.commit},
            "kind": {"value": self.kind.value, "reasons": list(self.kind_reasons)},
            "deployables": [
                {"path": d.path, "kind": d.kind.value, "reasons": list(d.reasons), "uses": list(d.uses)}
                for d in self.deployables
            ],
            "score": self.score,
            "factors": [f.to_dict() for f in self.factors],
            "stats": self.stats.to_dict(),
        }
