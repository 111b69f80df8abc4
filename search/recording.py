"""What visitors search for, counted per day for the counselor's report (Reports › Search terms)."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from search.text import search_terms

logger = logging.getLogger(__name__)


def record_query(query: str) -> None:
    """Count one search for `query`.

    A query already searched today costs one UPDATE; otherwise Wagtail's `Query.get(query).add_hit()` creates the
    rows. A database error is logged and swallowed: the visitor still gets their results.
    """
    if not search_terms(query):
        return
    try:
        counted = QueryDailyHits.objects.filter(
            query__query_string=normalise_query_string(query), date=timezone.localdate()
        ).update(hits=F("hits") + 1)
        if not counted:
            Query.get(query).add_hit(date=timezone.localdate())
    except DatabaseError:
        logger.exception("search: could not record a query")
