"""Test settings: SQLite unless DATABASE_URL says otherwise; tasks run eagerly unless a test starts a worker."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, EMAIL_HOST, env_bool, env_str

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - test settings only  # nosec B105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"

# CELERY
# ------------------------------------------------------------------------------
# Unit tests run tasks in-process even when REDIS_URL is set. Integration tests start a real worker
# (tests/integration.py) with TEST_CELERY_EAGER=false, on a queue private to this test run.
CELERY_TASK_ALWAYS_EAGER = env_bool("TEST_CELERY_EAGER", True)
CELERY_TASK_DEFAULT_QUEUE = env_str("TEST_CELERY_QUEUE") or f"tests-{os.getpid()}"
OUTBOX_RETRY_BACKOFF_SECONDS = 1

# EMAIL
# ------------------------------------------------------------------------------
# Delivered mail lands in django.core.mail.outbox, unless a test points EMAIL_HOST at its SMTP sink.
if not EMAIL_HOST:
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# ADMIN SECURITY
# ------------------------------------------------------------------------------
# Django's test client logs in without a request, which django-axes refuses; lockout tests switch it on.
AXES_ENABLED = False
