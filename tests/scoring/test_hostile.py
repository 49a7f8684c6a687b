"""Every byte of a scanned tree is hostile: the engine executes nothing, follows no link out of the
root, skips .git, oversized, binary and special files, decodes anything, and finishes in bounded time
on pathological trees (or returns a partial report that says why).

Trees are built on the fly in tmp_path. Run with `-s` to see how long each pathological scan took.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scoring import Limits, score_path
from scoring.output import to_json
from scoring.tree import MiB, load_tree
from tests.scoring.conftest import findings, write_tree

ROOT = Path(__file__).resolve().parents[2]
FILE_HANDLER = "import logging\nh = logging.FileHandler('app.log')\n"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.test",
    "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.test",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
}


def timed(label: str, fn, *args, **kw):
    started = time.monotonic()
    out = fn(*args, **kw)
    print(f"\n{label}: {time.monotonic() - started:.2f} s")
    return out


def scan_json(root: Path, limits: Limits | None = None) -> tuple[dict, str]:
    text = to_json(score_path(os.fspath(root), limits))
    text.encode("utf-8")  # every report must be encodable (no lone surrogates from odd file names)
    return json.loads(text), text


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scoring", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


# --- nothing from the tree runs -------------------------------------------------------------------

def test_it_never_executes_anything_from_the_tree(tmp_path, monkeypatch):
    marker = tmp_path / "executed"
    touch = f"touch {marker}"
    root = write_tree(tmp_path / "repo", {
        "setup.py": f"import os\nos.system({touch!r})\n",
        "conftest.py": f"open({str(marker)!r}, 'w')\n",
        "sitecustomize.py": f"open({str(marker)!r}, 'w')\n",
        "app/__init__.py": f"open({str(marker)!r}, 'w')\n",
        "package.json": json.dumps({"name": "x", "scripts": {"preinstall": touch, "postinstall": touch}}),
        "Makefile": f"all:\n\t{touch}\n",
        ".envrc": touch + "\n",
        "Procfile": f"web: {touch}\nrelease: {touch}\n",
        "Dockerfile": f"FROM python:3.12\nRUN {touch}\nCMD {touch}\n",
        "bin/entrypoint.sh": f"#!/bin/sh\n{touch}\n",
    })
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=GIT_ENV)
    hook = root / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\n{touch}\n")
    hook.chmod(0o755)
    with open(root / ".git" / "config", "a") as fh:  # git would run these if the engine ran git here
        fh.write(f"[core]\n\tfsmonitor = {touch}\n\thooksPath = .git/hooks\n")
    subprocess.run(["git", "-c", "core.fsmonitor=false", "add", "-A"], cwd=root, check=True, env=GIT_ENV)

    spawned = []

    def refuse(name):
        def spawn(*args, **kw):
            spawned.append(name)
            raise AssertionError(f"the engine tried to run a process ({name})")
        return spawn

    for name in ("system", "posix_spawn", "posix_spawnp", "fork", "execv", "execve", "execvp", "execvpe"):
        monkeypatch.setattr(os, name, refuse(name))
    monkeypatch.setattr(subprocess.Popen, "__init__", refuse("Popen"))
    report, _ = scan_json(root)
    assert spawned == []
    assert not marker.exists()
    assert report["score"] >= 0


# --- links -------------------------------------------------------------------------------------------

def test_it_reports_a_link_out_of_the_tree_and_never_reads_it(tmp_path):
    root = write_tree(tmp_path / "repo", {"app.py": "print('hi')\n", "requirements.txt": "flask==3.0.0\n"})
    os.symlink("/etc/passwd", root / "passwd")  # a file outside
    os.symlink("/etc/passwd", root / "Procfile")  # a file the engine parses, were it a file
    os.symlink("/etc", root / "etc")  # a folder outside: never walked
    os.symlink("../../outside", root / "up")  # relative, out of the root
    os.symlink("app.py", root / "alias.py")  # inside the tree: fine
    os.symlink("loop-b", root / "loop-a")  # a loop: recorded, never resolved by opening
    os.symlink("loop-a", root / "loop-b")
    report, text = scan_json(root)

    secret_lines = [line for line in Path("/etc/passwd").read_text().splitlines() if len(line) > 12]
    assert secret_lines and not any(line in text for line in secret_lines)
    escaping = {f["path"] for factor in report["factors"] for f in factor["findings"]
                if f["check"] == "codebase.link-outside-tree"}
    assert escaping == {"passwd", "Procfile", "etc", "up"}
    assert all(f["severity"] == "medium" and f["message"] == "a symbolic link points outside the repository"
               for factor in report["factors"] for f in factor["findings"] if f["check"] == "codebase.link-outside-tree")
    tree = load_tree(os.fspath(root))
    assert {link.path for link in tree.links} == {"passwd", "Procfile", "etc", "up", "alias.py", "loop-a", "loop-b"}
    assert not any(f.path.startswith("etc/") for f in tree.files)
    assert report["stats"]["skipped"]["symlink"] == 7


def test_it_does_not_read_the_dot_git_folder(tmp_path):
    root = write_tree(tmp_path / "repo", {"app.py": "print('hi')\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=GIT_ENV)
    write_tree(root / ".git", {"hooks/log.py": FILE_HANDLER, "info/x.py": FILE_HANDLER})
    write_tree(root / "vendored/lib/.git", {"log.py": FILE_HANDLER})  # a nested repository's .git too
    tree = load_tree(os.fspath(root))
    assert [f.path for f in tree.files] == ["app.py"]
    assert tree.has_git_dir
    report = score_path(os.fspath(root))
    assert not [f for f in report.findings if f.path and ".git/" in f.path]


# --- files that are skipped ------------------------------------------------------------------------

def test_it_skips_files_over_the_size_limit_and_binaries(tmp_path):
    root = write_tree(tmp_path / "repo", {
        "big.py": FILE_HANDLER + "#" * (MiB + 10),  # over the 1 MiB default
        "image.png": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4,
        "blob.bin": b"abc\0def" * 100,
        "small.py": "x = 1\n",
    })
    report, _ = scan_json(root)
    assert report["stats"]["skipped"]["too_large"] == 1
    assert report["stats"]["skipped"]["binary"] == 2
    assert report["stats"]["files_scanned"] == 1
    assert not [f for f in score_path(os.fspath(root)).findings if f.path == "big.py"]

    raised, _ = scan_json(root, Limits(max_file_bytes=2 * MiB))  # the limit is configurable
    assert raised["stats"]["skipped"]["too_large"] == 0
    assert raised["stats"]["files_scanned"] == 2
    lowered, _ = scan_json(root, Limits(max_file_bytes=3))
    assert lowered["stats"]["skipped"]["too_large"] == 4  # every file: the size is checked before reading


def test_it_never_opens_a_2_gib_sparse_file(tmp_path, monkeypatch):
    root = write_tree(tmp_path / "repo", {"app.py": "x = 1\n"})
    huge = root / "dump.sql"
    with open(huge, "wb") as fh:
        fh.truncate(2 * 1024 * MiB)
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **kw: (opened.append(os.fspath(path)), real_open(path, *a, **kw))[1])
    report, _ = timed("2 GiB sparse file", scan_json, root)
    assert os.fspath(huge) not in opened
    assert report["stats"]["skipped"]["too_large"] == 1
    assert report["stats"]["bytes_scanned"] < MiB


@pytest.mark.parametrize(
    "name, raw",
    [
        # latin-1 bytes that are not valid UTF-8
        ("latin1.py", "# caf\xe9 cr\xe8me\n".encode("latin-1") + FILE_HANDLER.encode()),
        # UTF-16 with a byte-order mark, little endian (Windows editors): NUL bytes, yet text
        ("utf16le.py", "\ufeff# données\n".encode("utf-16-le") + FILE_HANDLER.encode("utf-16-le")),
        # UTF-16 big endian with its BOM
        ("utf16be.py", "\ufeff# données\n".encode("utf-16-be") + FILE_HANDLER.encode("utf-16-be")),
        # UTF-8 with a BOM
        ("bom.py", b"\xef\xbb\xbf# \xc3\xa9\n" + FILE_HANDLER.encode()),
        # invalid UTF-8 sequences, a lone surrogate's encoding and stray continuation bytes
        ("broken.py", b"# \xff\xfe\xed\xa0\x80 \x80\x80\xc3\n" + FILE_HANDLER.encode()),
    ],
)
def test_it_tolerates_any_encoding(tmp_path, name, raw):
    root = write_tree(tmp_path / "repo", {f"app/{name}": raw})
    report, _ = scan_json(root)
    assert report["stats"]["files_scanned"] == 1
    hits = [f for factor in report["factors"] for f in factor["findings"] if f["check"] == "logs.file-handler"]
    assert [(h["path"], h["line"]) for h in hits] == [(f"app/{name}", 3)]


def test_it_reports_files_whose_names_are_not_utf8(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (Path(os.fsdecode(os.fsencode(root) + b"/log\xff\xfe.py"))).write_text(FILE_HANDLER)
    report, text = scan_json(root)
    hits = [f for factor in report["factors"] for f in factor["findings"] if f["check"] == "logs.file-handler"]
    assert [h["path"] for h in hits] == ["log\ufffd\ufffd.py"]
    out = cli(os.fspath(root), "--format", "json")  # the CLI prints it on a UTF-8 stdout
    assert out.returncode == 0, out.stderr
    assert "log\ufffd\ufffd.py" in out.stdout


@pytest.mark.timeout(60)
def test_it_does_not_hang_on_fifos(tmp_path):
    root = write_tree(tmp_path / "repo", {"app.py": "x = 1\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=GIT_ENV)
    for rel in ("pipe.py", "Procfile", ".gitignore", "config/.env"):  # where a reader would block
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)
    for rel in ("HEAD", "index", "packed-refs", "refs/heads/main"):  # git's own files, read by gitinfo
        (root / ".git" / rel).unlink(missing_ok=True)
        os.mkfifo(root / ".git" / rel)
    out = timed("tree with FIFOs", cli, os.fspath(root), "--format", "json", timeout=45)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["stats"]["skipped"]["special"] == 4
    assert report["target"]["commit"] is None


# --- bounded time on pathological trees ---------------------------------------------------------

@pytest.fixture(scope="module")
def hundred_thousand_files(tmp_path_factory) -> Path:
    """100,000 tiny files in 1,000 folders (empty files made with one system call each: fast)."""
    root = tmp_path_factory.mktemp("wide")
    started = time.monotonic()
    for i in range(100):
        for j in range(10):
            folder = root / f"pkg{i}" / f"mod{j}"
            folder.mkdir(parents=True)
            base = os.fspath(folder)
            for k in range(100):
                os.mknod(f"{base}/f{k}.py")
    (root / "pkg0" / "mod0" / "app.py").write_text(FILE_HANDLER)
    print(f"\nbuilt 100,000 files in {time.monotonic() - started:.2f} s")
    return root


def test_it_finishes_100k_files_with_default_limits(hundred_thousand_files):
    report = timed("100,000 files, default limits", score_path, os.fspath(hundred_thousand_files))
    stats = report.stats
    assert stats.files_scanned <= Limits().max_files
    # Either every file was read, or the report says it is partial and why.
    assert stats.files_scanned == 100_001 or (stats.partial and stats.partial_reasons)
    assert stats.duration_ms < 60_000


@pytest.mark.parametrize(
    "limits, reason",
    [
        # the file budget stops the walk early
        (Limits(max_files=1000), "more than 1000 files"),
        # so does the budget of directory entries of any kind
        (Limits(max_entries=5000), "more than 5000 directory entries"),
        # and the wall-clock deadline
        (Limits(deadline_s=0.0), "time limit"),
    ],
)
def test_it_returns_a_partial_report_when_a_limit_is_reached(hundred_thousand_files, limits, reason):
    report = timed(f"100,000 files, {reason}", score_path, os.fspath(hundred_thousand_files), limits)
    assert report.stats.partial
    assert any(reason in r for r in report.stats.partial_reasons)
    assert report.stats.duration_ms < 10_000
    data = report.to_dict()
    assert data["stats"]["partial"] is True and data["stats"]["partial_reasons"]
    assert [f["number"] for f in data["factors"]] == list(range(1, 13))


def test_it_handles_50_levels_of_nesting(tmp_path):
    root = tmp_path / "repo"
    deep = root.joinpath(*[f"d{i}" for i in range(50)])
    deep.mkdir(parents=True)
    (deep / "log.py").write_text(FILE_HANDLER)  # 51 levels down: past max_depth
    (root.joinpath(*[f"d{i}" for i in range(40)]) / "log.py").write_text(FILE_HANDLER)
    report = timed("50 levels of nesting", score_path, os.fspath(root))
    assert report.stats.skipped["too_deep"] == 1
    assert report.stats.files_scanned == 1
    assert findings(report, "logs.file-handler")[0].path.count("/") == 40


def test_it_bounds_matching_on_a_10_mb_line(tmp_path):
    junk = "var a='x';app.listen(3000);// password = 'hunter2hunter2' os.environ logging.FileHandler( "
    line = FILE_HANDLER.replace("\n", ";") + junk * (10_000_000 // len(junk))
    root = write_tree(tmp_path / "repo", {"app/bundle.py": line, "app/min.js": junk * (10_000_000 // len(junk))})
    default = score_path(os.fspath(root))
    assert default.stats.skipped["too_large"] == 2  # over the 1 MiB default: not read at all

    report = timed("two 10 MB lines", score_path, os.fspath(root), Limits(max_file_bytes=16 * MiB))
    assert report.stats.files_scanned == 2 and report.stats.bytes_scanned > 19_000_000
    assert report.stats.duration_ms < 20_000
    hits = findings(report, "logs.file-handler")
    assert hits and hits[0].line == 1
    assert all(len(f.snippet) <= 200 for f in report.findings)
    assert "hunter2hunter2" not in to_json(report)


def test_it_handles_a_file_with_a_huge_number_of_lines(tmp_path):
    lines = ["x = 1"] * 170_000 + ["h = logging.FileHandler('app.log')"]
    root = write_tree(tmp_path / "repo", {"app/gen.py": "\n".join(lines) + "\n", "app/blank.py": "\n" * 1_000_000})
    report = timed("170,001 lines + 1,000,000 blank lines", score_path, os.fspath(root))
    assert report.stats.files_scanned == 2
    assert report.stats.duration_ms < 20_000
    assert [f.line for f in findings(report, "logs.file-handler")] == [170_001]


def test_it_scales_with_a_gitignore_in_every_folder(tmp_path):
    root = tmp_path / "repo"
    for i in range(2000):
        write_tree(root / f"m{i}", {".gitignore": "*.log\nbuild/\n", "a.py": "x = 1\n", "a.log": "x\n"})
    report = timed("2,000 folders each with a .gitignore", score_path, os.fspath(root))
    assert report.stats.skipped["ignored"] == 2000
    assert report.stats.files_scanned == 4000  # a.py and .gitignore in each
    assert report.stats.duration_ms < 20_000
