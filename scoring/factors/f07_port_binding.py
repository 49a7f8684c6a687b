"""VII. Port binding — the app is self-contained and exports HTTP by binding a port taken from the environment."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts import ports, servers
from ..facts.configfiles import config_files
from ..facts.dockerfile import dockerfiles
from ..facts.launch import RUN, is_development, launches
from ..facts.manifests import all_dependencies, ecosystems
from ..facts.shell import start_scripts
from ..model import Severity
from ..registry import check
from ..tree import File

FACTOR = 7

_NAMES = r"(?:HTTP_|APP_|SERVER_|WEB_|LISTEN_|API_|BIND_)?PORT"
_ENV_PORT = {
    "python": re.compile(
        r"\b(?:os\.environ(?:\.get)?|os\.getenv|env(?:\.int|\.str)?)\s*[\[(]\s*['\"]" + _NAMES + r"['\"]"
    ),
    "javascript": re.compile(
        r"\b(?:process\.env|Bun\.env)(?:\.|\[[ \t]*['\"])" + _NAMES + r"\b|\bDeno\.env\.get\([ \t]*['\"]" + _NAMES
    ),
    "go": re.compile(
        r"\bos\.(?:Getenv|LookupEnv)\(\s*\"" + _NAMES + r"\"|envconfig:\"" + _NAMES + r"\"|env:\"" + _NAMES + r"\""
    ),
    "ruby": re.compile(r"\bENV(?:\.fetch\(\s*|\[\s*)['\"]" + _NAMES + r"['\"]"),
    "java": re.compile(r"\bSystem\.getenv\((?:\s*|\)\.(?:getOrDefault|get)\(\s*)\"" + _NAMES + r"\""),
    "php": re.compile(
        r"\b(?:getenv|env)\(\s*['\"]" + _NAMES + r"['\"]|\$_(?:ENV|SERVER)\[\s*['\"]" + _NAMES + r"['\"]"
    ),
    "rust": re.compile(r"\b(?:env::var|dotenvy::var)\(\s*\"" + _NAMES + r"\""),
    "dotnet": re.compile(
        r"\bGetEnvironmentVariable\(\s*\"(?:" + _NAMES + r"|ASPNETCORE_URLS|ASPNETCORE_HTTP_PORTS|URLS)\""
    ),
}
_ENV_PORT_COMMAND = re.compile(r"\$\{?" + _NAMES + r"\b|%" + _NAMES + r"%")
_ENV_PORT_CONFIG = re.compile(
    r"\bserver\.port\s*[=:]\s*\$\{|^\s*port\s*:\s*\$\{\w*PORT|"
    r"^\s*(?:http|http-socket|socket|uwsgi-socket)\s*=\s*[\w.]*:\$\((?:\w*PORT)\)",  # uWSGI: http-socket = :$(PORT)
    re.M,
)
_GUNICORN_NO_BIND = re.compile(r"(?:^|\s)gunicorn\s(?!.{0,500}?(?:\s-b|--bind|\s-c|--config))")

_SERVER_DEPS = {
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "waitress",
    "daphne",
    "granian",
    "bjoern",
    "cheroot",
    "uwsgi",
    "puma",
    "unicorn",
    "thin",
    "falcon",
    "express",
    "fastify",
    "koa",
    "@hapi/hapi",
    "hapi",
    "next",
    "restify",
    "@nestjs/platform-express",
    "@nestjs/platform-fastify",
    "polka",
    "spring-boot-starter-web",
    "spring-boot-starter-webflux",
    "spring-boot-starter-webmvc",
    "spring-boot-starter-jetty",
    "spring-boot-starter-undertow",
    "spring-boot-starter-reactor-netty",
    "jetty-server",
    "undertow-core",
    "netty-codec-http",
    "quarkus-resteasy",
    "quarkus-resteasy-reactive",
    "quarkus-rest",
    "micronaut-http-server-netty",
    "ktor-server-netty",
    "ktor-server-cio",
    "javalin",
    "webapp-runner",
    "laravel/octane",
    "spiral/roadrunner-http",
    "spiral/roadrunner",
    "actix-web",
    "axum",
    "hyper",
    "rocket",
    "warp",
    "tide",
    "poem",
    "microsoft.aspnetcore",
    "github.com/valyala/fasthttp",
}
# A launch command that runs the app's own web server: `fastapi run` (uvicorn from fastapi[standard]),
# Octane, RoadRunner, FrankenPHP, Heroku's PHP boot scripts, Passenger standalone.
_SERVER_COMMAND = re.compile(
    r"\bfastapi\s+run\b|\b(?:uvicorn|gunicorn|hypercorn|granian|daphne|waitress-serve|uwsgi)\s|\boctane:start\b|\brr\s+serve\b|"
    r"\bfrankenphp\s+(?:run|php-server)\b|\bheroku-php-(?:apache2|nginx)\b|\bpassenger\s+start\b"
)
_GO_HTTP_SERVER = re.compile(
    r"\bhttp\.ListenAndServe(?:TLS)?\(|\.ListenAndServe(?:TLS)?\(|\bgin\.(?:Default|New)\(\)|\becho\.New\(\)|\bfiber\.New\("
)

_LITERAL_PORT = {
    "javascript": re.compile(r"\.listen\(\s*(\d{2,5})\s*[,)]|\.listen\(\s*\{\s*port\s*:\s*(\d{2,5})\b"),
    "python": re.compile(
        r"\b(?:app|application|api|server)\.run\([^)\n]{0,200}?\bport\s*=\s*(\d{2,5})|"
        r"\buvicorn\.run\([^)\n]{0,300}?\bport\s*=\s*(\d{2,5})|\bweb\.run_app\([^)\n]{0,200}?\bport\s*=\s*(\d{2,5})|"
        r"\bserve\([^)\n]{0,200}?\bport\s*=\s*(\d{2,5})|"
        r"\b(?:HTTPServer|ThreadingHTTPServer|TCPServer|make_server)\(\s*\(?\s*['\"][^'\"\n]*['\"]\s*,\s*(\d{2,5})"
    ),
    "go": re.compile(
        r"\b(?:ListenAndServe(?:TLS)?|Run|Start|Listen)\(\s*\"[^\"\n]*:(\d{2,5})\"|\bAddr\s*:\s*\"[^\"\n]*:(\d{2,5})\""
    ),
    "ruby": re.compile(
        r"\bset\s+:port\s*,\s*(\d{2,5})|\brun!\s*\(?\s*port:\s*(\d{2,5})|^[ \t]*port\s+(\d{2,5})\s*$|"
        r"^[ \t]*bind\s+['\"]tcp://[^'\"\n]*:(\d{2,5})['\"]",
        re.M,
    ),
    "java": re.compile(
        r"\bnew\s+ServerSocket\(\s*(\d{2,5})|\bHttpServer\.create\(\s*new\s+InetSocketAddress\(\s*(?:\"[^\"\n]*\"\s*,\s*)?(\d{2,5})|"
        r"\bembeddedServer\(\s*\w+\s*,\s*port\s*=\s*(\d{2,5})"
    ),
    "rust": re.compile(
        r"\.bind\(\s*\(\s*\"[^\"\n]*\"\s*,\s*(\d{2,5})\s*\)\s*\)|\.bind\(\s*\"[^\"\n]*:(\d{2,5})\"|"
        r"\bTcpListener::bind\(\s*\"[^\"\n]*:(\d{2,5})\"|\bSocketAddr::from\(\s*\(\s*\[[\d,\s]{1,40}\]\s*,\s*(\d{2,5})\s*\)\s*\)"
    ),
    "php": re.compile(
        r"\bnew\s+\\?(?:Swoole|OpenSwoole)\\Http\\Server\(\s*['\"][^'\"\n]*['\"]\s*,\s*(\d{2,5})|"
        r"\bnew\s+\\?React\\Socket\\(?:SocketServer|Server)\(\s*['\"][^'\"\n]*:(\d{2,5})['\"]|"
        r"\bnew\s+Worker\(\s*['\"]http://[^'\"\n]*:(\d{2,5})['\"]"
    ),
    "dotnet": re.compile(
        r"\bUseUrls\(\s*\"[^\"\n]*:(\d{2,5})|\bapp\.Run\(\s*\"[^\"\n]*:(\d{2,5})\"|\bListen(?:Any|Local)IP\(\s*(\d{2,5})|"
        r"\.Listen\(\s*IPAddress\.\w+\s*,\s*(\d{2,5})"
    ),
}
_JS_LISTEN_NAME = re.compile(r"\.listen\(\s*([A-Za-z_$][\w$]*)\s*[,)]")
_PYTHON_SERVER_COMMAND = re.compile(r"\b(?:gunicorn|uvicorn|hypercorn|waitress-serve|daphne|granian|uwsgi)\b")
# The app's server started by a container's start script, and the fixed-port flags of the other stacks.
_SCRIPT_SERVER = re.compile(
    r"^(?:exec\s+)?(?:\S+\s+)*?(?:\S*/)?(?:gunicorn|uvicorn|hypercorn|waitress-serve|daphne|granian|uwsgi|puma|rails\s+s(?:erver)?|"
    r"rackup|unicorn|node|java|dotnet)\b"
)
_ENV_REFERENCE = re.compile(r"\$\{?[A-Za-z_]")
_FIXED_PORT_FLAG = re.compile(r"--server\.port=(\d{2,5})\b|--urls[= ]['\"]?https?://[^\s'\":]*:(\d{2,5})\b")
_FIXED_PORT_COMMAND = re.compile(
    r"(?:\s-b|--bind)[= ]?['\"]?[\w.\-\[\]]{0,100}:(\d{2,5})\b|(?:\s-p|--port|--listen)[= ]['\"]?(\d{2,5})\b|\bphp\s+-S\s+\S{0,100}:(\d{2,5})\b"
)

_WAR_MAVEN = re.compile(r"<packaging>\s*war\s*</packaging>")
_WAR_GRADLE = re.compile(
    r"\bapply\s+plugin\s*:\s*['\"]war['\"]|^[ \t]*id\s*\(?\s*['\"]war['\"]\s*\)?|^[ \t]*war\s*$", re.M
)
_EMBEDDED = re.compile(
    r"spring-boot-maven-plugin|org\.springframework\.boot|webapp-runner|jetty-runner|<artifactId>\s*(?:jetty-server|undertow-core)"
)
# What makes a Maven WAR runnable on its own (`java -jar app.war`): the Boot plugin repackaging it, or a runner.
_EXECUTABLE_WAR = re.compile(r"spring-boot-maven-plugin|webapp-runner|jetty-runner|<artifactId>\s*(?:jetty-server|undertow-core)")


def _executable_module(pom: File, poms: list[File]) -> bool:
    """The WAR module (or a pom in a folder above it: its parent) repackages it as a runnable archive; a
    Spring Boot WAR with Tomcat `provided` and no Boot plugin (litemall-all-war) is for an external container."""
    above = [p for p in poms if p is pom or not p.dir or pom.dir.startswith(p.dir + "/")]
    return any(_EXECUTABLE_WAR.search(p.text) for p in above)


_APACHE_MODULE = re.compile(
    r"^[ \t]*(?:WSGIScriptAlias|WSGIDaemonProcess)\b|^[ \t]*LoadModule\s+(?:wsgi|php\d*|cgid?)_module\b|"
    r"^[ \t]*(?:AddHandler|SetHandler)\s+(?:cgi-script|application/x-httpd-php|php\d*-script)\b|^[ \t]*ScriptAlias\s+/cgi-bin/|"
    r"^[ \t]*(?:PassengerAppRoot|PassengerRuby)\b|^[ \t]*passenger_enabled\s+on\b|<add\s[^>]*\bmodules=\"iisnode\"",
    re.M | re.I,
)
_CGI_CODE = {
    "python": re.compile(r"\bcgi\.FieldStorage\s*\(|\bCGIHandler\(\)\.run\("),
    "go": re.compile(r"\b(?:cgi|fcgi)\.Serve\s*\("),
}


@check(
    "port-binding.port-from-env",
    factor=FACTOR,
    title="The server binds a port taken from the environment",
    remediation="Bind the server to the port the platform gives in the environment: `--bind 0.0.0.0:$PORT`, `process.env.PORT`.",
)
def port_from_env(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: the server binds a port read from the environment ($PORT, process.env.PORT, server.port=${PORT})."""
    for launch in ctx.fact(launches):
        if _ENV_PORT_COMMAND.search(launch.command):
            yield found(
                Severity.INFO,
                f"The {launch.source} command binds the port from the environment.",
                launch.file.path,
                launch.line,
                launch.snippet,
            )
            break
        if launch.source == "procfile" and launch.name == "web" and _GUNICORN_NO_BIND.search(launch.command):
            yield found(
                Severity.INFO, "gunicorn binds 0.0.0.0:$PORT by default.", launch.file.path, launch.line, launch.snippet
            )
            break
    for language, pattern in _ENV_PORT.items():
        hit = ctx.first(pattern, [f for f in ctx.source(language) if f.role is None], where=("code", "string"))
        if hit:
            yield hit.found(Severity.INFO, "The listen port is read from the environment.")
            return
    hit = ctx.first(_ENV_PORT_CONFIG, [f for f in ctx.fact(config_files) if f.role is None], where="any")
    if hit:
        yield hit.found(Severity.INFO, "The server port is a placeholder filled from the environment.")


