"""SQL queries per public page at 100 and at 10,000 posts. Prints figures; never asserts.

    .venv/bin/python bench/queries_bench.py            # or: make bench-queries

Builds two databases, bench_queries_100 and bench_queries_10000 (migrations, the demo content, then generated posts
inserted in bulk and search-indexed; the larger one starts as a copy of the smaller), on PostgreSQL with the Redis
cache (production settings, page cache off). For each page it makes two warm-up requests (renditions and caches
filled), then counts the queries of a third with Django's test client and CaptureQueriesContext, each request as a
new anonymous visitor. Both databases are dropped at the end (--keep keeps them).

Targets: at most 10 queries for any public page, and the same count at both sizes. The table is printed and saved
to bench/results/queries-<date>.md, with the SQL of any page over the target or unequal between sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

SIZES = (100, 10_000)
TARGET = 10


def pages_to_count() -> dict[str, str]:
    """The benchmark's six pages, and the other public page types (inside Django: the archive needs a year)."""
    from blog.models import BlogPage

    post = BlogPage.objects.get(slug=common.POST_SLUG)
    return {
        **common.PAGES,
        "Atom feed": "/blog/feed/atom/",
        "archive (year)": f"/blog/{post.date.year:04d}/",
        "archive (month)": f"/blog/{post.date.year:04d}/{post.date.month:02d}/",
        "standard page": "/about/",
        "contact": "/contact/",
        "search, no results": "/search/?query=xylophone",
    }


def count_queries() -> None:
    """Runs in the bench database's environment; prints one JSON line: {page: [count, status, [sql...]]}."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from blog.models import BlogPage

    results = {}
    for name, url in pages_to_count().items():
        for _ in range(2):
            Client().get(url, HTTP_HOST="127.0.0.1")
        with CaptureQueriesContext(connection) as captured:
            response = Client().get(url, HTTP_HOST="127.0.0.1")
        results[name] = [
            len(captured.captured_queries),
            response.status_code,
            [query["sql"] for query in captured.captured_queries],
        ]
    results["_posts"] = BlogPage.objects.live().count()
    print(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the bench databases afterwards")
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="two post counts (default 100,10000)"
    )
    args = parser.parse_args()
    sizes = tuple(int(size) for size in args.sizes.split(","))

    started = time.perf_counter()
    figures: dict[int, dict] = {}
    databases = [f"bench_queries_{size}" for size in sizes]
    with common.temp_dir("bench-queries-") as tmp:
        env_static = tmp / "static"
        try:
            previous = None
            for size, db in zip(sizes, databases, strict=True):
                env = common.site_env(db, env_static, page_cache=False, LOG_LEVEL="WARNING")
                common.build_site(db, size, env, clone_of=previous)
                previous = db
                if size == sizes[0]:
                    common.collectstatic(env)
                common.flush_redis()
                output = subprocess.run(
                    [common.PYTHON, __file__, "--count"],
                    cwd=common.ROOT,
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                figures[size] = json.loads(output.strip().splitlines()[-1])
                common.log(f"{db}: counted ({figures[size]['_posts']} live posts)")
        finally:
            if not args.keep:
                for db in databases:
                    common.drop_database(db)

    small, large = (figures[size] for size in sizes)
    rows = []
    details = []
    for name in (key for key in small if not key.startswith("_")):
        a, b = small[name][0], large[name][0]
        status = f"{small[name][1]}/{large[name][1]}"
        equal = "yes" if a == b else f"**no** ({b - a:+d})"
        within = "met" if max(a, b) <= TARGET else f"**missed** by {max(a, b) - TARGET}"
        note = " (never page-cached by design)" if name.startswith("search") else ""
        rows.append([name + note, status, a, b, equal, within])
        if a != b or max(a, b) > TARGET:
            for size, data in ((sizes[0], small), (sizes[1], large)):
                details.append(f"\n#### {name} at {size} posts: {data[name][0]} queries\n")
                details += [f"{i}. `{sql[:400]}`" for i, sql in enumerate(data[name][2], 1)]

    header = (
        f"### SQL queries per page ({common.today()}, {common.machine()}, PostgreSQL + Redis cache, "
        f"page cache off, warm)\n\n"
        f"Live posts: {small['_posts']:,} and {large['_posts']:,}. Target: at most {TARGET} queries on any public "
        f"page, equal at both sizes.\n"
    )
    table = common.markdown_table(
        ["page", "status", f"queries at {sizes[0]:,}", f"queries at {sizes[1]:,}", "equal", f"≤ {TARGET}"],
        rows,
    )
    text = header + "\n" + table + "\n"
    if details:
        text += "\n<details><summary>SQL of pages over the target or unequal</summary>\n" + "\n".join(details)
        text += "\n\n</details>\n"
    print("\n" + header + "\n" + table)
    path = common.save_result("queries", text)
    print(f"\nsaved {path.relative_to(common.ROOT)}; total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    if "--count" in sys.argv:
        count_queries()
    else:
        os.chdir(common.ROOT)
        main()
