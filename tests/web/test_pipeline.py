"""The pipeline against real PostgreSQL and real git repositories (run in-process, no broker)."""

import tempfile

import pytest

from app.web import gitclone, pipeline
from app.web.models import FactorResult, Finding, Scan
from scoring.model import FACTORS, Kind, Report, Severity, Stats, Status
from scoring.model import FactorResult as EngineResult
from scoring.model import Finding as EngineFinding
from tests.conftest import SAMPLE_SERVICE

pytestmark = pytest.mark.django_db


def test_it_scores_a_repository_and_stores_every_factor(
    team, git_server, allow_local, no_broker, django_capture_on_commit_callbacks
):
    url = git_server.create("sample", SAMPLE_SERVICE)
    with django_capture_on_commit_callbacks(execute=True):
        repo, scan = pipeline.add_repository(team, url)
    assert no_broker == [scan.pk]  # sent only once the transaction committed
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.DONE, scan.error
    assert len(scan.commit_sha) == 40 and scan.score is not None
    assert scan.cloning_at <= scan.scoring_at <= scan.finished_at
    results = FactorResult.objects.filter(scan=scan)
    assert sorted(results.values_list("factor", flat=True)) == list(range(1, 13))
    logs = results.get(factor=11)
    assert logs.status == "fail"
    finding = Finding.objects.get(factor_result=logs, check_id="logs.file-handler")
    assert (finding.path, finding.line) == ("settings.py", 2)
    repo.refresh_from_db()
    assert repo.latest_scan == scan


def test_it_stores_one_result_per_commit_and_engine_version(team, git_server, allow_local, no_broker):
    url = git_server.create("twice", SAMPLE_SERVICE)
    repo, first = pipeline.add_repository(team, url)
    pipeline.run_scan(first.pk)
    second = pipeline.request_scan(repo, Scan.MANUAL)
    pipeline.run_scan(second.pk)
    second.refresh_from_db()
    assert second.state == Scan.DONE and second.reused_from_id == first.pk
    assert FactorResult.objects.filter(repository=repo).count() == 12
    pipeline.run_scan(second.pk)  # a duplicate delivery of a finished scan does nothing
    assert FactorResult.objects.filter(repository=repo).count() == 12


def test_a_new_commit_adds_a_new_result(team, git_server, allow_local, no_broker):
    url = git_server.create("moving", SAMPLE_SERVICE)
    repo, first = pipeline.add_repository(team, url)
    pipeline.run_scan(first.pk)
    sha = git_server.push("moving", {"settings.py": "import logging\n"})
    second = pipeline.request_scan(repo, Scan.MANUAL)
    pipeline.run_scan(second.pk)
    second.refresh_from_db()
    assert second.commit_sha == sha and second.reused_from is None
    assert FactorResult.objects.filter(repository=repo).count() == 24
    assert FactorResult.objects.get(scan=second, factor=11).status != "fail"


@pytest.mark.parametrize(
    "name, files, branch, reason",
    [
        ("missing", None, "", "Not a git repository"),  # nothing served under that name
        ("nobranch", {"a.txt": "x"}, "no-such-branch", "branch does not exist"),
    ],
)
def test_a_failed_clone_ends_in_failed_with_a_reason(
    team, git_server, allow_local, no_broker, name, files, branch, reason
):
    url = git_server.create(name, files) if files else git_server.url(name)
    repo, scan = pipeline.add_repository(team, url, branch=branch)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.FAILED
    assert reason in scan.error
    assert not FactorResult.objects.filter(scan=scan).exists()


def test_a_repository_over_the_size_cap_fails_with_that_reason(team, git_server, allow_local, no_broker, settings):
    import os

    url = git_server.create("big", {f"blob{i}.bin": os.urandom(300_000).hex() for i in range(4)})
    settings.FACTORCARD = {**settings.FACTORCARD, "CLONE_MAX_BYTES": 1_000_000}
    repo, scan = pipeline.add_repository(team, url)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.FAILED and "larger than" in scan.error


def test_it_sees_the_remotes_environment_branches_despite_a_shallow_clone(team, git_server, allow_local, no_broker):
    url = git_server.create("envbranches", SAMPLE_SERVICE)
    git_server.branch("envbranches", "production", {"app.py": "print('hotfix only in prod')\n"})
    repo, scan = pipeline.add_repository(team, url)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.DONE, scan.error
    codebase = FactorResult.objects.get(scan=scan, factor=1)
    flagged = Finding.objects.filter(factor_result=codebase, check_id="codebase.environment-branches")
    assert [f.message for f in flagged] and "production" in flagged[0].message


def test_a_clone_that_takes_too_long_fails_with_that_reason_and_leaves_no_files(team, git_server, allow_local,
                                                                                no_broker, settings, monkeypatch,
                                                                                tmp_path):
    from tests.conftest import SlowProxy

    git_server.create("slow", SAMPLE_SERVICE)
    proxy = SlowProxy(git_server.port, delay=5.0)
    settings.FACTORCARD = {**settings.FACTORCARD, "CLONE_TIMEOUT": 1.0}
    scratch = tmp_path / "scratch"  # this test's own temporary folder: other runs' scans never show in it
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    try:
        repo, scan = pipeline.add_repository(team, f"git://127.0.0.1:{proxy.port}/slow.git")
        pipeline.run_scan(scan.pk)
    finally:
        proxy.close()
    scan.refresh_from_db()
    assert scan.state == Scan.FAILED
    assert "did not finish within 1 s" in scan.error
    assert list(scratch.iterdir()) == []  # the scan's temporary folder is gone


def test_a_clone_error_holding_a_nul_byte_is_recorded_as_failed(team, allow_local, no_broker, monkeypatch):
    """A hostile server's message reaches git's stderr byte for byte; PostgreSQL refuses NUL in text."""
    def clone(url, workdir, branch="", *, commit=""):
        raise gitclone.CloneError("git clone failed: remote: evil\x00byte\x1b[31m red")

    monkeypatch.setattr(pipeline, "clone_repository", clone)
    repo, scan = pipeline.add_repository(team, "git://127.0.0.1:9/nul.git")
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.FAILED
    assert scan.error == "git clone failed: remote: evil\\x00byte\\x1b[31m red"


def test_findings_holding_control_characters_are_stored(team, no_broker):
    repo = pipeline.Repository.objects.create(team=team, name="bin", clone_url="https://example.test/bin.git")
    scan = Scan.objects.create(repository=repo, state=Scan.SCORING)
    bad = EngineFinding("config.committed-secret", Severity.HIGH, "we\x00ird.py", 1, "secret\x00here", "fix",
                        snippet="KEY = '\x00****'")
    factors = tuple(EngineResult(f.number, f.id, f.name, Status.FAIL if f.number == 3 else Status.PASS, 5.0,
                                 "summary\x07", (bad,) if f.number == 3 else ()) for f in FACTORS)
    pipeline.store_report(scan.pk, Report("factorcard", "t", "/x", "a" * 40, Kind.SERVICE, ("why",), 50.0, factors,
                                          Stats()))
    stored = Finding.objects.get(factor_result__scan=scan)
    assert (stored.path, stored.message, stored.snippet) == ("we\\x00ird.py", "secret\\x00here", "KEY = '\\x00****'")
