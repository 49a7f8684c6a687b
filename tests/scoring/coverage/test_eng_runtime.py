"""Coverage cells of issue 8, classes 1 (fixed port, injected web server), 4 (file logging),
5 (background work in the web process) and 6 (supervisors and daemons): one trigger and one
look-alike per ecosystem cell.

docs/coverage/eng-runtime.md lists the cells; each row's id says which cell it proves. A trigger
must report the check at the given path and severity; a look-alike must report no counted
violation of that check (above info, outside tests and docs). The trees are written here.
"""

from __future__ import annotations

import pytest

from tests.scoring.coverage.cells import assert_cell, assert_paired

PORT = "port-binding.hard-coded-port"
INJECTED = "port-binding.injected-server"
LOGFILE = "logs.file-handler"
THREADS = "concurrency.background-threads"
DAEMON = "concurrency.self-daemonizing"
SUPERVISOR = "concurrency.in-container-supervisor"

PY = {
    "requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n",
    "Dockerfile": 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n',
}
DJANGO = {"requirements.txt": "django==5.0\ngunicorn==23.0.0\n", "Procfile": "web: gunicorn site.wsgi\n"}
FASTAPI = {"requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\n", "Procfile": "web: python main.py\n"}
NODE = {
    "package.json": '{"name": "api", "private": true, "dependencies": {"express": "4.19.2"}}\n',
    "Dockerfile": 'FROM node:20\nCMD ["node", "server.js"]\n',
}
GO = {"go.mod": "module example.com/api\n\ngo 1.22\n", "Dockerfile": 'FROM golang:1.22\nCMD ["/app"]\n'}
RUBY = {
    "Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\n",
    "Dockerfile": 'FROM ruby:3.3\nCMD ["bin/rails", "server"]\n',
}
SINATRA = {"Gemfile": "gem 'sinatra'\ngem 'puma'\n", "Procfile": "web: ruby app.rb\n"}
JAVA = {
    "pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"
    "</dependencies></project>\n",
    "Dockerfile": 'FROM eclipse-temurin:21\nCMD ["java", "-jar", "app.jar"]\n',
}
KTOR = {
    "build.gradle.kts": 'dependencies {\n    implementation("io.ktor:ktor-server-netty:2.3.0")\n}\n',
    "Dockerfile": 'FROM eclipse-temurin:21\nCMD ["java", "-jar", "app.jar"]\n',
}
PHP = {"composer.json": '{"require": {"laravel/framework": "^11.0"}}\n'}
RUST = {
    "Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n',
    "Dockerfile": 'FROM rust:1.80\nCMD ["/app"]\n',
}
DOTNET = {
    "Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
    "Dockerfile": 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT ["dotnet", "Api.dll"]\n',
}
WEB_JAVA = '@RestController\nclass Api {\n  @GetMapping("/")\n  String hi() { return "hi"; }\n}\n'


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


CLASS1_FIXED_PORT = [
    # Python: a port constant passed to uvicorn.run / the same name read from the environment
    cell(
        "class1-python-uvicorn-trigger",
        FASTAPI,
        {"main.py": "PORT = 8000\n\nif __name__ == '__main__':\n    uvicorn.run(app, host='0.0.0.0', port=PORT)\n"},
        PORT,
        "main.py",
        "medium",
    ),
    cell(
        "class1-python-uvicorn-lookalike",
        FASTAPI,
        {
            "main.py": "PORT = int(os.environ.get('PORT', 8000))\n\n"
            "if __name__ == '__main__':\n    uvicorn.run(app, host='0.0.0.0', port=PORT)\n"
        },
        PORT,
    ),
    # Node/Express: app.set('port', 5000) … listen(app.get('port')) / the setting read from the environment
    cell(
        "class1-node-express-trigger",
        NODE,
        {
            "server.js": "const app = express();\napp.set('port', 5000);\n"
            "app.listen(app.get('port'), () => console.log('up'));\n"
        },
        PORT,
        "server.js",
        "medium",
    ),
    cell(
        "class1-node-express-lookalike",
        NODE,
        {
            "server.js": "const app = express();\n"
            "app.set('port', process.env.PORT || 5000);\napp.listen(app.get('port'));\n"
        },
        PORT,
    ),
    # Node/Next.js: `next start -p 3000` as the start script / `next start` and a dev script with -p
    cell(
        "class1-node-next-trigger",
        {},
        {
            "package.json": '{"name": "web", "private": true, "dependencies": {"next": "14.2.0"},\n'
            ' "scripts": {\n  "dev": "next dev",\n  "start": "next start -p 3000"\n }}\n'
        },
        PORT,
        "package.json",
        "medium",
    ),
    cell(
        "class1-node-next-lookalike",
        {},
        {
            "package.json": '{"name": "web", "private": true, "dependencies": {"next": "14.2.0"},\n'
            ' "scripts": {\n  "dev": "next dev -p 3000",\n  "start": "next start"\n }}\n'
        },
        PORT,
    ),
    # Go net/http: an address variable / the address built from $PORT
    cell(
        "class1-go-nethttp-trigger",
        GO,
        {"main.go": 'package main\n\nfunc main() {\n\taddr := ":8080"\n\thttp.ListenAndServe(addr, mux)\n}\n'},
        PORT,
        "main.go",
        "medium",
    ),
    cell(
        "class1-go-nethttp-lookalike",
        GO,
        {
            "main.go": 'package main\n\nfunc main() {\n\taddr := ":" + os.Getenv("PORT")\n'
            "\thttp.ListenAndServe(addr, mux)\n}\n"
        },
        PORT,
    ),
    # Ruby/Puma: `port 3000` in config/puma.rb / `port ENV.fetch("PORT") { 3000 }`
    cell(
        "class1-ruby-puma-trigger",
        RUBY,
        {"config/puma.rb": "threads 5, 5\nport 3000\n"},
        PORT,
        "config/puma.rb",
        "medium",
    ),
    cell(
        "class1-ruby-puma-lookalike", RUBY, {"config/puma.rb": 'threads 5, 5\nport ENV.fetch("PORT") { 3000 }\n'}, PORT
    ),
    # Ruby/Sinatra: set :port / set :port from ENV
    cell(
        "class1-ruby-sinatra-trigger",
        SINATRA,
        {"app.rb": "require 'sinatra'\nset :port, 4567\nget('/') { 'hi' }\n"},
        PORT,
        "app.rb",
        "medium",
    ),
    cell(
        "class1-ruby-sinatra-lookalike",
        SINATRA,
        {"app.rb": "require 'sinatra'\nset :port, ENV.fetch('PORT', 4567)\n"},
        PORT,
    ),
    # Java/Spring: server.port=8080 (only SERVER_PORT reaches it: low) / server.port=${PORT:8080}
    cell(
        "class1-java-spring-trigger",
        JAVA,
        {"src/main/resources/application.properties": "spring.application.name=api\nserver.port=8080\n"},
        PORT,
        "src/main/resources/application.properties",
        "low",
    ),
    cell(
        "class1-java-spring-lookalike",
        JAVA,
        {
            "src/main/resources/application.properties": "server.port=${PORT:8080}\n",
            "src/main/resources/application-dev.properties": "server.port=8081\n",
        },
        PORT,
    ),
    # Kotlin/Ktor: a port constant for embeddedServer / the port read from the environment
    cell(
        "class1-kotlin-ktor-trigger",
        KTOR,
        {
            "src/main/kotlin/App.kt": "const val PORT = 8080\n\nfun main() {\n"
            "    embeddedServer(Netty, port = PORT) { routing { } }.start(wait = true)\n}\n"
        },
        PORT,
        "src/main/kotlin/App.kt",
        "medium",
    ),
    cell(
        "class1-kotlin-ktor-lookalike",
        KTOR,
        {
            "src/main/kotlin/App.kt": "fun main() {\n"
            '    val port = System.getenv("PORT")?.toInt() ?: 8080\n    embeddedServer(Netty, port = port).start(wait = true)\n}\n'
        },
        PORT,
    ),
    # PHP/Swoole: a literal port for the HTTP server / the port from getenv
    cell(
        "class1-php-swoole-trigger",
        PHP,
        {"server.php": '<?php\n$http = new Swoole\\Http\\Server("0.0.0.0", 9501);\n$http->start();\n'},
        PORT,
        "server.php",
        "medium",
    ),
    cell(
        "class1-php-swoole-lookalike",
        PHP,
        {"server.php": '<?php\n$http = new Swoole\\Http\\Server("0.0.0.0", (int) getenv("PORT"));\n$http->start();\n'},
        PORT,
    ),
    # Rust/axum: an address binding / the address built from env::var("PORT")
    cell(
        "class1-rust-axum-trigger",
        RUST,
        {
            "src/main.rs": 'async fn main() {\n    let addr = "0.0.0.0:3000";\n'
            "    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();\n    axum::serve(listener, app).await;\n}\n"
        },
        PORT,
        "src/main.rs",
        "medium",
    ),
    cell(
        "class1-rust-axum-lookalike",
        RUST,
        {
            "src/main.rs": "async fn main() {\n"
            '    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());\n'
            '    let listener = tokio::net::TcpListener::bind(format!("0.0.0.0:{port}")).await.unwrap();\n}\n'
        },
        PORT,
    ),
    # .NET: UseUrls through a variable / launchSettings.json's applicationUrl (Visual Studio's dev profile)
    cell(
        "class1-dotnet-useurls-trigger",
        DOTNET,
        {
            "Program.cs": "var builder = WebApplication.CreateBuilder(args);\n"
            'var url = "http://0.0.0.0:5000";\nbuilder.WebHost.UseUrls(url);\n'
        },
        PORT,
        "Program.cs",
        "medium",
    ),
    cell(
        "class1-dotnet-useurls-lookalike",
        DOTNET,
        {
            "Program.cs": "var builder = WebApplication.CreateBuilder(args);\n",
            "Properties/launchSettings.json": '{"profiles": {"Api": {"applicationUrl": "http://localhost:5000"}}}\n',
        },
        PORT,
    ),
    # .NET: Kestrel endpoints fixed in appsettings.json (only Kestrel__Endpoints__… reaches them: low) / in Development only
    cell(
        "class1-dotnet-kestrel-trigger",
        DOTNET,
        {
            "appsettings.json": '{\n  "Kestrel": {\n    "Endpoints": {\n'
            '      "Http": { "Url": "http://0.0.0.0:5000" }\n    }\n  }\n}\n'
        },
        PORT,
        "appsettings.json",
        "low",
    ),
    cell(
        "class1-dotnet-kestrel-lookalike",
        DOTNET,
        {
            "appsettings.Development.json": '{\n  "Kestrel": {\n    "Endpoints": {\n'
            '      "Http": { "Url": "http://0.0.0.0:5000" }\n    }\n  }\n}\n'
        },
        PORT,
    ),
]

