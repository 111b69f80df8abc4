"""Production settings, unchanged except for where collectstatic writes (a temporary folder per benchmark run).

STATIC_ROOT is not read from the environment by site_project.settings, and the benchmarks must not write into the
project's own staticfiles/ (another run or the browser tests may use it), so the benchmarks start gunicorn, Celery
and Django with DJANGO_SETTINGS_MODULE=bench_settings and bench/ on PYTHONPATH.
"""

import os
from pathlib import Path

from site_project.settings.production import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
