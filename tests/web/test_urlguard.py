import pytest
from django.core.exceptions import ValidationError

from app.web.urlguard import check_clone_url


@pytest.fixture(autouse=True)
def strict(settings):
    settings.FACTORCARD = {**settings.FACTORCARD, "ALLOW_PRIVATE_HOSTS": False, "ALLOW_LOCAL_REPOSITORIES": False,
                           "LOCAL_REPOSITORY_ROOT": ""}


@pytest.mark.parametrize(
    "url, code",
    [
        ("", "required"),
        ("ext::sh -c touch% /tmp/pwned", "transport"),  # the remote helper is named, though spaces follow
        ("ext::ssh", "transport"),  # a git remote helper runs arbitrary commands
        ("fd::17", "transport"),
        ("-uhelp@example.com:repo", "option"),  # option injection
        ("--upload-pack=touch /tmp/x", "control"),
        ("file:///etc", "local"),
        ("/srv/git/repo.git", "local"),
        ("../relative/repo", "local"),
        ("http://github.com/a/b", "scheme"),  # plain http is refused in production
        ("git://github.com/a/b", "scheme"),
        ("ftp://example.com/a/b", "scheme"),
        ("https://user:hunter2@github.com/a/b.git", "credentials"),
        ("https://token@github.com/a/b.git", "credentials"),
        ("https://127.0.0.1/a/b.git", "private_host"),
        ("https://[::1]/a/b.git", "private_host"),
        ("https://10.1.2.3/a/b.git", "private_host"),
        ("https://169.254.169.254/latest/meta-data", "private_host"),  # cloud metadata endpoint
        ("https://2130706433/a/b", "private_host"),  # 127.0.0.1 as a decimal integer
        ("https://localhost/a/b.git", "private_host"),
        ("git@127.0.0.1:a/b.git", "private_host"),
        ("ssh://git@10.0.0.5/a/b.git", "private_host"),
        ("https://github.com:99999/a/b", "malformed"),
        ("https://exa mple.com/a", "control"),
        ("https://-bad-.example/a", "host"),
        ("https://github.com/", "path"),
        ("https://x" + "a" * 3000, "too_long"),
    ],
)
def test_it_rejects_hostile_urls_with_a_clear_code(url, code):
    with pytest.raises(ValidationError) as err:
        check_clone_url(url)
    assert err.value.code == code
    assert err.value.messages[0]  # a readable message for the form and the API


def test_it_rejects_hosts_that_do_not_resolve():
    with pytest.raises(ValidationError) as err:
        check_clone_url("https://no-such-host.invalid/a/b.git")
    assert err.value.code == "unresolvable"


@pytest.mark.parametrize(
    "url, name",
    [
        ("https://93.184.215.14/owner/repo.git", "owner/repo"),  # a public address, no DNS needed
        ("ssh://git@93.184.215.14/owner/repo.git", "owner/repo"),
        ("git@93.184.215.14:owner/repo.git", "owner/repo"),
    ],
)
def test_it_accepts_https_and_ssh_urls_to_public_hosts(url, name):
    checked = check_clone_url(url)
    assert checked.url == url
    assert checked.name == name


def test_the_development_flags_allow_local_and_loopback(settings):
    settings.FACTORCARD = {**settings.FACTORCARD, "ALLOW_PRIVATE_HOSTS": True, "ALLOW_LOCAL_REPOSITORIES": True}
    assert check_clone_url("git://127.0.0.1:9418/repo.git").host == "127.0.0.1"
    assert check_clone_url("/srv/git/repo.git").url == "file:///srv/git/repo.git"
    with pytest.raises(ValidationError):
        check_clone_url("ext::sh")  # never, whatever the flags


def test_the_local_root_allows_file_urls_under_one_folder_only(settings, tmp_path):
    root = tmp_path / "demo"
    (root / "shop.git").mkdir(parents=True)
    (tmp_path / "elsewhere.git").mkdir()
    (root / "escape.git").symlink_to(tmp_path / "elsewhere.git")
    settings.FACTORCARD = {**settings.FACTORCARD, "LOCAL_REPOSITORY_ROOT": str(root)}
    assert check_clone_url(f"file://{root}/shop.git").url == f"file://{root}/shop.git"
    for outside in (f"file://{tmp_path}/elsewhere.git", f"file://{root}/../elsewhere.git", f"file://{root}/escape.git",
                    f"file://{root}", "/etc"):
        with pytest.raises(ValidationError) as err:
            check_clone_url(outside)
        assert err.value.code == "local", outside


def test_in_development_the_refusal_names_the_setting(settings):
    settings.DEBUG = True
    with pytest.raises(ValidationError) as err:
        check_clone_url("/srv/git/repo.git")
    assert "ALLOW_LOCAL_REPOSITORIES=true" in err.value.messages[0]
    settings.DEBUG = False
    with pytest.raises(ValidationError) as err:
        check_clone_url("/srv/git/repo.git")
    assert "ALLOW_LOCAL_REPOSITORIES" not in err.value.messages[0]  # production says nothing of the knobs


# Non-public addresses that Python's is_global calls global, or that hide an IPv4 address (defect 7).
NON_PUBLIC = [
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b:1::5db8:d70e",  # local-use NAT64: where the IPv4 address sits is the operator's choice
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254, the cloud metadata endpoint
    "::a00:1",  # IPv4-compatible ::10.0.0.1
    "::ffff:0:a00:1",  # IPv4-translated ::ffff:0:10.0.0.1
    "::ffff:7f00:1",  # IPv4-mapped ::ffff:127.0.0.1
    "fec0::1",  # site-local
    "ff02::1",  # multicast, link scope
    "ff0e::1",  # multicast, global scope
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo, client 192.0.2.45 (documentation range)
    "::",
]
NON_PUBLIC_V4 = ["224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "0.0.0.0", "100.64.0.1"]


def _forms(address: str) -> list[str]:
    host = f"[{address}]" if ":" in address else address
    return [f"https://{host}/a/b.git", f"ssh://git@{host}/a/b.git", f"git@{host}:a/b.git"]


@pytest.mark.parametrize("url", [url for a in NON_PUBLIC + NON_PUBLIC_V4 for url in _forms(a)])
def test_it_rejects_non_public_addresses_in_every_form(url):
    with pytest.raises(ValidationError) as err:
        check_clone_url(url)
    assert err.value.code == "private_host", url


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::5db8:d70e",  # NAT64 of a public address: what DNS64 hands out
        "2002:5db8:d70e::1",  # 6to4 of a public address
        "2606:4700::1111",  # a plain global IPv6 address
    ],
)
def test_it_accepts_public_addresses_including_embedded_public_ipv4(address):
    for url in _forms(address):
        assert check_clone_url(url).host.strip("[]") == address
