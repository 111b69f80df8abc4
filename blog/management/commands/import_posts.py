"""`manage.py import_posts SOURCE [--dry-run] [--publish] [--author NAME]`: bring posts from another blog."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from blog.importing.items import ImportProblem
from blog.importing.limits import ImportLimits
from blog.importing.planning import ImportOptions
from blog.importing.report import Outcome, count_of
from blog.importing.service import find_author, import_source
from blog.importing.sources import open_source


class Command(BaseCommand):
    help = (
        "Import posts from a WordPress export (WXR), an RSS or Atom feed file, or a feed's http(s) address. "
        "Posts arrive as drafts unless --publish; running it again only brings what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="A WordPress export or feed file, or a feed's http(s) address.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be created, updated and skipped; change nothing.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish posts that were public on the old blog (otherwise everything arrives as a draft).",
        )
        parser.add_argument(
            "--author", metavar="NAME", help="Credit every post to this author (an existing one)."
        )

    def handle(self, *args, source: str, dry_run: bool, publish: bool, author: str | None, **options) -> None:
        limits = ImportLimits.from_settings()
        try:
            options_ = ImportOptions(publish=publish, author=find_author(author) if author else None)
            parsed = open_source(source, limits=limits)
            report = import_source(parsed, options=options_, dry_run=dry_run, limits=limits)
        except ImportProblem as problem:
            raise CommandError(str(problem)) from problem
        for line in report.lines():
            self.stdout.write(line)
        if report.counts[Outcome.FAILED]:
            raise CommandError(
                f"{count_of(report.counts[Outcome.FAILED], 'item')} could not be imported; see above."
            )
