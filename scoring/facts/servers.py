"""Web servers the app is deployed into rather than one it contains: images that bundle a servlet
container or Apache/php-fpm, and PHP apps whose only way in is a front controller for Apache or nginx.

A PHP app serves HTTP itself with Octane, RoadRunner, Swoole, ReactPHP, Workerman, amphp or
FrankenPHP, with `php -S` in a deploy file, or on Heroku, whose PHP boot scripts start Apache or
nginx on $PORT; otherwise a `.htaccess` front controller, an nginx `fastcgi_pass` or a bare
`public/index.php` means the server is injected. A php-fpm container binds port 9000 with FastCGI,
not HTTP: it still needs the web server beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .configfiles import config_files
from .dockerfile import dockerfiles
from .launch import RUN, launches
from .manifests import all_dependencies, ecosystems

_SERVER_IMAGE = re.compile(
    r"(?:^|/)(?:tomcat|tomee|jetty|wildfly|jboss/wildfly|payara/server-full|glassfish|open-liberty|websphere-liberty|httpd|"
    r"php:[\w.\-]*(?:apache|fpm)[\w.\-]*|webdevops/php-(?:apache|nginx)[\w.\-:]*|richarvey/nginx-php-fpm|serversideup/php)\b",
    re.I,
)
_HTACCESS_FRONT = re.compile(r"^[ \t]*RewriteRule\b[^\n]*\bindex\.php\b", re.M | re.I)
_FASTCGI_PASS = re.compile(r"^[ \t]*fastcgi_pass\s", re.M)
_PHP_FRAMEWORKS = {
    "laravel/framework",
    "symfony/framework-bundle",
    "slim/slim",
    "laravel/lumen-framework",
    "cakephp/cakephp",
    "yiisoft/yii2",
    "codeigniter4/framework",
    "laminas/laminas-mvc",
}
_PHP_SELF_SERVED = {
    "laravel/octane",
    "spiral/roadrunner",
    "spiral/roadrunner-http",
    "spiral/roadrunner-cli",
    "react/http",
    "amphp/http-server",
    "workerman/workerman",
    "runtime/frankenphp-symfony",
    "hyperf/framework",
    "openswoole/core",
}
# Commands that make a PHP app bind a port itself; Heroku's boot scripts start Apache/nginx on $PORT.
_PHP_SERVER_COMMAND = re.compile(
    r"\bphp\s+(?:-d\s+\S+\s+)*-S\s|\boctane:start\b|\brr\s+serve\b|\bfrankenphp\b|"
    r"\bheroku-php-(?:apache2|nginx)\b"
)


@dataclass(frozen=True)
class Front:
    file: File
    line: int
    snippet: str
    message: str


def server_image(ctx: Context) -> bool:
    """The repository's image bundles the web server the app is deployed into."""
    for df in ctx.fact(dockerfiles):
        froms = df.final("FROM")
        if df.file.role is None and froms and _SERVER_IMAGE.search(froms[-1].value):
            return True
    return False


def php_front_controller(ctx: Context) -> Front | None:
    """A PHP app whose only serving path is Apache (.htaccess front controller) or nginx + php-fpm."""
    if "php" not in ctx.fact(ecosystems) or _php_serves_itself(ctx):
        return None
    configs = ctx.fact(config_files)
    htaccess = ctx.first(_HTACCESS_FRONT, [f for f in configs if f.name == ".htaccess"], where="any")
    if htaccess:
        message = (
            "The app is served through Apache's front controller (.htaccess to index.php); nothing in it binds a port."
        )
        return Front(htaccess.file, 1, htaccess.file.line_text(1), message)
    fastcgi = ctx.first(_FASTCGI_PASS, configs, where="any")
    if fastcgi:
        message = "The app is served by php-fpm behind nginx (FastCGI); nothing in it binds a port."
        return Front(fastcgi.file, fastcgi.line, fastcgi.text, message)
    front = [
        f for f in ctx.files if f.path.endswith(("public/index.php", "web/index.php", "web/app.php")) and f.role is None
    ]
    if front and all_dependencies(ctx) & _PHP_FRAMEWORKS:
        message = "The app has only a front controller for an external web server (Apache or php-fpm); nothing in it binds a port."
        return Front(front[0], 1, front[0].line_text(1), message)
    return None


def _php_serves_itself(ctx: Context) -> bool:
    if all_dependencies(ctx) & _PHP_SELF_SERVED:
        return True
    return any(launch.stage == RUN and _PHP_SERVER_COMMAND.search(launch.command) for launch in ctx.fact(launches))
