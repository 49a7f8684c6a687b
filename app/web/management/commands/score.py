"""manage.py score URL_OR_PATH: score now (no queue, no database) and print the scorecard."""

import os
import tempfile

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

import scoring
from scoring.output import to_json, to_text

from ...gitclone import CloneError
from ...pipeline import clone_repository
from ...urlguard import check_clone_url


class Command(BaseCommand):
    help = "Score a repository URL or a local checkout now and print its twelve-factor scorecard."

    def add_arguments(self, parser):
        parser.add_argument("target", help="a git URL, or the path of a local checkout")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--branch", default="")

    def handle(self, target, format, branch, **options):
        if os.path.isdir(target):
            report = scoring.score_path(target)
        else:
            try:
                url = check_clone_url(target).url
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            with tempfile.TemporaryDirectory(prefix="factorcard-score-") as workdir:
                try:
                    cloned = clone_repository(url, workdir, branch)
                except CloneError as exc:
                    raise CommandError(str(exc)) from None
                report = scoring.score_path(cloned.path)
        self.stdout.write(to_json(report) if format == "json" else to_text(report), ending="")