CLASS1_INJECTED = [
    # PHP/Laravel: the .htaccess front controller is the only way in / Heroku's boot script binds $PORT
    cell(
        "class1-php-laravel-trigger",
        PHP,
        {
            "public/.htaccess": "<IfModule mod_rewrite.c>\nRewriteEngine On\n"
            "RewriteRule ^ index.php [L]\n</IfModule>\n",
            "public/index.php": "<?php\n$app->handleRequest();\n",
        },
        INJECTED,
        "public/.htaccess",
        "high",
    ),
    cell(
        "class1-php-laravel-lookalike",
        PHP,
        {
            "public/.htaccess": "RewriteEngine On\nRewriteRule ^ index.php [L]\n",
            "Procfile": "web: heroku-php-apache2 public/\n",
        },
        INJECTED,
    ),
    # PHP/php-fpm: nginx fastcgi_pass to an fpm image (medium: the image bundles it) / Octane serves HTTP itself
    cell(
        "class1-php-fpm-trigger",
        PHP,
        {
            "Dockerfile": "FROM php:8.3-fpm\nCOPY . /var/www\n",
            "docker/nginx/default.conf": "server {\n  location ~ \\.php$ {\n    fastcgi_pass app:9000;\n  }\n}\n",
        },
        INJECTED,
        "docker/nginx/default.conf",
        "medium",
    ),
    cell(
        "class1-php-fpm-lookalike",
        {"composer.json": '{"require": {"laravel/framework": "^11.0", "laravel/octane": "^2.0"}}\n'},
        {
            "Dockerfile": 'FROM php:8.3-cli\nCMD ["php", "artisan", "octane:start", "--host=0.0.0.0"]\n',
            "public/index.php": "<?php\n",
        },
        INJECTED,
    ),
    # Java: a Gradle WAR deployed into Tomcat's image (medium) / a Spring Boot executable WAR
    cell(
        "class1-java-war-trigger",
        {},
        {
            "build.gradle": "plugins {\n    id 'war'\n}\n",
            "Dockerfile": "FROM tomcat:10.1\nCOPY build/libs/app.war /usr/local/tomcat/webapps/\n",
        },
        INJECTED,
        "build.gradle",
        "medium",
    ),
    cell(
        "class1-java-war-lookalike",
        {},
        {"build.gradle": "plugins {\n    id 'war'\n    id 'org.springframework.boot' version '3.3.0'\n}\n"},
        INJECTED,
    ),
    # Ruby: Passenger as an nginx module (the ruby image does not bundle nginx: high) / Passenger standalone on $PORT
    cell(
        "class1-ruby-passenger-trigger",
        RUBY,
        {"deploy/nginx/app.conf": "server {\n  root /srv/app/public;\n  passenger_enabled on;\n}\n"},
        INJECTED,
        "deploy/nginx/app.conf",
        "high",
    ),
    cell(
        "class1-ruby-passenger-lookalike",
        {"Gemfile": "gem 'rails'\ngem 'passenger'\n"},
        {"Procfile": "web: bundle exec passenger start --port $PORT\n"},
        INJECTED,
    ),
    # Python: Apache mod_wsgi / gunicorn serving the same wsgi module
    cell(
        "class1-python-modwsgi-trigger",
        {"requirements.txt": "django==5.0\n"},
        {"apache/site.conf": "<VirtualHost *:80>\n  WSGIScriptAlias / /srv/site/wsgi.py\n</VirtualHost>\n"},
        INJECTED,
        "apache/site.conf",
        "high",
    ),
    cell(
        "class1-python-modwsgi-lookalike",
        DJANGO,
        {"README.md": "Apache users: `WSGIScriptAlias / /srv/site/wsgi.py`\n"},
        INJECTED,
    ),
    # Go: a CGI program / net/http on $PORT
    cell(
        "class1-go-cgi-trigger",
        GO,
        {"main.go": "package main\n\nfunc main() {\n\tcgi.Serve(http.HandlerFunc(handle))\n}\n"},
        INJECTED,
        "main.go",
        "high",
    ),
    cell(
        "class1-go-cgi-lookalike",
        GO,
        {"main.go": 'package main\n\nfunc main() {\n\thttp.ListenAndServe(":"+os.Getenv("PORT"), nil)\n}\n'},
        INJECTED,
    ),
    # .NET: classic ASP.NET needs IIS / ASP.NET Core on Kestrel
    cell(
        "class1-dotnet-iis-trigger",
        {"packages.config": '<packages><package id="Microsoft.AspNet.Mvc" version="5.2.9" /></packages>\n'},
        {"Global.asax": '<%@ Application Codebehind="Global.asax.cs" Inherits="Shop.MvcApplication" %>\n'},
        INJECTED,
        "Global.asax",
        "high",
    ),
    cell(
        "class1-dotnet-iis-lookalike",
        DOTNET,
        {
            "Program.cs": "var app = WebApplication.CreateBuilder(args).Build();\napp.Run();\n",
            "web.config": '<configuration><system.webServer><aspNetCore processPath="dotnet" /></system.webServer></configuration>\n',
        },
        INJECTED,
    ),
    # Node: iisnode inside IIS / a plain web.config without it
    cell(
        "class1-node-iisnode-trigger",
        {"package.json": '{"name": "api", "dependencies": {"express": "4.19.2"}}\n'},
        {
            "web.config": '<configuration><system.webServer><handlers>\n<add name="iisnode" path="server.js" verb="*" modules="iisnode" />\n'
            "</handlers></system.webServer></configuration>\n"
        },
        INJECTED,
        "web.config",
        "high",
    ),
    cell(
        "class1-node-iisnode-lookalike",
        NODE,
        {"web.config": "<configuration><system.webServer /></configuration>\n"},
        INJECTED,
    ),
]

