"""This commit beside another one, in one run: throughput of uncached and cached pages on a new install's database
and after ANALYZE, and SQL queries and Redis round trips per page. Prints figures; never asserts.

    git worktree add /tmp/base HEAD        # the commit to compare with (this checkout's uncommitted changes aside)
    .venv/bin/python bench/compare_bench.py --base /tmp/base
    git worktree remove /tmp/base

Each commit gets its own database built as a new install builds it (bench_compare_base, bench_compare_this:
migrations, the demo content, generated posts up to --posts, with only the ANALYZE that commit's own commands
run: none before issue 15, after migrate, the demo content and an import since; autovacuum off) and its own
gunicorn (production settings, 2 x cores + 1 sync workers, its own checkout's code, the same Redis database with
its own key prefix). The same build script and settings wrapper (this checkout's bench/common.py and
bench/bench_settings.py) serve both, on each commit's code.

1. Queries and round trips (Django's test client inside each commit's environment, page cache on): for each page,
   an existing post is published again (the signals a publish sends), then the page is requested (the first view
   after a publish), then requested again (a page cache hit).
2. Throughput with wrk (2 threads, 10 connections, a 2 s warm-up then --seconds): with the page cache off on the
   new install's database, again after VACUUM ANALYZE, then with the page cache on (hits). The two commits are
   measured alternately, page by page, --rounds times each (ABAB, then BABA), so that other load on the machine
   falls on both; the table gives each commit's median and the ratio.

The tables are printed and saved to bench/results/compare-<date>.md.
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
from pages_bench import parse_duration  # noqa: E402

THREADS = 2
CONNECTIONS = 10
WARMUP_SECONDS = 2
PAGES = {**common.PAGES, "standard page": "/about/", "contact": "/contact/"}
THROUGHPUT_PAGES = ["home", "blog index", "post", "tag", "RSS feed", "search"]
CACHED_PAGES = ["home", "blog index", "post", "tag", "RSS feed"]


class Commit:
    """One checkout measured: its code, its database, its environment."""

    def __init__(self, label: str, tree: Path, db: str, tmp: Path) -> None:
        self.label = label
        self.tree = tree
        self.db = db
        self.static_root = tmp / f"static-{label}"
        self.log = tmp / f"gunicorn-{label}.log"
        self.port = common.free_port()
        self.process: subprocess.Popen | None = None

    def env(self, *, page_cache: bool) -> dict[str, str]:
        return common.site_env(
            self.db,
            self.static_root,
            page_cache=page_cache,
            PYTHONPATH=os.pathsep.join([str(self.tree), str(common.BENCH)]),
            BENCH_CACHE_KEY_PREFIX=f"bench-{self.label}",
            LOG_LEVEL="WARNING",
        )

    def revision(self) -> str:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=self.tree, capture_output=True, text=True
        ).stdout.strip()

    def build(self, posts: int) -> None:
        started = time.perf_counter()
        common.recreate_database(self.db)
        env = self.env(page_cache=False)
        script = str(common.BENCH / "common.py")
        build = [common.PYTHON, script, "build", "--posts", str(posts), "--new-install"]
        subprocess.run(build, cwd=self.tree, env=env, check=True)
        manage = [common.PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"]
        subprocess.run(manage, cwd=self.tree, env=env, check=True)
        common.log(f"{self.label}: {self.db} built in {time.perf_counter() - started:.0f} s")

    def start(self, *, page_cache: bool) -> None:
        self.stop()
        self.process = common.start_gunicorn(
            self.env(page_cache=page_cache), self.port, self.log, tree=self.tree
        )

    def stop(self) -> None:
        common.stop(self.process)
        self.process = None

    def count(self) -> dict:
        output = subprocess.run(
            [common.PYTHON, __file__, "--count"],
            cwd=self.tree,
            env=self.env(page_cache=True),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])


def count_in_this_environment() -> None:
    """Runs in one commit's environment; prints one JSON line: {page: {"publish": [...], "hit": [...]}}."""
    import django

    django.setup()
    import redis.connection
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from blog.models import BlogPage

    round_trips = [0]
    send = redis.connection.Connection.send_packed_command

    def counting_send(conn, command, check_health=True):
        round_trips[0] += 1
        return send(conn, command, check_health)

    redis.connection.Connection.send_packed_command = counting_send
    client = Client()
    republished = BlogPage.objects.live().exclude(slug=common.POST_SLUG).order_by("-date").first()

    def visit(url: str) -> list:
        client.cookies.clear()
        round_trips[0] = 0
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_HOST="127.0.0.1")
        return [len(queries), round_trips[0], response.status_code, response.get("X-Page-Cache", "")]

    results = {}
    for name, url in PAGES.items():
        visit(url)
        visit(url)
        republished.save_revision().publish()
        results[name] = {"publish": visit(url), "hit": visit(url)}
    print(json.dumps(results))


def run_wrk(wrk: str, url: str, seconds: int) -> dict:
    base = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", "--timeout", "10s"]
    subprocess.run([*base, f"-d{WARMUP_SECONDS}s", url], check=True, capture_output=True)
    text = subprocess.run(
        [*base, f"-d{seconds}s", "--latency", url], check=True, capture_output=True, text=True
    ).stdout
    figures = {"rps": float("nan"), "p50": float("nan")}
    for line in text.splitlines():
        if line.startswith("Requests/sec:"):
            figures["rps"] = float(line.split()[1])
        elif line.strip().startswith("50%"):
            figures["p50"] = parse_duration(line.split()[1])
    return figures


