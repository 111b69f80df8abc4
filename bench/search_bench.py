"""Search latency on a new install's database and after ANALYZE, on PostgreSQL. Prints figures; never asserts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/search_bench.py --posts 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/search_bench.py --posts 9

DATABASE_URL names the PostgreSQL server; the benchmark works in its own database on it (`bench_search`, or
BENCH_DATABASE), dropped and built again on every run as a new install builds it: migrations and
`load_demo_content` (nine posts; both run ANALYZE, site_project/database_statistics.py), then generated posts up to
--posts (bench/common.py insert_posts: tree paths computed directly, rows inserted and search-indexed 500 at a
time; about half a minute for 10,000). Autovacuum stays off until the last state. It measures the same searches in
up to three states:
  1. with generated posts, before any ANALYZE has seen them (the statistics describe the demo's nine posts): a
     site whose posts arrived in bulk without the import command, before autovacuum comes by;
  2. the new install: after `analyze_database()`, as `import_posts` runs it once an import has created posts;
  3. after `VACUUM ANALYZE` (autovacuum back on): statistics and GIN pending lists merged, as autovacuum leaves it.
Options: --posts N (default 10000), --rounds R (default 10), --busy N (measure the analyzed database a second time
while N processes keep the CPUs busy, as the web server, the Celery worker and PostgreSQL do on one small machine).

It measures, for a fixed list of 20 queries:
  * the search service (search.services.search_site: promotions, ranking, count, the page of results, excerpts),
  * the suggestions service (search.suggestions.suggestions),
  * the whole /search/ page through Django's middleware and template (test client),
and prints the median and 95th percentile in milliseconds and the SQL queries per search.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import WORDS, PostText, insert_posts, set_autovacuum  # noqa: E402

QUERIES = [
    "anxiety",
    "sleep",
    "couples",
    "fees",
    "grief",
    "panic attacks",
    "depression treatment",
    "mindfulness",
    "work stress",
    "teen anxiety",
    "burnout",
    "boundaries",
    "loneliness",
    "trauma therapy",
    "self esteem",
    "insurance",
    "online sessions",
    "how to sleep better",
    "parenting",
    "xylophone",  # no results: exercises the no-results state and the any-word retry
]

TOPICS = [
    "anxiety", "sleep", "couples", "grief", "panic", "depression", "mindfulness", "stress", "burnout", "boundaries",
    "loneliness", "trauma", "self-esteem", "parenting", "teens", "work", "relationships", "anger", "change", "hope",
]  # fmt: skip


STALE = "generated posts inserted without ANALYZE (statistics of the demo's nine posts, autovacuum off)"
NEW_INSTALL = (
    "new install (ANALYZE by migrate, load_demo_content and, for generated posts, as import_posts runs it)"
)
ANALYZED = "after VACUUM ANALYZE"


def bench_database_url() -> str:
    server = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(server)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    name = os.environ.get("BENCH_DATABASE", "bench_search")
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url: str, *, fresh: bool) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG would keep every SQL statement in memory
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def vocabulary() -> tuple[list[str], list[float]]:
    """About 1,500 words with Zipf frequencies, as in real text: the real words above are spread over the ranks,
    so a few appear in most posts, most in a few per cent; the rest are made-up words that no query asks for."""
    rng = random.Random(7)
    syllables = [
        "ka",
        "lo",
        "mi",
        "ne",
        "ru",
        "sa",
        "ti",
        "vo",
        "ze",
        "pa",
        "do",
        "fi",
        "gu",
        "he",
        "ja",
        "wu",
    ]
    made_up: set[str] = set()
    while len(made_up) < 1500:
        made_up.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    words = sorted(made_up)
    rng.shuffle(words)
    for i, word in enumerate(WORDS):
        words.insert(4 + i * 25, word)  # ranks 4 to about 1,200
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1 / (rank + 1)
        cumulative.append(total)
    return words, cumulative


VOCABULARY, CUMULATIVE_WEIGHTS = vocabulary()


def paragraph(rng: random.Random, topic: str, words: int) -> str:
    chosen = rng.choices(VOCABULARY, cum_weights=CUMULATIVE_WEIGHTS, k=words)
    for _ in range(max(1, words // 60)):
        chosen[rng.randrange(words)] = topic
    return " ".join(chosen).capitalize() + "."


def generate_posts(index, wanted: int) -> int:
    """Add posts under the index until it has `wanted`: a title naming a topic, two tags, a summary and a body
    drawn from the Zipf vocabulary, dated over ten years."""
    from blog.models import Author, BlogPage

    existing = BlogPage.objects.child_of(index).count()
    missing = wanted - existing
    if missing <= 0:
        return 0
    rng = random.Random(existing + 1)
    author, _ = Author.objects.get_or_create(name="Maya Ellison", defaults={"credentials": "LCMHC"})
    start = datetime.datetime(2015, 1, 1, 9, tzinfo=datetime.UTC)

    def describe(position: int) -> PostText:
        topic, second = rng.choice(TOPICS), rng.choice(TOPICS)
        title = (
            f"{rng.choice(['Notes on', 'Living with', 'A week of', 'Questions about'])} {topic} #{position}"
        )
        body = [
            {"type": "heading", "value": {"text": f"About {second}", "level": "h2"}},
            {"type": "paragraph", "value": f"<p>{paragraph(rng, topic, 150)}</p>"},
            {"type": "paragraph", "value": f"<p>{paragraph(rng, second, 150)}</p>"},
        ]
        return PostText(
            title=title,
            slug=f"post-{position}",
            summary=paragraph(rng, topic, 25),
            body=body,
            tags=tuple(dict.fromkeys((topic, second))),
            published=start + datetime.timedelta(days=position % 3650),
        )

    return insert_posts(index, missing, describe, author=author)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(label: str, run, rounds: int) -> dict[str, list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for query in QUERIES:  # warm up: plans, caches, connection
        run(query)
    timings: list[float] = []
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            run(query)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            per_query[query].append(elapsed)
    counts = []
    for query in QUERIES:
        with CaptureQueriesContext(connection) as captured:
            run(query)
        counts.append(len(captured.captured_queries))
    slowest = max(per_query, key=lambda q: statistics.median(per_query[q]))
    print(
        f"{label:<34} median {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms   "
        f"max {max(timings):7.1f} ms   queries/search {min(counts)}-{max(counts)}   "
        f"slowest: {slowest!r} ({statistics.median(per_query[slowest]):.1f} ms)"
    )
    return per_query


def _spin() -> None:
    while True:
        pass


@contextlib.contextmanager
def busy_cpus(count: int):
    """`count` processes that each keep one CPU busy until the block ends."""
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(count)]
    for spinner in spinners:
        spinner.start()
    try:
        time.sleep(1)  # let the scheduler spread them before measuring
        yield
    finally:
        for spinner in spinners:
            spinner.terminate()
        for spinner in spinners:
            spinner.join()


def overall_median(per_query: dict[str, list[float]]) -> float:
    return statistics.median(t for timings in per_query.values() for t in timings)


def analyzed_tables(cursor) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL"
    )
    return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--busy", type=int, default=0, help="repeat with N processes keeping the CPUs busy")
    args = parser.parse_args()

    url = bench_database_url()
    ensure_database(url, fresh=True)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from wagtail.models import Site

    from blog.models import BlogIndexPage, BlogPage
    from search.services import search_site
    from search.suggestions import suggestions

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        set_autovacuum(cursor, enabled=False)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115 - as a new install does
    created = generate_posts(BlogIndexPage.objects.get(), args.posts)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    print(f"setup {time.perf_counter() - started:.1f} s ({created} posts generated after the demo's)")

    site = Site.objects.get(is_default_site=True)
    client = Client()
    print(
        f"{BlogPage.objects.live().count()} live posts, PostgreSQL {server_version}, {os.cpu_count()} cores, "
        f"{len(QUERIES)} queries x {args.rounds} rounds, {datetime.date.today().isoformat()}"
    )

    def service(query: str):
        return search_site(query=query, site=site)

    def whole_page(query: str):
        return client.get("/search/", {"query": query}, HTTP_HOST="localhost")

    from site_project.database_statistics import analyze_database

    medians: dict[tuple[str, str], float] = {}
    states = [STALE, NEW_INSTALL, ANALYZED] if created else [NEW_INSTALL, ANALYZED]
    with connection.cursor() as cursor:
        print(f"analyzed by migrate and load_demo_content: {analyzed_tables(cursor)} tables")
        print(f"load average before: {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")
        cursor.execute("SHOW jit")
        print(f"JIT as the site sets it: {cursor.fetchone()[0]}")
        if created:
            print(f"\n{STALE}:")
            medians[STALE, "service"] = overall_median(
                measure("search service (page 1)", service, args.rounds)
            )
            medians[STALE, "page"] = overall_median(measure("whole /search/ page", whole_page, args.rounds))
            analyze_database()  # what import_posts does once an import has created posts
        print(f"\n{NEW_INSTALL}:")
        medians[NEW_INSTALL, "service"] = overall_median(
            measure("search service (page 1)", service, args.rounds)
        )
        medians[NEW_INSTALL, "page"] = overall_median(measure("whole /search/ page", whole_page, args.rounds))
        started = time.perf_counter()
        set_autovacuum(cursor, enabled=True)
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves it: statistics, GIN pending lists merged
        print(f"\n{ANALYZED} ({time.perf_counter() - started:.1f} s):")
    per_query = measure("search service (page 1)", service, args.rounds)
    medians[ANALYZED, "service"] = overall_median(per_query)
    measure("search service (page 3)", lambda q: search_site(query=q, site=site, page_number=3), args.rounds)
    measure("suggestions (first 4 letters)", lambda q: suggestions(query=q[:4], site=site), args.rounds)
    per_page = measure("whole /search/ page", whole_page, args.rounds)
    medians[ANALYZED, "page"] = overall_median(per_page)
    print(f"load average after: {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("\n| state | search service median ms | whole page median ms | page ÷ analyzed |")
    print("| --- | --- | --- | --- |")
    for state in states:
        service_ms, page_ms = medians[state, "service"], medians[state, "page"]
        ratio = page_ms / medians[ANALYZED, "page"]
        print(f"| {state} | {service_ms:.1f} | {page_ms:.1f} | {ratio:.2f} |")
    if args.busy:
        print(f"\nagain, with {args.busy} processes keeping the CPUs busy:")
        with busy_cpus(args.busy):
            busy_service = measure("search service (page 1), busy", service, args.rounds)
            busy_page = measure("whole /search/ page, busy", whole_page, args.rounds)
            print(f"load average at the end: {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(
            f"busy / idle median: search service {overall_median(busy_service) / overall_median(per_query):.2f}, "
            f"whole page {overall_median(busy_page) / overall_median(per_page):.2f}"
        )
    print("\nsearch service, page 1, analyzed, by query (median ms, results):")
    for query, timings in sorted(per_query.items(), key=lambda item: -statistics.median(item[1])):
        outcome = search_site(query=query, site=site)
        words = "all words" if outcome.matched_all_words else "any word"
        print(f"  {query!r:<24} {statistics.median(timings):7.1f}   {outcome.total:>5} ({words})")


if __name__ == "__main__":
    main()
