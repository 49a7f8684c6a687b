"""The literal prefilter must never hide a match: whenever a pattern matches a text, one of its
required literals is in the lower-cased text."""

import random
import re
from pathlib import Path

import pytest

import scoring.factors  # noqa: F401  (registers the checks whose module patterns are sampled below)
from scoring.factors import all_checks
from scoring.lexmask import mask_for
from scoring.prefilter import (
    LiteralIndex,
    Plan,
    gate,
    leading_literals,
    line_local,
    literal_index,
    module_patterns,
    required_literals,
)
from scoring.tree import File


@pytest.mark.parametrize(
    "pattern, literals",
    [
        (r"\.(?:get|post)\(", {".get(", ".post("}),  # alternation multiplied into its neighbours
        (r"os\.(?:OpenFile|Create)\s*\(", {"os.openfile", "os.create"}),
        (r"(?:HTTP_|APP_)?PORT\b", {"port"}),  # an optional prefix: "port" is in every alternative
        (r"['\"]/healthz", {"'/healthz", '"/healthz'}),  # a small class
        (r"(?i)Password\s*=", {"password"}),
        (r"[A-Z]+=\w+", None),  # nothing required
        (r"ab|\w+", None),  # one branch requires nothing
        (r"x{2,}y", None),  # literals shorter than three characters are not worth a check
    ],
)
def test_it_derives_the_literals_every_match_contains(pattern, literals):
    found = required_literals(re.compile(pattern))
    assert (set(found) if found else None) == literals


def _engine_patterns() -> list[re.Pattern]:
    modules = {c.fn.__module__ for c in all_checks()}
    out = []
    for name in sorted(modules):
        module = __import__(name, fromlist=["_"])
        out += [v for v in vars(module).values() if isinstance(v, re.Pattern)]
    return out


def test_it_never_hides_a_match_of_an_engine_pattern():
    rng = random.Random(1234)
    checked = 0
    for pattern in _engine_patterns():
        literals = required_literals(pattern)
        if not literals:
            continue
        alphabet = sorted(set("".join(literals)) | set(" \t\n'\"()=:._-/$#{}[]0123456789abcXYZ"))
        for _ in range(300):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
            text = text.replace("x", rng.choice(literals), 1) if rng.random() < 0.5 else text
            if pattern.search(text):
                checked += 1
                assert any(lit in text.lower() for lit in literals), (pattern.pattern, text)
    assert checked > 50  # the random texts did match often enough to mean something


@pytest.mark.parametrize(
    "pattern, local",
    [
        (r"foo[^\n]{0,5}bar", True),
        (r"foo[ \t]*(?=\w)", True),
        (r"foo(?!\S)", True),  # a look-ahead at the line's end sees the newline either way
        (r"(?m)^foo$", True),
        (r"foo.bar", True),  # "." stops at a newline ...
        (r"(?s)foo.bar", False),  # ... unless DOTALL
        (r"\bfoo\s*=", False),  # \s matches a newline
        (r"foo[^x]", False),  # so does a negated class
        (r"foo\W", False),
        (r"^foo$", False),  # "$" without MULTILINE is the end of the text
        (r"foo\Z", False),
        (r"foo\nbar", False),
    ],
)
def test_it_knows_which_patterns_stay_within_a_line(pattern, local):
    assert line_local(re.compile(pattern)) is local


def _corpus() -> list[File]:
    """Real text full of the engine's literals: its own sources and the tests' fixtures."""
    root = Path(__file__).resolve().parents[2]
    paths = sorted((root / "scoring").rglob("*.py")) + sorted((root / "tests" / "scoring").rglob("*.py"))
    # and files that are not source (the main literal index skips them): docs, configuration
    paths += sorted((root / "docs").glob("*.md")) + [root / "README.md", root / "docker-compose.yml", root / "Procfile"]
    out = []
    for p in paths:
        text = p.read_text()
        out.append(File(str(p.relative_to(root)), len(text), text, 4000))
    return out


def _every_match(next_match, text: str) -> list[tuple[int, int]]:
    """All matches a finder yields, walked the way finditer walks (on from each match's end)."""
    out, pos = [], 0
    while pos <= len(text):
        m = next_match(pos)
        if m is None:
            break
        out.append(m.span())
        pos = m.end() if m.end() > m.start() else m.start() + 1
    return out


