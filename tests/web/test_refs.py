"""Branch names and commit ids from users and webhook payloads (issue 9, defect 10: control characters)."""

import pytest
from django.core.exceptions import ValidationError

from app.web.refs import check_branch, check_commit


@pytest.mark.parametrize("name", ["main", "release/2.0", "feature/x-y_z", "v1.2.3", "a" * 255, ""])
def test_it_accepts_the_branch_names_git_accepts(name):
    assert check_branch(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "main\nevil",  # a newline forges a line in logs and in packed-refs
        "main\n",
        "ma\tin",
        "ma\x00in",
        "ma\x7fin",
        "ma\x1bin",  # an escape sequence for the terminal that shows the log
        "has space",
        "-upload-pack=x",  # read as an option
        "a..b",
        "a@{1}",
        "a~1",
        "a^",
        "a:b",
        "a?",
        "a*",
        "a[b",
        "a\\b",
        "/abs",
        "trailing/",
        "trailing.",
        ".hidden",
        "a/.hidden",
        "a//b",
        "x.lock",
        "x.lock/y",
        "@",
        "a" * 256,
    ],
)
def test_it_rejects_what_git_would_refuse(name):
    with pytest.raises(ValidationError):
        check_branch(name)


def test_a_commit_is_a_full_lower_case_id():
    assert check_commit("a" * 40) == "a" * 40
    assert check_commit("b" * 64) == "b" * 64
    assert check_commit("") == ""
    for bad in ("A" * 40, "a" * 39, "a" * 40 + "\n", "HEAD", "--all"):
        with pytest.raises(ValidationError):
            check_commit(bad)