@check(
    "port-binding.server-dependency",
    factor=FACTOR,
    title="The web server is a declared dependency",
    remediation="Declare the web server (gunicorn, puma, express, an embedded Tomcat/Jetty/Netty) as a dependency of the app.",
)
def server_dependency(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: the web server is part of the app (a declared dependency or the Go standard library's net/http)."""
    servers = sorted(all_dependencies(ctx) & _SERVER_DEPS)
    if servers:
        yield found(Severity.INFO, f"The web server is a declared dependency: {', '.join(servers[:4])}.")
        return
    if "go" in ctx.fact(ecosystems):
        hit = ctx.first(_GO_HTTP_SERVER, [f for f in ctx.source("go") if f.role is None], where="code")
        if hit:
            yield hit.found(Severity.INFO, "The app serves HTTP itself with Go's net/http.")
            return
    for launch in ctx.fact(launches):
        if launch.stage == RUN and _SERVER_COMMAND.search(launch.command):
            yield found(
                Severity.INFO,
                "The app is started by a web server it bundles, which binds the port itself.",
                launch.file.path,
                launch.line,
                launch.snippet,
            )
            return


@check(
    "port-binding.hard-coded-port",
    factor=FACTOR,
    title="The listen port is hard-coded",
    remediation="Read the port from the environment with a local default: `app.listen(process.env.PORT || 3000)`.",
)
def hard_coded_port(ctx: Context) -> Iterator[Raw]:
    """A hard-coded listen port with no environment override (`app.listen(3000)`).

    The platform decides which port each process binds (Heroku's $PORT, several processes per host);
    a literal port leaves it no say. Files that also read the port from the environment are not
    reported; nor is a Python dev-server `app.run(port=…)` when a real server (gunicorn, uvicorn)
    starts the app. Also: a container's start script that configures the server from the
    environment but starts it on a fixed port (`gunicorn --bind 0.0.0.0:8000 --workers $WORKERS`,
    `puma -p 3000`, `--server.port=8080`, `--urls http://…:5000`); and a Go listen address that is a constant of another package
    with no flag defaulting to it.
    """
    real_python_server = any(_PYTHON_SERVER_COMMAND.search(launch.command) for launch in ctx.fact(launches)) or any(
        _PYTHON_SERVER_COMMAND.search(c.text) for script in ctx.fact(start_scripts) if not script.development
        for c in script.commands
    )
    for language, pattern in _LITERAL_PORT.items():
        if language == "python" and real_python_server:
            continue
        for f in ctx.source(language):
            if ctx.first(_ENV_PORT[language], [f], where=("code", "string")):
                continue
            for hit in ctx.grep(pattern, [f], where="code"):
                port = next(g for g in hit.match.groups() if g)
                yield hit.found(
                    Severity.MEDIUM, f"The server listens on the fixed port {port} with no environment override."
                )
            for fixed in ports.through_names(ctx, language, f):
                yield found(
                    Severity.MEDIUM,
                    f"The server listens on a fixed port ({fixed.via} = {fixed.port}) with no environment override.",
                    f.path,
                    fixed.line,
                    fixed.snippet,
                )
    yield from _config_ports(ctx)
    yield from _gated_env_port(ctx)
    for fixed in ports.go_constants(ctx):
        yield found(Severity.MEDIUM, f"The server listens on a fixed address ({fixed.via} = :{fixed.port}) with no flag or "
                    "environment override.", fixed.file.path, fixed.line, fixed.snippet)
    for script in ctx.fact(start_scripts):
        by = script.referenced_by
        if script.development or (by is not None and (by.stage != RUN or by.source not in ("dockerfile", "compose", "k8s"))):
            continue
        for command in script.commands:
            text = command.text
            if not _SCRIPT_SERVER.search(text) or _ENV_PORT_COMMAND.search(text) or not _ENV_REFERENCE.search(text):
                continue  # a command with no variable at all is the image's fixed layout, mapped by the platform
            m = _FIXED_PORT_COMMAND.search(command.text) or _FIXED_PORT_FLAG.search(command.text)
            if m:
                port = next(g for g in m.groups() if g)
                yield found(Severity.MEDIUM, f"The start script binds the server to the fixed port {port} with no environment "
                            "override.", script.file.path, command.line, command.text)
    for launch in ctx.fact(launches):
        if launch.source == "procfile" and launch.name == "web" and not _ENV_PORT_COMMAND.search(launch.command):
            m = _FIXED_PORT_COMMAND.search(launch.command)
            if m:
                port = next(g for g in m.groups() if g)
                yield found(
                    Severity.MEDIUM,
                    f"The Procfile web process binds the fixed port {port} instead of $PORT.",
                    launch.file.path,
                    launch.line,
                    launch.snippet,
                )


# `if (appconfig.port < 1 || process.env.HEROKU) { port = process.env.PORT }`: the environment's port is
# honoured only when another switch (a platform's marker variable) is set.
_OTHER_ENV_GUARD = re.compile(
    r"\b(?:if|elif|unless)\b[^\n]*?(?:process\.env\.|os\.environ(?:\.get)?\(?\[?\s*['\"]|os\.getenv\(\s*['\"]|ENV\[\s*['\"]|"
    r"getenv\(\s*['\"]|os\.Getenv\(\s*\")(?!" + _NAMES + r"\b)([A-Z][A-Z0-9_]+)"
)
_COPY = re.compile(r"^[ \t]*(?:COPY|ADD)\b[^\n]*", re.M | re.I)
_TOP_LEVEL_PORT = re.compile(r"^port\s*:\s*['\"]?(\d{2,5})['\"]?\s*$", re.M)


def _gated_env_port(ctx: Context) -> Iterator[Raw]:
    """A port fixed in a configuration file the image copies in, when the code reads the port from the
    environment only under another variable's switch (wiki's config.yml `port: 3000`, PORT only with HEROKU)."""
    reads = [h for language, pattern in _ENV_PORT.items()
             for h in ctx.grep(pattern, [f for f in ctx.source(language) if f.role is None], where=("code", "string"))]
    if not reads:
        return
    guards = []
    for h in reads:
        above = [h.file.line_text(n) for n in range(h.line, max(0, h.line - 3), -1)]
        guard = next((m for m in map(_OTHER_ENV_GUARD.search, above) if m), None)
        if guard is None:
            return  # an ungated read: the environment sets the port
        guards.append(guard.group(1))
    # an image's Dockerfile and what it copies may sit in a build/ folder (wiki's dev/build/): not build output here
    images = [f for f in ctx.files if f.name.lower().startswith("dockerfile") and f.role in (None, "vendor")
              and "node_modules/" not in f.path]
    copied = " ".join(m.group(0) for f in images for m in _COPY.finditer(f.text[:100_000]))
    for f in ctx.files:
        if f.role in (None, "vendor") and f.ext in (".yml", ".yaml", ".json", ".toml") and f.path in copied:
            for m in _TOP_LEVEL_PORT.finditer(f.text[:100_000]):
                line = f.line_of(m.start())
                yield found(Severity.MEDIUM, f"The image's {f.name} fixes the port at {m.group(1)}; the code reads the "
                            f"environment's port only when {guards[0]} is set.", f.path, line, f.line_text(line),
                            anywhere=True)  # copied into the image: deployed, whatever its folder's name


def _config_ports(ctx: Context) -> Iterator[Raw]:
    """Ports fixed in the server's configuration file. Where the framework still reads its own variable
    (Spring's SERVER_PORT) the environment can reach it, but not through the platform's $PORT: low."""
    for fixed in ports.in_config_files(ctx):
        if fixed.override:
            yield found(
                Severity.LOW,
                f"The port is fixed at {fixed.port} in {fixed.via}; only {fixed.override} overrides it, "
                "not the platform's $PORT.",
                fixed.file.path,
                fixed.line,
                fixed.snippet,
            )
        else:
            yield found(
                Severity.MEDIUM,
                f"The port is fixed at {fixed.port} in {fixed.via} with no environment override.",
                fixed.file.path,
                fixed.line,
                fixed.snippet,
            )


@check(
    "port-binding.injected-server",
    factor=FACTOR,
    title="The app needs a web server injected at run time",
    remediation="Embed the web server in the app (Spring Boot executable jar, gunicorn, puma, php -S/Octane/RoadRunner) and bind $PORT.",
)
def injected_server(ctx: Context) -> Iterator[Raw]:
    """The app is deployed into a web server instead of containing one: WAR packaging, mod_wsgi,
    mod_php, php-fpm behind nginx, Passenger, IIS (classic ASP.NET, iisnode), CGI.

    A twelve-factor app is completely self-contained and exports HTTP by binding a port. A WAR for
    an external Tomcat, an Apache/nginx front controller for PHP or an Apache module configuration
    needs a server provided by the runtime environment (high). When the repository's own image
    bundles that server (FROM tomcat, php:8-apache, php:8-fpm with its nginx in compose) the
    deployment is at least reproducible, and the app still does not bind a port itself: medium.
    """
    severity = Severity.MEDIUM if servers.server_image(ctx) else Severity.HIGH
    builds = ctx.named("pom.xml", "build.gradle", "build.gradle.kts")
    poms = [f for f in builds if f.name == "pom.xml"]
    for hit in ctx.grep(_WAR_MAVEN, poms, where="any"):
        if not _executable_module(hit.file, poms):
            yield hit.found(severity, "The app is packaged as a WAR for an external servlet container.")
    if not any(_EMBEDDED.search(f.text) for f in builds):
        for hit in ctx.grep(_WAR_GRADLE, [f for f in builds if f.name != "pom.xml"], where="any"):
            yield hit.found(severity, "The app is packaged as a WAR for an external servlet container.")
    web_configs = [f for f in ctx.files if f.name.lower() == "web.config" and f.role is None]  # IIS
    for hit in ctx.grep(_APACHE_MODULE, ctx.fact(config_files) + web_configs, where="any"):
        yield hit.found(
            severity,
            "The app runs inside a web server's module (mod_wsgi, mod_php, Passenger, iisnode or CGI) "
            "instead of binding a port itself.",
        )
    for language, pattern in _CGI_CODE.items():
        for hit in ctx.grep(pattern, ctx.source(language), where="code"):
            yield hit.found(severity, "The app is written as a CGI/FastCGI program, run by an external web server.")
    for f in ctx.files:
        if f.name.lower() == "global.asax" and f.role is None:
            yield found(severity, "Classic ASP.NET (Global.asax) runs only inside IIS.", f.path, 1, f.line_text(1))
    front = servers.php_front_controller(ctx)
    if front:
        yield found(severity, front.message, front.file.path, front.line, front.snippet)
    elif "php" in ctx.fact(ecosystems):
        yield from _mod_php_image(ctx)


_MOD_PHP_PACKAGE = re.compile(r"\blibapache2-mod-php[\w.]*|\bphp\d*-apache2\b|\bapache2-mod-php\w*")


def _mod_php_image(ctx: Context) -> Iterator[Raw]:
    """An image that installs Apache's PHP module and runs Apache: the app is a module of the web server it
    is deployed into (the image bundles it, so medium)."""
    for df in ctx.fact(dockerfiles):
        if df.file.role is not None or is_development(df.file):
            continue
        for ins in df.all("RUN"):
            m = _MOD_PHP_PACKAGE.search(ins.value)
            if m:
                yield found(Severity.MEDIUM, f"The image runs the PHP app inside Apache ({m.group(0)}): the app itself binds "
                            "no port, the web server it is deployed into does.", df.file.path, ins.line,
                            f"RUN …{m.group(0)}…")
                return
