"""What every benchmark shares: bench databases, the site's environment, gunicorn, nginx, tools and tables.

Everything runs on this machine against 127.0.0.1: PostgreSQL (BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres) and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/9, a
database the benchmarks flush). Each benchmark works in its own databases named bench_*, created with
CREATE DATABASE and dropped at the end; no other database is touched.

Run as a script, this module builds one bench database (used by the benchmarks as a subprocess, so that Django
is set up with the right environment):

    .venv/bin/python bench/common.py build --db bench_pages --posts 1000
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import getpass
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
RESULTS = BENCH / "results"
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
SECRET_KEY = "bench-only-secret-key-not-for-production-5f2c8e1a9d7b"  # noqa: S105 - a throwaway bench key
WORKERS = 2 * (os.cpu_count() or 1) + 1

# The pages every benchmark looks at (a demo post and a demo tag: they exist at every size).
POST_SLUG = "when-worry-will-not-switch-off"
PAGES = {
    "home": "/",
    "blog index": "/blog/",
    "post": f"/blog/{POST_SLUG}/",
    "tag": "/blog/tag/anxiety/",
    "RSS feed": "/blog/feed/rss/",
    "search": "/search/?query=anxiety",
}


# Machine and output ---------------------------------------------------------------------------------------


def machine() -> str:
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {round(int(line.split()[1]) / 1024 / 1024)} GiB"
    return f"{os.cpu_count()} cores{memory}, {revision()}"


def load_average() -> str:
    """The 1-minute load average: other work on the machine skews every figure, so each table shows it."""
    return f"{os.getloadavg()[0]:.1f}"


def revision() -> str:
    """The commit measured, and whether the working tree (outside bench/) differed from it."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench", ":!Makefile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"commit {head}" + (" + uncommitted changes" if changed else "")


def today() -> str:
    return datetime.date.today().isoformat()


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction 0.99 for p99)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, int(-(-fraction * len(ordered) // 1)))  # ceil(fraction * n)
    return ordered[min(len(ordered), rank) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def save_result(name: str, text: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{today()}.md"
    path.write_text(text + "\n")
    return path


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# Tools ------------------------------------------------------------------------------------------------------


def ensure_apt(binary: str, package: str) -> str:
    """The path of `binary`, installing the Debian package that provides it when it is missing."""
    found = shutil.which(binary) or next(
        (str(p) for p in (Path("/usr/sbin") / binary, Path("/usr/bin") / binary) if p.exists()), None
    )
    if found:
        return found
    log(f"{binary} is missing: apt-get install -y {package}")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*prefix, "apt-get", "install", "-y", package], check=True, env=env)
    found = shutil.which(binary) or next(
        (str(p) for p in (Path("/usr/sbin") / binary, Path("/usr/bin") / binary) if p.exists()), None
    )
    if not found:
        sys.exit(f"{package} installed but {binary} is still missing")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Databases and Redis ----------------------------------------------------------------------------------------


def database_url(name: str) -> str:
    parts = urlsplit(PG_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _check_bench_name(name: str) -> None:
    if not name.startswith("bench_") or not name.replace("_", "").isalnum():
        raise ValueError(f"benchmarks only work in databases named bench_*, not {name!r}")


def recreate_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    _check_bench_name(name)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def clone_database(source: str, target: str) -> None:
    """CREATE DATABASE target TEMPLATE source: a file copy, far faster than migrating and loading again."""
    import psycopg
    from psycopg import sql

    _check_bench_name(source)
    _check_bench_name(target)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(source))
        )


def drop_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    _check_bench_name(name)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def flush_redis() -> None:
    """Empty the bench's Redis database (page cache, rate-limit counters, Celery queue)."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# The site's environment -------------------------------------------------------------------------------------


def site_env(db: str, static_root: Path, *, page_cache: bool = True, **extra: str) -> dict[str, str]:
    """Production settings (bench_settings only moves STATIC_ROOT) on the bench database and Redis."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "PAGE_CACHE_", "SENTRY_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)]),
            "BENCH_STATIC_ROOT": str(static_root),
            "SECRET_KEY": SECRET_KEY,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SITE_URL": "http://127.0.0.1:8000",
            "DATABASE_URL": database_url(db),
            "REDIS_URL": REDIS_URL,
            "PAGE_CACHE_SECONDS": "600" if page_cache else "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> None:
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def collectstatic(env: dict[str, str]) -> None:
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")