def alternate(
    commits: list[Commit], pages: list[str], wrk: str, seconds: int, rounds: int, mode: str
) -> dict:
    """{(label, page): [figures per round]}, the commits taking turns page by page (ABAB, BABA, ...)."""
    figures: dict[tuple[str, str], list[dict]] = {}
    for page in pages:
        for round_number in range(rounds):
            order = commits if round_number % 2 == 0 else commits[::-1]
            for commit in order:
                result = run_wrk(wrk, f"http://127.0.0.1:{commit.port}{PAGES[page]}", seconds)
                figures.setdefault((commit.label, page), []).append(result)
        a, b = (common.median([f["rps"] for f in figures[(c.label, page)]]) for c in commits)
        common.log(f"{mode:>28} {page:<11} {commits[0].label} {a:8.1f}  {commits[1].label} {b:8.1f} req/s")
    return figures


def throughput_table(commits: list[Commit], figures: dict, pages: list[str], mode: str) -> list[list[object]]:
    base, this = commits
    rows = []
    for page in pages:
        before = [f["rps"] for f in figures[(base.label, page)]]
        after = [f["rps"] for f in figures[(this.label, page)]]
        latency = common.median([f["p50"] for f in figures[(this.label, page)]])
        ratio = common.median(after) / common.median(before) if common.median(before) else float("nan")
        rows.append(
            [
                page,
                mode,
                f"{common.median(before):,.0f}",
                f"{common.median(after):,.0f}",
                f"{ratio:.2f}",
                f"{common.median([f['p50'] for f in figures[(base.label, page)]]):.1f} → {latency:.1f}",
                " / ".join(f"{x:,.0f}" for x in before) + " → " + " / ".join(f"{x:,.0f}" for x in after),
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="a checkout of the commit to compare with")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the bench databases afterwards")
    args = parser.parse_args()

    started = time.perf_counter()
    wrk = common.ensure_apt("wrk", "wrk")
    loads: list[str] = []
    with common.temp_dir("bench-compare-") as tmp:
        commits = [
            Commit("base", args.base.resolve(), "bench_compare_base", tmp),
            Commit("this", common.ROOT, "bench_compare_this", tmp),
        ]
        try:
            for commit in commits:
                commit.build(args.posts)
            common.flush_redis()
            counts = {commit.label: commit.count() for commit in commits}
            states = {commit.label: [common.statistics_state(commit.db)] for commit in commits}

            for commit in commits:
                commit.start(page_cache=False)
            loads.append(common.load_average())
            fresh = alternate(
                commits, THROUGHPUT_PAGES, wrk, args.seconds, args.rounds, "new install, cache off"
            )
            for commit in commits:
                states[commit.label].append(common.statistics_state(commit.db))
            for commit in commits:
                common.analyze_database(commit.db)
            loads.append(common.load_average())
            analyzed = alternate(
                commits, THROUGHPUT_PAGES, wrk, args.seconds, args.rounds, "analyzed, cache off"
            )
            for commit in commits:
                commit.start(page_cache=True)
            loads.append(common.load_average())
            cached = alternate(commits, CACHED_PAGES, wrk, args.seconds, args.rounds, "analyzed, cache hits")
        finally:
            for commit in commits:
                commit.stop()
            if not args.keep:
                for commit in commits:
                    common.drop_database(commit.db)
        base, this = commits
        revisions = f"base {base.revision()} ({base.tree}), this {this.revision()} + uncommitted changes"

    rows = (
        throughput_table(commits, fresh, THROUGHPUT_PAGES, "uncached, new install (as each commit builds it)")
        + throughput_table(commits, analyzed, THROUGHPUT_PAGES, "uncached, after VACUUM ANALYZE")
        + throughput_table(commits, cached, CACHED_PAGES, "page cache hit")
    )
    header = (
        f"### This commit beside the previous one ({common.today()}, {os.cpu_count()} cores, {revisions}, "
        f"{args.posts:,} posts)\n\n"
        f"wrk {THREADS} threads, {CONNECTIONS} connections, {args.seconds} s after a {WARMUP_SECONDS} s warm-up, "
        f"{args.rounds} rounds per commit and page, the commits alternating; gunicorn {common.WORKERS} sync "
        f"workers each, production settings, PostgreSQL + Redis, all on this machine. Load average at the start "
        f"of each mode: {', '.join(loads)}. New install's tables (analyzed by hand, by autovacuum; vacuumed) "
        f"before and after its measurements: "
        + "; ".join(f"{label} {' → '.join(map(str, seen))}" for label, seen in states.items())
        + ".\n"
    )
    table = common.markdown_table(
        ["page", "mode", "base req/s", "this req/s", "ratio", "median ms", "rounds (req/s)"], rows
    )
    count_rows = []
    for page in PAGES:
        before, after = counts["base"][page], counts["this"][page]
        count_rows.append(
            [
                page,
                f"{before['publish'][0]} → {after['publish'][0]}",
                f"{before['publish'][1]} → {after['publish'][1]}",
                f"{before['hit'][1]} → {after['hit'][1]}",
                f"{after['publish'][2]}, {after['publish'][3] or 'not cached'}",
            ]
        )
    count_header = (
        "\nSQL queries and Redis round trips (client socket writes) per request, base → this: the first view "
        "after a post is published again, then a second view.\n"
    )
    count_table = common.markdown_table(
        [
            "page",
            "queries, first view after a publish",
            "Redis round trips, same",
            "Redis round trips, next view",
            "status, X-Page-Cache",
        ],
        count_rows,
    )
    text = header + "\n" + table + "\n" + count_header + "\n" + count_table
    print("\n" + text)
    path = common.save_result("compare", text)
    print(f"\nsaved {path.relative_to(common.ROOT)}; total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    if "--count" in sys.argv:
        count_in_this_environment()
    else:
        main()