@pytest.mark.parametrize("strategy", ["leading", "by_line"])
def test_each_search_strategy_finds_what_a_whole_text_search_finds(strategy):
    """For every engine pattern a strategy applies to, matching only at the leading literals'
    occurrences, or searching only the lines holding a required literal, finds exactly the matches
    of a search over the whole text (same spans, same order), on real text full of the literals."""
    corpus = _corpus()
    compared = matched = 0
    for pattern in module_patterns():
        how = Plan(pattern)
        if strategy == "by_line":
            how.leading = None  # force the line strategy where it applies
        if not getattr(how, strategy):
            continue
        compared += 1
        for f in corpus:
            whole = [m.span() for m in pattern.finditer(f.text)]
            assert _every_match(how.finder(f), f.text) == whole, (pattern.pattern, f.path)
            matched += bool(whole)
    assert compared > 50 and matched > 20  # many patterns, and real matches among them


@pytest.mark.parametrize(
    "pattern, leading",
    [
        (r"\b(?:subprocess\.run|os\.system)\(", {"subprocess.run(", "os.system("}),
        (r"(?<![\w$])\$`(?P<cmd>\w+)", None),  # a two-character start is too common to try everywhere
        (r"(?:HTTP_|APP_)?PORT\b", {"http_port", "app_port", "port"}),
        (r"(?P<key>acks_late)['\"]?\s*=", {"acks_late"}),
        (r"(?:\w+_)?SECRET", None),  # may start with any word
        (r"(?:foo|bar\w*)baz", {"foo", "bar"}),  # branches that continue differently
        (r"^[ \t]*import\b", None),  # leading blanks
    ],
)
def test_it_derives_the_literals_a_match_starts_with(pattern, leading):
    found = leading_literals(re.compile(pattern))
    assert (set(found) if found else None) == leading


def test_the_literal_index_gate_agrees_with_plain_substring_tests():
    corpus = _corpus()
    for pattern in module_patterns():
        literals = required_literals(pattern)
        test = gate(pattern)
        if not literals:
            assert test is None
            continue
        for f in corpus:
            assert test(f) is any(lit in f.text.lower() for lit in literals), (pattern.pattern, f.path)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "import os\nDATABASE_URL = os.environ['DATABASE_URL']\n",
        "passwort: ü\u00df€ password\n",  # UTF-8 of several widths before and after a literal
        "\udcff lone surrogate (a file decoded with surrogateescape) then secret_key",
        "kelvin \u212a lowers to k: \u212aey",  # lower-cased before the scan, as the engine does
        "x" * 100_000 + "environ",  # a literal at the very end of a long text
    ],
)
def test_the_literal_index_finds_exactly_the_literals_a_text_holds(text):
    index = LiteralIndex(["environ", "password", "secret_key", "key", "ß€", "k:", "import os"])
    low = text.lower()
    assert index.scan(low) == {lit for lit in index.literals if lit in low}


def test_the_engine_literal_index_agrees_with_substring_tests_on_random_text():
    index = literal_index()
    literals = sorted(index.literals)
    rng = random.Random(3)
    for _ in range(200):
        picked = rng.sample(literals, 5)
        noise = "".join(rng.choice("ab é\n=_-.") for _ in range(40))
        text = (noise + "".join(f"{lit[: rng.randrange(1, len(lit) + 1)]}{noise[:3]}" for lit in picked)).lower()
        assert index.scan(text) == {lit for lit in literals if lit in text}


def test_a_mask_lexed_lazily_answers_like_one_lexed_at_once():
    rng = random.Random(7)
    for f in _corpus()[:40]:
        eager = mask_for(f.text, "python")
        eager.kind_at(len(f.text))  # lexes the whole text
        offsets = [rng.randrange(len(f.text)) for _ in range(50)] if f.text else []
        lazy = mask_for(f.text, "python")
        assert [lazy.kind_at(o) for o in offsets] == [eager.kind_at(o) for o in offsets], f.path


def test_the_secrets_scan_looks_for_every_anchor_a_file_holds():
    from scoring.facts.secrets import _FORMAT_ANCHORS, _KEYWORD_ANCHORS

    for f in _corpus():
        low = f.text.lower()
        for anchors in (_KEYWORD_ANCHORS, _FORMAT_ANCHORS):
            held = {w for w in anchors.words if w.lower() in low}
            assert held <= set(anchors.present_in(f)), f.path