def build_site(db: str, posts: int, env: dict[str, str], *, clone_of: str | None = None) -> None:
    """A bench database: migrations, the demo content, then generated posts up to `posts` in all. With
    `clone_of`, start from a copy of that (smaller) bench database instead of an empty one."""
    started = time.perf_counter()
    if clone_of:
        clone_database(clone_of, db)
    else:
        recreate_database(db)
    subprocess.run(
        [PYTHON, str(BENCH / "common.py"), "build", "--posts", str(posts)], cwd=ROOT, env=env, check=True
    )
    log(f"database {db}: {posts} posts ready in {time.perf_counter() - started:.0f} s")


# Servers ------------------------------------------------------------------------------------------------------


def wait_for_http(url: str, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing answered at {url} within {timeout:.0f} s")


def start_gunicorn(
    env: dict[str, str],
    port: int,
    log_path: Path,
    workers: int = WORKERS,
    ready_path: str = "/robots.txt",
    tree: Path = ROOT,
) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port, once it answers `ready_path` (/health/ when HTTPS redirects are on: it is
    exempt). `tree` is the checkout whose code it runs (another commit's worktree for side-by-side runs)."""
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "site_project.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--no-control-socket",  # gunicorn 27's shared ~/.gunicorn/gunicorn.ctl belongs to no benchmark
            "--worker-tmp-dir",
            "/dev/shm",  # noqa: S108 - gunicorn heartbeat files, as its docs advise
        ],
        cwd=tree,
        env=env,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for_http(f"http://127.0.0.1:{port}{ready_path}", process=process)
    return process


def stop(process: subprocess.Popen | None, timeout: float = 20.0) -> None:
    """Stop a process this benchmark started (its own process group), by id."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def render_template(name: str, target: Path, **values: object) -> Path:
    text = (BENCH / "nginx" / name).read_text()
    # nginx's workers run as this user: the run's folders are private to it (mkdtemp makes them 0700).
    values.setdefault("USER", getpass.getuser())
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", str(value))
    if "{{" in text:
        raise ValueError(f"{name}: a placeholder was left unfilled")
    target.write_text(text)
    return target


def front_site_config(*, prefix: Path, port: int, upstream_port: int, media_root: Path) -> str:
    """deploy/nginx.conf as it is, with the Docker network's addresses and folders replaced by this run's, so the
    benchmark measures the proxy that production runs, not a copy that may drift from it."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "proxy_cache_path /var/cache/nginx/pages ": f"proxy_cache_path {prefix}/cache/pages ",
        "server web:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 80 default_server;": f"listen 127.0.0.1:{port} default_server;",
        "alias /srv/media/;": f"alias {media_root}/;",
    }
    for old, new in replacements.items():
        if text.count(old) != 1:
            raise ValueError(
                f"deploy/nginx.conf: expected {old!r} once; update bench/common.py front_site_config"
            )
        text = text.replace(old, new)
    return "\n".join(f"    {line}" if line else line for line in text.splitlines())


def compose_worker_concurrency() -> int:
    """The Celery worker's --concurrency in docker-compose.yml, so the benchmark runs the worker production runs."""
    import yaml

    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["worker"]["command"]
    for argument in command:
        if str(argument).startswith("--concurrency="):
            return int(str(argument).split("=", 1)[1])
    raise ValueError("docker-compose.yml: the worker's command names no --concurrency")


def render_front_proxy(
    target: Path, *, prefix: Path, port: int, upstream_port: int, media_root: Path
) -> Path:
    """The front proxy's configuration for a benchmark run (bench/nginx/front.conf around deploy/nginx.conf)."""
    (prefix / "cache").mkdir(parents=True, exist_ok=True)
    site = front_site_config(prefix=prefix, port=port, upstream_port=upstream_port, media_root=media_root)
    return render_template("front.conf", target, PREFIX=prefix, SITE=site)


def start_nginx(
    conf: Path, prefix: Path, port: int, ready: Callable[[subprocess.Popen], None] | None = None
) -> subprocess.Popen:
    """nginx in the foreground with `conf`, once `ready(process)` returns (default: /nginx-health answers)."""
    nginx = ensure_apt("nginx", "nginx-light")
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    subprocess.run([nginx, "-t", "-q", "-p", str(prefix), "-c", str(conf)], check=True)
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=(prefix / "logs" / "nginx.out").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if ready is None:
        wait_for_http(f"http://127.0.0.1:{port}/nginx-health", process=process)
    else:
        ready(process)
    return process


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - 127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


