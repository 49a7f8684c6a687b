"""Monorepo scoping: code shared by the deployables (a library folder they reference) is scored as
part of each deployable that uses it; code no deployable references is scored once for the
repository; nothing found in a monorepo is dropped, and the factor's summary names where it is."""

from __future__ import annotations

import os

import pytest

from scoring.facts.workspace import used_folders
from scoring.tree import load_tree
from tests.scoring.conftest import findings, write_tree

DOTNET = {
    # two ASP.NET Core apps, each with its Dockerfile, sharing two class libraries (eShopOnWeb's shape)
    "src/Web/Dockerfile": 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT ["dotnet", "Web.dll"]\n',
    "src/Web/Web.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web">\n<ItemGroup>\n'
    '<ProjectReference Include="..\\Infrastructure\\Infrastructure.csproj" />\n</ItemGroup>\n</Project>\n',
    "src/Web/Program.cs": "var builder = WebApplication.CreateBuilder(args);\nbuilder.Logging.AddConsole();\n",
    "src/Api/Dockerfile": 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT ["dotnet", "Api.dll"]\n',
    "src/Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web">\n<ItemGroup>\n'
    '<ProjectReference Include="..\\Core\\Core.csproj" />\n</ItemGroup>\n</Project>\n',
    "src/Api/Program.cs": "var builder = WebApplication.CreateBuilder(args);\n",
    # Infrastructure -> Core: Web uses both, transitively
    "src/Infrastructure/Infrastructure.csproj": '<Project Sdk="Microsoft.NET.Sdk">\n'
    '<ItemGroup><ProjectReference Include="..\\Core\\Core.csproj" /></ItemGroup>\n</Project>\n',
    "src/Infrastructure/Logging.cs": 'Log.Logger = new LoggerConfiguration().WriteTo.File("logs/app.log").CreateLogger();\n',
    "src/Core/Core.csproj": '<Project Sdk="Microsoft.NET.Sdk">\n</Project>\n',
    "src/Core/Jobs.cs": "public class Jobs { }\n",
}


def test_shared_library_findings_belong_to_the_deployables_that_use_them(score_tree):
    report = score_tree(DOTNET)
    assert report.kind.value == "monorepo"
    uses = {d.path: d.uses for d in report.deployables}
    assert uses == {"src/Api": ("src/Core",), "src/Web": ("src/Core", "src/Infrastructure")}
    logs = report.factor("logs")
    # found in src/Infrastructure, which only src/Web uses: the repository fails, and says where
    assert [f.path for f in findings(report, "logs.file-handler", violations_only=True)] == [
        "src/Infrastructure/Logging.cs"
    ]
    assert logs.status.value == "fail"
    assert logs.summary.startswith("High in src/Web:"), logs.summary


def test_a_finding_in_code_both_deployables_use_names_both(score_tree):
    files = {**DOTNET, "src/Core/Jobs.cs": 'public class Jobs { void F() { new FileHandler("x"); } }\n'}
    files["src/Core/Log.cs"] = 'Log.Logger = new LoggerConfiguration().WriteTo.File("logs/core.log").CreateLogger();\n'
    del files["src/Infrastructure/Logging.cs"]
    report = score_tree(files)
    assert report.factor("logs").summary.startswith("High in src/Api, src/Web:"), report.factor("logs").summary


def test_code_no_deployable_references_is_scored_for_the_repository(score_tree):
    # libs/reporting has a manifest but nobody references it: it is scored once, as shared code
    files = {
        **DOTNET,
        "libs/reporting/reporting.csproj": '<Project Sdk="Microsoft.NET.Sdk">\n</Project>\n',
        "libs/reporting/Report.cs": 'var log = new LoggerConfiguration().WriteTo.File("/var/app/report.log");\n',
    }
    del files["src/Infrastructure/Logging.cs"]
    report = score_tree(files)
    got = findings(report, "logs.file-handler", violations_only=True)
    assert [f.path for f in got] == ["libs/reporting/Report.cs"]
    assert report.factor("logs").status.value == "fail"
    assert "in shared code" in report.factor("logs").summary


def test_shared_code_gives_no_evidence_and_expects_none(score_tree):
    # the look-alike: clean shared code changes nothing, and its evidence does not lift a deployable
    files = {k: v for k, v in DOTNET.items() if k != "src/Infrastructure/Logging.cs"}
    files["libs/util/util.csproj"] = '<Project Sdk="Microsoft.NET.Sdk">\n</Project>\n'
    files["libs/util/Hosting.cs"] = "var b = Host.CreateDefaultBuilder(args);\n"
    report = score_tree(files)
    assert report.factor("logs").status.value == "pass"
    assert not [f for f in findings(report, "logs.stdout-evidence") if f.path.startswith("libs/")]


def test_summaries_name_every_compliant_deployable(score_tree):
    files = {k: v for k, v in DOTNET.items() if k != "src/Infrastructure/Logging.cs"}
    summary = score_tree(files).factor("logs").summary
    assert summary.startswith("Compliant in src/Api, src/Web:"), summary


