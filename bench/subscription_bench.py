"""Email subscriptions: time from publishing a post to the last of 10,000 messages in an SMTP sink, and the
worker's memory while it sends. Prints figures; never asserts.

    .venv/bin/python bench/subscription_bench.py            # or: make bench-subscriptions

Builds bench_subscriptions (migrations and the demo content, as a new install has them) and adds --subscribers
(default 10,000) confirmed subscribers. Starts a real Celery worker as docker-compose.yml runs it (`celery -A
site_project worker --loglevel=info` with compose's --concurrency, prefork) with production settings and
timings (SUBSCRIPTION_BATCH_SIZE, the outbox's retry policy) on Redis (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/9, flushed first), delivering to an aiosmtpd sink in a thread of this process
(bench/contact_bench.py's, see Sink). No beat runs: nothing fails, so nothing needs its recovery tasks.

Once the worker is ready, a Django process of its own (production settings, like a web process) creates a post
with a demo hero image and publishes it, as the editor's Publish does: Wagtail's page_published starts the
mailing, whose batches the worker hands to the outbox, and the outbox's tasks deliver each message.

Measured from the start of the publish: the mailing's last batch handed to the outbox (its finished_at), the
first and the last of the subscribers' messages in the sink, and how many arrived (duplicates: messages beyond one
per address). Memory: every 100 ms the worker's process tree is read from /proc (the main process and its prefork
children): the sum of their RSS, the largest single RSS, and the sum of their PSS (shared pages divided among the
processes that share them, so the children's copy-on-write pages are not counted once per child), each at its
peak between the publish and the last message, beside the same figures for the idle worker just before. CPU: the
user and system time the worker's processes used from the publish to the last message, per message delivered,
a figure that other work on a shared machine hardly changes (elapsed times it stretches).
Times on both sides come from time.perf_counter, which on Linux is CLOCK_MONOTONIC, one clock for every process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import contact_bench  # noqa: E402

DB = "bench_subscriptions"
SUBSCRIBER_DOMAIN = "bench.example"
SAMPLE_SECONDS = 0.1
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024
PUBLISHED = "published: "  # starts the line of publish_post's output that the benchmark reads


# Inside Django (run as a subprocess in the site's environment) ------------------------------------------------


def add_subscribers(count: int) -> None:
    """`count` confirmed subscribers, inserted 1,000 at a time (their tokens drawn as the model draws them)."""
    import django

    django.setup()
    from django.utils import timezone

    from blog.models import Subscriber

    confirmed_at = timezone.now()
    for start in range(0, count, 1000):
        Subscriber.objects.bulk_create(
            Subscriber(email=f"reader-{number}@{SUBSCRIBER_DOMAIN}", confirmed_at=confirmed_at)
            for number in range(start, min(count, start + 1000))
        )


def publish_post() -> None:
    """Create a post with a demo hero image and publish it; print, as JSON, when the publish started and returned
    (perf_counter and wall clock) and the mailing it started."""
    import django

    django.setup()
    from django.utils import timezone
    from wagtail.images import get_image_model

    from blog.models import Author, BlogIndexPage, BlogPage, PostAnnouncement

    post = BlogPage(
        title="Sleep when worry will not switch off",
        slug="bench-subscriptions-post",
        summary="Why the mind races at night, and three small habits that help it settle.",
        date=timezone.localdate(),
        body=[{"type": "paragraph", "value": "<p>" + "Rest comes back in small steps. " * 40 + "</p>"}],
        hero_image=get_image_model().objects.order_by("pk").first(),
    )
    post.authors = list(Author.objects.order_by("pk")[:1])
    BlogIndexPage.objects.get().add_child(instance=post)
    revision = post.save_revision()
    started, started_wall = time.perf_counter(), time.time()
    revision.publish()
    returned = time.perf_counter()
    mailing_id = PostAnnouncement.objects.get(post=post).mailing_id
    timing = {"started": started, "started_wall": started_wall, "returned": returned, "mailing": mailing_id}
    print(PUBLISHED + json.dumps(timing))


# The benchmark -----------------------------------------------------------------------------------------------


class Sink(contact_bench.Sink):
    """bench/contact_bench.py's sink, with a server name of its own: aiosmtpd's default looks the machine's name
    up (socket.getfqdn) on every connection, 20 ms here, which alone would hold the sink under 50 messages a
    second, while the outbox opens a connection per message."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        super().__init__()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, server_hostname="sink.bench")


