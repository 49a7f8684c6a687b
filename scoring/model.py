"""The engine's value types: findings, checks, factor results and the report.

All are frozen dataclasses so a report, once built, cannot be changed by a consumer.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import date
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
class Waiver:
    """A team's answer to findings, from .factorcard.yml or the dashboard: the findings it covers are
    listed and marked, not counted, until it expires. It covers one finding by fingerprint, or the
    findings of one check in some paths (.gitignore-style patterns)."""

    id: str  # "config#2" (its place in the file's list) or "dashboard#17" (the web app's record)
    reason: str
    expires: date  # the first day it no longer applies
    check: str | None = None
    paths: tuple[str, ...] = ()
    fingerprint: str | None = None
    by: str = ""  # who recorded it (dashboard waivers)

    @property
    def source(self) -> str:
        return self.id.split("#", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "check": self.check,
            "paths": list(self.paths),
            "fingerprint": self.fingerprint,
            "reason": self.reason,
            "expires": self.expires.isoformat(),
            "by": self.by,
        }


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
    # Set when a waiver covers the finding; it is then also demoted (listed as low, not counted).
    waiver: Waiver | None = None

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
        if self.waiver is not None:
            w = self.waiver
            out["waiver"] = {"id": w.id, "source": w.source, "reason": w.reason, "expires": w.expires.isoformat(),
                             "by": w.by}
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
    # Without the team's waivers and not-applicable declarations (None: the same as status and score).
    unwaived_status: Status | None = None
    unwaived_score: float | None = None
    declared_na: str = ""  # the reason, when .factorcard.yml declares the factor not applicable

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.waiver is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "id": self.id,
            "name": self.name,
            "status": self.status.value,
            "score": self.score,
            "summary": self.summary,
            "waived": self.waived,
            "unwaived_status": (self.unwaived_status or self.status).value,
            "unwaived_score": self.score if self.unwaived_status is None else self.unwaived_score,
            "declared_not_applicable": self.declared_na or None,
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
class RepoConfig:
    """The repository's .factorcard.yml as read (scoring/repoconfig.py): only what passed validation,
    and a message for everything rejected, clamped or ignored."""

    path: str | None = None  # ".factorcard.yml", ".github/factorcard.yml", or None without one
    digest: str = ""  # sha256 of the file's bytes
    messages: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    kind: Kind | None = None
    deployables: tuple[tuple[str, Kind | None], ...] = ()
    not_applicable: tuple[tuple[int, str], ...] = ()
    waivers: tuple[Waiver, ...] = ()
    clamped: tuple[tuple[str, date], ...] = ()  # waiver id → the expiry the file asked for

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "digest": self.digest or None,
            "messages": list(self.messages),
            "ignore": list(self.ignore),
            "kind": self.kind.value if self.kind else None,
            "deployables": [{"path": p, "kind": k.value if k else None} for p, k in self.deployables],
            "not_applicable": [{"factor": n, "id": FACTOR_BY_NUMBER[n].id, "reason": r} for n, r in self.not_applicable],
        }


@dataclass(frozen=True)
class WaiverUse:
    """A waiver as this scan applied it: how many findings it covered, or that it had expired."""

    waiver: Waiver
    matched: int = 0
    expired: bool = False
    clamped_from: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.waiver.to_dict(),
            "expired": self.expired,
            "matched": self.matched,
            "clamped_from": self.clamped_from.isoformat() if self.clamped_from else None,
        }


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
    unwaived_score: float | None = None  # without waivers and not-applicable declarations (None: the same)
    config: RepoConfig = field(default_factory=RepoConfig)
    waivers: tuple[WaiverUse, ...] = ()

    SCHEMA_VERSION = 2  # 2: waivers and the repository's configuration (docs/scoring.md)

    def factor(self, key: int | str) -> FactorResult:
        for f in self.factors:
            if key in (f.number, f.id):
                return f
        raise KeyError(key)

    @property
    def findings(self) -> list[Finding]:
        return [finding for f in self.factors for finding in f.findings]

    @property
    def waived(self) -> int:
        return sum(f.waived for f in self.factors)

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
            "unwaived_score": self.score if self.unwaived_score is None else self.unwaived_score,
            "waived": self.waived,
            "config": self.config.to_dict(),
            "waivers": [u.to_dict() for u in self.waivers],
            "factors": [f.to_dict() for f in self.factors],
            "stats": self.stats.to_dict(),
        }
