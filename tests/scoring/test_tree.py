"""The read-only view of a checkout (scoring/tree.py), git facts read from files (facts/gitinfo.py),
and Context.grep's line-level matching."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from scoring.context import MAX_MATCHES_PER_FILE, Context
from scoring.facts.gitinfo import git_info, tracked_paths
from scoring.tree import File, Limits, load_tree, path_role
from tests.scoring.conftest import write_tree

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.test",
    "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.test",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
}


def git(root, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, env=GIT_ENV, capture_output=True, text=True).stdout


@pytest.mark.parametrize(
    "path, role",
    [
        ("tests/fixtures/keys.py", "test"),  # a tests folder
        ("src/app/test_views.py", "test"),  # a test module by name
        ("web/src/App.test.tsx", "test"),  # a JS test by name
        ("src/test/java/com/x/AppTest.java", "test"),  # Maven's test tree
        ("spec/models/user_spec.rb", "test"),  # RSpec
        ("conftest.py", "test"),
        ("examples/basic/app.py", "example"),
        (".env.example", "example"),
        ("config/settings.py.template", "example"),
        ("docs/deploy.md", "doc"),
        ("README.md", "doc"),
        ("vendor/github.com/x/y.go", "vendor"),
        ("node_modules/express/index.js", "vendor"),
        ("requirements.txt", None),  # a pip manifest, not prose
        ("requirements-dev.txt", None),
        ("app/settings.py", None),
        ("src/contest/app.py", None),  # "contest" is not "test"
        ("latest/app.py", None),
        ("Todo.Api.Tests/UserApiTests.cs", "test"),  # a .NET test project
        ("src/Web.IntegrationTests/Fixture.cs", "test"),
        ("src/Api/UserApiTests.cs", "test"),  # a test class by name
        ("src/main/java/com/x/OrderIT.java", "test"),  # a Maven failsafe integration test
        ("src/Api/Latest.cs", None),  # "Latest" is not a test class
        ("src/main/java/com/x/Contest.java", None),
        ("src/Api.Testing.Helpers/Clock.cs", None),
        # below src/main/java the folders are a package name: spring-petclinic's org/…/samples/petclinic
        ("src/main/java/org/springframework/samples/petclinic/App.java", None),
        ("src/main/kotlin/com/example/demo/App.kt", None),
        ("samples/src/main/java/com/x/App.java", "example"),  # a samples folder above the source root still is one
        ("src/test/java/org/x/samples/AppTests.java", "test"),
    ],
)
def test_it_tells_tests_examples_docs_and_vendored_code(path, role):
    assert path_role(path) == role


def test_it_skips_untracked_ignored_files_but_reads_tracked_ones(tmp_path):
    root = write_tree(tmp_path / "repo", {
        ".gitignore": ".env\nbuild/\n*.log\n",
        "app.py": "x = 1\n",
        ".env": "SECRET=1\n",  # force-added below: tracked, so it is read
        "build/out.js": "x\n",  # ignored folder
        "debug.log": "x\n",  # ignored, untracked
        "sub/.gitignore": "local.py\n",
        "sub/local.py": "x\n",  # ignored by a nested .gitignore
        "sub/kept.py": "x\n",
    })
    git(root, "init", "-q")
    git(root, "add", "app.py", ".gitignore", "sub/.gitignore", "sub/kept.py")
    git(root, "add", "-f", ".env")
    tree = load_tree(os.fspath(root))
    assert sorted(f.path for f in tree.files) == [".env", ".gitignore", "app.py", "sub/.gitignore", "sub/kept.py"]
    assert tree.skipped["ignored"] == 3


def test_it_applies_gitignore_files_without_an_index(tmp_path):
    root = write_tree(tmp_path / "plain", {".gitignore": "*.log\n", "a.py": "x\n", "a.log": "x\n",
                                           "deep/er/b.log": "x\n", "deep/.gitignore": "er/\n", "deep/c.py": "x\n"})
    tree = load_tree(os.fspath(root))
    assert sorted(f.path for f in tree.files) == [".gitignore", "a.py", "deep/.gitignore", "deep/c.py"]


def test_it_reads_the_commit_and_branches_from_git_files(tmp_path):
    root = write_tree(tmp_path / "repo", {"a.py": "x\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    git(root, "branch", "staging")
    head = git(root, "rev-parse", "HEAD").strip()
    info = git_info(os.fspath(root))
    assert (info.is_repo, info.commit, info.head_branch) == (True, head, "main")
    assert set(info.branches) == {"main", "staging"}
    git(root, "pack-refs", "--all")  # refs moved into packed-refs
    assert git_info(os.fspath(root)).commit == head
    git(root, "checkout", "-q", "--detach")
    assert git_info(os.fspath(root)).commit == head
    assert git_info(os.fspath(tmp_path)).commit is None  # not a repository


@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_it_lists_tracked_paths_from_the_index(tmp_path, version):
    root = write_tree(tmp_path / "repo", {f"pkg/mod{i}/file_{i}.py": "x\n" for i in range(30)} | {"a b/ü.txt": "x\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "update-index", "--index-version", version)
    expected = set(git(root, "-c", "core.quotepath=off", "ls-files").splitlines())
    assert tracked_paths(os.fspath(root)) == expected


def test_it_treats_a_corrupt_index_as_no_index(tmp_path):
    root = write_tree(tmp_path / "repo", {"a.py": "x\n"})
    git(root, "init", "-q")
    (root / ".git" / "index").write_bytes(b"DIRC\0\0\0\2\xff\xff\xff\xff" + os.urandom(200))
    assert tracked_paths(os.fspath(root)) is None
    assert [f.path for f in load_tree(os.fspath(root)).files] == ["a.py"]


def test_it_keeps_line_numbers_when_long_lines_are_cut():
    f = File("app.js", 0, "short\n" + "x" * 10_000 + "needle\nneedle here\n", max_line=100)
    view = f.scan_view
    assert view is not f and len(view.text) < 250
    assert view.lines[0] == "short" and len(view.lines[1]) == 100 and view.lines[2] == "needle here"
    plain = File("a.py", 0, "a\nb\n")
    assert plain.scan_view is plain  # no copy when no line is long


def test_it_maps_offsets_to_lines():
    f = File("a.py", 0, "one\ntwo\r\nthree")
    assert [f.line_of(i) for i in (0, 3, 4, 9, 14)] == [1, 1, 2, 3, 3]
    assert [f.line_text(n) for n in (1, 2, 3)] == ["one", "two", "three"]


def context(tmp_path, files: dict[str, str], **limits) -> Context:
    root = write_tree(tmp_path / "ctx", files)
    return Context(load_tree(os.fspath(root), Limits(**limits)))


def test_it_greps_code_once_per_line_and_skips_comments(tmp_path):
    ctx = context(tmp_path, {"a.py": '# FileHandler( in a comment\n"""FileHandler( in a docstring"""\n'
                                     "x = FileHandler(1); y = FileHandler(2)\nz = 'FileHandler('\n"})
    pattern = re.compile(r"FileHandler\(")
    assert [(h.line, h.where) for h in ctx.grep(pattern, where="code")] == [(3, "code")]
    assert [(h.line, h.where) for h in ctx.grep(pattern)] == [(3, "code"), (4, "string")]
    assert [h.line for h in ctx.grep(pattern, where="any")] == [1, 2, 3, 4]
    assert ctx.first(pattern, where="comment").line == 1


def test_it_bounds_hits_and_matches_per_file(tmp_path):
    ctx = context(tmp_path, {"a.py": "hit()\n" * 100, "b.py": "# hit()\n" * (MAX_MATCHES_PER_FILE + 100) + "hit()\n"})
    pattern = re.compile(r"hit\(\)")
    assert len(list(ctx.grep(pattern, [ctx.tree.get("a.py")]))) == 25  # MAX_HITS_PER_FILE
    assert len(list(ctx.grep(pattern, [ctx.tree.get("a.py")], limit=3))) == 3
    # a file full of commented-out matches is given up after MAX_MATCHES_PER_FILE of them
    assert list(ctx.grep(pattern, [ctx.tree.get("b.py")], where="code")) == []


def test_it_stops_grepping_after_the_deadline(tmp_path):
    ctx = context(tmp_path, {"a.py": "hit()\n"}, deadline_s=0.0)
    assert list(ctx.grep(re.compile(r"hit\(\)"))) == []
    assert any("time limit" in r for r in ctx.tree.partial_reasons)
