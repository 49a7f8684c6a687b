"""Deliveries as each provider sends them, built from the providers' documentation: the headers they
set, the body's documented fields (trimmed to the ones a receiver could plausibly read, plus the
ones a careless receiver might trust, such as the clone URL), and the signature computed the way
each provider computes it.

GitHub: https://docs.github.com/en/webhooks/webhook-events-and-payloads (push, ping; delivery headers)
GitLab: https://docs.gitlab.com/user/project/integrations/webhook_events/ (push and tag events)
Gitea: https://docs.gitea.com/usage/webhooks; its services/webhook/deliver.go signs the JSON payload
Forgejo: Gitea's headers plus X-Forgejo-Event, -Delivery, -Signature
Bitbucket Cloud: https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/ (repo:push)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

ZERO = "0" * 40


@dataclass
class Sent:
    headers: dict[str, str]
    body: bytes
    content_type: str = "application/json"
    extra: dict = field(default_factory=dict)

    def post(self, client, url: str):
        return client.post(url, self.body, content_type=self.content_type, headers=self.headers)


def hmac256(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _sha1(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha1).hexdigest()


def _commit(sha: str, url: str, message: str = "Update the Procfile") -> dict:
    person = {"name": "Alice", "email": "alice@example.test", "username": "alice"}
    return {
        "id": sha,
        "tree_id": sha[::-1],
        "distinct": True,
        "message": message,
        "timestamp": "2026-11-20T10:00:00+01:00",
        "url": f"{url}/commit/{sha}",
        "author": person,
        "committer": person,
        "added": [],
        "removed": [],
        "modified": ["Procfile"],
    }


def github_push(
    secret: str,
    after: str,
    *,
    ref: str = "refs/heads/main",
    before: str = "1" * 40,
    default_branch: str = "main",
    delivery: str | None = None,
    clone_url: str = "",
    form: bool = False,
) -> Sent:
    html = "https://github.com/acme/demo"
    deleted = after == ZERO
    body = {
        "ref": ref,
        "before": before,
        "after": after,
        "repository": {
            "id": 1296269,
            "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
            "name": "demo",
            "full_name": "acme/demo",
            "private": False,
            "owner": {"login": "acme", "id": 1, "type": "Organization"},
            "html_url": html,
            "clone_url": clone_url or f"{html}.git",
            "git_url": "git://github.com/acme/demo.git",
            "ssh_url": "git@github.com:acme/demo.git",
            "default_branch": default_branch,
        },
        "pusher": {"name": "alice", "email": "alice@example.test"},
        "sender": {"login": "alice", "id": 2, "type": "User"},
        "created": before == ZERO,
        "deleted": deleted,
        "forced": False,
        "base_ref": None,
        "compare": f"{html}/compare/{before[:12]}...{after[:12]}",
        "commits": [] if deleted else [_commit(after, html)],
        "head_commit": None if deleted else _commit(after, html),
    }
    return _github_shaped(secret, "push", body, delivery, form)


def github_ping(secret: str, delivery: str | None = None) -> Sent:
    body = {
        "zen": "Keep it logically awesome.",
        "hook_id": 30,
        "hook": {
            "type": "Repository",
            "id": 30,
            "name": "web",
            "active": True,
            "events": ["push"],
            "config": {"content_type": "json", "insecure_ssl": "0", "url": "https://factorcard.example/hooks/x"},
        },
        "repository": {"id": 1296269, "full_name": "acme/demo", "default_branch": "main"},
        "sender": {"login": "alice", "id": 2},
    }
    return _github_shaped(secret, "ping", body, delivery, False)


def _github_shaped(secret: str, event: str, body: dict, delivery: str | None, form: bool) -> Sent:
    payload = json.dumps(body).encode()
    raw = urlencode({"payload": payload.decode()}).encode() if form else payload
    headers = {
        "User-Agent": "GitHub-Hookshot/044aadd",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-GitHub-Hook-ID": "30",
        "X-GitHub-Hook-Installation-Target-Type": "repository",
        "X-GitHub-Hook-Installation-Target-ID": "1296269",
        "X-Hub-Signature": "sha1=" + _sha1(secret, raw),
        "X-Hub-Signature-256": "sha256=" + hmac256(secret, raw),
    }
    return Sent(headers, raw, "application/x-www-form-urlencoded" if form else "application/json")


def gitlab_push(
    token: str,
    after: str,
    *,
    ref: str = "refs/heads/main",
    before: str = "1" * 40,
    default_branch: str = "main",
    tag: bool = False,
    key: str | None = None,
    clone_url: str = "",
) -> Sent:
    web = "https://gitlab.example.test/acme/demo"
    deleted = after == ZERO
    kind = "tag_push" if tag else "push"
    body = {
        "object_kind": kind,
        "event_name": kind,
        "before": before,
        "after": after,
        "ref": ref,
        "ref_protected": True,
        "checkout_sha": None if deleted else after,
        "message": None,
        "user_id": 4,
        "user_name": "Alice",
        "user_username": "alice",
        "user_email": "",
        "user_avatar": None,
        "project_id": 15,
        "project": {
            "id": 15,
            "name": "demo",
            "description": "",
            "web_url": web,
            "avatar_url": None,
            "git_ssh_url": "git@gitlab.example.test:acme/demo.git",
            "git_http_url": clone_url or f"{web}.git",
            "namespace": "acme",
            "visibility_level": 0,
            "path_with_namespace": "acme/demo",
            "default_branch": default_branch,
            "ci_config_path": None,
            "homepage": web,
            "url": "git@gitlab.example.test:acme/demo.git",
            "ssh_url": "git@gitlab.example.test:acme/demo.git",
            "http_url": f"{web}.git",
        },
        "commits": [] if deleted else [_commit(after, web)],
        "total_commits_count": 0 if deleted else 1,
        "push_options": {},
        "repository": {
            "name": "demo",
            "url": "git@gitlab.example.test:acme/demo.git",
            "description": "",
            "homepage": web,
            "git_http_url": f"{web}.git",
            "git_ssh_url": "git@gitlab.example.test:acme/demo.git",
            "visibility_level": 0,
        },
    }
    headers = {
        "User-Agent": "GitLab/17.6.0",
        "X-Gitlab-Event": "Tag Push Hook" if tag else "Push Hook",
        "X-Gitlab-Token": token,
        "X-Gitlab-Instance": "https://gitlab.example.test",
        "X-Gitlab-Webhook-UUID": "0c8a9f2e-3c68-4d0b-9bd1-5f8bb2c1e7a4",
        "X-Gitlab-Event-UUID": str(uuid.uuid4()),
        "Idempotency-Key": key or str(uuid.uuid4()),
    }
    return Sent(headers, json.dumps(body).encode())


def gitea_push(
    secret: str,
    after: str,
    *,
    ref: str = "refs/heads/main",
    before: str = "1" * 40,
    default_branch: str = "main",
    forgejo: bool = False,
    delivery: str | None = None,
    form: bool = False,
    event: str = "push",
) -> Sent:
    html = "https://git.example.test/acme/demo"
    body = {
        "ref": ref,
        "before": before,
        "after": after,
        "compare_url": f"{html}/compare/{before}...{after}",
        "commits": [_commit(after, html)],
        "total_commits": 1,
        "head_commit": _commit(after, html),
        "repository": {
            "id": 140,
            "owner": {"id": 1, "login": "acme", "full_name": "", "username": "acme"},
            "name": "demo",
            "full_name": "acme/demo",
            "description": "",
            "private": False,
            "fork": False,
            "html_url": html,
            "ssh_url": "git@git.example.test:acme/demo.git",
            "clone_url": f"{html}.git",
            "default_branch": default_branch,
        },
        "pusher": {"id": 2, "login": "alice", "username": "alice"},
        "sender": {"id": 2, "login": "alice", "username": "alice"},
    }
    payload = json.dumps(body).encode()
    sig = hmac256(secret, payload)  # over the JSON payload, whatever the content type
    uid = delivery or str(uuid.uuid4())
    headers = {
        "User-Agent": "Go-http-client/1.1",
        "X-GitHub-Delivery": uid,
        "X-GitHub-Event": event,
        "X-GitHub-Event-Type": event,
        "X-Gogs-Delivery": uid,
        "X-Gogs-Event": event,
        "X-Gogs-Event-Type": event,
        "X-Gogs-Signature": sig,
        "X-Gitea-Delivery": uid,
        "X-Gitea-Event": event,
        "X-Gitea-Event-Type": event,
        "X-Gitea-Signature": sig,
        "X-Hub-Signature": "sha1=" + _sha1(secret, payload),
        "X-Hub-Signature-256": "sha256=" + sig,
    }
    if forgejo:
        headers.update(
            {
                "User-Agent": "Forgejo",
                "X-Forgejo-Delivery": uid,
                "X-Forgejo-Event": event,
                "X-Forgejo-Event-Type": event,
                "X-Forgejo-Signature": sig,
            }
        )
    if form:
        return Sent(headers, urlencode({"payload": payload.decode()}).encode(), "application/x-www-form-urlencoded")
    return Sent(headers, payload)


def bitbucket_ref(name: str, sha: str, kind: str = "branch") -> dict:
    links = {"html": {"href": f"https://bitbucket.org/acme/demo/branch/{name}"}}
    return {
        "type": kind,
        "name": name,
        "links": links,
        "target": {
            "type": "commit",
            "hash": sha,
            "date": "2026-11-20T09:00:00+00:00",
            "message": "Update the Procfile\n",
            "author": {"type": "author", "raw": "Alice <alice@example.test>"},
            "parents": [{"type": "commit", "hash": "1" * 40}],
            "links": {"html": {"href": f"https://bitbucket.org/acme/demo/commits/{sha}"}},
        },
    }


def bitbucket_push(secret: str, changes: list[tuple[dict | None, dict | None]], *, request: str | None = None) -> Sent:
    """`changes`: (new, old) ref pairs as bitbucket_ref() builds them; new is None for a deleted branch."""
    body = {
        "push": {
            "changes": [
                {
                    "new": new,
                    "old": old,
                    "created": old is None,
                    "closed": new is None,
                    "forced": False,
                    "truncated": False,
                    "commits": [] if new is None else [{"hash": new["target"]["hash"], "type": "commit"}],
                    "links": {"html": {"href": "https://bitbucket.org/acme/demo/branches/compare"}},
                }
                for new, old in changes
            ]
        },
        "actor": {
            "type": "user",
            "display_name": "Alice",
            "uuid": "{d301aafa-d676-4ee0-88be-962be7417567}",
            "account_id": "557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443",
            "nickname": "alice",
        },
        "repository": {
            "type": "repository",
            "name": "demo",
            "full_name": "acme/demo",
            "scm": "git",
            "is_private": True,
            "uuid": "{21fa9bf8-b5b2-4891-97ed-d590bad0f871}",
            "links": {"html": {"href": "https://bitbucket.org/acme/demo"}},
            "workspace": {"type": "workspace", "slug": "acme", "name": "Acme"},
            "project": {"type": "project", "key": "PROJ", "name": "Project"},
        },
    }
    raw = json.dumps(body).encode()
    headers = {
        "User-Agent": "Bitbucket-Webhooks/2.0",
        "X-Event-Key": "repo:push",
        "X-Attempt-Number": "1",
        "X-Hook-UUID": "cb0a8a3e-8a7b-4b8e-9c9d-7d2f0bd7a8b1",
        "X-Request-UUID": request or str(uuid.uuid4()),
        "X-Hub-Signature": "sha256=" + hmac256(secret, raw),
    }
    return Sent(headers, raw)


def generic_push(secret: str, after: str, *, ref: str = "refs/heads/main", delivery: str | None = None) -> Sent:
    raw = json.dumps({"ref": ref, "after": after}).encode()
    headers = {"X-Hub-Signature-256": "sha256=" + hmac256(secret, raw)}
    if delivery:
        headers["X-Delivery-ID"] = delivery
    return Sent(headers, raw)


def push_for(provider: str, secret: str, after: str, **kw) -> Sent:
    """One push of `after` to refs/heads/main from `provider`."""
    if provider == "github":
        return github_push(secret, after, **kw)
    if provider == "gitlab":
        return gitlab_push(secret, after, **kw)
    if provider in ("gitea", "forgejo"):
        return gitea_push(secret, after, forgejo=provider == "forgejo", **kw)
    if provider == "bitbucket":
        return bitbucket_push(secret, [(bitbucket_ref("main", after), bitbucket_ref("main", "1" * 40))], **kw)
    return generic_push(secret, after, **kw)


PROVIDERS = ["github", "gitlab", "gitea", "forgejo", "bitbucket", "generic"]
