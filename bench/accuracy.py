"""Accuracy harness: score real public repositories and show what a reviewer needs to judge the findings.

    .venv/bin/python bench/accuracy.py [--root /tmp/acc] [--findings] [--json-dir DIR] [NAME ...]

The repositories (listed in REPOS) are checked out beforehand under --root, one folder per name,
from local mirrors (`git clone <mirror> /tmp/acc/<name>`); this script never downloads anything and
never copies their code anywhere. Each is scored with the engine's command line
(`python -m scoring PATH --format json`, as a user would run it) and summarised in one row: commit,
kind, score, the status of each factor (P pass, W warn, F fail, - na) and the count of violations by
severity. With --findings every violation is listed (check, severity, path:line, redacted snippet),
which is what docs/accuracy.md's review was done from.

REVIEW holds the reviewer's verdicts on violations found in these repositories: each entry names a
repository, a check id and a path pattern, and says whether the finding is a false alarm ("fa") or a
true positive ("tp"). The harness counts, per repository, the scored violations (not those demoted
from tests, docs or examples) that match a false-alarm verdict, so a fix to a check shows up as a
lower count on the next run.

    .venv/bin/python bench/accuracy.py --labels DIR [--labels DIR ...] [--misses] [NAME ...]

measures the engine against reviewer labels instead (../shared/accuracy/ and the review-first sets
under bench/): must-find recall, trap false alarms and verdicts per repository and per set. That
mode is bench/labels.py (its docstring says how each figure is counted); this entry point hands it
every argument.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name: (GitHub repository, what it is)
REPOS: dict[str, tuple[str, str]] = {
    "healthchecks": ("healthchecks/healthchecks", "Django app (Python), Docker"),
    "microblog": ("miguelgrinberg/microblog", "Flask app (Python), Docker, Procfile"),
    "node-express-boilerplate": ("hagopj13/node-express-boilerplate", "Express API (Node), Docker, PM2"),
    "spring-petclinic": ("spring-projects/spring-petclinic", "Spring Boot app (Java, Maven+Gradle)"),
    "golang-gin-realworld-example-app": ("gothinkster/golang-gin-realworld-example-app", "Gin API (Go)"),
    "CodeTriage": ("codetriage/CodeTriage", "Rails app (Ruby), Heroku"),
    "laravel": ("laravel/laravel", "Laravel application skeleton (PHP)"),
    "zero-to-production": ("LukeMathWalker/zero-to-production", "actix-web service (Rust), Docker, DO spec"),
    "eShopOnWeb": ("dotnet-architecture/eShopOnWeb", "ASP.NET Core app (.NET), Docker, Bicep"),
    "microservices-demo": ("GoogleCloudPlatform/microservices-demo", "monorepo: 11 services, 5 languages, k8s/Helm"),
    "click": ("pallets/click", "Python library"),
    "minima": ("jekyll/minima", "Jekyll theme / static site (Ruby gem)"),
    # added in the second review (23 November 2026, afternoon)
    "full-stack-fastapi-template": ("fastapi/full-stack-fastapi-template", "FastAPI + React monorepo, compose"),
    "hackathon-starter": ("sahat/hackathon-starter", "Express app (Node), many providers"),
    "demo": ("symfony/demo", "Symfony app (PHP), AssetMapper, SQLite"),
    # added in the third review (23 November 2026, evening)
    "ghostfolio": ("ghostfolio/ghostfolio", "NestJS + Angular app (TypeScript), Docker, Prisma"),
    "maybe": ("maybe-finance/maybe", "Rails app, Docker, Sidekiq"),
    "BookStack": ("BookStackApp/BookStack", "Laravel app (PHP), 40+ languages"),
    "podinfo": ("stefanprodan/podinfo", "Go service, Helm, Kustomize, Timoni (CUE)"),
    "bakerydemo": ("wagtail/bakerydemo", "Wagtail/Django app, uWSGI, Docker"),
    "go-gin-example": ("eddycjy/go-gin-example", "Gin API (Go), ini configuration"),
    "kotlin-spring-realworld-example-app": ("gothinkster/kotlin-spring-realworld-example-app", "Spring Boot (Kotlin), H2"),
    "TodoApi": ("davidfowl/TodoApi", "ASP.NET Core minimal API, .NET Aspire"),
    # added in the fourth review (23 November 2026, evening)
    "python-getting-started": ("heroku/python-getting-started", "Django on Heroku: Procfile, app.json"),
    "lobsters": ("lobsters/lobsters", "Rails 8 app, Hatchbox, SQLite in production"),
    "koel": ("koel/koel", "Laravel app (PHP), Vue front end"),
    "node-express-realworld-example-app": ("gothinkster/node-express-realworld-example-app", "Express + Prisma API"),
    "fastapi-tdd-docker": ("testdrivenio/fastapi-tdd-docker", "FastAPI + Tortoise ORM, compose, Heroku"),
    "go-coffeeshop": ("thangchung/go-coffeeshop", "Go, six binaries, compose, Nomad"),
}

# The reviewer's verdicts: (repository, check id, path glob) -> ("fa" | "tp", reason).
# A path glob of None matches a repository-wide finding (no path).
# "fa" false alarm, "dbt" doubtful (defensible by the checklist, questionable severity or intent);
# findings with no verdict were judged true positives (or demoted test/doc noise) in docs/accuracy.md.
REVIEW: dict[tuple[str, str, str | None], tuple[str, str]] = {
    ("healthchecks", "config.committed-secret", "hc/accounts/views.py"):
        ("fa", 'ctx["email_password_status"] = "success": a status flag, not a password'),
    ("healthchecks", "dev-prod-parity.embedded-database", "hc/settings.py"):
        ("dbt", "SQLite is the default for a checkout; PostgreSQL/MySQL by DB=...; upstream supports SQLite in production"),
    ("node-express-boilerplate", "config.committed-secret", "src/routes/v1/*.js"):
        ("fa", "an expired example JWT in a @swagger JSDoc comment"),
    ("node-express-boilerplate", "dev-prod-parity.floating-service-image", ".travis.yml"):
        ("fa", "Travis `services: [mongodb]` names a Travis service, not an image"),
    ("spring-petclinic", "config.committed-secret", "docker-compose.yml"):
        ("dbt", "local dev database container passwords (= user and database name) in compose"),
    ("golang-gin-realworld-example-app", "config.committed-secret", "users/validators.go"):
        ("fa", "Password = common.NBRandomPassword: a reference to a constant, not a literal"),
    ("CodeTriage", "config.committed-secret", "config/secrets.yml"):
        ("dbt", "development/test secret_key_base (production reads the environment): a leak, but not critical"),
    ("CodeTriage", "processes.local-disk-storage", "config/environments/development.rb"):
        ("fa", "development-only Active Storage setting"),
    ("CodeTriage", "dev-prod-parity.in-process-substitute", "config/environments/development.rb"):
        ("dbt", ":null_store (caching off in dev) is reported beside :memory_store; the memory_store one is right"),
    ("laravel", "config.committed-secret", "app/Models/User.php"):
        ("fa", "'password' => 'hashed' is an Eloquent cast"),
    ("laravel", "processes.local-session-store", "config/cache.php"):
        ("fa", "the 'file' cache store, not the session driver (session.php reads SESSION_DRIVER)"),
    ("eShopOnWeb", "config.committed-secret", "src/Web/Views/Manage/ManageNavPages.cs"):
        ("fa", 'ChangePassword => "ChangePassword": a page name'),
    ("eShopOnWeb", "backing-services.hardcoded-host", "src/*/appsettings.json"):
        ("fa", "(localdb)\\mssqllocaldb is SQL Server LocalDB on the developer's machine, overridable by env"),
    ("eShopOnWeb", "backing-services.hardcoded-host", "src/*/appsettings.Docker.json"):
        ("dbt", "compose service name `sqlserver` in a Docker-only settings file"),
    ("demo", "dependencies.missing-manifest", "assets/*"):
        ("fa", "the browser packages are pinned in importmap.php (Symfony AssetMapper), not package.json"),
    ("demo", "config.no-env-reads", None):
        ("fa", "config/packages/*.yaml read the environment through %env(APP_SECRET)% placeholders"),
    ("demo", "config.no-env-reads", "config/*"):
        ("fa", "config/packages/*.yaml read the environment through %env(APP_SECRET)% placeholders"),
    ("demo", "config.committed-secret", ".env.local.demo"):
        ("fa", "APP_SECRET=not-a-secret--read-the-doc!: the value says it is a placeholder"),
    ("demo", "dev-prod-parity.embedded-database", ".env*"):
        ("fa", "'production uses MySQL' came from a commented-out DATABASE_URL; SQLite is the only database"),
    ("full-stack-fastapi-template", "dependencies.curl-pipe-shell", "frontend/Dockerfile.playwright"):
        ("dbt", "bun's install script piped into bash, in the image that runs the browser tests"),
    # third review (23 November 2026, evening)
    ("ghostfolio", "config.per-environment-config", "apps/client/src/environments/*"):
        ("fa", "Angular's build-time environment.prod.ts holds `production: true` and a timestamp, no host"),
    ("ghostfolio", "config.committed-secret", "apps/client/localhost.pem"):
        ("dbt", "a real private key, but the self-signed localhost key of the Angular dev server"),
    ("ghostfolio", "config.committed-env-file", ".env.dev"):
        ("dbt", "every value is an <INSERT_…> placeholder: a template the docs say to copy"),
    ("maybe", "dependencies.curl-pipe-shell", ".devcontainer/Dockerfile"):
        ("dbt", "NodeSource's setup script piped into bash, in the development container only"),
    ("BookStack", "config.committed-secret", "lang/*"):
        ("fa", "translation strings (the German word for password as the value of a password key), 40 languages"),
    ("BookStack", "config.committed-secret", "dev/api/requests/*"):
        ("fa", '"password": "hunter2000" in an example request of the API documentation'),
    ("BookStack", "build-release-run.install-at-startup", "dev/docker/*"):
        ("fa", "composer/npm install in entrypoints only the development compose file starts"),
    ("BookStack", "concurrency.background-threads", "resources/js/*"):
        ("fa", "the editor's autosave timer runs in the browser; window.$events.listen is not a server"),
    ("BookStack", "disposability.signal-forwarding", "dev/docker/*"):
        ("fa", "SHELL=/bin/sh exec npm run watch does exec"),
    ("BookStack", "config.committed-secret", "tests/Helpers/OidcJwtHelper.php"):
        ("dbt", "an RSA key for signing test tokens; the checklist reports private keys everywhere"),
    ("podinfo", "config.committed-secret", "timoni/*"):
        ("fa", "imagePullSecrets: _config.imagePullSecrets is a CUE field reference"),
    ("bakerydemo", "config.debug-in-production", "bakerydemo/settings/base.py"):
        ("fa", "production.py imports base and sets DEBUG = False"),
    ("bakerydemo", "config.per-environment-config", "bakerydemo/settings/production.py"):
        ("dbt", "a production settings module, but every value in it comes from os.environ"),
    ("bakerydemo", "admin-processes.migrate-on-start", "docker-entrypoint.sh"):
        ("dbt", "guarded by `$1 = /venv/bin/uwsgi`, which the image's CMD never matches"),
    ("bakerydemo", "disposability.slow-startup", "docker-entrypoint.sh"):
        ("dbt", "the same guarded migrate"),
    ("kotlin-spring-realworld-example-app", "config.no-env-reads", "*"):
        ("dbt", "Spring Boot binds environment variables to any property without code (relaxed binding)"),
    ("TodoApi", "config.committed-secret", "Todo.Api.Tests/*"):
        ("fa", "a password in a test project's request"),
    ("TodoApi", "processes.sqlite-database", "Todo.Api.Tests/*"):
        ("fa", "an in-memory SQLite in the test host"),
    ("TodoApi", "admin-processes.migrate-on-start", "Todo.Api.Tests/*"):
        ("fa", "EnsureCreated() in the test host"),
    # fourth review (23 November 2026, evening)
    ("lobsters", "config.committed-secret", "config/routes.rb"):
        ("fa", 'a route to a controller action: "/login/forgot_password" => "login#forgot_password"'),
    ("lobsters", "concurrency.self-daemonizing", "hatchbox/*.service"):
        ("fa", "the unit of the system's OpenDKIM daemon (/usr/sbin/opendkim), not the app"),
    ("go-coffeeshop", "config.committed-secret", "docker-compose*.yaml"):
        ("dbt", "POSTGRES_PASSWORD of the local compose database, as in spring-petclinic"),
    ("fastapi-tdd-docker", "disposability.slow-startup", "project/entrypoint.sh"):
        ("dbt", "a wait-for-database loop in the development image's entrypoint only"),
}

STATUS_LETTER = {"pass": "P", "warn": "W", "fail": "F", "na": "-"}
SEVERITIES = ("critical", "high", "medium", "low")


def score(path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "scoring", str(path), "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"scoring {path} failed ({proc.returncode}): {proc.stderr.strip()[:300]}")
    return json.loads(proc.stdout)


def violations(report: dict) -> list[dict]:
    return [dict(f, factor=fr["number"]) for fr in report["factors"] for f in fr["findings"] if f["severity"] != "info"]


def verdict(name: str, finding: dict) -> tuple[str, str] | None:
    for (repo, check, glob), value in REVIEW.items():
        if repo != name or check != finding["check"]:
            continue
        path = finding.get("path")
        if (glob is None and path is None) or (glob is not None and path is not None and fnmatch.fnmatch(path, glob)):
            return value
    return None


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(a == "--labels" or a.startswith("--labels=") for a in argv):
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import labels  # bench/labels.py: the reviewer-label measure

        return labels.main(argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="repositories to score (default: every one checked out)")
    ap.add_argument("--root", default="/tmp/acc", help="where the checkouts are (default /tmp/acc)")
    ap.add_argument("--findings", action="store_true", help="list every violation with its review verdict")
    ap.add_argument("--json-dir", help="also write each JSON report here")
    args = ap.parse_args(argv)

    root = Path(args.root)
    names = args.names or [n for n in REPOS if (root / n).is_dir()]
    missing = [n for n in names if not (root / n).is_dir()]
    if missing:
        print(f"not checked out under {root}: {', '.join(missing)}", file=sys.stderr)
        names = [n for n in names if n not in missing]

    header = (f"{'repository':<34} {'commit':<8} {'kind':<11} {'score':>5}  "
              + " ".join(f"{i:>2}" for i in range(1, 13)) + "   crit high  med  low  FA dbt")
    rows, totals = [], Counter()
    for name in names:
        path = root / name
        report = score(path)
        if args.json_dir:
            Path(args.json_dir).mkdir(parents=True, exist_ok=True)
            (Path(args.json_dir) / f"{name}.json").write_text(json.dumps(report, indent=1))
        found = violations(report)
        sev = Counter(f["severity"] for f in found)
        counted = [f for f in found if not f.get("demoted_from")]  # demoted findings are listed, not scored
        fa = [f for f in counted if (verdict(name, f) or ("",))[0] == "fa"]
        dbt = [f for f in counted if (verdict(name, f) or ("",))[0] == "dbt"]
        totals.update(reviewed=len(found), fa=len(fa), dbt=len(dbt))
        statuses = " ".join(f"{STATUS_LETTER[fr['status']]:>2}" for fr in report["factors"])
        commit = (report["target"].get("commit") or "")[:8]
        rows.append(f"{name:<34} {commit:<8} {report['kind']['value']:<11} {report['score']:>5.1f}  {statuses}   "
                    + " ".join(f"{sev[s]:>4}" for s in SEVERITIES) + f" {len(fa):>3} {len(dbt):>3}")
        if args.findings:
            print(f"\n=== {name} ({REPOS.get(name, ('', ''))[1]}) kind={report['kind']['value']} "
                  f"score={report['score']} reasons={report['kind']['reasons']}")
            errors = report["stats"].get("check_errors")
            if errors:
                print(f"    CHECK ERRORS: {errors}")
            for fr in report["factors"]:
                print(f"  {fr['number']:>2} {fr['id']:<18} {fr['status']:<4} {fr['score']}  {fr['summary'][:110]}")
            for f in sorted(found, key=lambda f: (f["factor"], f["check"], f.get("path") or "")):
                v = verdict(name, f)
                mark = f"[{v[0].upper()}]" if v else "[??]"
                where = f"{f.get('path')}:{f.get('line')}" if f.get("path") else "(repository)"
                snippet = (f.get("snippet") or "").strip().replace("\n", " ")[:110]
                print(f"  {mark} {f['severity']:<8} {f['check']:<40} {where}")
                print(f"        {f['message'][:150]}")
                if snippet:
                    print(f"        | {snippet}")
    print()
    print(header)
    for row in rows:
        print(row)
    print(f"\n{totals['reviewed']} violations; {totals['fa']} match a false-alarm verdict in REVIEW, "
          f"{totals['dbt']} a doubtful one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
