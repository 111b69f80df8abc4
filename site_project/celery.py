"""The Celery app: broker and schedule come from Django settings (namespace CELERY_)."""

import os

from celery import Celery

from site_project import celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings.dev")

app = Celery("site_project")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
celery_signals.connect()
