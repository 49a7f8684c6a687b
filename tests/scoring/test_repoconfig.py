""".factorcard.yml as input: what is read, and every bad file rejected or clamped with a message while the
scan still scores (nothing hangs, nothing is followed, nothing but plain data is built)."""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from scoring import score_path
from scoring.model import Kind
from scoring.repoconfig import MAX_BYTES, load_config, schema
from scoring.tree import load_tree
from tests.scoring.conftest import write_tree

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 3, 1)
CHECKS = {"logs.file-handler", "config.committed-secret"}
APP = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\nflask==3.0.0\n",
    "app/log.py": "import logging\nh = logging.FileHandler('app.log')\n",
    "contrib/init.py": "import logging\nh = logging.FileHandler('/var/log/x.log')\n",
    "services/api/app.py": "print('api')\n",
    "services/web/server.js": "console.log('web')\n",
}
GOOD = """\
version: 1
ignore: [contrib/**, "examples/**"]
not_applicable:
  - factor: concurrency
    reason: One process by design.
  - factor: 12
    reason: No admin tasks.
waivers:
  - check: logs.file-handler
    paths: [app/log.py]
    reason: Rotated by the platform's agent.
    expires: 2026-06-30
  - fingerprint: 0123456789abcdef0123
    reason: Overridden in production.
    expires: 2026-04-01
"""


def config_of(tmp_path, text: str | bytes, name: str = ".factorcard.yml", files: dict | None = None):
    root = write_tree(tmp_path / "repo", {**(APP if files is None else files), name: text})
    return load_config(load_tree(os.fspath(root)), CHECKS, TODAY)


def test_it_publishes_the_schema_it_validates_with():
    published = json.loads((ROOT / "docs" / "factorcard.schema.json").read_text("utf-8"))
    assert published == schema()
    jsonschema.Draft202012Validator.check_schema(published)


def test_it_reads_every_setting_of_a_good_file(tmp_path):
    config = config_of(tmp_path, GOOD)
    assert config.path == ".factorcard.yml" and len(config.digest) == 64
    assert config.messages == ()
    assert config.ignore == ("contrib/**", "examples/**")
    assert config.not_applicable == ((8, "One process by design."), (12, "No admin tasks."))
    first, second = config.waivers
    assert (first.id, first.check, first.paths, first.fingerprint) == (
        "config#1",
        "logs.file-handler",
        ("app/log.py",),
        None,
    )
    assert first.expires == date(2026, 6, 30) and first.reason == "Rotated by the platform's agent."
    assert (second.id, second.fingerprint, second.check) == ("config#2", "0123456789abcdef0123", None)


def test_it_reads_the_github_folder_and_prefers_the_root_file(tmp_path):
    only = config_of(tmp_path / "a", "kind: library\n", name=".github/factorcard.yml")
    assert (only.path, only.kind, only.messages) == (".github/factorcard.yml", Kind.LIBRARY, ())
    root = write_tree(
        tmp_path / "b", {**APP, ".factorcard.yml": "kind: cli\n", ".github/factorcard.yml": "kind: library\n"}
    )
    both = load_config(load_tree(os.fspath(root)), CHECKS, TODAY)
    assert both.kind is Kind.CLI
    assert both.messages == (".github/factorcard.yml is not read: .factorcard.yml comes first.",)


def test_no_file_and_an_empty_file_configure_nothing(tmp_path):
    assert load_config(load_tree(os.fspath(write_tree(tmp_path / "none", APP))), CHECKS, TODAY).path is None
    empty = config_of(tmp_path, "# nothing yet\n")
    assert (empty.path, empty.messages, empty.waivers, empty.ignore) == (".factorcard.yml", (), (), ())


def test_it_reads_deployables_and_their_kinds(tmp_path):
    config = config_of(
        tmp_path, "deployables:\n  - path: services/api\n  - path: ./services/web/\n    kind: static-site\n"
    )
    assert config.kind is Kind.MONOREPO
    assert config.deployables == (("services/api", None), ("services/web", Kind.STATIC_SITE))


BIG = b"# " + b"x" * (10 * 1024 * 1024) + b"\n"
LAUGHS = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + b"".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n".encode() for i in range(8)
)


