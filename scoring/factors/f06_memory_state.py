"""VI. Processes — shared state kept in one process's memory: rate-limit counters, revocation lists,
caches that requests rely on.

Split from f06_processes.py by concept: that module covers sessions, sticky sessions, files and
embedded databases; this one state held in a process's memory (module globals written by
handlers, and the in-memory stores a library or framework defaults to).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context, Hit, Raw
from ..facts.literal import keyed
from ..model import Severity
from ..registry import check

FACTOR = 6
_WINDOW = 1500  # characters of a call's options searched for a store

# express-rate-limit and express-slow-down: the default store is a MemoryStore in the process.
_JS_LIMIT_IMPORT = re.compile(
    r"\b(?:const|let|var)\s+(?:(\w+)|\{\s*(\w+)[^}]*\})\s*=\s*require\(\s*['\"](?:express-rate-limit|express-slow-down)['\"]|"
    r"\bimport\s+(?:(\w+)|\{\s*(\w+)[^}]*\})\s+from\s+['\"](?:express-rate-limit|express-slow-down)['\"]"
)
_JS_STORE = re.compile(r"\bstore\s*:|\bstorage\s*:")
_JS_MEMORY_LIMITER = re.compile(r"\bnew\s+RateLimiterMemory\s*\(|\bThrottlerModule\.forRoot(?:Async)?\s*\(")
# Flask-Limiter and slowapi: storage_uri defaults to memory://
_PY_LIMITER_IMPORT = re.compile(r"^\s*from\s+(?:flask_limiter|slowapi)\b[^\n]*\bimport\b[^\n]*\bLimiter\b", re.M)
_PY_LIMITER = re.compile(r"\bLimiter\s*\(")
_PY_STORAGE_CONFIG = re.compile(r"\bRATELIMIT_STORAGE_UR[IL]\b|\bstorage_uri\s*=")
_PY_MEMORY_URI = re.compile(
    r"\bstorage_uri\s*=\s*['\"]memory://|['\"]?(?P<key>RATELIMIT_STORAGE_UR[IL])['\"]?\s*\]?\s*[=:]\s*['\"]memory://"
)
_DJANGO_RATELIMIT = re.compile(r"^\s*from\s+(?:django_)?ratelimit(?:\.decorators)?\s+import\s+ratelimit\b", re.M)
_DJANGO_SHARED_CACHE = re.compile(
    r"RedisCache|django_redis|Memcache|DatabaseCache|FileBasedCache|env\.cache\(|CACHE_URL"
)
_RUBY_MEMORY = re.compile(
    r"\bRack::Attack\.cache\.store\s*=\s*ActiveSupport::Cache::MemoryStore\.new\b|"
    r"^[ \t]*config\.cache_store\s*=\s*:memory_store\b",
    re.M,
)
_PRODUCTION_RB = re.compile(r"(?:^|/)config/environments/production\.rb$")
_GO_MEMORY = re.compile(r"\bmemory\.NewStore(?:WithOptions)?\s*\(|\bhttprate\.Limit(?:ByIP|ByRealIP|All)?\s*\(")
_GO_SHARED_COUNTER = re.compile(r"\bhttprate\.WithLimitCounter\b|\bhttprateredis\b")
# ASP.NET Core: IMemoryCache written by a request handler with auth or throttling state; the built-in
# rate limiter's fixed/sliding window and token bucket count per process.
_DOTNET_CACHE_FIELD = re.compile(r"\bIMemoryCache\s+(\w+)")
_DOTNET_HANDLER = re.compile(
    r":\s*(?:Controller|ControllerBase|PageModel)\b|\[(?:ApiController|Http(?:Get|Post|Put|Delete|Patch))\b|\bapp\.Map(?:Get|Post|Put|Delete)\("
)
_STATE_WORDS = re.compile(
    r"(?i)sign_?out|log_?out|revok|session|token|black_?list|deny_?list|block_?list|lock_?out|attempt|otp|nonce|"
    r"rate_?limit|throttl|counter|banned"
)
_DOTNET_RATE_LIMITER = re.compile(
    r"\b(?:AddFixedWindowLimiter|AddSlidingWindowLimiter|AddTokenBucketLimiter)\s*\(|"
    r"\bRateLimitPartition\.Get(?:FixedWindow|SlidingWindow|TokenBucket)Limiter\s*\("
)

# GraphQL subscriptions on graphql-subscriptions' PubSub: events reach only this process's clients.
_JS_PUBSUB_IMPORT = re.compile(
    r"\bimport\s*\{[^}]*\bPubSub\b(?:\s+as\s+(\w+))?[^}]*\}\s*from\s*['\"](?:graphql-subscriptions|apollo-server(?:-\w+)?|"
    r"graphql-yoga|mercurius)['\"]|\b(?:const|let|var)\s*\{[^}]*\bPubSub\b(?:\s*:\s*(\w+))?[^}]*\}\s*=\s*require\(\s*"
    r"['\"](?:graphql-subscriptions|apollo-server(?:-\w+)?)['\"]"
)
# Spring Security OAuth2: issued tokens and authorizations kept in the JVM.
_JAVA_TOKEN_STORE = re.compile(
    r"\bnew\s+(?:InMemoryTokenStore|InMemoryOAuth2AuthorizationService|InMemoryAuthorizationCodeServices|"
    r"InMemoryOAuth2AuthorizedClientService)\s*\("
)
# Rust governor (and tower_governor): keyed limiters count per process in a DashMap/HashMap.
_RUST_LIMITER = re.compile(
    r"\btype\s+\w+(?:<[^>\n]*>)?\s*=[^;\n]*\b(?:DashMapStateStore|HashMapStateStore|DefaultKeyedRateLimiter)\b|"
    r"\bRateLimiter::(?:keyed|dashmap|hashmap)\s*\(|\bGovernorConfigBuilder::default\s*\("
)
# ASP.NET Core Data Protection / IdentityServer signing keys on the container's own disk.
_DOTNET_KEYS_ON_DISK = re.compile(r"\.(?:PersistKeysToFileSystem|AddFileSystemPersistence)\s*\(")

_PY_MODULE_STATE = re.compile(
    r"^([A-Za-z_]\w*)\s*(?::[^=\n]{1,60})?=\s*(?:\{\s*\}|\[\s*\]|(?:dict|list|set|defaultdict|OrderedDict|Counter)\()",
    re.M,
)
# request handlers: a route decorator, or a view function taking the request (two patterns, so that
# each is searched its fast way: the decorator on the lines naming a route, the view where `def` is)
_PY_HANDLERS = (
    re.compile(r"^[ \t]*@\w+(?:\.\w+)*\.(?:route|get|post|put|patch|delete|websocket)\(", re.M),
    re.compile(r"^def\s+\w+\(\s*request\b", re.M),
)
_JS_MODULE_STATE = re.compile(
    r"^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:\{\s*\}|\[\s*\]|new\s+(?:Map|Set)\(\s*\))\s*;?\s*$", re.M
)
_JS_HANDLERS = re.compile(r"\b(?:app|router|server|fastify)\.(?:get|post|put|patch|delete|all|use|route)\s*\(")
_CACHE_NAMES = re.compile(r"(?i:cache|memo|registry|lock|pool|handlers|routes|config|settings|metrics)|^_?[A-Z0-9_]+$")


@check(
    "processes.in-memory-shared-state",
    factor=FACTOR,
    title="Rate limits, revocations or caches that requests rely on live in one process's memory",
    remediation="Keep rate-limit counters, revoked tokens and other shared state in a backing service (Redis, the database).",
)
def in_memory_shared_state(ctx: Context) -> Iterator[Raw]:
    """In-memory stores used as shared state: rate-limit counters, revocation lists, production caches.

    express-rate-limit with no `store`, rate-limiter-flexible's RateLimiterMemory, NestJS's
    throttler, Flask-Limiter or slowapi on `memory://` (their default), Rack::Attack on a
    MemoryStore, Rails' `:memory_store` as the production cache, Go's in-memory limiter stores,
    ASP.NET Core's window and token-bucket limiters, an IMemoryCache a request handler writes
    logouts or tokens into, governor's keyed limiters (Rust), graphql-subscriptions' in-process
    PubSub, Spring Security's InMemoryTokenStore, and IdentityServer/Data Protection keys persisted
    to the container's own disk. Each process then counts and remembers for itself: with N processes a
    client gets N times the limit, a token revoked on one is still valid on the others, and a
    restart forgets it all. Medium.
    """
    app = [f for f in ctx.source() if f.role is None]
    yield from _express_limiters(ctx, [f for f in app if f.language == "javascript"])
    for hit in ctx.grep(_JS_MEMORY_LIMITER, [f for f in app if f.language == "javascript"], where="code"):
        if "RateLimiterMemory" in hit.match.group(0) or not _JS_STORE.search(_call_options(hit)):
            yield hit.found(Severity.MEDIUM, "Rate-limit counters are kept in this process's memory.")
    yield from _python_limiters(ctx, [f for f in app if f.language == "python"])
    yield from _django_ratelimit(ctx, [f for f in app if f.language == "python"])
    ruby = [f for f in app if f.language == "ruby"]
    for hit in ctx.grep(_RUBY_MEMORY, ruby, where="code"):
        if "Rack::Attack" in hit.match.group(0) or _PRODUCTION_RB.search(hit.path):
            yield hit.found(
                Severity.MEDIUM, "The cache that throttling and shared state rely on is in each process's memory."
            )
    for hit in ctx.grep(_GO_MEMORY, [f for f in app if f.language == "go"], where="code"):
        if "httprate" not in hit.match.group(0) or not _GO_SHARED_COUNTER.search(hit.file.text):
            yield hit.found(Severity.MEDIUM, "Rate-limit counters are kept in this process's memory.")
    yield from _graphql_pubsub(ctx, [f for f in app if f.language == "javascript"])
    for hit in ctx.grep(_JAVA_TOKEN_STORE, [f for f in app if f.language == "java"], where="code"):
        yield hit.found(Severity.MEDIUM, "Issued OAuth2 tokens are kept in this process's memory: lost on restart, "
                        "unknown to a second instance.")
    for f in app:
        if f.language == "rust":
            hit = ctx.first(_RUST_LIMITER, [f], where="code")
            if hit:
                yield hit.found(Severity.MEDIUM, "Rate-limit counters are kept in this process's memory (governor).")
    dotnet = [f for f in app if f.language == "dotnet"]
    for hit in ctx.grep(_DOTNET_KEYS_ON_DISK, dotnet, where="code"):
        yield hit.found(Severity.MEDIUM, "Signing or data-protection keys are persisted to the container's own disk: "
                        "lost on redeploy and different on every instance.")
    yield from _dotnet_memory_cache(ctx, dotnet)
    hit = ctx.first(_DOTNET_RATE_LIMITER, dotnet, where="code")
    if hit:
        yield hit.found(Severity.MEDIUM, "ASP.NET Core's rate limiter counts requests per process.")


def _call_options(hit: Hit) -> str:
    """The options of the call that starts at the hit, up to its closing `})`."""
    text = hit.file.scan_view.text
    return text[hit.match.end() : hit.match.end() + _WINDOW].split("})", 1)[0]


def _express_limiters(ctx: Context, files: list) -> Iterator[Raw]:
    for imp in ctx.grep(_JS_LIMIT_IMPORT, files, where="code"):
        name = next(g for g in imp.match.groups() if g)
        call = re.compile(r"\b" + re.escape(name) + r"\(\s*\{")
        for use in ctx.grep(call, [imp.file], where="code"):
            if not _JS_STORE.search(_call_options(use)):
                yield use.found(
                    Severity.MEDIUM, "express-rate-limit has no store, so it counts in this process's memory."
                )


def _graphql_pubsub(ctx: Context, files: list) -> Iterator[Raw]:
    for imp in ctx.grep(_JS_PUBSUB_IMPORT, files, where="code"):
        name = imp.match.group(1) or imp.match.group(2) or "PubSub"
        hit = ctx.first(re.compile(r"\bnew\s+" + re.escape(name) + r"\s*\("), [imp.file], where="code")
        if hit:
            yield hit.found(Severity.MEDIUM, "GraphQL subscription events go through an in-process PubSub: "
                            "clients of another instance never receive them.")


def _python_limiters(ctx: Context, files: list) -> Iterator[Raw]:
    configured = any(ctx.first(_PY_STORAGE_CONFIG, [f]) for f in files) or any(
        "RATELIMIT_STORAGE_UR" in f.text for f in ctx.files if f.name.startswith(".env") or f.ext in (".cfg", ".toml")
    )
    for f in files:
        explicit = ctx.first(_PY_MEMORY_URI, [f])
        if explicit and keyed(ctx, explicit):
            yield explicit.found(
                Severity.MEDIUM, "The rate limiter stores its counters in memory://, private to each process."
            )
        elif not configured and ctx.first(_PY_LIMITER_IMPORT, [f], where="code"):
            hit = ctx.first(_PY_LIMITER, [f], where="code")
            if hit:
                yield hit.found(
                    Severity.MEDIUM, "The rate limiter has no storage_uri, so it counts in memory:// (each process)."
                )


def _django_ratelimit(ctx: Context, files: list) -> Iterator[Raw]:
    """django-ratelimit counts in the default cache, which is LocMemCache unless CACHES names a shared one."""
    hit = ctx.first(_DJANGO_RATELIMIT, files, where="code")
    if hit and not ctx.first(_DJANGO_SHARED_CACHE, files):
        yield hit.found(
            Severity.MEDIUM, "django-ratelimit counts in Django's default cache, local memory in each process."
        )


def _dotnet_memory_cache(ctx: Context, files: list) -> Iterator[Raw]:
    for f in files:
        if "IMemoryCache" not in f.text or not ctx.first(_DOTNET_HANDLER, [f], where="code"):
            continue
        for name in {m.group(1) for m in _DOTNET_CACHE_FIELD.finditer(f.text)}:
            writes = re.compile(r"\b" + re.escape(name) + r"\.Set(?:<[^>()]{1,60}>)?\s*\(")
            for hit in ctx.grep(writes, [f], where="code", limit=5):
                before = "\n".join(f.lines[max(0, hit.line - 16) : hit.line])
                if _STATE_WORDS.search(before) or _STATE_WORDS.search(f.name):
                    yield hit.found(
                        Severity.MEDIUM,
                        "A request handler writes shared state (a logout, a token, a counter) "
                        "into IMemoryCache, which each process keeps for itself.",
                    )


@check(
    "processes.module-state",
    factor=FACTOR,
    title="Request handlers write module-level state",
    remediation="Keep per-user and shared state in a backing service (database, Redis); module globals are private to one process.",
)
def module_state(ctx: Context) -> Iterator[Raw]:
    """Module-level mutable state (`_sessions = {}`) written by request handlers.

    Each process has its own copy of a module global: data a handler stores there is invisible to
    the other processes and lost on restart, so users see different answers depending on which
    process serves them. Reported conservatively: only in files that define request handlers, only
    for globals that are written inside a function, and never for caches or registries.
    """
    for f in ctx.source("python"):
        if f.role is None and (f.name == "views.py" or any(ctx.first(p, [f], where="code") for p in _PY_HANDLERS)):
            yield from _written_globals(
                ctx,
                f,
                _PY_MODULE_STATE,
                r"(?:\[[^\n]{0,200}\]\s*(?:[+\-]?=)(?!=)|\.(?:append|update|setdefault|add|extend|insert|pop|clear|remove)\(|\s*\+=)",
            )
    for f in ctx.source("javascript"):
        if f.role is None and ctx.first(_JS_HANDLERS, [f], where="code"):
            yield from _written_globals(
                ctx, f, _JS_MODULE_STATE, r"(?:\[[^\n]{0,200}\]\s*=(?!=)|\.(?:set|push|add|delete|splice|clear)\()"
            )


def _written_globals(ctx: Context, f, declaration: re.Pattern, write: str) -> Iterator[Raw]:
    for decl in ctx.grep(declaration, [f], where="code", limit=10):
        name = decl.match.group(1)
        if _CACHE_NAMES.search(name):
            continue
        writes = re.compile(r"^[ \t]+" + re.escape(name) + write, re.M)
        if ctx.first(writes, [f], where="code"):
            yield decl.found(
                Severity.MEDIUM,
                f"The module-level `{name}` is written by request handlers; each process has its own copy.",
            )
