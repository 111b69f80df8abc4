"""Faults under load: 200 contact-form submissions while Redis is stopped for 10 s, the SMTP server refuses for
10 s and the worker is killed once. Counts what was kept and delivered; prints figures, never asserts.

    .venv/bin/python bench/fault_bench.py            # or: make bench-fault

Builds bench_fault (migrations and the demo content) and runs the deploy chain of tests/tls_chain.py on it:
gunicorn with production settings (3 workers, as docker-compose.yml) behind deploy/nginx.conf and a TLS
terminator, a Celery worker (one process, --pool=solo) and beat, on a redis-server of the chain's own (keeping
nothing on disk: after the outage its queue is empty) and an aiosmtpd sink in this process. The outbox keeps
production's timings: retries after 30 s doubling, beat's sweep every minute taking up mail pending for 60 s,
and mail "sending" for 180 s released (a worker that died holding it).

Visitors (each from its own X-Forwarded-For address, with production's 3 s minimum fill time and rate limit)
fetch the form a few seconds before their turn and post it over HTTPS through the chain, one every --interval
seconds (default 0.5). Timeline from the first post: Redis stopped from 5 s to 15 s; the SMTP server answers 451
to every message from 20 s to 30 s; from 35 s the worker gets SIGKILL as soon as it holds a delivery (within 5 s,
else anyway) and a new one starts 2 s later, as compose's restart policy would. Then the benchmark waits for every
stored email to arrive (up to --wait seconds) and 15 s more for duplicates.

Reported: requests stored (rows in the database), confirmations delivered (visitors with at least one in the sink),
emails delivered, duplicates (messages in the sink whose Message-ID, fixed by the outbox when it stores an email,
arrived before: confirmations and the counselor's notifications), the longest delay from a post to its
confirmation, and the thank-you page's time while Redis was down and otherwise.
Target: 200 stored, 200 delivered, 0 duplicates.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import common  # noqa: E402
import contact_bench  # noqa: E402

from tests.tls_chain import TlsChain  # noqa: E402

DB = "bench_fault"
REDIS_DOWN = (5.0, 15.0)
SMTP_REFUSING = (20.0, 30.0)
WORKER_KILLED_AT = 35.0
WORKER_RESTART_AFTER = 2.0
# Each visitor holds a thread from fetching the form to the thank-you page (about 4.5 s): enough threads for
# one post every 0.2 s.
VISITOR_THREADS = 32
WORKER_KILL_WAIT = 5.0  # seconds to wait for the worker to be in a delivery before killing it anyway
GUNICORN_WORKERS = 3


class RefusingSink:
    """An aiosmtpd sink that notes each message's recipients and arrival time, and answers 451 while refusing."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.lock = threading.Lock()
        self.refusing = False
        self.refused = 0
        self.arrivals: dict[str, list[float]] = {}
        self.message_ids: list[str] = []
        self.port = common.free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        now = time.monotonic()
        with self.lock:
            if self.refusing:
                self.refused += 1
                return "451 Temporary failure, try again later"
            for recipient in envelope.rcpt_tos:
                self.arrivals.setdefault(recipient.lower(), []).append(now)
            # The outbox fixes each email's Message-ID when it stores it: a resend carries the same one.
            self.message_ids.append(str(message_from_bytes(envelope.content)["Message-ID"]))
        return "250 OK"


