"""Read the tree once, classify it, run every check, and aggregate findings per factor."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from . import ENGINE_NAME, __version__
from .context import SHARED_DIRS, Context, Raw
from .factors import all_checks
from .facts.gitinfo import git_info
from .facts.secrets import committed_secrets
from .formula import factor_verdict, overall
from .model import (
    FACTORS,
    PROCESS_MODEL_FACTORS,
    Factor,
    FactorResult,
    Finding,
    Kind,
    Report,
    Severity,
    Stats,
    Status,
    Waiver,
)
from .redact import redact_snippet
from .registry import Check
from .tree import Limits, Tree, load_tree, path_role
from .waivers import Found, Rules

MAX_FINDINGS_PER_CHECK = 50  # listed; every finding still counts in the score
_NA_KINDS = {Kind.LIBRARY, Kind.STATIC_SITE, Kind.CLI}


class UnreadablePath(Exception):
    pass


def score_path(
    path: str | os.PathLike, limits: Limits | None = None, *, waivers: Sequence[Waiver] = (), today: date | None = None
) -> Report:
    """Score the checked-out tree at `path`. Never executes or follows anything in it.

    The tree's own .factorcard.yml applies; `waivers` are more, recorded outside the repository (the
    web app's dashboard); `today` (UTC by default) decides which waivers have expired.
    """
    started = time.monotonic()
    root = os.fspath(path)
    if not os.path.isdir(root) or not os.access(root, os.R_OK | os.X_OK):
        raise UnreadablePath(f"{root}: not a readable directory")
    tree = load_tree(root, limits)
    checks = all_checks()
    rules = Rules.load(tree, {c.spec.id for c in checks}, waivers, today)
    whole = Context(tree)
    verdict = rules.classify(whole)
    errors: list[str] = []

    if verdict.kind is Kind.MONOREPO:
        folders = [d.path for d in verdict.deployables]
        contexts = [Context(tree, d.path, d.kind, exclude=folders, include=d.uses) for d in verdict.deployables]
        shared = _unclaimed(tree, contexts)
    else:
        whole.kind = verdict.kind
        contexts, shared = [whole], None

    repo_wide = _run([c for c in checks if c.spec.repository_wide], whole, errors, tree)
    per_context = [_run([c for c in checks if not c.spec.repository_wide], ctx, errors, tree) for ctx in contexts]
    in_shared = _run([c for c in checks if not c.spec.repository_wide], shared, errors, tree) if shared else {}

    marked = rules.mark(repo_wide), [rules.mark(found) for found in per_context], rules.mark(in_shared)
    factors = _factors(contexts, shared, *marked)
    unwaived = _factors(contexts, shared, repo_wide, per_context, in_shared) if rules.changed_anything else factors
    factors = rules.settle(factors, unwaived)

    info = git_info(tree.root)
    stats = Stats(
        files_scanned=len(tree.files),
        bytes_scanned=tree.bytes_read,
        duration_ms=int((time.monotonic() - started) * 1000),
        skipped={"too_large": 0, "binary": 0, **dict(tree.skipped)},
        partial=tree.partial,
        partial_reasons=tuple(tree.partial_reasons),
        check_errors=tuple(errors),
    )
    return Report(
        engine_name=ENGINE_NAME,
        engine_version=__version__,
        target_path=tree.root,
        commit=info.commit,
        kind=verdict.kind,
        kind_reasons=verdict.reasons,
        score=overall(f.score for f in factors),
        factors=tuple(factors),
        stats=stats,
        deployables=verdict.deployables,
        unwaived_score=overall(f.score for f in unwaived),
        config=rules.config,
        waivers=rules.uses(),
    )


def _factors(
    contexts: list[Context], shared: Context | None, repo_wide: Found, per_context: list[Found], in_shared: Found
) -> list[FactorResult]:
    """Each factor over every context: a monorepo's factor is its worst deployable's (or its shared code's)."""
    factors = []
    scopes = [ctx.scope for ctx in contexts] + ([SHARED_SCOPE] if shared else [])
    for factor in FACTORS:
        results = [
            _factor_result(factor, ctx.kind, repo_wide.get(factor.number, []) + found.get(factor.number, []), ctx)
            for ctx, found in zip(contexts, per_context, strict=True)
        ]
        if shared and any(r.status is not Status.NA for r in results):
            results.append(_shared_result(factor, in_shared.get(factor.number, []), shared))
        factors.append(_worst(results, len(contexts) > 1, scopes))
    return factors


def _run(checks: list[Check], ctx: Context, errors: list[str], tree: Tree) -> dict[int, list[Finding]]:
    out: dict[int, list[Finding]] = defaultdict(list)
    known = _known_secrets(ctx, errors)
    for check in checks:
        if tree.deadline_passed:
            reason = f"the {tree.limits.deadline_s:.0f} s time limit was reached; later checks did not run"
            if reason not in tree.partial_reasons:
                tree.partial_reasons.append(reason)
            break
        try:
            raws = list(check.fn(ctx))
        except Exception as exc:  # one broken check must not lose the whole report
            errors.append(f"{check.spec.id} ({ctx.scope or '.'}): {type(exc).__name__}")
            continue
        out[check.spec.factor].extend(_finish(check, raws, known, tree.role_of))
    return out


def _known_secrets(ctx: Context, errors: list[str]) -> tuple[str, ...]:
    """Every secret value the scan found: masked in every snippet, whichever check quotes the line
    (an env-read evidence line can hold the literal fallback `process.env.JWT_SECRET || '…'`)."""
    try:
        return tuple({v for s in ctx.fact(committed_secrets) for v in s.values if v})
    except Exception as exc:  # the secrets check itself reports the failure; redaction still runs
        errors.append(f"secrets scan ({ctx.scope or '.'}): {type(exc).__name__}")
        return ()


def _finish(
    check: Check, raws: Iterable[Raw], known: tuple[str, ...] = (), role_of: Callable[[str], str | None] = path_role
) -> list[Finding]:
    """Demote or drop what was found in tests/docs/examples/vendored code (or in paths the repository
    declares not deployed: `role_of`); redact every snippet."""
    findings = []
    for raw in raws:
        severity, demoted_from = raw.severity, None
        role = role_of(raw.path) if raw.path else None
        if role and not raw.anywhere:
            if severity is Severity.INFO:
                continue  # evidence must come from the app itself, not its tests or docs
            # Tests, docs, examples and vendored code: shown as low, never counted (see formula.penalty).
            severity, demoted_from = Severity.LOW, severity
        findings.append(
            Finding(
                check=check.spec.id,
                severity=severity,
                path=raw.path,
                line=raw.line,
                message=raw.message,
                remediation=raw.remediation or check.spec.remediation,
                snippet=redact_snippet(raw.snippet, (*raw.secrets, *(k for k in known if k in raw.snippet))),
                demoted_from=demoted_from,
            )
        )
    return findings


def _factor_result(factor: Factor, kind: Kind, findings: list[Finding], ctx: Context) -> FactorResult:
    if kind in _NA_KINDS and factor.number in PROCESS_MODEL_FACTORS:
        return FactorResult(
            factor.number, factor.id, factor.name, Status.NA, None, f"Not applicable to a {kind.value}."
        )
    findings = _dedupe(findings)
    expected = factor.evidence_expected and kind is Kind.SERVICE
    status, score = factor_verdict(findings, expected)
    findings.sort(key=lambda f: (-f.severity.rank, f.path or "", f.line or 0))
    listed, per_check = [], defaultdict(int)
    for f in findings:
        per_check[f.check] += 1
        if per_check[f.check] <= MAX_FINDINGS_PER_CHECK:
            listed.append(f)
    summary = _summary(status, findings, _where([ctx.scope] if ctx.scope else []))
    return FactorResult(factor.number, factor.id, factor.name, status, score, summary, tuple(listed))


def _unclaimed(tree: Tree, contexts: list[Context]) -> Context | None:
    """A monorepo's files that no deployable holds or uses (a shared folder no manifest references):
    scored once for the repository, so what is found there is reported, never dropped."""
    claimed = {f.path for ctx in contexts for f in ctx.files}
    rest = [f for f in tree.files if f.path not in claimed]
    if not any(f.language and f.role is None for f in rest):
        return None
    # with the root's files (manifests, compose, CI) that every deployable also sees
    common = [f for f in tree.files if "/" not in f.path or f.path.split("/", 1)[0] in SHARED_DIRS]
    return Context(tree, SHARED_SCOPE, Kind.SERVICE, only=common + rest)


SHARED_SCOPE = "shared code"


def _shared_result(factor: Factor, findings: list[Finding], ctx: Context) -> FactorResult:
    """The repository's code outside every deployable: its violations count (they run somewhere, or
    will), its evidence does not (evidence must come from a deployable), and nothing is expected of it."""
    violations = [f for f in _dedupe(findings) if f.severity is not Severity.INFO]
    status, score = factor_verdict(violations, evidence_expected=False)
    violations.sort(key=lambda f: (-f.severity.rank, f.path or "", f.line or 0))
    return FactorResult(
        factor.number,
        factor.id,
        factor.name,
        status,
        score,
        _summary(status, violations, _where([ctx.scope])),
        tuple(violations),
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.fingerprint, f.line)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _summary(status: Status, findings: list[Finding], where: str) -> str:
    violations = [f for f in findings if f.severity is not Severity.INFO and f.demoted_from is None]
    if violations:
        worst = violations[0]
        more = len(violations) - 1
        tail = f" (and {more} more violation{'s' if more != 1 else ''})" if more else ""
        return f"{worst.severity.value.capitalize()}{where}: {worst.message}{tail}"
    evidence = [f for f in findings if f.severity is Severity.INFO]
    if evidence:
        return f"Compliant{where}: {evidence[0].message}"
    if status is Status.WARN:
        return f"No evidence found either way{where}."
    return f"No violation found{where}."


def _worst(results: list[FactorResult], several: bool, scopes: list[str] = ()) -> FactorResult:
    """A monorepo's factor is its worst deployable's (or its shared code's); the findings of all are listed.

    Between results of the same score and status, the one with the worse and more violations is the
    worst, so the summary never says "Compliant in A" while B has the violations; when every part
    passes, the summary names them all.
    """
    applicable = [r for r in results if r.status is not Status.NA]
    if not applicable:
        return results[0]
    worst = min(applicable, key=lambda r: (r.score, -_STATUS_RANK[r.status], *_badness(r)))
    if not several:
        return worst
    merged = _dedupe([f for r in applicable for f in r.findings])
    merged.sort(key=lambda f: (-f.severity.rank, f.path or "", f.line or 0))
    summary = worst.summary
    counted = [f for f in merged if f.severity is not Severity.INFO and f.demoted_from is None]
    if counted:  # the headline violation (the worst part holds one as severe), and every part it is in
        first = counted[0].fingerprint
        parts = [
            scope for r, scope in zip(results, scopes, strict=False) if first in {f.fingerprint for f in _counted(r)}
        ]
        parts = [p for p in parts if p != SHARED_SCOPE] or parts  # a root file is in the shared code too
        summary = _summary(worst.status, list(merged), _where(parts))
    elif worst.status is Status.PASS:
        passing = [
            scope
            for r, scope in zip(results, scopes, strict=False)
            if r.status is Status.PASS and scope != SHARED_SCOPE
        ]
        summary = _summary(Status.PASS, list(merged), _where(passing))
    return FactorResult(worst.number, worst.id, worst.name, worst.status, worst.score, summary, tuple(merged))


def _where(scopes: list[str]) -> str:
    shown = ", ".join(scopes[:3]) + (f" and {len(scopes) - 3} more" if len(scopes) > 3 else "")
    return f" in {shown}" if shown else ""


def _counted(r: FactorResult) -> list[Finding]:
    return [f for f in r.findings if f.severity is not Severity.INFO and f.demoted_from is None]


def _badness(r: FactorResult) -> tuple[int, int]:
    counted = _counted(r)
    return (-max((f.severity.rank for f in counted), default=0), -len(counted))


_STATUS_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2, Status.NA: -1}
