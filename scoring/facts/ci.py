"""CI configuration files: GitHub Actions, GitLab CI, CircleCI, Jenkins, Azure, Bitbucket, Travis."""

from __future__ import annotations

import re

from ..context import Context
from ..tree import File

_CI = re.compile(
    r"(^|/)(\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci/config\.ya?ml|jenkinsfile|"
    r"azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|\.travis\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml|"
    r"\.buildkite/[^/]+\.ya?ml|cloudbuild\.ya?ml|\.gitea/workflows/[^/]+\.ya?ml|\.forgejo/workflows/[^/]+\.ya?ml)$",
    re.I,
)


def ci_files(ctx: Context) -> list[File]:
    return [f for f in ctx.files if _CI.search(f.path)]


def is_ci_file(f: File) -> bool:
    return bool(_CI.search(f.path))