class Visitor:
    """One visitor: fetches the form over HTTPS, fills it in, posts it once the fill time has passed."""

    def __init__(self, chain: TlsChain, number: int) -> None:
        self.chain = chain
        self.number = number
        self.address = f"visitor-{number}@bench.example"
        self.client = chain.client()
        self.headers = {"X-Forwarded-For": contact_bench.visitor_address(number)}
        self.posted_at: float | None = None
        self.outcome = ""
        self.seconds = 0.0

    def fetch(self) -> tuple[dict[str, str], float]:
        response = self.client.get(
            self.chain.url(contact_bench.CONTACT_PATH), headers=self.headers, timeout=60
        )
        fetched_at = time.monotonic()  # the form's start time was signed before this, however slow the answer
        parser = contact_bench.FormParser()
        parser.feed(response.text)
        data = contact_bench.fill(parser.fields, self.number)
        return data, fetched_at

    def post(self, data: dict[str, str], fetched_at: float, not_before: float) -> None:
        time.sleep(max(0.0, fetched_at + contact_bench.MIN_FILL_SECONDS + 0.2 - time.monotonic()))
        time.sleep(max(0.0, not_before - time.monotonic()))
        headers = {**self.headers, "Referer": self.chain.url(contact_bench.CONTACT_PATH)}
        self.posted_at = time.monotonic()
        try:
            response = self.client.post(
                self.chain.url(contact_bench.CONTACT_PATH), data=data, headers=headers, timeout=60
            )
            self.outcome = "thanks" if response.url.endswith("/thanks/") else f"{response.status_code}"
        except OSError as error:
            self.outcome = type(error).__name__
        self.seconds = time.monotonic() - self.posted_at


def count_rows(table: str) -> int:
    import psycopg
    from psycopg import sql

    with psycopg.connect(common.database_url(DB)) as conn:
        return conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]


def email_in_sending() -> int:
    import psycopg

    with psycopg.connect(common.database_url(DB)) as conn:
        return conn.execute("SELECT count(*) FROM outbox_email WHERE status = 'sending'").fetchone()[0]