CLASS4_FILE_LOGGING = [
    # Python dictConfig in YAML / a StreamHandler
    cell(
        "class4-python-dictconfig-trigger",
        PY,
        {
            "logging.yaml": "version: 1\nhandlers:\n  file:\n"
            "    class: logging.handlers.RotatingFileHandler\n    filename: /var/log/app.log\n"
        },
        LOGFILE,
        "logging.yaml",
        "high",
    ),
    cell(
        "class4-python-dictconfig-lookalike",
        PY,
        {
            "logging.yaml": "version: 1\nhandlers:\n  console:\n"
            "    class: logging.StreamHandler\n    stream: ext://sys.stdout\n"
        },
        LOGFILE,
    ),
    # Python fileConfig INI / alembic.ini's stderr handler
    cell(
        "class4-python-fileconfig-trigger",
        PY,
        {
            "logging.ini": "[handlers]\nkeys=file\n\n[handler_file]\n"
            "class=handlers.TimedRotatingFileHandler\nargs=('app.log', 'midnight')\n"
        },
        LOGFILE,
        "logging.ini",
        "high",
    ),
    cell(
        "class4-python-fileconfig-lookalike",
        PY,
        {"alembic.ini": "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\n"},
        LOGFILE,
    ),
    # Python loguru sink to a file / to stderr
    cell(
        "class4-python-loguru-trigger",
        PY,
        {"app/log.py": "from loguru import logger\nlogger.add('logs/app_{time}.log', rotation='1 day')\n"},
        LOGFILE,
        "app/log.py",
        "high",
    ),
    cell(
        "class4-python-loguru-lookalike",
        PY,
        {"app/log.py": "from loguru import logger\nlogger.add(sys.stderr, level='INFO')\n"},
        LOGFILE,
    ),
    # Node pino file transport / pino/file to fd 1 (stdout)
    cell(
        "class4-node-pino-trigger",
        NODE,
        {
            "logger.js": "const transport = pino.transport({ target: 'pino/file', "
            "options: { destination: './logs/app.log' } });\n"
        },
        LOGFILE,
        "logger.js",
        "high",
    ),
    cell(
        "class4-node-pino-lookalike",
        NODE,
        {"logger.js": "const transport = pino.transport({ target: 'pino/file', options: { destination: 1 } });\n"},
        LOGFILE,
    ),
    # Node log4js file appender / stdout appender
    cell(
        "class4-node-log4js-trigger",
        NODE,
        {
            "log.js": "log4js.configure({ appenders: { app: { type: 'file', "
            "filename: 'app.log' } }, categories: { default: { appenders: ['app'], level: 'info' } } });\n"
        },
        LOGFILE,
        "log.js",
        "high",
    ),
    cell(
        "class4-node-log4js-lookalike",
        NODE,
        {
            "log.js": "log4js.configure({ appenders: { out: { type: 'stdout' } }, "
            "categories: { default: { appenders: ['out'], level: 'info' } } });\n"
        },
        LOGFILE,
    ),
    # Node morgan access log written to a stream on a file / morgan to stdout
    cell(
        "class4-node-morgan-trigger",
        NODE,
        {
            "server.js": "const stream = fs.createWriteStream(path.join(__dirname, "
            "'access.log'), { flags: 'a' });\napp.use(morgan('combined', { stream }));\n"
        },
        LOGFILE,
        "server.js",
        "high",
    ),
    cell(
        "class4-node-morgan-lookalike",
        NODE,
        {
            "server.js": "app.use(morgan('combined'));\n"
            "const out = fs.createWriteStream(path.join(__dirname, 'report.csv'));\n"
        },
        LOGFILE,
    ),
    # Go zap with a file output path / zap to stdout
    cell(
        "class4-go-zap-trigger",
        GO,
        {"log.go": 'package main\n\nvar cfg = zap.Config{\n\tOutputPaths: []string{"/var/log/api/app.log"},\n}\n'},
        LOGFILE,
        "log.go",
        "high",
    ),
    cell(
        "class4-go-zap-lookalike",
        GO,
        {"log.go": 'package main\n\nvar cfg = zap.Config{\n\tOutputPaths: []string{"stdout"},\n}\n'},
        LOGFILE,
    ),
    # Go lumberjack rotation / a comment about it
    cell(
        "class4-go-lumberjack-trigger",
        GO,
        {"log.go": 'package main\n\nvar w = &lumberjack.Logger{Filename: "app.log"}\n'},
        LOGFILE,
        "log.go",
        "high",
    ),
    cell(
        "class4-go-lumberjack-lookalike",
        GO,
        {"log.go": 'package main\n\n// no lumberjack.Logger{}: logs go to stdout\nvar l = log.New(os.Stdout, "", 0)\n'},
        LOGFILE,
    ),
    # Rails: production.rb logs to a file unless RAILS_LOG_TO_STDOUT, which nothing sets / the image sets it
    cell(
        "class4-ruby-rails-trigger",
        RUBY,
        {
            "config/environments/production.rb": "Rails.application.configure do\n"
            '  if ENV["RAILS_LOG_TO_STDOUT"].present?\n    config.logger = ActiveSupport::Logger.new(STDOUT)\n  end\nend\n'
        },
        LOGFILE,
        "config/environments/production.rb",
        "high",
    ),
    cell(
        "class4-ruby-rails-lookalike",
        {**RUBY, "Dockerfile": 'FROM ruby:3.3\nENV RAILS_LOG_TO_STDOUT=1\nCMD ["bin/rails", "s"]\n'},
        {
            "config/environments/production.rb": 'Rails.application.configure do\n  if ENV["RAILS_LOG_TO_STDOUT"].present?\n'
            "    config.logger = ActiveSupport::Logger.new(STDOUT)\n  end\nend\n"
        },
        LOGFILE,
    ),
    # Ruby Logger on an opened file / on $stdout
    cell(
        "class4-ruby-logger-trigger",
        SINATRA,
        {"app.rb": "LOG = Logger.new(File.open('log/app.log', 'a'))\n"},
        LOGFILE,
        "app.rb",
        "high",
    ),
    cell("class4-ruby-logger-lookalike", SINATRA, {"app.rb": "LOG = Logger.new($stdout)\n"}, LOGFILE),
    # Java log4j2.xml rolling file / the same in the test configuration, and a console appender
    cell(
        "class4-java-log4j2-trigger",
        JAVA,
        {
            "src/main/resources/log4j2.xml": "<Configuration><Appenders>\n"
            '<RollingFile name="F" fileName="logs/app.log" filePattern="logs/app-%d.log"/>\n</Appenders></Configuration>\n'
        },
        LOGFILE,
        "src/main/resources/log4j2.xml",
        "high",
    ),
    cell(
        "class4-java-log4j2-lookalike",
        JAVA,
        {
            "src/main/resources/log4j2.xml": '<Configuration><Appenders>\n<Console name="C"/>\n'
            "</Appenders></Configuration>\n",
            "src/test/resources/log4j2-test.xml": '<RollingFile name="F" fileName="t.log"/>\n',
        },
        LOGFILE,
    ),
    # Java log4j2.properties / a console appender
    cell(
        "class4-java-log4j2props-trigger",
        JAVA,
        {
            "src/main/resources/log4j2.properties": "appender.rolling.type = RollingFile\n"
            "appender.rolling.fileName = logs/app.log\n"
        },
        LOGFILE,
        "src/main/resources/log4j2.properties",
        "high",
    ),
    cell(
        "class4-java-log4j2props-lookalike",
        JAVA,
        {"src/main/resources/log4j2.properties": "appender.console.type = Console\n"},
        LOGFILE,
    ),
    # Spring profile for production writing a file / the same in the dev profile
    cell(
        "class4-java-spring-trigger",
        JAVA,
        {"src/main/resources/application-prod.yml": "logging:\n  file:\n    name: /var/log/api/app.log\n"},
        LOGFILE,
        "src/main/resources/application-prod.yml",
        "high",
    ),
    cell(
        "class4-java-spring-lookalike",
        JAVA,
        {"src/main/resources/application-dev.yml": "logging:\n  file:\n    name: /tmp/api.log\n"},
        LOGFILE,
    ),
    # PHP/Laravel default channel / the deployment sets LOG_CHANNEL=stderr
    cell(
        "class4-php-laravel-trigger",
        PHP,
        {
            "config/logging.php": "<?php\nreturn [\n  'default' => env('LOG_CHANNEL', 'daily'),\n"
            "  'channels' => [\n    'daily' => [\n      'driver' => 'daily',\n      'path' => storage_path('logs/laravel.log'),\n"
            "    ],\n  ],\n];\n"
        },
        LOGFILE,
        "config/logging.php",
        "high",
    ),
    cell(
        "class4-php-laravel-lookalike",
        {**PHP, "Dockerfile": "FROM php:8.3-cli\nENV LOG_CHANNEL=stderr\n"},
        {
            "config/logging.php": "<?php\nreturn [\n  'default' => env('LOG_CHANNEL', 'daily'),\n"
            "  'channels' => [\n    'daily' => [\n      'driver' => 'daily',\n      'path' => storage_path('logs/laravel.log'),\n"
            "    ],\n  ],\n];\n"
        },
        LOGFILE,
    ),
    # PHP Monolog rotating handler in code / a stderr stream
    cell(
        "class4-php-monolog-trigger",
        {"composer.json": '{"require": {"slim/slim": "^4.0", "monolog/monolog": "^3.0"}}\n'},
        {"src/log.php": "<?php\n$log->pushHandler(new RotatingFileHandler(__DIR__ . '/../var/log/app.log', 7));\n"},
        LOGFILE,
        "src/log.php",
        "high",
    ),
    cell(
        "class4-php-monolog-lookalike",
        {"composer.json": '{"require": {"slim/slim": "^4.0", "monolog/monolog": "^3.0"}}\n'},
        {"src/log.php": "<?php\n$log->pushHandler(new StreamHandler('php://stderr'));\n"},
        LOGFILE,
    ),
    # Symfony monolog.yaml: a file handler for prod / file only under when@dev, stderr for prod
    cell(
        "class4-php-symfony-trigger",
        {"composer.json": '{"require": {"symfony/framework-bundle": "^7.0"}}\n'},
        {
            "config/packages/monolog.yaml": "when@prod:\n  monolog:\n    handlers:\n      main:\n        type: stream\n"
            '        path: "%kernel.logs_dir%/%kernel.environment%.log"\n'
        },
        LOGFILE,
        "config/packages/monolog.yaml",
        "high",
    ),
    cell(
        "class4-php-symfony-lookalike",
        {"composer.json": '{"require": {"symfony/framework-bundle": "^7.0"}}\n'},
        {
            "config/packages/monolog.yaml": "when@dev:\n  monolog:\n    handlers:\n      main:\n        type: stream\n"
            '        path: "%kernel.logs_dir%/dev.log"\nwhen@prod:\n  monolog:\n    handlers:\n      main:\n'
            "        type: stream\n        path: php://stderr\n"
        },
        LOGFILE,
    ),
    # Rust tracing-appender / tracing_subscriber to stdout
    cell(
        "class4-rust-tracing-trigger",
        RUST,
        {"src/main.rs": 'fn main() {\n    let f = tracing_appender::rolling::daily("logs", "app.log");\n}\n'},
        LOGFILE,
        "src/main.rs",
        "high",
    ),
    cell(
        "class4-rust-tracing-lookalike",
        RUST,
        {"src/main.rs": "fn main() {\n    tracing_subscriber::fmt().json().init();\n}\n"},
        LOGFILE,
    ),
    # Rust log4rs.yaml rolling file / console
    cell(
        "class4-rust-log4rs-trigger",
        RUST,
        {"log4rs.yaml": "appenders:\n  file:\n    kind: rolling_file\n    path: log/app.log\n"},
        LOGFILE,
        "log4rs.yaml",
        "high",
    ),
    cell("class4-rust-log4rs-lookalike", RUST, {"log4rs.yaml": "appenders:\n  stdout:\n    kind: console\n"}, LOGFILE),
    # .NET Serilog file sink in appsettings.json / the same in appsettings.Development.json
    cell(
        "class4-dotnet-serilog-trigger",
        DOTNET,
        {
            "appsettings.json": '{\n  "Serilog": {\n    "WriteTo": [\n'
            '      { "Name": "File", "Args": { "path": "logs/log.txt" } }\n    ]\n  }\n}\n'
        },
        LOGFILE,
        "appsettings.json",
        "high",
    ),
    cell(
        "class4-dotnet-serilog-lookalike",
        DOTNET,
        {
            "appsettings.Development.json": '{\n  "Serilog": {\n    "WriteTo": [\n'
            '      { "Name": "File", "Args": { "path": "logs/log.txt" } }\n    ]\n  }\n}\n',
            "appsettings.json": '{ "Serilog": { "WriteTo": [ { "Name": "Console" } ] } }\n',
        },
        LOGFILE,
    ),
    # .NET NLog file target / console target
    cell(
        "class4-dotnet-nlog-trigger",
        DOTNET,
        {
            "nlog.config": '<nlog><targets>\n<target xsi:type="File" name="f" '
            'fileName="logs/app.log" />\n</targets></nlog>\n'
        },
        LOGFILE,
        "nlog.config",
        "high",
    ),
    cell(
        "class4-dotnet-nlog-lookalike",
        DOTNET,
        {"nlog.config": '<nlog><targets>\n<target xsi:type="Console" name="c" />\n</targets></nlog>\n'},
        LOGFILE,
    ),
    # .NET log4net rolling file appender / console appender
    cell(
        "class4-dotnet-log4net-trigger",
        DOTNET,
        {
            "log4net.config": '<log4net>\n<appender name="R" '
            'type="log4net.Appender.RollingFileAppender">\n</appender>\n</log4net>\n'
        },
        LOGFILE,
        "log4net.config",
        "high",
    ),
    cell(
        "class4-dotnet-log4net-lookalike",
        DOTNET,
        {
            "log4net.config": '<log4net>\n<appender name="C" '
            'type="log4net.Appender.ConsoleAppender">\n</appender>\n</log4net>\n'
        },
        LOGFILE,
    ),
]

