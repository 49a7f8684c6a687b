import pytest

from tests.scoring.conftest import assert_fires, findings

SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\n",
    "app/logging_setup.py": "import logging, sys\nlogging.getLogger().addHandler(logging.StreamHandler(sys.stdout))\n",
}


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # Python FileHandler in app code
        ({"app/log.py": "import logging\nh = logging.FileHandler('app.log')\n"}, "logs.file-handler", "high"),
        # Rotating handler configured through dictConfig
        ({"app/settings.py": "LOGGING = {'handlers': {'f': {'class': 'logging.handlers.RotatingFileHandler'}}}\n"},
         "logs.file-handler", "high"),
        # basicConfig(filename=...)
        ({"main.py": "import logging\nlogging.basicConfig(filename='/tmp/x.log')\n"}, "logs.file-handler", "high"),
        # winston file transport
        ({"server.js": "new winston.transports.File({ filename: 'combined.log' })\n"}, "logs.file-handler", "high"),
        # Go log file
        ({"main.go": 'f, _ := os.OpenFile("app.log", os.O_CREATE, 0644)\nlog.SetOutput(f)\n'}, "logs.file-handler", "high"),
        # Ruby logger to log/
        ({"config/application.rb": "config.logger = Logger.new('log/production.log')\n"}, "logs.file-handler", "high"),
        # Spring logging.file.name in application.properties
        ({"src/main/resources/application.properties": "logging.file.name=/var/app/app.log\n"}, "logs.file-handler", "high"),
        # logback file appender
        ({"src/main/resources/logback.xml": '<appender name="F" class="ch.qos.logback.core.rolling.RollingFileAppender">'},
         "logs.file-handler", "high"),
        # a /var/log path in code
        ({"app/audit.py": "AUDIT = open('/var/log/myapp/audit.txt', 'a')\n"}, "logs.var-log-path", "medium"),
        # a shipped logrotate config
        ({"deploy/logrotate.d/myapp": "/var/log/myapp/*.log { daily }\n"}, "logs.logrotate-config", "medium"),
    ],
)
def test_it_flags_log_files(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)
    assert report.factor("logs").status.value in ("fail", "warn")


@pytest.mark.parametrize(
    "files",
    [
        # a FileHandler in a test config is demoted to low: the factor still passes
        {"tests/test_logging.py": "import logging\nh = logging.FileHandler('test.log')\n"},
        # the words in a comment or docstring are not code
        {"app/log.py": '"""We never use logging.FileHandler( here."""\n# logging.FileHandler(\nimport logging\n'},
        # a StreamHandler is the compliant form
        {"app/log.py": "import logging, sys\nh = logging.StreamHandler(sys.stdout)\n"},
    ],
)
def test_it_does_not_fail_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    assert report.factor("logs").status.value == "pass"
    assert not [f for f in findings(report, "logs.file-handler") if f.severity.value in ("high", "medium")]


def test_it_reports_stdout_logging_as_evidence(score_tree):
    report = score_tree({**SERVICE, "app/log.py": "import logging, sys\nh = logging.StreamHandler(sys.stdout)\n"})
    evidence = findings(report, "logs.stdout-evidence")
    assert evidence and evidence[0].severity.value == "info"
    assert any(e.path == "app/log.py" for e in evidence)
    assert evidence[0].path == "app/log.py"


@pytest.mark.parametrize("path, text", [
    ("src/Web/Program.cs", "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n"),
    ("src/main/java/app/App.java", "@SpringBootApplication\npublic class App {}\n"),
])
def test_frameworks_that_log_to_the_console_by_default_are_evidence(score_tree, path, text):
    # TodoApi review: the .NET host (and Spring Boot) write logs to the console unless configured otherwise
    report = score_tree({path: text})
    assert [e.path for e in findings(report, "logs.stdout-evidence")] == [path]
    # the look-alike: the same framework with a plain class, no host, says nothing
    plain = score_tree({path: "public class App {}\n"})
    assert not findings(plain, "logs.stdout-evidence")
