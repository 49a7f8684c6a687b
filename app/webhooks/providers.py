"""What a push delivery says: who sent it, whether its signature holds, and which refs it moved.

Pure functions over the request headers and the raw body (no Django, no database), one reader per
provider, each following that provider's documentation:

- GitHub: `X-GitHub-Event`, `X-GitHub-Delivery`, `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the
  raw body>`; JSON or form-encoded (`payload=<json>`, the signature still over the raw body); `ping`
  when a hook is created. https://docs.github.com/en/webhooks/webhook-events-and-payloads
- GitLab: `X-Gitlab-Event: Push Hook` / `Tag Push Hook`, `X-Gitlab-Token: <the secret itself>`,
  `Idempotency-Key` (17.4+) or `X-Gitlab-Event-UUID`. https://docs.gitlab.com/user/project/integrations/webhook_events/
- Gitea and Forgejo: `X-Gitea-Event` / `X-Forgejo-Event`, `X-Gitea-Delivery` / `X-Forgejo-Delivery`,
  `X-Gitea-Signature` / `X-Forgejo-Signature: <hex HMAC-SHA256 of the JSON payload>` (for the form
  content type the signed bytes are the `payload` field, not the body). https://docs.gitea.com/usage/webhooks
- Bitbucket Cloud: `X-Event-Key: repo:push`, `X-Request-UUID`, `X-Hub-Signature: sha256=<hex>`;
  `push.changes[]` with `new`/`old` refs (`new` is null when a branch is deleted).
  https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/
- Anything else (the generic form): `{"ref": "refs/heads/main", "after": "<sha>"}` signed the GitHub
  way (`X-Hub-Signature-256`), an optional `X-Delivery-ID` header naming the delivery.

Signatures are checked, in constant time, before a byte of the payload is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

GITHUB, GITLAB, GITEA, FORGEJO, BITBUCKET, GENERIC = "github", "gitlab", "gitea", "forgejo", "bitbucket", "generic"
PROVIDERS = (GITHUB, GITLAB, GITEA, FORGEJO, BITBUCKET, GENERIC)
PUSH, PING, OTHER = "push", "ping", "other"
ZERO_SHA = "0" * 40
_SHA = re.compile(r"[0-9a-f]{40}")
_PRINTABLE = re.compile(r"[^\x21-\x7e]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# git check-ref-format's rules, for the refs a push names: no control characters, space, ~ ^ : ? * [ \,
# no "..", "@{" or "//", no component starting with "." or ending with ".lock", no trailing "/" or ".";
# a branch or tag name that would read as an option (a leading "-") is refused too.
_REF = re.compile(
    r"refs/(?:heads|tags)/(?![-.])(?!.*(?:\.\.|@\{|//|/\.|\.lock/|\.lock$|[/.]$))[^\x00-\x20\x7f~^:?*\[\\]+"
)
FORM = "application/x-www-form-urlencoded"


class Rejected(Exception):
    """A delivery refused with an HTTP status and a reason shown to the user on the settings page."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class RefUpdate:
    ref: str  # refs/heads/main, refs/tags/v1.0
    after: str  # the new head; "" or forty zeros when the ref was deleted
    before: str = ""

    @property
    def branch(self) -> str | None:
        return self.ref.removeprefix("refs/heads/") if self.ref.startswith("refs/heads/") else None

    @property
    def is_tag(self) -> bool:
        return self.ref.startswith("refs/tags/")

    @property
    def deleted(self) -> bool:
        return self.after in ("", ZERO_SHA)


@dataclass(frozen=True)
class Event:
    provider: str
    name: str  # the provider's own event name: push, ping, Push Hook, repo:push …
    delivery_id: str
    kind: str  # PUSH, PING or OTHER
    updates: tuple[RefUpdate, ...] = ()
    default_branch: str = ""  # the provider's default branch, when the payload says


@dataclass(frozen=True)
class Sender:
    """Who a delivery claims to come from, read from headers only (trusted only once verified)."""

    provider: str
    event: str
    delivery_id: str


_SENDERS = [  # (provider, its event header, its delivery id headers); the first present wins
    (FORGEJO, "x-forgejo-event", ("x-forgejo-delivery", "x-gitea-delivery")),  # Forgejo sends Gitea's too
    (GITEA, "x-gitea-event", ("x-gitea-delivery",)),  # Gitea sends X-GitHub-Event too
    (GITLAB, "x-gitlab-event", ("idempotency-key", "x-gitlab-event-uuid")),
    (BITBUCKET, "x-event-key", ("x-request-uuid",)),
    (GITHUB, "x-github-event", ("x-github-delivery",)),
]


def sender(headers: Mapping[str, str], body: bytes = b"") -> Sender:
    h = _lower(headers)
    for provider, event, ids in _SENDERS:
        if event in h:
            return Sender(provider, _CONTROL.sub("", h[event]).strip()[:64], _id(h, body, *ids))
    return Sender(GENERIC, "push", _id(h, body, "x-delivery-id"))


def read(headers: Mapping[str, str], body: bytes, secret: str) -> Event:
    """Verify a delivery and say what it asks for; Rejected(401) or Rejected(400) otherwise."""
    h = _lower(headers)
    who = sender(h, body)
    signed, text = _unwrap(who.provider, h.get("content-type", ""), body)
    _verify(who.provider, h, signed, secret)
    data = _json(text)
    return _READERS[who.provider](who, data)


