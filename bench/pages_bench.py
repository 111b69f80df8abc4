"""Page throughput and latency with wrk: gunicorn with the page cache off and on, the nginx front proxy, and nginx
serving each page's saved HTML as a static file (the machine's limit). Prints figures; never asserts.

    .venv/bin/python bench/pages_bench.py            # or: make bench-pages

Builds bench_pages (migrations, demo content, generated posts up to --posts, default 1,000), collects static files
into a temporary STATIC_ROOT and runs gunicorn (production settings, 2 x cores + 1 sync workers) on PostgreSQL and
Redis (redis://127.0.0.1:6379/9, flushed first). For each page and mode: a warm-up run, then wrk with 2 threads and
16 connections for --seconds (default 10). Modes:

  * gunicorn, page cache off (PAGE_CACHE_SECONDS=0)
  * gunicorn, page cache on (Redis)
  * front proxy: nginx running deploy/nginx.conf itself (inside bench/nginx/front.conf) in front of gunicorn, cache on
  * static: nginx serving the page's HTML, saved from gunicorn, as a file (bench/nginx/static.conf)

wrk, nginx and gunicorn share this machine's cores. The table is printed and saved to bench/results/pages-<date>.md.
Target: anonymous pages through the front proxy at half or more of the static figure.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

DB = "bench_pages"
THREADS = 2
CONNECTIONS = 16
WARMUP_SECONDS = 5
MODES = ["page cache off", "page cache on", "front proxy", "static file"]
# Every benchmark's pages, and the contact form. Search and the contact form are never cached, by design (searches
# are recorded; the form sets its CSRF cookie): the front proxy passes them to gunicorn, so the static ratio is
# not their target, but their latency through the proxy is measured.
PAGES = {**common.PAGES, "contact": "/contact/"}
NEVER_CACHED = {"search", "contact"}


def parse_duration(text: str) -> float:
    """A wrk duration ("850.00us", "12.5ms", "1.2s", "2m") in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(wrk: str, url: str, seconds: int) -> dict:
    base = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", "--timeout", "10s"]
    subprocess.run([*base, f"-d{WARMUP_SECONDS}s", url], check=True, capture_output=True)
    out = subprocess.run(
        [*base, f"-d{seconds}s", "--latency", url], check=True, capture_output=True, text=True
    )
    text = out.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:(.*)", text)
    return {
        "rps": float(rps.group(1)) if rps else float("nan"),
        "p50": parse_duration(p50.group(1)) if p50 else float("nan"),
        "p99": parse_duration(p99.group(1)) if p99 else float("nan"),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "errors": errors.group(1).strip() if errors else "",
    }