@contextlib.contextmanager
def temp_dir(prefix: str):
    """A temporary folder, removed afterwards unless the run failed (its logs are then kept and named)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    except BaseException:
        print(f"failed: logs kept in {path}", file=sys.stderr)
        raise
    shutil.rmtree(path, ignore_errors=True)


# Generating posts (runs inside Django) -------------------------------------------------------------------------

TOPICS = [
    "anxiety", "sleep", "grief", "relationships", "communication", "self-care", "depression", "boundaries",
    "starting therapy", "stress", "burnout", "parenting", "loneliness", "trauma", "mindfulness", "work",
]  # fmt: skip
WORDS = [
    "calm",
    "breath",
    "body",
    "mind",
    "week",
    "morning",
    "evening",
    "night",
    "rest",
    "walk",
    "talk",
    "listen",
    "notice",
    "feeling",
    "thought",
    "habit",
    "routine",
    "family",
    "partner",
    "friend",
    "child",
    "school",
    "office",
    "change",
    "small",
    "step",
    "practice",
    "session",
    "counselor",
    "support",
    "care",
    "kind",
    "gentle",
    "honest",
    "worry",
    "fear",
    "joy",
    "sadness",
    "energy",
    "focus",
    "balance",
    "pattern",
    "skill",
    "plan",
    "goal",
    "time",
    "space",
    "quiet",
]


def _sentence(rng: random.Random, topic: str, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    chosen[rng.randrange(words)] = topic
    return " ".join(chosen).capitalize() + "."


@dataclass
class PostText:
    """What one generated post says; `insert_posts` supplies the tree position, ids and everything else."""

    title: str
    slug: str
    summary: str
    body: list
    tags: tuple[str, ...]
    published: datetime.datetime
    image: object | None = None


def insert_posts(index, count: int, describe: Callable[[int], PostText], *, author=None) -> int:
    """Add `count` live posts under `index` in batches of 500, each described by `describe(position)`, and
    search-index each batch with the backend's add_bulk, all inside the batch's transaction.

    Tree paths are computed from the position (treebeard's `_get_path`), `Page` rows go in with `bulk_create` and
    `BlogPage` rows with one multi-row insert, so 10,000 posts take seconds instead of the minutes that
    `add_child` would.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils.text import slugify
    from taggit.models import Tag
    from wagtail.models import Locale, Page
    from wagtail.search.backends import get_search_backend

    from blog.models import BlogPage, BlogPageTag

    content_type = ContentType.objects.get_for_model(BlogPage)
    locale = Locale.get_default()
    backend = get_search_backend()
    tags: dict[str, Tag] = {}
    page_fields = [f for f in Page._meta.local_concrete_fields if f.name != "id"]
    post_fields = list(BlogPage._meta.local_concrete_fields)
    index.refresh_from_db()
    last = index.get_last_child()
    position = int(last.path[-index.steplen :], 36) if last else 0
    existing = Page.objects.child_of(index).count()

    created = 0
    while created < count:
        batch_size = min(500, count - created)
        with transaction.atomic():
            batch = []
            for _ in range(batch_size):
                position += 1
                text = describe(position)
                post = BlogPage(
                    title=text.title,
                    draft_title=text.title,
                    slug=text.slug,
                    path=BlogPage._get_path(index.path, index.depth + 1, position),
                    depth=index.depth + 1,
                    numchild=0,
                    url_path=f"{index.url_path}{text.slug}/",
                    content_type=content_type,
                    locale=locale,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=text.published,
                    last_published_at=text.published,
                    date=text.published.date(),
                    summary=text.summary,
                    hero_image=text.image,
                    body=text.body,
                    reading_time=2,
                )
                batch.append((post, text.tags))
            pages = [post for post, _ in batch]
            Page.objects.bulk_create([_as_plain_page(post, page_fields) for post in pages])
            ids = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "id"))
            for post in pages:
                post.id = post.page_ptr_id = ids[post.path]
            BlogPage._base_manager._insert(pages, fields=post_fields, using="default")
            for _, names in batch:
                for name in names:
                    if name not in tags:
                        slug = slugify(name)
                        tags[name] = Tag.objects.filter(slug=slug).first() or Tag.objects.create(
                            name=name, slug=slug
                        )
            BlogPageTag.objects.bulk_create(
                BlogPageTag(content_object_id=post.id, tag=tags[name])
                for post, names in batch
                for name in names
            )
            if author is not None:
                BlogPage.authors.through.objects.bulk_create(
                    BlogPage.authors.through(blogpage_id=post.id, author_id=author.id) for post in pages
                )
            backend.add_bulk(
                BlogPage, list(BlogPage.get_indexed_objects().filter(pk__in=[p.id for p in pages]))
            )
            Page.objects.filter(pk=index.pk).update(numchild=existing + created + batch_size)
        created += batch_size
        print(f"  {existing + created} posts", end="\r", flush=True)
    print()
    return created