def run_faults(chain: TlsChain, sink: RefusingSink, start: float, notes: list[str]) -> None:
    """The timeline of faults, in its own thread, relative to `start` (the first post)."""

    def at(seconds: float) -> None:
        time.sleep(max(0.0, start + seconds - time.monotonic()))

    at(REDIS_DOWN[0])
    chain.redis.stop()
    common.log("redis stopped")
    at(REDIS_DOWN[1])
    chain.redis.start()
    common.log("redis started (empty)")
    at(SMTP_REFUSING[0])
    sink.refusing = True
    common.log("smtp refusing")
    at(SMTP_REFUSING[1])
    sink.refusing = False
    common.log("smtp accepting")
    at(WORKER_KILLED_AT)
    deadline = time.monotonic() + WORKER_KILL_WAIT
    while (holding := email_in_sending()) == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    chain.kill("worker", signal.SIGKILL)
    notes.append(f"the worker got SIGKILL while {holding} email(s) were in 'sending'")
    common.log(f"worker killed ({holding} sending)")
    time.sleep(WORKER_RESTART_AFTER)
    chain.start_worker()
    common.log("new worker started")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between posts (default 0.5)")
    parser.add_argument("--wait", type=float, default=600, help="seconds to wait for every confirmation")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()
    if args.count > 507:
        sys.exit("at most 507 submissions: one documentation address each")

    started_run = time.perf_counter()
    sink = RefusingSink()
    sink.controller.start()
    notes: list[str] = []
    with common.temp_dir("bench-fault-") as tmp:
        chain = TlsChain(
            tmp / "chain", common.database_url(DB), smtp_port=sink.port, gunicorn_workers=GUNICORN_WORKERS
        )
        try:
            common.recreate_database(DB)
            chain.start(prepare_database=True)
            load = common.load_average()
            visitors = [Visitor(chain, number) for number in range(args.count)]
            common.log(f"chain up; {args.count} visitors, one post every {args.interval:g} s")
            first_post = time.monotonic() + contact_bench.MIN_FILL_SECONDS + 1.0
            faults = threading.Thread(target=run_faults, args=(chain, sink, first_post, notes))
            faults.start()

            def visit(visitor: Visitor) -> None:
                data, fetched_at = visitor.fetch()
                visitor.post(data, fetched_at, first_post + visitor.number * args.interval)

            with ThreadPoolExecutor(VISITOR_THREADS) as pool:
                # Each visitor fetches its form at most a few seconds ahead of its turn, as a person would.
                for visitor in visitors:
                    delay = first_post + visitor.number * args.interval - contact_bench.MIN_FILL_SECONDS - 1.0
                    time.sleep(max(0.0, delay - time.monotonic()))
                    pool.submit(visit, visitor)
            faults.join()
            common.log("all posted; waiting for every stored email")
            deadline = time.monotonic() + args.wait
            while time.monotonic() < deadline:
                with sink.lock:
                    if len(set(sink.message_ids)) >= count_rows("outbox_email"):
                        break
                time.sleep(1)
            time.sleep(15)  # room for a duplicate to arrive
            stored = count_rows("booking_appointmentrequest")
            emails = count_rows("outbox_email")
        finally:
            chain.stop()
            sink.controller.stop()
            if not args.keep:
                common.drop_database(DB)

    outcomes: dict[str, int] = {}
    for visitor in visitors:
        outcomes[visitor.outcome] = outcomes.get(visitor.outcome, 0) + 1
    delivered = [v for v in visitors if v.address in sink.arrivals]
    delays = [sink.arrivals[v.address][0] - v.posted_at for v in delivered]
    messages = len(sink.message_ids)
    duplicates = messages - len(set(sink.message_ids))

    def while_redis_down(visitor: Visitor) -> bool:
        return REDIS_DOWN[0] <= visitor.posted_at - first_post < REDIS_DOWN[1]

    during_redis = [v.seconds for v in visitors if v.posted_at and while_redis_down(v)]
    otherwise = [v.seconds for v in visitors if v.posted_at and not while_redis_down(v)]
    posted = [v.posted_at for v in visitors if v.posted_at]
    span = max(posted) - min(posted) if posted else 0.0
    header = (
        f"### Faults under load ({common.today()}, {common.machine()}, load average {load})\n\n"
        f"{args.count} contact-form posts over HTTPS through the deploy chain, planned one every {args.interval:g} s, "
        f"posted over {span:.0f} s (each visitor fetching the form just before); Redis stopped {REDIS_DOWN[0]:g}-{REDIS_DOWN[1]:g} s, SMTP "
        f"answering 451 {SMTP_REFUSING[0]:g}-{SMTP_REFUSING[1]:g} s ({sink.refused} refusals), {'; '.join(notes)} "
        f"at {WORKER_KILLED_AT:g} s, a new worker {WORKER_RESTART_AFTER:g} s later. Outbox at production's timings "
        f"(sweep every minute). Outcomes of the posts: "
        f"{', '.join(f'{k} {n}' for k, n in sorted(outcomes.items()))}; {emails} emails stored, {messages} "
        f"messages reached the sink.\n"
    )
    rows = [
        ["requests stored", stored, args.count],
        ["confirmations delivered", len(delivered), args.count],
        [
            "emails delivered (confirmations and notifications)",
            f"{len(set(sink.message_ids))} of {emails}",
            "",
        ],
        ["duplicates", duplicates, 0],
        ["longest delay, post → confirmation", f"{max(delays):.1f} s" if delays else "-", ""],
        ["median delay, post → confirmation", f"{common.median(delays):.1f} s" if delays else "-", ""],
        [
            "thank-you page while Redis was stopped: median, longest",
            f"{common.median(during_redis):.1f} s, {max(during_redis):.1f} s" if during_redis else "-",
            "",
        ],
        [
            "thank-you page otherwise: median, longest",
            f"{common.median(otherwise):.1f} s, {max(otherwise):.1f} s" if otherwise else "-",
            "",
        ],
    ]
    table = common.markdown_table(["measure", "figure", "target"], rows)
    print("\n" + header + "\n" + table)
    path = common.save_result("fault", header + "\n" + table)
    print(f"\nsaved {path.relative_to(common.ROOT)}; total {time.perf_counter() - started_run:.0f} s")


if __name__ == "__main__":
    os.chdir(common.ROOT)
    main()