CLASS5_BACKGROUND = [
    # Django: a Thread subclass started from a module views call (healthchecks' EmailThread) / the same in a command
    cell(
        "class5-python-django-trigger",
        DJANGO,
        {
            "app/lib/mail.py": "from threading import Thread\n\n\nclass Mailer(Thread):\n"
            "    def __init__(self, msg):\n        Thread.__init__(self)\n        self.msg = msg\n\n\n"
            "def send(msg):\n    t = Mailer(msg)\n    t.start()\n"
        },
        THREADS,
        "app/lib/mail.py",
        "medium",
    ),
    cell(
        "class5-python-django-lookalike",
        DJANGO,
        {
            "app/management/commands/sendmail.py": "from threading import Thread\n\n\n"
            "class Mailer(Thread):\n    pass\n\n\ndef handle():\n    Mailer().start()\n",
            "app/lib/mail.py": "def send(msg, block=False):\n    t = Mailer(msg)\n    t.run()\n",
        },
        THREADS,
    ),
    # FastAPI: APScheduler started with the app / BlockingScheduler in a clock process of its own
    cell(
        "class5-python-fastapi-trigger",
        FASTAPI,
        {
            "app/main.py": "app = FastAPI()\nscheduler = AsyncIOScheduler()\n"
            "scheduler.add_job(refresh, 'interval', minutes=5)\nscheduler.start()\n"
        },
        THREADS,
        "app/main.py",
        "medium",
    ),
    cell(
        "class5-python-fastapi-lookalike",
        {**FASTAPI, "Procfile": "web: uvicorn app.main:app\nclock: python clock.py\n"},
        {"clock.py": "sched = BlockingScheduler()\nsched.add_job(refresh, 'interval', minutes=5)\nsched.start()\n"},
        THREADS,
    ),
    # FastAPI: fastapi-utils' @repeat_every on a start-up hook / the same decorator quoted in a docstring
    cell(
        "class5-python-repeat-trigger",
        FASTAPI,
        {
            "app/main.py": "app = FastAPI()\n\n\n@app.on_event('startup')\n@repeat_every(seconds=60)\ndef purge():\n    pass\n"
        },
        THREADS,
        "app/main.py",
        "medium",
    ),
    cell(
        "class5-python-repeat-lookalike",
        FASTAPI,
        {
            "app/main.py": 'app = FastAPI()\n\n\ndef purge():\n    """Was @repeat_every(seconds=60); now a cron Job."""\n'
        },
        THREADS,
    ),
    # Flask: threading.Timer started in the app / a thread in a script run on its own
    cell(
        "class5-python-flask-trigger",
        PY,
        {"app/cache.py": "import threading\n\n\ndef warm():\n    threading.Timer(60, warm).start()\n"},
        THREADS,
        "app/cache.py",
        "medium",
    ),
    cell(
        "class5-python-flask-lookalike",
        PY,
        {
            "app/backfill.py": "import threading\n\nif __name__ == '__main__':\n"
            "    threading.Thread(target=run).start()\n"
        },
        THREADS,
    ),
    # Django: a helper that starts a thread, called by a view (web) / called only by a Celery task (worker)
    cell(
        "class5-python-helper-trigger",
        DJANGO,
        {
            "app/beat.py": "import threading\n\n\ndef keep_alive(job):\n    threading.Thread(target=job.ping).start()\n",
            "app/views.py": "from .beat import keep_alive\n\n\ndef start(request):\n    keep_alive(request.job)\n",
            "app/tasks.py": "from celery import shared_task\nfrom .beat import keep_alive\n\n\n"
            "@shared_task\ndef run(job):\n    keep_alive(job)\n",
        },
        THREADS,
        "app/beat.py",
        "medium",
    ),
    cell(
        "class5-python-helper-lookalike",
        DJANGO,
        {
            "app/beat.py": "import threading\n\n\ndef keep_alive(job):\n    threading.Thread(target=job.ping).start()\n",
            "app/pipeline.py": '"""run_scan() is called by the task; see keep_alive()."""\nfrom .beat import keep_alive\n\n\n'
            "def run_scan(job):\n    keep_alive(job)\n",
            "app/views.py": "from . import pipeline\n\n\ndef status(request):\n    return pipeline\n",
            "app/signals.py": "from celery.signals import worker_process_init\nfrom .beat import keep_alive\n\n\n"
            "@worker_process_init.connect\ndef started(**kwargs):\n    keep_alive(None)\n",
            "app/jobs.py": "from celery import shared_task\nfrom .pipeline import run_scan\n\n\n"
            "@shared_task(bind=True)\ndef scan(self, job):\n    run_scan(job)\n",
        },
        THREADS,
    ),
    # Express: node-cron in a module the server imports (one hop) / in a worker the server never imports
    cell(
        "class5-node-cron-trigger",
        NODE,
        {
            "server.js": "require('./jobs/cleanup');\napp.listen(process.env.PORT);\n",
            "jobs/cleanup.js": "const cron = require('node-cron');\ncron.schedule('0 * * * *', purge);\n",
        },
        THREADS,
        "jobs/cleanup.js",
        "medium",
    ),
    cell(
        "class5-node-cron-lookalike",
        NODE,
        {
            "server.js": "require('./routes');\napp.listen(process.env.PORT);\n",
            "worker.js": "const cron = require('node-cron');\ncron.schedule('0 * * * *', purge);\n",
        },
        THREADS,
    ),
    # BullMQ: a queue consumer inside the server / in a worker file of its own
    cell(
        "class5-node-bullmq-trigger",
        NODE,
        {"server.js": "new Worker('emails', sendEmail, { connection });\napp.listen(process.env.PORT);\n"},
        THREADS,
        "server.js",
        "medium",
    ),
    cell(
        "class5-node-bullmq-lookalike",
        NODE,
        {
            "server.js": "const q = new Queue('emails', { connection });\napp.listen(process.env.PORT);\n",
            "worker.js": "new Worker('emails', sendEmail, { connection });\n",
        },
        THREADS,
    ),
    # NestJS: @Cron provider of an app started with NestFactory.create / with a standalone scheduler context
    cell(
        "class5-node-nestjs-trigger",
        NODE,
        {
            "src/main.ts": "const app = await NestFactory.create(AppModule);\nawait app.listen(process.env.PORT);\n",
            "src/tasks.service.ts": "export class Tasks {\n  @Cron('0 * * * *')\n  purge() {}\n}\n",
        },
        THREADS,
        "src/tasks.service.ts",
        "medium",
    ),
    cell(
        "class5-node-nestjs-lookalike",
        NODE,
        {
            "src/main.ts": "const app = await NestFactory.create(AppModule);\n",
            "src/scheduler.ts": "await NestFactory.createApplicationContext(SchedulerModule);\n",
            "src/tasks.service.ts": "export class Tasks {\n  @Cron('0 * * * *')\n  purge() {}\n}\n",
        },
        THREADS,
    ),
    # Go: a goroutine on a ticker in the server's package / a ticker in a request handler (server-sent events)
    cell(
        "class5-go-ticker-trigger",
        GO,
        {
            "main.go": "package main\n\nfunc main() {\n\tgo refreshRates()\n"
            '\thttp.ListenAndServe(":"+os.Getenv("PORT"), nil)\n}\n',
            "rates.go": "package main\n\nfunc refreshRates() {\n"
            "\tt := time.NewTicker(time.Minute)\n\tfor range t.C {\n\t\tfetch()\n\t}\n}\n",
        },
        THREADS,
        "main.go",
        "medium",
    ),
    cell(
        "class5-go-ticker-lookalike",
        GO,
        {
            "main.go": 'package main\n\nfunc main() {\n\thttp.ListenAndServe(":"+os.Getenv("PORT"), nil)\n}\n',
            "events.go": "package main\n\nfunc events(w http.ResponseWriter, r *http.Request) {\n"
            '\tticker := time.NewTicker(time.Second)\n\tfor range ticker.C {\n\t\tfmt.Fprint(w, "data: ping\\n\\n")\n\t}\n}\n',
        },
        THREADS,
    ),
    # Go: robfig/cron in the server's package / in a separate worker binary
    cell(
        "class5-go-cron-trigger",
        GO,
        {
            "main.go": "package main\n\nfunc main() {\n\tstartJobs()\n"
            '\thttp.ListenAndServe(":"+os.Getenv("PORT"), nil)\n}\n',
            "jobs.go": "package main\n\nfunc startJobs() {\n"
            '\tc := cron.New()\n\tc.AddFunc("@hourly", purge)\n\tc.Start()\n}\n',
        },
        THREADS,
        "jobs.go",
        "medium",
    ),
    cell(
        "class5-go-cron-lookalike",
        GO,
        {
            "cmd/web/main.go": 'package main\n\nfunc main() {\n\thttp.ListenAndServe(":"+os.Getenv("PORT"), nil)\n}\n',
            "cmd/clock/main.go": 'package main\n\nfunc main() {\n\tc := cron.New()\n\tc.AddFunc("@hourly", purge)\n\tc.Run()\n}\n',
        },
        THREADS,
    ),
    # Rails: Active Job's async adapter in production / in development only
    cell(
        "class5-ruby-rails-trigger",
        RUBY,
        {
            "config/environments/production.rb": "Rails.application.configure do\n"
            "  config.active_job.queue_adapter = :async\nend\n"
        },
        THREADS,
        "config/environments/production.rb",
        "medium",
    ),
    cell(
        "class5-ruby-rails-lookalike",
        RUBY,
        {
            "config/environments/development.rb": "Rails.application.configure do\n"
            "  config.active_job.queue_adapter = :async\nend\n"
        },
        THREADS,
    ),
    # Puma: Solid Queue as a Puma plugin always / only when SOLID_QUEUE_IN_PUMA is set
    cell(
        "class5-ruby-puma-trigger",
        RUBY,
        {"config/puma.rb": 'port ENV.fetch("PORT", 3000)\nplugin :solid_queue\n'},
        THREADS,
        "config/puma.rb",
        "medium",
    ),
    cell(
        "class5-ruby-puma-lookalike",
        RUBY,
        {"config/puma.rb": 'port ENV.fetch("PORT", 3000)\nplugin :solid_queue if ENV["SOLID_QUEUE_IN_PUMA"]\n'},
        THREADS,
    ),
    # Spring: @Scheduled on a service of a web app that enables scheduling / with ShedLock
    cell(
        "class5-java-spring-trigger",
        JAVA,
        {
            "src/main/java/app/App.java": "@SpringBootApplication\n@EnableScheduling\npublic class App {}\n",
            "src/main/java/app/Purge.java": "@Service\nclass Purge {\n  @Scheduled(fixedRate = 60000)\n"
            "  void run() {}\n}\n",
        },
        THREADS,
        "src/main/java/app/Purge.java",
        "medium",
    ),
    cell(
        "class5-java-spring-lookalike",
        JAVA,
        {
            "src/main/java/app/App.java": "@SpringBootApplication\n@EnableScheduling\npublic class App {}\n",
            "src/main/java/app/Purge.java": "@Service\nclass Purge {\n  @Scheduled(fixedRate = 60000)\n"
            '  @SchedulerLock(name = "purge")\n  void run() {}\n}\n',
        },
        THREADS,
    ),
    # Spring + Quartz: job beans of a web app with the Quartz starter / the starter in a worker app (no web starter)
    cell(
        "class5-java-quartz-trigger",
        {
            **JAVA,
            "pom.xml": JAVA["pom.xml"].replace(
                "</dependencies>",
                "<dependency><artifactId>spring-boot-starter-quartz</artifactId></dependency></dependencies>",
            ),
        },
        {
            "src/main/java/app/PurgeJob.java": "class PurgeJob extends QuartzJobBean {\n  protected void executeInternal(JobExecutionContext c) {}\n}\n"
        },
        THREADS,
        "src/main/java/app/PurgeJob.java",
        "medium",
    ),
    cell(
        "class5-java-quartz-lookalike",
        {
            "pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-quartz</artifactId></dependency>"
            "</dependencies></project>\n",
            "Dockerfile": 'FROM eclipse-temurin:21\nCMD ["java", "-jar", "jobs.jar"]\n',
        },
        {
            "src/main/java/app/PurgeJob.java": "class PurgeJob extends QuartzJobBean {\n  protected void executeInternal(JobExecutionContext c) {}\n}\n"
        },
        THREADS,
    ),
    # Java: a scheduled executor in a controller / in a batch class of a worker app with no controller
    cell(
        "class5-java-executor-trigger",
        JAVA,
        {
            "src/main/java/app/Api.java": "@RestController\nclass Api {\n"
            "  Api() { Executors.newScheduledThreadPool(1).scheduleAtFixedRate(this::sync, 0, 1, MINUTES); }\n}\n"
        },
        THREADS,
        "src/main/java/app/Api.java",
        "medium",
    ),
    cell(
        "class5-java-executor-lookalike",
        {"pom.xml": "<project><artifactId>batch</artifactId></project>\n"},
        {
            "src/main/java/app/Batch.java": "class Batch {\n  void start() { pool.scheduleAtFixedRate(this::sync, 0, 1, MINUTES); }\n}\n"
        },
        THREADS,
    ),
    # PHP/Swoole: a timer in the HTTP server process / Laravel's scheduler (run by `schedule:work`)
    cell(
        "class5-php-swoole-trigger",
        PHP,
        {
            "server.php": '<?php\n$http = new Swoole\\Http\\Server("0.0.0.0", (int) getenv("PORT"));\n'
            "Swoole\\Timer::tick(60000, fn () => purge());\n$http->start();\n"
        },
        THREADS,
        "server.php",
        "medium",
    ),
    cell(
        "class5-php-swoole-lookalike",
        PHP,
        {
            "app/Console/Kernel.php": "<?php\nclass Kernel {\n  protected function schedule($schedule) {\n"
            "    $schedule->command('purge')->hourly();\n  }\n}\n"
        },
        THREADS,
    ),
    # Rust: tokio interval task beside the axum server / in a worker binary without a server
    cell(
        "class5-rust-tokio-trigger",
        RUST,
        {
            "src/main.rs": "async fn main() {\n    tokio::spawn(async move {\n"
            "        let mut tick = tokio::time::interval(Duration::from_secs(60));\n        loop { tick.tick().await; purge().await; }\n"
            "    });\n    let app = Router::new();\n    axum::serve(listener, app).await.unwrap();\n}\n"
        },
        THREADS,
        "src/main.rs",
        "medium",
    ),
    cell(
        "class5-rust-tokio-lookalike",
        RUST,
        {
            "src/bin/worker.rs": "async fn main() {\n"
            "    let mut tick = tokio::time::interval(Duration::from_secs(60));\n    loop { tick.tick().await; }\n}\n"
        },
        THREADS,
    ),
    # .NET: a hosted service in the web host / in a worker host (no web)
    cell(
        "class5-dotnet-hosted-trigger",
        DOTNET,
        {
            "Program.cs": "var builder = WebApplication.CreateBuilder(args);\n"
            "builder.Services.AddHostedService<Cleanup>();\nvar app = builder.Build();\napp.Run();\n"
        },
        THREADS,
        "Program.cs",
        "medium",
    ),
    cell(
        "class5-dotnet-hosted-lookalike",
        {
            "Worker.csproj": '<Project Sdk="Microsoft.NET.Sdk.Worker"></Project>\n',
            "Dockerfile": 'FROM mcr.microsoft.com/dotnet/runtime:8.0\nENTRYPOINT ["dotnet", "Worker.dll"]\n',
        },
        {
            "Program.cs": "var builder = Host.CreateApplicationBuilder(args);\nbuilder.Services.AddHostedService<Cleanup>();\n"
        },
        THREADS,
    ),
]

