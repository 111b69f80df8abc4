"""The embedded default: runs with no environment at all (SQLite, eager Celery, mail on the console)."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, env_str

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-key-never-used-in-production-3c1f9a7e"  # noqa: S105
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Readable log lines on a laptop; production keeps one JSON object per line (LOG_FORMAT=json).
LOGGING["handlers"]["console"]["formatter"] = env_str("LOG_FORMAT", "plain")  # noqa: F405
