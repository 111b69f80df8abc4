"""`manage.py retry_failed_email`: after a long mail outage, give failed email a fresh set of attempts.

An email is marked failed after OUTBOX_MAX_ATTEMPTS attempts (about 45 minutes with the default backoff) or a
permanent refusal. Once the mail provider works again, this puts the failed email of the last `--days` days back
in the queue, with its attempts counted from zero; each is still sent at most once.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from site_project.outbox.models import Email
from site_project.outbox.tasks import enqueue


class Command(BaseCommand):
    help = "Queue failed email of the last few days again (after a mail outage has been fixed)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, default=2, help="Retry email created within this many days (default 2)."
        )

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1.")
        since = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            ids = list(
                Email.objects.filter(status=Email.Status.FAILED, created_at__gte=since).values_list(
                    "pk", flat=True
                )
            )
            Email.objects.filter(pk__in=ids, status=Email.Status.FAILED).update(
                status=Email.Status.PENDING, attempts=0, last_error="", next_attempt_at=timezone.now()
            )
            for email_id in ids:
                transaction.on_commit(lambda email_id=email_id: enqueue(email_id))
        self.stdout.write(f"Queued {len(ids)} failed emails again.")