def sign(secret: str, message: bytes) -> str:
    """The hex HMAC-SHA256 a sender computes (tests and the bench sign with it too)."""
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _id(h: dict[str, str], body: bytes, *names: str) -> str:
    """The provider's delivery id; without one, a digest of the body (a replay repeats the body)."""
    for name in names:
        value = _PRINTABLE.sub("", h.get(name, ""))[:100]
        if value:
            return value
    return "sha256:" + hashlib.sha256(body).hexdigest()[:40]


def _unwrap(provider: str, content_type: str, body: bytes) -> tuple[bytes, bytes]:
    """(the signed bytes, the JSON text): the body itself, or the `payload` field of a form."""
    if content_type.split(";")[0].strip().lower() != FORM:
        return body, body
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=20, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        raise Rejected(400, "The form body could not be read.") from None
    payload = fields.get("payload", [""])[0].encode()
    return (payload if provider in (GITEA, FORGEJO) else body), payload


def _verify(provider: str, h: dict[str, str], signed: bytes, secret: str) -> None:
    if provider == GITLAB:
        token = h.get("x-gitlab-token")
        if token is None:
            raise Rejected(401, "No X-Gitlab-Token header: put the secret in the hook's Secret token field.")
        if not hmac.compare_digest(token.encode(), secret.encode()):
            raise Rejected(401, "The X-Gitlab-Token does not match this repository's secret (was it rotated?).")
        return
    if provider in (GITEA, FORGEJO):
        names = ("x-forgejo-signature", "x-gitea-signature") if provider == FORGEJO else ("x-gitea-signature",)
        prefix = ""
    else:
        names = ("x-hub-signature",) if provider == BITBUCKET else ("x-hub-signature-256",)
        prefix = "sha256="
    name = next((n for n in names if h.get(n)), None)
    if name is None:
        raise Rejected(401, f"No {_title(names[0])} header: set the hook's secret to this repository's secret.")
    expected = prefix + sign(secret, signed)
    if not hmac.compare_digest(h[name].strip().lower().encode(), expected.encode()):
        raise Rejected(401, f"The {_title(name)} signature does not match this repository's secret (was it rotated?).")


def _title(header: str) -> str:
    return "-".join(p.upper() if p in ("x", "id", "uuid") else p.capitalize() for p in header.split("-"))


def _json(text: bytes) -> dict:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "The payload is not valid JSON.") from None
    if not isinstance(data, dict):
        raise Rejected(400, "The payload is not a JSON object.")
    return data


def _update(ref: object, after: object, before: object = "") -> RefUpdate:
    if not isinstance(ref, str) or len(ref) > 255 or not _REF.fullmatch(ref):
        raise Rejected(400, "The payload's `ref` is missing or is not a branch or tag ref such as refs/heads/main.")
    after = "" if after is None else after
    if not isinstance(after, str) or not (after == "" or _SHA.fullmatch(after.lower())):
        raise Rejected(400, "The payload's `after` is missing or is not a 40-character commit id.")
    before = before if isinstance(before, str) and _SHA.fullmatch(before.lower()) else ""
    return RefUpdate(ref, after.lower(), before.lower())


def _field(data: dict, *path: str) -> str:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, str) else ""


def _github(who: Sender, data: dict) -> Event:
    if who.event == "ping":
        return Event(who.provider, who.event, who.delivery_id, PING)
    if who.event != "push":
        return Event(who.provider, who.event, who.delivery_id, OTHER)
    update = _update(data.get("ref"), data.get("after"), data.get("before"))
    return Event(
        who.provider, who.event, who.delivery_id, PUSH, (update,), _field(data, "repository", "default_branch")
    )


def _gitlab(who: Sender, data: dict) -> Event:
    # Older GitLab versions sent "Push Event" from the hook's Test button.
    if data.get("object_kind") not in ("push", "tag_push"):
        return Event(who.provider, who.event, who.delivery_id, OTHER)
    update = _update(data.get("ref"), data.get("after"), data.get("before"))
    return Event(who.provider, who.event, who.delivery_id, PUSH, (update,), _field(data, "project", "default_branch"))


def _bitbucket(who: Sender, data: dict) -> Event:
    if who.event != "repo:push":
        return Event(who.provider, who.event, who.delivery_id, OTHER)
    changes = data.get("push", {}).get("changes") if isinstance(data.get("push"), dict) else None
    if not isinstance(changes, list) or not changes:
        raise Rejected(400, "The payload has no `push.changes` list.")
    updates = []
    for change in changes[:50]:
        change = change if isinstance(change, dict) else {}
        new, old = change.get("new"), change.get("old")
        ref = new if isinstance(new, dict) else old if isinstance(old, dict) else {}
        kind = "refs/tags/" if ref.get("type") == "tag" else "refs/heads/"
        name = ref.get("name")
        after = _field(new, "target", "hash") if isinstance(new, dict) else ""
        updates.append(
            _update(
                kind + name if isinstance(name, str) else None,
                after,
                _field(old, "target", "hash") if isinstance(old, dict) else "",
            )
        )
    return Event(who.provider, who.event, who.delivery_id, PUSH, tuple(updates))


def _generic(who: Sender, data: dict) -> Event:
    update = _update(data.get("ref"), data.get("after"), data.get("before"))
    return Event(who.provider, who.event, who.delivery_id, PUSH, (update,))


_READERS = {
    GITHUB: _github,
    GITLAB: _gitlab,
    GITEA: _github,
    FORGEJO: _github,
    BITBUCKET: _bitbucket,
    GENERIC: _generic,
}