@pytest.mark.parametrize(
    "text, message",
    [
        (b"ignore: [unclosed\n  - x: : :\n", "is not valid YAML: did not find expected ',' or ']' at line 2"),
        (BIG, "is 10.0 MB; the limit is 64 KiB"),  # never read, let alone parsed
        (b"x" * (MAX_BYTES + 1), "is 64 KiB; the limit is 64 KiB"),  # one byte over
        (b"ignore: " + b"[" * 1000 + b"]" * 1000 + b"\n", "nests more than 16 levels deep"),  # 1,000 levels
        (b"ignore: " + b"{a: " * 1000 + b"b" + b"}" * 1000 + b"\n", "nests more than 16 levels deep"),
        (LAUGHS, "expands to more than 10,000 values (YAML anchors and aliases?)"),  # billion laughs
        (b"a: &a [*a]\n", "holds a YAML alias that refers to itself"),
        (b"ignore: []\n---\nignore: []\n", "holds more than one YAML document"),
        (b"- ignore\n- kind\n", "must be a mapping of settings"),
        (b"just some words\n", "must be a mapping of settings"),
        (b"ignore: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "could not determine a constructor"),
        (b"waivers: []\nwaivers: []\n", "found the key 'waivers' twice at line 2"),
        (b"kind: service\n\x00\x01", "is not text"),
        (b"kind: \xff\xfe service\n", "is not UTF-8 text"),
    ],
)
def test_a_file_that_cannot_be_used_is_rejected_with_a_message(tmp_path, text, message):
    started = time.monotonic()
    config = config_of(tmp_path, text)
    assert time.monotonic() - started < 2  # nothing hangs
    (said,) = config.messages
    assert said.startswith(".factorcard.yml ") and message in said and said.endswith("the scan used no configuration.")
    assert (config.ignore, config.waivers, config.kind, config.not_applicable) == ((), (), None, ())


def test_a_rejected_file_still_lets_the_scan_score(tmp_path):
    root = write_tree(tmp_path / "repo", {**APP, ".factorcard.yml": LAUGHS})
    plain = score_path(os.fspath(write_tree(tmp_path / "plain", APP)))
    report = score_path(os.fspath(root))
    assert report.score == plain.score and report.config.messages


def test_a_link_or_a_fifo_is_never_followed_or_opened(tmp_path):
    outside = tmp_path / "secret.yml"
    outside.write_text("kind: library\n")
    root = write_tree(tmp_path / "repo", APP)
    (root / ".factorcard.yml").symlink_to(outside)
    linked = load_config(load_tree(os.fspath(root)), CHECKS, TODAY)
    assert linked.kind is None and "is a symbolic link and was not followed" in linked.messages[0]

    (root / ".factorcard.yml").unlink()
    os.mkfifo(root / ".factorcard.yml")  # opening it for reading would wait for a writer forever
    fifo = load_config(load_tree(os.fspath(root)), CHECKS, TODAY)
    assert "is not a regular file" in fifo.messages[0]

    (root / ".factorcard.yml").unlink()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "factorcard.yml").write_text("kind: library\n")
    (root / ".github").symlink_to(tmp_path / "elsewhere")  # a linked folder is not followed either
    assert load_config(load_tree(os.fspath(root)), CHECKS, TODAY).path is None