def run_django(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [common.PYTHON, str(Path(__file__).resolve()), *args],
        cwd=common.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout


def process_tree(root: int) -> list[int]:
    """`root` and its descendants, from the parent ids in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        tree.append(pid)
        waiting.extend(children.get(pid, []))
    return tree


def cpu_seconds(root: int) -> float:
    """User and system CPU time used so far by the processes of `root`'s tree (utime + stime in /proc/<pid>/stat);
    unlike elapsed time, it hardly depends on what else runs on the machine."""
    ticks = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


def memory_of(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes; (0, 0) once it has ended."""
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        pss = next(
            int(line.split()[1]) * 1024
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
            if line.startswith("Pss:")
        )
    except (OSError, StopIteration):
        return 0, 0
    return rss, pss


@dataclass
class MemorySample:
    processes: int = 0
    rss_total: int = 0
    rss_largest: int = 0
    pss_total: int = 0

    @classmethod
    def of_tree(cls, root: int) -> MemorySample:
        figures = [memory_of(pid) for pid in process_tree(root)]
        return cls(
            processes=sum(1 for rss, _ in figures if rss),
            rss_total=sum(rss for rss, _ in figures),
            rss_largest=max((rss for rss, _ in figures), default=0),
            pss_total=sum(pss for _, pss in figures),
        )


@dataclass
class MemorySampler:
    """Samples a process tree every SAMPLE_SECONDS in a thread, keeping each figure's peak."""

    root: int
    peak: MemorySample = field(default_factory=MemorySample)
    samples: int = 0
    stopped: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stopped.is_set():
            sample = MemorySample.of_tree(self.root)
            self.samples += 1
            self.peak = MemorySample(
                processes=max(self.peak.processes, sample.processes),
                rss_total=max(self.peak.rss_total, sample.rss_total),
                rss_largest=max(self.peak.rss_largest, sample.rss_largest),
                pss_total=max(self.peak.pss_total, sample.pss_total),
            )
            self.stopped.wait(SAMPLE_SECONDS)


def mailing_state(mailing_id: int) -> tuple[float | None, dict[str, int], int]:
    """The mailing's finished_at (epoch seconds), its outbox rows by status, and their attempts in all."""
    import psycopg

    with psycopg.connect(common.database_url(DB)) as conn:
        (finished,) = conn.execute(
            "SELECT extract(epoch FROM finished_at) FROM blog_postmailing WHERE id = %s", [mailing_id]
        ).fetchone()
        rows = conn.execute(
            "SELECT status, count(*), sum(attempts) FROM outbox_email WHERE key LIKE %s GROUP BY status",
            [f"blog.subscriber.%.mailing.{mailing_id}"],
        ).fetchall()
    return (
        float(finished) if finished is not None else None,
        {status: count for status, count, _ in rows},
        sum(attempts for _, _, attempts in rows),
    )


def wait_for_worker(worker: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited at start:\n{log_path.read_text()[-3000:]}")
        if "ready." in log_path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise TimeoutError("the worker did not start")


def mib(value: int) -> str:
    return f"{value / MIB:.0f} MiB"


def main(args: argparse.Namespace) -> None:
    started_run = time.perf_counter()
    concurrency = common.compose_worker_concurrency()
    sink = Sink()
    sink.controller.start()
    worker = sampler = None
    with common.temp_dir("bench-subscriptions-") as tmp:
        try:
            env = common.site_env(
                DB,
                tmp / "static",
                MEDIA_ROOT=str(tmp / "media"),
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(sink.port),
                EMAIL_USE_TLS="false",
                EMAIL_USE_SSL="false",
            )
            common.build_site(DB, 9, env)  # the demo content only
            run_django(env, "subscribers", "--subscribers", str(args.subscribers))
            common.log(f"{args.subscribers} confirmed subscribers")
            common.flush_redis()
            log_path = tmp / "worker.log"
            worker = subprocess.Popen(
                [
                    str(common.VENV_BIN / "celery"),
                    "-A",
                    "site_project",
                    "worker",
                    "--loglevel=info",
                    f"--concurrency={concurrency}",
                ],
                cwd=common.ROOT,
                env=env,
                stdout=log_path.open("ab"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            wait_for_worker(worker, log_path)
            time.sleep(2)
            idle = MemorySample.of_tree(worker.pid)
            cpu_before = cpu_seconds(worker.pid)
            load_before = common.load_average()
            sampler = MemorySampler(worker.pid)
            threading.Thread(target=sampler.run, daemon=True).start()

            output = run_django(env, "publish").splitlines()
            published = json.loads(
                next(line for line in output if line.startswith(PUBLISHED))[len(PUBLISHED) :]
            )
            common.log(f"published; mailing {published['mailing']} started")
            deadline = time.perf_counter() + args.timeout
            reported = 0
            while time.perf_counter() < deadline and len(sink.arrivals) < args.subscribers:
                if worker.poll() is not None:
                    print(log_path.read_text()[-3000:])
                    break
                if len(sink.arrivals) >= reported + 1000:
                    reported = len(sink.arrivals) // 1000 * 1000
                    common.log(f"{len(sink.arrivals)} messages in the sink")
                time.sleep(0.1)
            sampler.stopped.set()
            cpu_used = cpu_seconds(worker.pid) - cpu_before
            load_after = common.load_average()
            time.sleep(10)  # a duplicate would show up meanwhile
            finished_at, statuses, attempts = mailing_state(published["mailing"])
        finally:
            if sampler is not None:
                sampler.stopped.set()
            common.stop(worker, timeout=30)
            sink.controller.stop()
            if not args.keep:
                common.drop_database(DB)

    arrivals = sorted(
        moment for address, moment in sink.arrivals.items() if address.endswith(f"@{SUBSCRIBER_DOMAIN}")
    )
    start = published["started"]
    delivered = len(arrivals)
    duplicates = sink.messages - len(sink.arrivals)
    first_to_last = arrivals[-1] - arrivals[0] if delivered > 1 else 0.0
    header = (
        f"### Email subscriptions ({common.today()}, {common.machine()}, load average {load_before} before the "
        f"publish, {load_after} at the last message)\n\n"
        f"{args.subscribers:,} confirmed subscribers; one post (with a demo hero image) published in a Django "
        f"process of its own; production settings (SUBSCRIPTION_BATCH_SIZE default 500), PostgreSQL, a Celery "
        f"worker as docker-compose.yml runs it (prefork, concurrency {concurrency}, loglevel info) on Redis, "
        f"an aiosmtpd sink in the benchmark's process. Outbox rows of the mailing by status: "
        f"{', '.join(f'{status} {count}' for status, count in sorted(statuses.items()))}; delivery attempts "
        f"{attempts}. Memory sampled from /proc every {SAMPLE_SECONDS * 1000:.0f} ms "
        f"({sampler.samples} samples).\n"
    )
    rows = [
        ["publish() returned", f"{published['returned'] - start:.2f} s", ""],
        [
            "publish → mailing's last batch in the outbox (finished_at)",
            f"{finished_at - published['started_wall']:.1f} s" if finished_at else "not finished",
            "",
        ],
        ["publish → first message in the sink", f"{arrivals[0] - start:.1f} s" if arrivals else "-", ""],
        [
            f"publish → last of {args.subscribers:,} messages in the sink",
            f"{arrivals[-1] - start:.1f} s" if delivered == args.subscribers else "-",
            f"{delivered:,} of {args.subscribers:,} arrived",
        ],
        [
            "sending rate, first to last message",
            f"{(delivered - 1) / first_to_last:.0f} messages/s" if first_to_last else "-",
            "",
        ],
        ["duplicates (messages beyond one per address)", str(duplicates), "0"],
        [
            "worker CPU time, publish to last message: in all, per message",
            f"{cpu_used:.0f} s, {cpu_used / delivered * 1000:.1f} ms" if delivered else "-",
            "user + system, every worker process",
        ],
        [
            "worker memory, idle before the publish: RSS sum, largest process, PSS sum",
            f"{mib(idle.rss_total)}, {mib(idle.rss_largest)}, {mib(idle.pss_total)}",
            f"{idle.processes} processes",
        ],
        [
            "worker memory, peak while sending: RSS sum, largest process, PSS sum",
            f"{mib(sampler.peak.rss_total)}, {mib(sampler.peak.rss_largest)}, {mib(sampler.peak.pss_total)}",
            f"{sampler.peak.processes} processes",
        ],
    ]
    table = common.markdown_table(["measure", "figure", "notes"], rows)
    print("\n" + header + "\n" + table)
    path = common.save_result("subscriptions", header + "\n" + table)
    print(f"\nsaved {path.relative_to(common.ROOT)}; total {time.perf_counter() - started_run:.0f} s")


if __name__ == "__main__":
    os.chdir(common.ROOT)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "subscribers", "publish"],
        help="run (default): the benchmark; subscribers and publish: its steps inside Django, run by it",
    )
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=1200, help="seconds to wait for the last message")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    arguments = parser.parse_args()
    if arguments.command == "subscribers":
        add_subscribers(arguments.subscribers)
    elif arguments.command == "publish":
        publish_post()
    else:
        main(arguments)