@pytest.mark.parametrize(
    "files, expected",
    [
        # pnpm/yarn workspace: a dependency on a workspace package by name
        (
            {
                "apps/web/package.json": '{"name": "web", "dependencies": {"@acme/db": "workspace:*", "express": "4.19.2"}}',
                "packages/db/package.json": '{"name": "@acme/db", "version": "1.0.0"}',
            },
            ("packages/db",),
        ),
        # npm file: reference
        (
            {
                "apps/web/package.json": '{"name": "web", "dependencies": {"shared": "file:../../libs/shared"}}',
                "libs/shared/package.json": '{"name": "shared"}',
            },
            ("libs/shared",),
        ),
        # Poetry/uv path dependency
        (
            {
                "apps/web/pyproject.toml": '[tool.poetry.dependencies]\ncommon = { path = "../../libs/common", develop = true }\n',
                "libs/common/pyproject.toml": '[project]\nname = "common"\n',
            },
            ("libs/common",),
        ),
        # uv workspace member by name
        (
            {
                "apps/web/pyproject.toml": '[project]\nname = "web"\ndependencies = ["core-lib>=1"]\n[tool.uv.sources]\ncore-lib = { workspace = true }\n',
                "libs/core/pyproject.toml": '[project]\nname = "core_lib"\n',
            },
            ("libs/core",),
        ),
        # pip editable install of a sibling
        (
            {
                "apps/web/requirements.txt": "-e ../../libs/common\nflask==3.0.0\n",
                "libs/common/setup.py": "from setuptools import setup\nsetup(name='common')\n",
            },
            ("libs/common",),
        ),
        # Go replace directive
        (
            {
                "apps/web/go.mod": "module example.com/web\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../../lib\n",
                "lib/go.mod": "module example.com/lib\n",
            },
            ("lib",),
        ),
        # Cargo path dependency
        (
            {
                "apps/web/Cargo.toml": '[package]\nname = "web"\n[dependencies]\ncore = { path = "../../crates/core" }\n',
                "crates/core/Cargo.toml": '[package]\nname = "core"\n',
            },
            ("crates/core",),
        ),
        # Gradle project dependency
        (
            {
                "apps/web/build.gradle": "dependencies {\n  implementation project(':libs:common')\n}\n",
                "libs/common/build.gradle": "plugins { id 'java-library' }\n",
            },
            ("libs/common",),
        ),
        # Maven sibling artifact
        (
            {
                "apps/web/pom.xml": "<project><artifactId>web</artifactId><dependencies><dependency>"
                "<artifactId>common</artifactId></dependency></dependencies></project>",
                "libs/common/pom.xml": "<project><parent><artifactId>root</artifactId></parent><artifactId>common</artifactId></project>",
            },
            ("libs/common",),
        ),
        # Composer path repository
        (
            {
                "apps/web/composer.json": '{"repositories": [{"type": "path", "url": "../../packages/auth"}], "require": {"acme/auth": "*"}}',
                "packages/auth/composer.json": '{"name": "acme/auth"}',
            },
            ("packages/auth",),
        ),
        # Bundler path gem
        (
            {
                "apps/web/Gemfile": "gem 'rails'\ngem 'billing', path: '../../engines/billing'\n",
                "engines/billing/billing.gemspec": "Gem::Specification.new { |s| s.name = 'billing' }\n",
            },
            ("engines/billing",),
        ),
        # look-alike: a package of the same name as nothing local, and a path into the other deployable
        (
            {
                "apps/web/package.json": '{"name": "web", "dependencies": {"react": "18.0.0", "api": "file:../api"}}',
                "packages/ui/package.json": '{"name": "ui"}',
            },
            (),
        ),
        # look-alike: a relative path to a file that is not a library (a script, a tsconfig)
        (
            {
                "apps/web/package.json": '{"name": "web", "scripts": {"build": "tsc -p ../../tsconfig.base.json && node ../../scripts/x.js"}}',
                "scripts/x.js": "console.log(1)\n",
            },
            (),
        ),
    ],
    ids=[
        "npm-workspace",
        "npm-file",
        "poetry-path",
        "uv-workspace",
        "pip-editable",
        "go-replace",
        "cargo-path",
        "gradle-project",
        "maven-artifact",
        "composer-path",
        "bundler-path",
        "lookalike-external",
        "lookalike-script",
    ],
)
def test_it_follows_manifest_references_to_local_libraries(tmp_path, files, expected):
    write_tree(tmp_path, {**files, "apps/api/package.json": '{"name": "api"}'})
    tree = load_tree(os.fspath(tmp_path))
    assert used_folders(tree, ["apps/api", "apps/web"])["apps/web"] == expected


def test_a_test_tool_image_does_not_make_a_deployable(score_tree):
    # full-stack-fastapi-template: frontend/Dockerfile.playwright is the end-to-end test image; the
    # frontend is built into the backend's image, so the repository is one service
    report = score_tree(
        {
            "backend/Dockerfile": 'FROM python:3.12\nCMD ["fastapi", "run"]\n',
            "backend/pyproject.toml": '[project]\nname = "app"\ndependencies = ["fastapi[standard]>=0.114"]\n',
            "frontend/Dockerfile.playwright": "FROM mcr.microsoft.com/playwright:v1.48.0\n",
            "frontend/package.json": '{"name": "frontend", "private": true}',
        }
    )
    assert report.kind.value == "service"
    # the look-alike: a real second image makes it a monorepo
    report = score_tree(
        {
            "backend/Dockerfile": 'FROM python:3.12\nCMD ["fastapi", "run"]\n',
            "backend/pyproject.toml": '[project]\nname = "app"\ndependencies = ["fastapi[standard]>=0.114"]\n',
            "frontend/Dockerfile": "FROM nginx:1.27\n",
            "frontend/package.json": '{"name": "frontend", "private": true}',
        }
    )
    assert report.kind.value == "monorepo"