def static_name(page: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", page.lower()).strip("-") + ".html"


def measure_mode(mode: str, base_url: str, wrk: str, seconds: int, figures: dict, notes: dict) -> None:
    for page, path in PAGES.items():
        url = base_url + ("/" + static_name(page) if mode == "static file" else path)
        status, headers, _ = common.fetch(url)
        cache_header = headers.get("X-Cache-Status") or headers.get("X-Page-Cache") or ""
        figures[(page, mode)] = run_wrk(wrk, url, seconds)
        _, headers_after, _ = common.fetch(url)
        after = headers_after.get("X-Cache-Status") or headers_after.get("X-Page-Cache") or ""
        notes[(page, mode)] = f"{status}" + (f", {cache_header}→{after}" if cache_header or after else "")
        f = figures[(page, mode)]
        common.log(
            f"{mode:>15} {page:<11} {f['rps']:8.1f} req/s  p50 {f['p50']:7.2f} ms  p99 {f['p99']:7.2f} ms"
            f"  [{notes[(page, mode)]}]"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=common.WORKERS)
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()

    started = time.perf_counter()
    wrk = common.ensure_apt("wrk", "wrk")
    common.ensure_apt("nginx", "nginx-light")
    figures: dict[tuple[str, str], dict] = {}
    notes: dict[tuple[str, str], str] = {}
    sizes: dict[str, int] = {}
    loads: list[str] = []
    gunicorn = nginx = None
    with common.temp_dir("bench-pages-") as tmp:
        static_root, html_root, media_root = tmp / "static", tmp / "html", tmp / "media"
        html_root.mkdir()
        media_root.mkdir()
        try:
            env_off = common.site_env(DB, static_root, page_cache=False, MEDIA_ROOT=str(media_root))
            env_on = common.site_env(DB, static_root, page_cache=True, MEDIA_ROOT=str(media_root))
            common.build_site(DB, args.posts, env_off)
            common.collectstatic(env_off)
            common.flush_redis()
            port = common.free_port()
            base = f"http://127.0.0.1:{port}"

            # Page cache off; save each page's HTML for the static run.
            gunicorn = common.start_gunicorn(env_off, port, tmp / "gunicorn.log", args.workers)
            for page, path in PAGES.items():
                status, _, body = common.fetch(base + path)
                if status != 200:
                    sys.exit(f"{page} ({path}) answered {status}; see {tmp / 'gunicorn.log'}")
                (html_root / static_name(page)).write_bytes(body)
                sizes[page] = len(body)
            loads.append(common.load_average())
            measure_mode("page cache off", base, wrk, args.seconds, figures, notes)
            common.stop(gunicorn)

            # Page cache on, then the front proxy in front of the same gunicorn.
            common.flush_redis()
            gunicorn = common.start_gunicorn(env_on, port, tmp / "gunicorn.log", args.workers)
            loads.append(common.load_average())
            measure_mode("page cache on", base, wrk, args.seconds, figures, notes)
            front_port = common.free_port()
            front = common.render_front_proxy(
                tmp / "front.conf",
                prefix=tmp / "front",
                port=front_port,
                upstream_port=port,
                media_root=media_root,
            )
            nginx = common.start_nginx(front, tmp / "front", front_port)
            loads.append(common.load_average())
            measure_mode("front proxy", f"http://127.0.0.1:{front_port}", wrk, args.seconds, figures, notes)
            common.stop(nginx)
            common.stop(gunicorn)
            gunicorn = nginx = None

            # The machine's limit: nginx serving the saved HTML.
            static_port = common.free_port()
            conf = common.render_template(
                "static.conf",
                tmp / "static.conf",
                PREFIX=tmp / "static-nginx",
                PORT=static_port,
                ROOT=html_root,
            )
            nginx = common.start_nginx(conf, tmp / "static-nginx", static_port)
            loads.append(common.load_average())
            measure_mode("static file", f"http://127.0.0.1:{static_port}", wrk, args.seconds, figures, notes)
        finally:
            common.stop(nginx)
            common.stop(gunicorn)
            if not args.keep:
                common.drop_database(DB)

    rows = []
    for page in PAGES:
        limit = figures[(page, "static file")]["rps"]
        for mode in MODES:
            f = figures[(page, mode)]
            ratio = f["rps"] / limit if limit else float("nan")
            target = ""
            if mode == "front proxy" and page in NEVER_CACHED:
                target = "not cached, no ratio"
            elif mode == "front proxy":
                target = "met" if ratio >= 0.5 else f"**missed** ({ratio:.2f}, needs 0.50)"
            errors = f"; {f['non2xx']} non-2xx" if f["non2xx"] else ""
            errors += f"; socket errors: {f['errors']}" if f["errors"] else ""
            label = page + (
                " (never cached by design)" if page in NEVER_CACHED and mode != "static file" else ""
            )
            rows.append(
                [
                    label,
                    mode,
                    f"{f['rps']:,.0f}",
                    f"{f['p50']:.2f}",
                    f"{f['p99']:.2f}",
                    f"{ratio:.3f}",
                    notes[(page, mode)] + errors,
                    target,
                ]
            )
    header = (
        f"### Page throughput ({common.today()}, {common.machine()}, {args.posts:,} posts)\n\n"
        f"wrk {THREADS} threads, {CONNECTIONS} connections, {args.seconds} s per page after a {WARMUP_SECONDS} s "
        f"warm-up; gunicorn {args.workers} sync workers, production settings, PostgreSQL + Redis; wrk, nginx and "
        f"gunicorn on the same machine. Load average at the start of each mode: {', '.join(loads)}. "
        f"HTML sizes (bytes): {', '.join(f'{p} {s:,}' for p, s in sizes.items())}.\n"
        "Ratio = requests/s ÷ nginx serving the same HTML as a static file. Target: front proxy ≥ 0.50. "
        "Notes: HTTP status, then X-Page-Cache (gunicorn) or X-Cache-Status (nginx) before→after the run.\n"
    )
    table = common.markdown_table(
        ["page", "mode", "requests/s", "median ms", "p99 ms", "ratio to static", "notes", "target"], rows
    )
    print("\n" + header + "\n" + table)
    path = common.save_result("pages", header + "\n" + table)
    print(f"\nsaved {path.relative_to(common.ROOT)}; total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    os.chdir(common.ROOT)
    main()
