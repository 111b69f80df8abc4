"""Celery tasks of blog: run an import confirmed in the admin, and mail new posts to subscribers.

An import with many images takes minutes, longer than a web request may. The task has its own time limits,
below the broker's visibility timeout so that a running import is never handed to a second worker. If the worker
dies, the task runs again (acks late) and the import continues where it stopped: items already imported are
recognised and skipped.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.auth import get_user_model

from blog.importing.items import ImportProblem
from blog.importing.limits import ImportLimits
from blog.importing.planning import ImportOptions
from blog.importing.service import import_source
from blog.importing.sources import read_source
from blog.models import BlogImport
from blog.subscriptions import sending
from blog.subscriptions.services import forget_unconfirmed

logger = logging.getLogger(__name__)

IMPORT_TIME_LIMIT_SECONDS = 50 * 60


@shared_task(time_limit=IMPORT_TIME_LIMIT_SECONDS, soft_time_limit=IMPORT_TIME_LIMIT_SECONDS - 60)
def run_blog_import(import_id: int, may_publish: bool) -> None:
    run = BlogImport.objects.filter(pk=import_id, status=BlogImport.Status.RUNNING).first()
    if run is None:
        return
    user = get_user_model().objects.filter(pk=run.uploaded_by_id).first()
    limits = ImportLimits.from_settings()
    options = ImportOptions(publish=run.publish and may_publish, author=run.author)
    try:
        parsed = read_source(bytes(run.content), limits=limits)
        report = import_source(parsed, options=options, dry_run=False, user=user, limits=limits)
    except ImportProblem as problem:
        run.status, run.report = BlogImport.Status.FAILED, {"problem": str(problem)}
    except Exception:
        logger.exception("Blog import stopped")
        run.status = BlogImport.Status.FAILED
        run.report = {
            "problem": "The import stopped unexpectedly. Posts imported until then are kept; importing the same "
            "file again continues where it stopped."
        }
        run.save(update_fields=["status", "report"])
        raise
    else:
        run.status, run.report, run.content = BlogImport.Status.FINISHED, report.to_data(), b""
    run.save(update_fields=["status", "report", "content"])


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_mailing_batch(mailing_id: int) -> int:
    """Store one batch of a mailing in the outbox and chain the next (blog.subscriptions.sending.send_batch).

    Acknowledged only once done: a worker killed mid-batch rolls the batch back, and the broker hands the task
    to another worker, which does the batch again.
    """
    return sending.send_batch(mailing_id)


@shared_task
def resume_mailings() -> int:
    """Beat, every minute: re-enqueue mailings whose chain of batches broke (broker down, task lost)."""
    return sending.resume_stalled_mailings()


@shared_task
def send_weekly_digest() -> int | None:
    """Beat, every morning: on the digest day, mail the posts waiting for the weekly digest."""
    mailing = sending.start_weekly_digest()
    return mailing.pk if mailing else None


@shared_task
def forget_unconfirmed_subscribers() -> int:
    """Daily (beat): delete the addresses whose confirmation link expired unused, with their emails."""
    forgotten = forget_unconfirmed()
    if forgotten:
        logger.info("Forgot %d unconfirmed subscriber address(es)", forgotten)
    return forgotten
