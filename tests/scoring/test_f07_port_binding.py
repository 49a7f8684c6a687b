import pytest

from tests.scoring.conftest import assert_fires, findings

SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\n",
}
NODE = {
    "Procfile": "web: node server.js\n",
    "package.json": '{"private": true, "dependencies": {"express": "4.19.2"}}',
}


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # Express on a literal port
        ({**NODE, "server.js": "const app = express();\napp.listen(3000);\n"}, "port-binding.hard-coded-port", "medium"),
        # a literal port through a constant
        ({**NODE, "server.js": "const PORT = 8080;\napp.listen(PORT, () => {});\n"}, "port-binding.hard-coded-port", "medium"),
        # Go net/http on a literal address
        ({"go.mod": "module x\n", "main.go": 'func main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n'},
         "port-binding.hard-coded-port", "medium"),
        # uvicorn.run with a literal port, started by `python main.py`
        ({"Procfile": "web: python main.py\n", "main.py": "uvicorn.run(app, host='0.0.0.0', port=8000)\n"},
         "port-binding.hard-coded-port", "medium"),
        # a Procfile web process on a fixed port instead of $PORT
        ({"Procfile": "web: gunicorn app:app --bind 0.0.0.0:8000\n"}, "port-binding.hard-coded-port", "medium"),
        # ASP.NET Core with UseUrls on a fixed port
        ({"Program.cs": 'builder.WebHost.UseUrls("http://0.0.0.0:5000");\n'}, "port-binding.hard-coded-port", "medium"),
        # a WAR for an external Tomcat, no Dockerfile
        ({"pom.xml": "<project><packaging>war</packaging></project>\n"}, "port-binding.injected-server", "high"),
        # Gradle war plugin
        ({"build.gradle": "plugins {\n    id 'war'\n}\n"}, "port-binding.injected-server", "high"),
        # Apache mod_wsgi deployment
        ({"deploy/apache/site.conf": "WSGIScriptAlias / /srv/app/wsgi.py\n"}, "port-binding.injected-server", "high"),
        # a CGI script
        ({"app.py": "import cgi\nform = cgi.FieldStorage()\n"}, "port-binding.injected-server", "high"),
    ],
)
def test_it_flags_port_binding_violations(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)


@pytest.mark.parametrize(
    "files",
    [
        # a local default inside an environment read
        {**NODE, "server.js": "const port = process.env.PORT || 3000;\napp.listen(port);\n"},
        # the literal port and the env read in the same file
        {**NODE, "server.js": "app.listen(process.env.PORT ? Number(process.env.PORT) : 3000);\napp.listen(3000);\n"},
        # Flask's dev-server app.run(port=…) when gunicorn runs the app in production
        {"app.py": "if __name__ == '__main__':\n    app.run(port=5000, debug=True)\n"},
        # a Go server reading PORT
        {"go.mod": "module x\n", "main.go": 'port := os.Getenv("PORT")\nhttp.ListenAndServe(":"+port, nil)\n'},
        # a port in a comment is not code
        {**NODE, "server.js": "// app.listen(3000)\napp.listen(process.env.PORT);\n"},
        # a Spring Boot executable WAR is self-contained
        {"pom.xml": "<project><packaging>war</packaging><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></project>\n"},
        # a fixed port in a test file is demoted
        {**NODE, "server.js": "app.listen(process.env.PORT);\n", "test/server.test.js": "app.listen(4000);\n"},
        # a Procfile worker is not bound to $PORT
        {"Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\nworker: rq worker -p 9000\n"},
    ],
)
def test_it_does_not_flag_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    for check in ("port-binding.hard-coded-port", "port-binding.injected-server"):
        assert not [f for f in findings(report, check) if f.severity.value in ("critical", "high", "medium")], check


def test_it_reports_env_port_and_server_dependency_as_evidence(score_tree):
    report = score_tree(SERVICE)
    assert findings(report, "port-binding.port-from-env")[0].path == "Procfile"
    assert "gunicorn" in findings(report, "port-binding.server-dependency")[0].message
    assert report.factor("port-binding").status.value == "pass"


@pytest.mark.parametrize(
    "files",
    [
        # process.env.PORT in code
        {**NODE, "server.js": "app.listen(process.env.PORT || 3000);\n"},
        # Spring placeholder
        {"pom.xml": "<project><artifactId>spring-boot-starter-web</artifactId></project>",
         "src/main/resources/application.properties": "server.port=${PORT:8080}\n", "Procfile": "web: java -jar app.jar\n"},
        # gunicorn with no --bind binds $PORT itself
        {"Procfile": "web: gunicorn app.wsgi\n"},
        # Java reading the whole environment map (microservices-demo's adservice)
        {"pom.xml": "<project/>", "src/main/java/Ad.java":
         'int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "9555"));\n'},
    ],
)
def test_it_finds_the_port_in_the_environment(score_tree, files):
    report = score_tree({**SERVICE, **files})
    evidence = findings(report, "port-binding.port-from-env")
    assert evidence and evidence[0].severity.value == "info"
    assert any(e.path in files for e in evidence)  # found in the fixture, not in the base service


def test_it_warns_when_there_is_no_evidence(score_tree):
    report = score_tree({"Dockerfile": "FROM python:3.12\nCMD [\"python\", \"serve.py\"]\n", "serve.py": "print(1)\n"})
    assert report.factor("port-binding").status.value == "warn"
