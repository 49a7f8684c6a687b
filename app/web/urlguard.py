"""Repository URLs are hostile until proven otherwise.

Accepted: https://host/path and ssh-style URLs (ssh://git@host/path, git@host:path). Rejected, each
with a message a user can act on: other transports (ext::, fd::, file://, http://, git://), local
paths, a leading "-" (option injection), credentials in the URL, control characters, and hosts that
resolve to loopback, private, link-local, multicast, reserved or otherwise non-public addresses
(`is_public()`: an IPv6 address that embeds an IPv4 one is judged by the IPv4 rules). Two environment flags
relax this for development and tests only: ALLOW_LOCAL_REPOSITORIES (file:// and paths) and
ALLOW_PRIVATE_HOSTS (loopback/private hosts, and git:// or http:// on them); LOCAL_REPOSITORY_ROOT
allows file:// URLs under one folder only (bin/dev's offline demo).
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_LENGTH = 2048
_SCP_LIKE = re.compile(
    r"^(?P<user>[A-Za-z0-9._\-]+)@(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\]):(?P<path>[^/\\].*|/.+)$"
)
_TRANSPORT = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*::")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*\.?$"
)


@dataclass(frozen=True)
class CloneURL:
    url: str
    host: str | None  # None for local repositories
    name: str  # a display name: owner/repo


def _flag(name: str) -> bool:
    return bool(settings.FACTORCARD.get(name))


def check_clone_url(raw: str, *, resolve: bool = True) -> CloneURL:
    """Validate a clone URL; raise ValidationError with a clear message, never anything else."""
    url = (raw or "").strip()
    if not url:
        raise ValidationError("Enter a git repository URL.", code="required")
    if len(url) > MAX_LENGTH:
        raise ValidationError(f"The URL is longer than {MAX_LENGTH} characters.", code="too_long")
    if _TRANSPORT.match(url):  # first: its own message, whatever else the URL holds (ext::sh -c …)
        raise ValidationError("git remote helpers such as ext:: are not accepted; use an https or ssh URL.",
                              code="transport")
    if _CONTROL.search(url):
        raise ValidationError("The URL contains spaces or control characters.", code="control")
    if url.startswith("-"):
        raise ValidationError("A URL cannot start with '-' (it would be read as a git option).", code="option")
    scp = _SCP_LIKE.match(url)
    if scp and "://" not in url:
        return _checked_host(url, scp.group("host").strip("[]"), scp.group("path"), resolve)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file" or not scheme:
        return _local(url, parts.path if scheme == "file" else url)
    if scheme in ("http", "git") and not _flag("ALLOW_PRIVATE_HOSTS"):
        raise ValidationError(f"{scheme}:// is not accepted; use an https:// or ssh URL.", code="scheme")
    if scheme not in ("https", "ssh", "http", "git"):
        raise ValidationError(f"Unsupported URL scheme '{parts.scheme}'; use an https:// or ssh URL.", code="scheme")
    try:
        host, password, port = parts.hostname, parts.password, parts.port
    except ValueError:
        raise ValidationError("The URL's host or port is malformed.", code="malformed") from None
    if password is not None or (scheme in ("https", "http") and parts.username):
        raise ValidationError(
            "Remove the credentials from the URL; private repositories are not supported yet.", code="credentials"
        )
    if not host:
        raise ValidationError("The URL has no host.", code="host")
    if port is not None and not 0 < port < 65536:
        raise ValidationError("The URL's port is out of range.", code="malformed")
    return _checked_host(url, host, parts.path, resolve)


def _local(url: str, path: str) -> CloneURL:
    if not _flag("ALLOW_LOCAL_REPOSITORIES") and not under_local_root(path):
        hint = ""
        if settings.DEBUG:  # a developer's machine: say which setting would allow it
            hint = (" (development: ALLOW_LOCAL_REPOSITORIES=true allows any local path, LOCAL_REPOSITORY_ROOT "
                    "one folder)")
        raise ValidationError(f"Local paths and file:// URLs are not accepted; use an https or ssh URL.{hint}",
                              code="local")
    if not path.startswith("/"):
        raise ValidationError("A local repository needs an absolute path.", code="local")
    clean = url if url.startswith("file://") else "file://" + path
    return CloneURL(clean, None, _display_name(path))


def under_local_root(path: str) -> bool:
    """Whether `path` lies in LOCAL_REPOSITORY_ROOT, the one folder development allows (symlinks resolved)."""
    root = settings.FACTORCARD.get("LOCAL_REPOSITORY_ROOT")
    if not root or not path.startswith("/"):
        return False
    real_root, real = os.path.realpath(root), os.path.realpath(path)
    return real != real_root and real.startswith(real_root.rstrip("/") + "/")


def _checked_host(url: str, host: str, path: str, resolve: bool) -> CloneURL:
    if not _is_ip(host) and not _HOSTNAME.match(host):
        raise ValidationError(f"'{host[:100]}' is not a valid host name.", code="host")
    if not path.strip("/"):
        raise ValidationError("The URL has no repository path.", code="path")
    if resolve and not _flag("ALLOW_PRIVATE_HOSTS"):
        for address in _addresses(host):
            if not is_public(address):
                raise ValidationError(
                    f"The host {host} resolves to a non-public address ({address}); it cannot be scanned.",
                    code="private_host",
                )
    return CloneURL(url, host, _display_name(path))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


# Python calls these IPv6 ranges global, or cannot see the IPv4 address inside them.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address in the last 32 bits
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local use, prefix length unknown
_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible ::a.b.c.d
_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # RFC 2765 IPv4-translated ::ffff:0:a.b.c.d


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """An address anyone on the internet could reach: the only kind a scan may connect to."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _NAT64_LOCAL or address.is_multicast or address.is_site_local:
            return False
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return _is_public_ipv4(embedded)
        return address.is_global and not address.is_reserved and not address.is_unspecified
    return _is_public_ipv4(address)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:  # 2002::/16
        return address.sixtofour
    if address.teredo:  # 2001::/32: judge the client's address (the server is always public)
        return address.teredo[1]
    if address in _NAT64 or address in _COMPATIBLE or address in _TRANSLATED:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _is_public_ipv4(address: ipaddress.IPv4Address) -> bool:
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        raise ValidationError(f"The host {host} could not be resolved.", code="unresolvable") from None
    out = []
    for info in infos:
        out.append(ipaddress.ip_address(info[4][0].split("%", 1)[0]))
    return out


def _display_name(path: str) -> str:
    parts = [p for p in path.strip("/").removesuffix(".git").split("/") if p]
    return "/".join(parts[-2:])[:200] or "repository"
