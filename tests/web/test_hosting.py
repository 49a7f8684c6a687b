"""Line links per hosting service, from https, ssh:// and scp-style clone URLs."""

import pytest

from app.web.hosting import commit_url, line_url

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    "clone_url, expected",
    [
        ("https://github.com/acme/api.git", f"https://github.com/acme/api/blob/{SHA}/app/settings.py#L7"),
        ("git@github.com:acme/api.git", f"https://github.com/acme/api/blob/{SHA}/app/settings.py#L7"),  # scp-style
        ("ssh://git@github.com/acme/api", f"https://github.com/acme/api/blob/{SHA}/app/settings.py#L7"),  # no .git
        ("https://token@github.com/acme/api.git/", f"https://github.com/acme/api/blob/{SHA}/app/settings.py#L7"),
        ("https://gitlab.com/acme/group/api.git", f"https://gitlab.com/acme/group/api/-/blob/{SHA}/app/settings.py#L7"),
        ("git@gitlab.example.com:acme/api.git", f"https://gitlab.example.com/acme/api/-/blob/{SHA}/app/settings.py#L7"),
        ("https://codeberg.org/acme/api.git", f"https://codeberg.org/acme/api/src/commit/{SHA}/app/settings.py#L7"),
        ("ssh://git@gitea.acme.io:2222/acme/api.git", f"https://gitea.acme.io/acme/api/src/commit/{SHA}/app/settings.py#L7"),
        ("https://forgejo.acme.io/acme/api", f"https://forgejo.acme.io/acme/api/src/commit/{SHA}/app/settings.py#L7"),
        ("https://bitbucket.org/acme/api.git", f"https://bitbucket.org/acme/api/src/{SHA}/app/settings.py#lines-7"),
        ("git@bitbucket.org:acme/api.git", f"https://bitbucket.org/acme/api/src/{SHA}/app/settings.py#lines-7"),
        ("https://git.example.org/acme/api.git", None),  # unknown host: plain text
        ("git://127.0.0.1:9418/api.git", None),  # git daemon: no web view
        ("file:///srv/git/api.git", None),
        ("https://github.com/api.git", None),  # no owner: not a repository page
    ],
)
def test_it_links_to_the_line_at_the_commit(clone_url, expected):
    assert line_url(clone_url, SHA, "app/settings.py", 7) == expected


def test_it_links_to_the_file_without_a_line_and_quotes_the_path():
    assert line_url("https://github.com/a/b", SHA, "docs/my file#1.md") == f"https://github.com/a/b/blob/{SHA}/docs/my%20file%231.md"


def test_it_does_not_link_without_a_commit_or_a_path():
    assert line_url("https://github.com/a/b", "", "x.py", 1) is None
    assert line_url("https://github.com/a/b", SHA, "", 1) is None


@pytest.mark.parametrize("url, expected", [
    ("https://github.com/acme/api.git", "https://github.com/acme/api/commit/" + "a" * 40),
    ("git@gitlab.com:acme/api.git", "https://gitlab.com/acme/api/-/commit/" + "a" * 40),
    ("https://codeberg.org/acme/api", "https://codeberg.org/acme/api/commit/" + "a" * 40),
    ("https://bitbucket.org/acme/api.git", "https://bitbucket.org/acme/api/commits/" + "a" * 40),
    ("git://127.0.0.1/api.git", None),  # unknown host: no link
])
def test_it_links_a_commit_on_its_host(url, expected):
    assert commit_url(url, "a" * 40) == expected
    assert commit_url(url, "") is None