def generate_posts(wanted_total: int) -> int:
    """Add posts under the blog index until it has `wanted_total`, each with two tags, the demo author and one of
    the demo hero images."""
    from django.utils import timezone
    from wagtail.images import get_image_model

    from blog.models import Author, BlogIndexPage, BlogPage

    index = BlogIndexPage.objects.get()
    missing = wanted_total - BlogPage.objects.child_of(index).count()
    if missing <= 0:
        return 0
    rng = random.Random(20260101)
    images = list(get_image_model().objects.order_by("pk")[:8])
    now = timezone.now()

    def describe(position: int) -> PostText:
        topic, second = rng.sample(TOPICS, 2)
        return PostText(
            title=f"{rng.choice(['Notes on', 'Living with', 'A week of', 'Questions about'])} {topic} {position}",
            slug=f"generated-post-{position}",
            summary=_sentence(rng, topic, 25),
            body=[
                {"type": "heading", "value": {"text": f"About {second}", "level": "h2"}},
                {"type": "paragraph", "value": "<p>" + _sentence(rng, topic, 120) + "</p>"},
                {"type": "paragraph", "value": "<p>" + _sentence(rng, second, 120) + "</p>"},
            ],
            tags=(topic, second),
            published=now - datetime.timedelta(days=200 + position % 3000, minutes=position),
            image=images[position % len(images)] if images else None,
        )

    return insert_posts(index, missing, describe, author=Author.objects.order_by("pk").first())


def _as_plain_page(post, fields):
    from wagtail.models import Page

    page = Page()
    for field in fields:
        setattr(page, field.attname, getattr(post, field.attname))
    return page


def _build(posts: int, *, new_install: bool = False) -> None:
    """Migrate, load the demo content, add generated posts, VACUUM ANALYZE (inside the environment of site_env).

    With `new_install`, no VACUUM ANALYZE: autovacuum is switched off on every table right after the migrations,
    so the database stays as a new site's is before autovacuum first comes by, with only the ANALYZE the site's
    own commands run (since issue 15: migrate, load_demo_content, and an import that created posts, which the
    generated posts stand in for); `analyze_database` ends that state."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    if new_install:
        with connection.cursor() as cursor:
            set_autovacuum(cursor, enabled=False)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if generate_posts(posts) and new_install:
        analyze_as_an_import_does()
    if not new_install:
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE"
            )  # steady state, as autovacuum leaves it: GIN pending lists merged


def analyze_as_an_import_does() -> None:
    """What the measured tree's `import_posts` does once it has created posts: ANALYZE (site_project's
    database_statistics, since issue 15); a tree without it, as the comparison's base commit, does nothing."""
    try:
        from site_project.database_statistics import analyze_database
    except ImportError:
        return
    analyze_database()


def set_autovacuum(cursor, *, enabled: bool) -> None:
    """Autovacuum on or off for every table in the public schema (of a bench database)."""
    cursor.execute("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'")
    for (table,) in cursor.fetchall():
        cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = {'on' if enabled else 'off'})")


def analyze_database(name: str) -> None:
    """Autovacuum back on and VACUUM ANALYZE: a bench database built as a new install, as autovacuum leaves it."""
    import psycopg

    _check_bench_name(name)
    with psycopg.connect(database_url(name), autocommit=True) as conn, conn.cursor() as cursor:
        set_autovacuum(cursor, enabled=True)
        cursor.execute("VACUUM ANALYZE")


def statistics_state(name: str) -> tuple[int, int, bool]:
    """(tables analyzed by hand, tables analyzed by autovacuum, any table vacuumed) in the bench database: a new
    install's is (n, 0, False), with n = 0 before issue 15 and every table since."""
    import psycopg

    _check_bench_name(name)
    with psycopg.connect(database_url(name)) as conn:
        row = conn.execute(
            "SELECT count(last_analyze), count(last_autoanalyze), "
            "count(last_vacuum) + count(last_autovacuum) > 0 FROM pg_stat_user_tables"
        ).fetchone()
    return row[0], row[1], row[2]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Build a bench database (in the environment of site_env).")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--new-install", action="store_true", help="no ANALYZE, autovacuum off (see _build)")
    args = parser.parse_args()
    _build(args.posts, new_install=args.new_install)
