"""Secrets committed as whole files or manifests rather than as one assignment on a line:

* Kubernetes `kind: Secret` manifests with literal `stringData` or `data` (base64) values: applied
  as they are, the committed value is the deployed credential, weak or not;
* framework key stores: Rails `config/master.key` (and per-environment credential keys), ASP.NET
  Core Data Protection key files with an unencrypted master key, Symfony's production decryption
  key, Java/PKCS#12 key stores (binary files, known by name only).

Each is returned as a `Secret` whose `origin` is `manifest` or `store`, with any value masked.
"""

from __future__ import annotations

import re

import yaml

from ..context import Context
from ..tree import File
from .secret_values import SECRET_NOUNS, Secret, base64_text, is_strong, mask_line, names_a_secret

_KIND_SECRET = re.compile(r"^kind:\s*['\"]?Secret['\"]?\s*$", re.M)
_FILL_ME_IN = re.compile(r"(?i)^<.*>$|\$\{|\{\{|^\$|change[_\-. ]?me|replace|your[_\-. ]|x{3,}|\*{3,}|example")
_CREDENTIAL_URL = re.compile(r"://[^\s:/@]*:[^\s@/]+@")
_DATA_PROTECTION = re.compile(r"<masterKey\b(?P<body>.*?)</masterKey>", re.S)
_DP_VALUE = re.compile(r"<value>\s*(?P<value>[A-Za-z0-9+/=]{40,})\s*</value>")
_RAILS_KEY = re.compile(r"(?:^|/)config/(?:master|credentials/(?P<env>[\w\-]+))\.key$")
_HEX32 = re.compile(r"^\s*[0-9a-f]{32}\s*$")
_SYMFONY_KEY = re.compile(r"(?:^|/)config/secrets/(?P<env>[\w\-]+)/[\w\-]+\.decrypt\.private\.php$")
_KEYSTORE = re.compile(r"(?i)\.(?:jks|jceks|keystore|p12|pfx|bks)$")
_NOT_PRIVATE = re.compile(r"(?i)trust|cacerts|(?:^|[/_.\-])(?:debug|test|tests|dev)(?:[_.\-]|$)")
_DEV_ENVS = {"development", "dev", "test", "testing", "local", "ci"}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def stored_secrets(ctx: Context) -> list[Secret]:
    out: list[Secret] = []
    for f in ctx.files:
        if f.role == "vendor":
            continue
        if f.ext in (".yml", ".yaml") and "Secret" in f.text and _KIND_SECRET.search(f.text):
            out.extend(_manifest_secrets(f))
        elif f.ext == ".xml" and "<masterKey" in f.text:
            out.extend(_data_protection_keys(f))
        elif f.ext == ".key" and _RAILS_KEY.search(f.path):
            out.extend(_rails_key(f))
        elif f.name.endswith(".decrypt.private.php"):
            out.extend(_symfony_key(f))
    if not ctx.scope:  # binary files are known to the whole tree only
        out.extend(_keystores(ctx))
    return out


def _manifest_secrets(f: File) -> list[Secret]:
    out = []
    try:
        docs = list(yaml.compose_all(f.text, Loader=_Loader))
    except (yaml.YAMLError, ValueError, RecursionError):
        return []  # a Helm template or invalid YAML: not a manifest we can read
    for doc in docs:
        if not isinstance(doc, yaml.MappingNode) or _scalar(doc, "kind") != "Secret":
            continue
        for section in ("stringData", "data"):
            data = _child(doc, section)
            if not isinstance(data, yaml.MappingNode):
                continue
            for key, node in data.value:
                if not isinstance(node, yaml.ScalarNode) or not isinstance(key, yaml.ScalarNode):
                    continue
                value = node.value.strip()
                shown = base64_text(value) if section == "data" else value
                secret = _manifest_value(f, key.value, value, shown, node.start_mark.line + 1)
                if secret:
                    out.append(secret)
    return out


def _manifest_value(f: File, key: str, raw: str, value: str | None, line: int) -> Secret | None:
    if not value or _FILL_ME_IN.search(value):
        return None
    words = re.findall(r"[a-z]+", key.lower())
    if not (names_a_secret(key) or (words and words[-1] in SECRET_NOUNS) or _CREDENTIAL_URL.search(value)):
        return None  # host, port, username, database: configuration kept beside the secret
    text = f.line_text(line)
    kind = "password in a Kubernetes Secret" if "pass" in key.lower() else "secret in a Kubernetes Secret"
    return Secret(f, line, kind, (raw, value), False, mask_line(text, [raw, value]), "manifest", key, is_strong(value))


def _data_protection_keys(f: File) -> list[Secret]:
    out = []
    for m in _DATA_PROTECTION.finditer(f.text):
        body = m.group("body")
        if "encryptedSecret" in body:
            continue  # protected with a certificate or DPAPI: not readable from the file
        v = _DP_VALUE.search(body)
        if v:
            line = f.line_of(m.start("body") + v.start("value"))
            value = v.group("value")
            snippet = mask_line(f.line_text(line), [value])
            out.append(Secret(f, line, "ASP.NET Core Data Protection key", (value,), False, snippet, "store"))
    return out


def _rails_key(f: File) -> list[Secret]:
    env = _RAILS_KEY.search(f.path).group("env")
    if env in _DEV_ENVS or not _HEX32.match(f.text):
        return []
    value = f.text.strip()
    kind = "Rails master key" if env is None else f"Rails {env} credentials key"
    return [Secret(f, 1, kind, (value,), False, mask_line(f.line_text(1), [value]), "store")]


def _symfony_key(f: File) -> list[Secret]:
    m = _SYMFONY_KEY.search(f.path)
    if not m or m.group("env") in _DEV_ENVS:
        return []  # Symfony commits the development vault's key on purpose
    return [Secret(f, 1, "Symfony secrets decryption key", (), False, "", "store")]


def _keystores(ctx: Context) -> list[Secret]:
    out = []
    for path in ctx.tree.binaries:
        if _KEYSTORE.search(path) and not _NOT_PRIVATE.search(path.rsplit("/", 1)[-1]):
            kind = "PKCS#12 key store" if path.lower().endswith((".p12", ".pfx")) else "Java key store"
            out.append(Secret(File(path, 0, ""), 0, kind, (), False, "", "store", strong=False))
    return out


def _child(node: yaml.MappingNode, name: str) -> yaml.Node | None:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            return value
    return None


def _scalar(node: yaml.MappingNode, name: str) -> str | None:
    child = _child(node, name)
    return child.value if isinstance(child, yaml.ScalarNode) else None
