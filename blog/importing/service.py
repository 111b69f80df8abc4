"""The import as one call: read the source, plan every item, then (unless a dry run) write them one by one.

`import_source` is what the management command and the admin view call. The whole source is read and every item
planned and validated before the first write; each item is then written in its own transaction, so one item that
fails is reported and the others are imported. A dry run stops after planning and changes nothing.
"""

from __future__ import annotations

import logging

from blog.importing.items import ImportProblem, ParsedSource
from blog.importing.limits import ImportLimits
from blog.importing.planning import ImportOptions, PlannedItem, Planner
from blog.importing.report import ImportReport, ItemReport, Outcome, count_of
from blog.importing.writing import ImageCache, ItemWriter
from blog.models import Author, BlogIndexPage
from site_project.database_statistics import analyze_database

logger = logging.getLogger(__name__)


def blog_index() -> BlogIndexPage:
    index = BlogIndexPage.objects.first()
    if index is None:
        raise ImportProblem("The site has no blog yet. Create the blog page under the home page first.")
    return index


def find_author(name: str) -> Author:
    """The author called `name` (any capitalisation), or a problem that lists the authors there are."""
    author = Author.objects.filter(name__iexact=name.strip()).first()
    if author is None:
        names = ", ".join(Author.objects.values_list("name", flat=True)) or "none yet"
        raise ImportProblem(f"There is no author called “{name}”. Authors on this site: {names}.")
    return author


def _planned_report(planned: PlannedItem, index: BlogIndexPage) -> ItemReport:
    report = ItemReport(
        label=planned.label, outcome=planned.outcome, reason=planned.reason, warnings=list(planned.warnings)
    )
    if planned.outcome in (Outcome.CREATED, Outcome.UPDATED):
        report.address = f"{index.url or ''}{planned.slug}/"
        report.published = planned.publish
        if planned.body and planned.body.images:
            report.warnings.append(
                f"{count_of(len(planned.body.images), 'image')} to fetch from the old blog."
            )
    elif planned.record is not None and planned.record.page is not None:
        report.page_id, report.address = planned.record.page.pk, planned.record.page.url or ""
    return report


def import_source(
    parsed: ParsedSource,
    *,
    options: ImportOptions,
    dry_run: bool,
    user=None,
    limits: ImportLimits | None = None,
) -> ImportReport:
    index = blog_index()
    plan = Planner(index=index, options=options, site_url=parsed.site_url).plan(parsed)
    report = ImportReport(source_format=parsed.format_name, dry_run=dry_run, warnings=list(parsed.warnings))
    if dry_run:
        report.items = [_planned_report(planned, index) for planned in plan]
        return report
    writer = ItemWriter(index=index, user=user, images=ImageCache(limits or ImportLimits.from_settings()))
    for planned in plan:
        if planned.outcome == Outcome.SKIPPED:
            report.items.append(_planned_report(planned, index))
        else:
            report.items.append(writer.write(planned))
    if any(item.outcome == Outcome.CREATED for item in report.items):
        analyze_database()  # posts arrived in bulk: searches and lists plan with them from the next request
    logger.info("Blog import finished", extra={"import_counts": report.counts})
    return report
