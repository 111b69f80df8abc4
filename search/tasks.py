"""Search housekeeping for Celery beat."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def forget_old_search_queries() -> None:
    """Drop recorded search queries older than WAGTAILSEARCH_HITS_MAX_AGE days (Wagtail's own command)."""
    call_command("searchpromotions_garbage_collect")
