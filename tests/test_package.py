"""`pip install .` gives the `factorcard` command, usable from any folder: the wheel is built from a copy of
the sources and installed into a throwaway virtualenv, with no network (the engine's dependencies are
the ones already installed here, seen through a .pth file)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from scoring.model import Report
from tests.conftest import ROOT
from tests.scoring.conftest import write_tree

LOCAL_INDEX = Path("/opt/pypi/simple")  # this machine's on-disk package index (pip.conf names it too)
SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\nflask==3.0.0\n",
    "app.py": "import logging\nh = logging.FileHandler('app.log')\n",
}


def build_options() -> tuple[list[str], dict[str, str]]:
    """How to build offline: with the installed setuptools when it can make wheels by itself, else with
    pip's build isolation fed from the on-disk index. Neither touches the network."""
    offline = {"PIP_NO_INPUT": "1", "PIP_FIND_LINKS": "", "PIP_EXTRA_INDEX_URL": ""}
    probe = "import importlib.util as u, setuptools as s; v = tuple(map(int, s.__version__.split('.')[:2]));"
    probe += "raise SystemExit(0 if u.find_spec('wheel') or v >= (70, 1) else 1)"
    if subprocess.run([sys.executable, "-c", probe]).returncode == 0:
        return ["--no-build-isolation", "--no-index"], offline
    if LOCAL_INDEX.is_dir():
        return [], {**offline, "PIP_INDEX_URL": LOCAL_INDEX.as_uri()}
    pytest.skip("no offline way to build a wheel here (no `wheel` package and no local index)")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("package")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "scoring", src / "scoring", ignore=shutil.ignore_patterns("__pycache__"))
    args, env = build_options()
    env = {**os.environ, **env}
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), *args, str(src)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("factorcard-*.whl")
    assert {n.split("/")[0] for n in zipfile.ZipFile(wheel).namelist()} == {
        "scoring",
        wheel.name[:-4].split("-py3")[0] + ".dist-info",
    }
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pip.returncode == 0, pip.stderr[-3000:]
    site = subprocess.run(
        [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "engine-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin" / "factorcard"


def run(command: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run([str(command), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_installed_command_scores_a_tree_from_any_folder(installed, tmp_path):
    tree = write_tree(tmp_path / "service", SERVICE)
    out = run(installed, "score", str(tree), "--format", "json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["schema_version"] == Report.SCHEMA_VERSION and [f["number"] for f in report["factors"]] == list(range(1, 13))
    where = run(installed.parent / "python", "-c", "import scoring; print(scoring.__file__)", cwd=tmp_path)
    assert str(installed.parent.parent) in where.stdout  # the installed copy, not this checkout


def test_fail_under_says_the_score_and_the_threshold_in_one_line(installed, tmp_path):
    tree = write_tree(tmp_path / "service", SERVICE)
    out = run(installed, "score", str(tree), "--fail-under", "99.5", cwd=tmp_path)
    assert out.returncode == 1
    assert "Overall score:" in out.stdout  # the report is still printed
    (line,) = out.stderr.splitlines()
    assert line.startswith("factorcard score: score ") and line.endswith(" is below the threshold 99.5 (--fail-under)")


def test_the_command_explains_itself(installed, tmp_path):
    assert "factorcard score PATH" in run(installed, "--help", cwd=tmp_path).stdout
    wrong = run(installed, "scroe", ".", cwd=tmp_path)
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1