CLASS6_SUPERVISORS = [
    # Python: python-daemon in code / the word in a comment
    cell(
        "class6-python-daemon-trigger",
        PY,
        {"app/run.py": "import daemon\nwith daemon.DaemonContext():\n    serve()\n"},
        DAEMON,
        "app/run.py",
        "high",
    ),
    cell(
        "class6-python-daemon-lookalike",
        PY,
        {"app/run.py": "# no daemon.DaemonContext(): the platform supervises us\nserve()\n"},
        DAEMON,
    ),
    # Python: a worker sent to the background by the entrypoint beside gunicorn / exec gunicorn alone
    cell(
        "class6-python-background-trigger",
        {**PY, "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["./entrypoint.sh"]\n'},
        {"entrypoint.sh": "#!/bin/sh\ncelery -A app worker -l info &\nexec gunicorn app:app\n"},
        SUPERVISOR,
        "entrypoint.sh",
        "medium",
    ),
    cell(
        "class6-python-background-lookalike",
        {**PY, "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["./entrypoint.sh"]\n'},
        {"entrypoint.sh": "#!/bin/sh\nset -e\nexec gunicorn app:app\n"},
        SUPERVISOR,
    ),
    # Node: pm2 in cluster mode in the container / pm2-runtime with one instance
    cell(
        "class6-node-pm2-trigger",
        {**NODE, "Dockerfile": 'FROM node:20\nCMD ["pm2-runtime", "start", "server.js", "-i", "max"]\n'},
        {},
        SUPERVISOR,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class6-node-pm2-lookalike",
        {**NODE, "Dockerfile": 'FROM node:20\nCMD ["pm2-runtime", "start", "ecosystem.config.json"]\n'},
        {"ecosystem.config.json": '{"apps": [{"name": "api", "script": "server.js", "instances": 1}]}\n'},
        SUPERVISOR,
    ),
    # Node: `pm2 start` daemonizes / `pm2 start --no-daemon` stays in the foreground
    cell(
        "class6-node-pm2daemon-trigger",
        {**NODE, "Dockerfile": "FROM node:20\nCMD pm2 start server.js && pm2 logs\n"},
        {},
        DAEMON,
        "Dockerfile",
        "high",
    ),
    cell(
        "class6-node-pm2daemon-lookalike",
        {**NODE, "Dockerfile": "FROM node:20\nCMD pm2 start server.js --no-daemon\n"},
        {},
        DAEMON,
    ),
    # Node: `npm start` runs pm2 in cluster mode (one script hop) / `pm2 start … --no-daemon` with one instance
    cell(
        "class6-node-npmstart-trigger",
        {"Dockerfile": 'FROM node:20\nCMD ["npm", "start"]\n'},
        {
            "package.json": '{"name": "api", "private": true, "dependencies": {"express": "4.19.2"},\n'
            ' "scripts": {\n  "start": "pm2-runtime start server.js -i max"\n }}\n'
        },
        SUPERVISOR,
        "package.json",
        "medium",
    ),
    cell(
        "class6-node-npmstart-lookalike",
        {"Dockerfile": 'FROM node:20\nCMD ["npm", "start"]\n'},
        {
            "package.json": '{"name": "api", "private": true, "dependencies": {"express": "4.19.2"},\n'
            ' "scripts": {\n  "start": "pm2 start ecosystem.config.json --no-daemon"\n }}\n',
            "ecosystem.config.json": '{"apps": [{"name": "api", "script": "server.js", "instances": 1}]}\n',
        },
        SUPERVISOR,
    ),
    # Go: go-daemon forks the server / a comment
    cell(
        "class6-go-daemon-trigger",
        GO,
        {
            "main.go": 'package main\n\nfunc main() {\n\tcntxt := &daemon.Context{PidFileName: "api.pid"}\n'
            "\td, _ := cntxt.Reborn()\n}\n"
        },
        DAEMON,
        "main.go",
        "high",
    ),
    cell(
        "class6-go-daemon-lookalike",
        GO,
        {"main.go": "package main\n\n// run in the foreground: no daemon.Context{}\nfunc main() {}\n"},
        DAEMON,
    ),
    # Ruby: Process.daemon / in a comment
    cell("class6-ruby-daemon-trigger", SINATRA, {"app.rb": "Process.daemon(true)\nrun!\n"}, DAEMON, "app.rb", "high"),
    cell(
        "class6-ruby-daemon-lookalike",
        SINATRA,
        {"app.rb": "# Process.daemon would hide us from the platform\nrun!\n"},
        DAEMON,
    ),
    # Java: nohup java -jar … & in the start script / exec java -jar
    cell(
        "class6-java-nohup-trigger",
        {**JAVA, "Dockerfile": 'FROM eclipse-temurin:21\nCMD ["./start.sh"]\n'},
        {"start.sh": "#!/bin/sh\nnohup java -jar app.jar > app.out 2>&1 &\ntail -f app.out\n"},
        DAEMON,
        "start.sh",
        "high",
    ),
    cell(
        "class6-java-nohup-lookalike",
        {**JAVA, "Dockerfile": 'FROM eclipse-temurin:21\nCMD ["./start.sh"]\n'},
        {"start.sh": "#!/bin/sh\nexec java -jar app.jar\n"},
        DAEMON,
    ),
    # PHP: php-fpm set to daemonize in the image / daemonize = no (the official images' setting)
    cell(
        "class6-php-fpm-trigger",
        {**PHP, "Dockerfile": "FROM php:8.3-fpm\nCOPY docker/php-fpm.conf /usr/local/etc/\n"},
        {"docker/php-fpm.conf": "[global]\ndaemonize = yes\n"},
        DAEMON,
        "docker/php-fpm.conf",
        "high",
    ),
    cell(
        "class6-php-fpm-lookalike",
        {**PHP, "Dockerfile": "FROM php:8.3-fpm\nCOPY docker/php-fpm.conf /usr/local/etc/\n"},
        {"docker/php-fpm.conf": "[global]\ndaemonize = no\n"},
        DAEMON,
    ),
    # PHP: supervisord running php-fpm, nginx and the queue in one image / the same config on a VM (no image)
    cell(
        "class6-php-supervisord-trigger",
        {**PHP, "Dockerfile": 'FROM php:8.3-fpm\nCMD ["supervisord", "-n"]\n'},
        {
            "docker/supervisord.conf": "[program:php-fpm]\ncommand=php-fpm\n[program:nginx]\ncommand=nginx\n"
            "[program:queue]\ncommand=php artisan queue:work\n"
        },
        SUPERVISOR,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class6-php-supervisord-lookalike",
        PHP,
        {
            "deploy/supervisord.conf": "[program:php-fpm]\ncommand=php-fpm\n"
            "[program:queue]\ncommand=php artisan queue:work\n"
        },
        SUPERVISOR,
    ),
    # Rust: the daemonize crate / in a comment
    cell(
        "class6-rust-daemonize-trigger",
        RUST,
        {"src/main.rs": 'fn main() {\n    Daemonize::new().pid_file("/tmp/api.pid").start();\n}\n'},
        DAEMON,
        "src/main.rs",
        "high",
    ),
    cell(
        "class6-rust-daemonize-lookalike",
        RUST,
        {"src/main.rs": "// Daemonize::new() is not for containers\nfn main() {}\n"},
        DAEMON,
    ),
    # .NET: nohup dotnet … & / exec dotnet
    cell(
        "class6-dotnet-nohup-trigger",
        {**DOTNET, "Dockerfile": 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCMD ["./run.sh"]\n'},
        {"run.sh": "#!/bin/sh\nnohup dotnet Api.dll &\nsleep infinity\n"},
        DAEMON,
        "run.sh",
        "high",
    ),
    cell(
        "class6-dotnet-nohup-lookalike",
        {**DOTNET, "Dockerfile": 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCMD ["./run.sh"]\n'},
        {"run.sh": "#!/bin/sh\nexec dotnet Api.dll\n"},
        DAEMON,
    ),
    # s6-overlay supervising web and worker services in one image / tini as a plain init
    cell(
        "class6-s6-overlay-trigger",
        {**PY, "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["/init"]\n'},
        {
            "rootfs/etc/services.d/web/run": "#!/command/execlineb -P\ngunicorn app:app\n",
            "rootfs/etc/services.d/worker/run": "#!/command/execlineb -P\ncelery -A app worker\n",
        },
        SUPERVISOR,
        "rootfs/etc/services.d/web/run",
        "medium",
    ),
    cell(
        "class6-s6-overlay-lookalike",
        {**PY, "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["tini", "--"]\nCMD ["gunicorn", "app:app"]\n'},
        {},
        SUPERVISOR,
    ),
]


def _background(id, base, image, script, lookalike):
    """A start script that sends one process type to the background (&) and runs another / a look-alike."""
    dockerfile = {"Dockerfile": f'FROM {image}\nENTRYPOINT ["./start.sh"]\n'}
    return [
        cell(
            f"{id}-trigger",
            {**base, **dockerfile},
            {"start.sh": "#!/bin/sh\n" + script},
            SUPERVISOR,
            "start.sh",
            "medium",
        ),
        cell(f"{id}-lookalike", {**base, **dockerfile}, {"start.sh": "#!/bin/sh\n" + lookalike}, SUPERVISOR),
    ]


CLASS6_BACKGROUNDED = [
    # Go: the worker binary in the background, the API in front / a migration chained before exec
    *_background(
        "class6-go-background",
        GO,
        "golang:1.22",
        "./worker &\nexec ./api\n",
        "./wait-for-it.sh db:5432 &\n./migrate && exec ./api\n",
    ),
    # Ruby: sidekiq in the background beside puma / exec puma only
    *_background(
        "class6-ruby-background",
        RUBY,
        "ruby:3.3",
        "bundle exec sidekiq &\nexec bundle exec puma\n",
        "bundle exec rails db:prepare\nexec bundle exec puma\n",
    ),
    # Java: two jars in one container / exec one jar
    *_background(
        "class6-java-background",
        JAVA,
        "eclipse-temurin:21",
        "java -jar worker.jar &\nexec java -jar web.jar\n",
        "exec java -jar web.jar\n",
    ),
    # Rust: the worker in the background / exec the server
    *_background("class6-rust-background", RUST, "rust:1.80", "./worker &\nexec ./api\n", "exec ./api\n"),
    # .NET: a worker dll in the background / exec the web dll
    *_background(
        "class6-dotnet-background",
        DOTNET,
        "mcr.microsoft.com/dotnet/aspnet:8.0",
        "dotnet Worker.dll &\nexec dotnet Api.dll\n",
        "exec dotnet Api.dll\n",
    ),
]

CELLS = (
    CLASS1_FIXED_PORT
    + CLASS1_INJECTED
    + CLASS4_FILE_LOGGING
    + CLASS5_BACKGROUND
    + CLASS6_SUPERVISORS
    + CLASS6_BACKGROUNDED
)


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity)


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS)
