"""The literal prefilter must never hide a match: whenever a pattern matches a text, one of its
required literals is in the lower-cased text."""

import random
import re

import pytest

import scoring.factors  # noqa: F401  (registers the checks whose module patterns are sampled below)
from scoring.factors import all_checks
from scoring.prefilter import required_literals


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