@pytest.mark.parametrize(
    "text, kept, message",
    [
        # unknown keys are reported and ignored; the rest applies
        ("colour: blue\nkind: library\n", {"kind": Kind.LIBRARY}, "unknown key 'colour': ignored."),
        # a pattern that matches every path, or every file of the repository, is left out
        (
            "ignore: ['**', contrib/**]\n",
            {"ignore": ("contrib/**",)},
            "ignore: entry 1: '**' matches every path; left out.",
        ),
        ("ignore: ['*']\n", {"ignore": ()}, "ignore: entry 1: '*' matches every path; left out."),
        ("ignore: ['/**', 'Procfile']\n", {"ignore": ("Procfile",)}, "'/**' matches every path"),
        (
            "ignore: ['!contrib/**']\n",
            {"ignore": ()},
            "ignore entry 1: '!contrib/**' is not valid: expected a .gitignore",
        ),
        # an entry with a bad field is left out, the other entries stay
        (
            "waivers:\n  - check: logs.file-handler\n    paths: [app/**]\n    reason: Because.\n    expires: soon\n"
            "  - fingerprint: 0123456789abcdef0123\n    reason: Because.\n    expires: 2026-05-01\n",
            {"waivers": ["config#2"]},
            "waivers entry 1: expires: 'soon' is not valid: expected the first day",
        ),
        (
            "waivers:\n  - check: logs.file-handler\n    reason: Because.\n    expires: 2026-05-01\n",
            {"waivers": []},
            "a waiver needs either `fingerprint`, or `check` and `paths`",
        ),
        (
            "waivers:\n  - fingerprint: 0123456789abcdef0123\n    expires: 2026-05-01\n",
            {"waivers": []},
            "waivers entry 1: 'reason' is a required property; that entry is left out.",
        ),
        (
            "waivers:\n  - check: no.such-check\n    paths: [app/**]\n    reason: Because.\n    expires: 2026-05-01\n",
            {"waivers": []},
            "there is no check 'no.such-check'",
        ),
        (
            "waivers:\n  - check: logs.file-handler\n    paths: ['**/*']\n    reason: Because.\n    expires: 2026-05-01\n",
            {"waivers": []},
            "'**/*' matches every path",
        ),
        (
            "waivers:\n  - fingerprint: 0123456789abcdef0123\n    reason: Because.\n    expires: 2026-02-30\n",
            {"waivers": []},
            "expires '2026-02-30' is not a date",
        ),
        ("kind: mainframe\n", {"kind": None}, "kind: 'mainframe' is not one of"),
        ("kind: monorepo\n", {"kind": None}, "kind: monorepo needs at least two deployables"),
        (
            "kind: library\ndeployables: [{path: services/api}, {path: services/web}]\n",
            {"kind": Kind.MONOREPO},
            "kind: library does not go with deployables",
        ),
        (
            "deployables: [{path: services/api}, {path: nowhere}]\n",
            {"kind": None},
            "deployables: 'nowhere' is not a folder of the repository; left out.",
        ),
        (
            "deployables: [{path: ../../etc}, {path: services/api}]\n",
            {"kind": None},
            "deployables entry 1: path: '../../etc' is not valid",
        ),
        (
            "not_applicable:\n  - factor: 13\n    reason: Nope.\n  - factor: logs\n    reason: Logged by the host.\n",
            {"not_applicable": ((11, "Logged by the host."),)},
            "not_applicable entry 1: factor: 13 is not valid",
        ),
        (
            "not_applicable:\n  - factor: logs\n    reason: A.\n    because: B\n",
            {"not_applicable": ()},
            "unknown key 'because'",
        ),
        (
            "waivers: {check: x}\n",
            {"waivers": []},
            "waivers: {'check': 'x'} is not of type 'array'; `waivers` is left out.",
        ),
    ],
)
def test_a_bad_part_is_left_out_with_a_message_and_the_rest_applies(tmp_path, text, kept, message):
    config = config_of(tmp_path, text)
    assert any(message in m for m in config.messages), config.messages
    for field, value in kept.items():
        got = getattr(config, field)
        assert ([w.id for w in got] if field == "waivers" else got) == value


def test_a_pattern_that_matches_every_file_of_this_repository_is_left_out(tmp_path):
    files = {"src/a.py": "x = 1\n", "src/b/c.py": "y = 2\n"}
    config = config_of(tmp_path, "ignore: [src/**]\n", files=files)
    assert config.ignore == ()
    assert config.messages == ("ignore: entry 1: 'src/**' matches every file of the repository; left out.",)


@pytest.mark.parametrize(
    "expires, applies_until, message",
    [
        ("2026-03-02", date(2026, 3, 2), None),  # tomorrow: fine
        ("2027-03-01", date(2027, 3, 1), None),  # exactly a year ahead: fine
        (
            "2027-03-02",
            date(2027, 3, 1),
            "expires 2027-03-02 is more than a year ahead, so it applies until 2027-03-01",
        ),
        ("2076-03-01", date(2027, 3, 1), "expires 2076-03-01 is more than a year ahead"),  # 50 years ahead: clamped
        ("2026-03-01", date(2026, 3, 1), "expired on 2026-03-01; the findings it covered count again."),  # today
        ("1999-01-01", date(1999, 1, 1), "expired on 1999-01-01"),  # in the past: kept, marked expired
    ],
)
def test_expiry_dates_are_clamped_to_a_year_and_past_ones_expire(tmp_path, expires, applies_until, message):
    text = f"waivers:\n  - fingerprint: 0123456789abcdef0123\n    reason: Because.\n    expires: {expires}\n"
    config = config_of(tmp_path, text)
    (waiver,) = config.waivers
    assert waiver.expires == applies_until
    assert len(config.messages) == (0 if message is None else 1)
    if message:
        assert config.messages[0].startswith("waivers entry 1: ") and message in config.messages[0]
    clamped = dict(config.clamped)
    assert (waiver.id in clamped) == (message is not None and "ahead" in message)


def test_a_long_value_is_cut_in_messages(tmp_path):
    config = config_of(tmp_path, f"kind: {'k' * 5000}\n")
    assert config.messages and all(len(m) <= 400 for m in config.messages)


def test_the_example_in_the_documentation_is_valid(tmp_path):
    doc = (ROOT / "docs" / "scoring.md").read_text("utf-8")
    example = doc.split("### `.factorcard.yml`", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    files = {**APP, "src/crypto/names.py": "KeyDerivationName = 1\n", "services/web/index.html": "<p>hi</p>\n"}
    config = config_of(tmp_path, example.replace("2027-01-31", "2026-12-31"), files=files)
    assert config.messages == ()
    assert config.kind is Kind.MONOREPO and len(config.waivers) == 2 and config.not_applicable[0][0] == 8
