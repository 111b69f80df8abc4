"""Production settings, unchanged except for where collectstatic writes (a temporary folder per benchmark run).

STATIC_ROOT is not read from the environment by site_project.settings, and the benchmarks must not write into the
project's own staticfiles/ (another run or the browser tests may use it), so the benchmarks start gunicorn, Celery
and Django with DJANGO_SETTINGS_MODULE=bench_settings and bench/ on PYTHONPATH.
"""

import os
from pathlib import Path

from site_project.settings.production import *  # noqa: F403
from site_project.settings.production import CACHES

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
# Two commits measured side by side (bench/compare_bench.py) share the bench's Redis database: each keeps its own
# keys, as two sites with their own KEY_PREFIX would.
CACHES["default"]["KEY_PREFIX"] = os.environ.get(
    "BENCH_CACHE_KEY_PREFIX", CACHES["default"].get("KEY_PREFIX", "")
)
