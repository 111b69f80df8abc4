"""Page weight (HTML, CSS, JavaScript and fonts, images apart) and Lighthouse 12.2.3 scores. Prints figures; never
asserts.

    .venv/bin/python bench/weight_bench.py            # or: make bench-weight

Builds bench_weight (migrations and the demo content), runs gunicorn (production settings, static files from a
temporary STATIC_ROOT through WhiteNoise) behind the nginx front proxy (deploy/nginx.conf itself, inside
bench/nginx/front.conf), then:

  * weight: fetches home, a post and the contact page through the proxy, follows every stylesheet, script,
    preloaded font and CSS @import / url() of a font, and sums the bytes by kind, both as decoded (uncompressed)
    bytes and as bytes on the wire when the browser offers gzip and brotli;
  * Lighthouse 12.2.3 from bench/node_modules (installed from bench/package-lock.json with `npm ci` when missing),
    driving Debian's Chromium (/usr/bin/chromium through CHROME_PATH, installed with apt when missing; no browser is
    ever downloaded), --runs times per page (default 3, the median score is reported), with Lighthouse's default
    mobile emulation and simulated throttling (slow 4G, 4x CPU slowdown).

Targets: home under 60 KB of HTML, CSS and JavaScript together; every page at 95 or more in each category.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

DB = "bench_weight"
PAGES = {"home": "/", "post": common.PAGES["post"], "contact": "/contact/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--no-first-run"
)
HOME_TARGET_BYTES = 60 * 1024
SCORE_TARGET = 95
FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")


class AssetParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.assets.append(("css", a["href"]))
        elif tag == "link" and {"preload", "modulepreload"} & set(rel) and a.get("href"):
            kind = {"style": "css", "script": "js", "font": "font"}.get(a.get("as", ""), "")
            if "modulepreload" in rel:
                kind = "js"
            if kind:
                self.assets.append((kind, a["href"]))
        elif tag == "script" and a.get("src"):
            self.assets.append(("js", a["src"]))


def weigh(base: str, path: str) -> dict:
    """Bytes per kind for one page: decoded, and on the wire with Accept-Encoding: gzip, br."""
    totals = {kind: [0, 0] for kind in ("html", "css", "js", "font")}
    files: list[str] = []
    seen: set[str] = set()

    def get(url: str) -> bytes:
        status, _, body = common.fetch(url)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        _, headers, wire = common.fetch(url, {"Accept-Encoding": "br, gzip"})
        return body, len(wire) if headers.get("Content-Encoding") else len(body)

    def add(kind: str, url: str) -> bytes | None:
        if url in seen or urlsplit(url).netloc != urlsplit(base).netloc:
            return None
        seen.add(url)
        body, wire = get(url)
        totals[kind][0] += len(body)
        totals[kind][1] += wire
        files.append(f"{kind} {urlsplit(url).path} {len(body):,} B ({wire:,} on the wire)")
        return body

    page_url = base + path
    html = add("html", page_url)
    parser = AssetParser()
    parser.feed(html.decode())
    queue = [(kind, urljoin(page_url, href)) for kind, href in parser.assets]
    while queue:
        kind, url = queue.pop(0)
        body = add(kind, url)
        if body is None or kind != "css":
            continue
        text = body.decode(errors="replace")
        for ref in re.findall(r"@import\s+(?:url\()?['\"]?([^'\")\s;]+)", text):
            queue.append(("css", urljoin(url, ref)))
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", text):
            if urlsplit(ref).path.lower().endswith(FONT_EXTENSIONS):
                queue.append(("font", urljoin(url, ref)))
    return {"totals": totals, "files": files}


def ensure_lighthouse() -> Path:
    binary = common.BENCH / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        common.log("installing lighthouse 12.2.3 from bench/package-lock.json (npm ci)")
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=common.BENCH,
            env=env,
            check=True,
        )
    return binary


def lighthouse(binary: Path, chromium: str, url: str, out: Path) -> dict[str, float]:
    env = {**os.environ, "CHROME_PATH": chromium}
    subprocess.run(
        [
            str(binary),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    report = json.loads(out.read_text())
    scores = {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    failed = {
        c: [
            report["audits"][ref["id"]]["title"]
            for ref in report["categories"][c]["auditRefs"]
            if ref.get("weight")
            and report["audits"][ref["id"]].get("score") is not None
            and report["audits"][ref["id"]]["score"] < 0.9
        ]
        for c in CATEGORIES
    }
    return {"scores": scores, "failed": failed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()

    started = time.perf_counter()
    chromium = common.ensure_apt("chromium", "chromium")
    common.ensure_apt("nginx", "nginx-light")
    binary = ensure_lighthouse()
    weights: dict[str, dict] = {}
    runs: dict[str, list[dict]] = {page: [] for page in PAGES}
    gunicorn = nginx = None
    with common.temp_dir("bench-weight-") as tmp:
        media_root = tmp / "media"
        media_root.mkdir()
        try:
            env = common.site_env(DB, tmp / "static", MEDIA_ROOT=str(media_root))
            common.build_site(DB, 9, env)  # the demo content only
            common.collectstatic(env)
            common.flush_redis()
            port, front_port = common.free_port(), common.free_port()
            gunicorn = common.start_gunicorn(env, port, tmp / "gunicorn.log")
            conf = common.render_front_proxy(
                tmp / "front.conf",
                prefix=tmp / "front",
                port=front_port,
                upstream_port=port,
                media_root=media_root,
            )
            nginx = common.start_nginx(conf, tmp / "front", front_port)
            base = f"http://127.0.0.1:{front_port}"
            load = common.load_average()
            for page, path in PAGES.items():
                weights[page] = weigh(base, path)
            for run in range(args.runs):
                for page, path in PAGES.items():
                    runs[page].append(lighthouse(binary, chromium, base + path, tmp / f"{page}-{run}.json"))
                    common.log(f"lighthouse {page} run {run + 1}: {runs[page][-1]['scores']}")
        finally:
            common.stop(nginx)
            common.stop(gunicorn)
            if not args.keep:
                common.drop_database(DB)

    def kb(value: int) -> str:
        return f"{value / 1024:.1f}"

    weight_rows = []
    for page, data in weights.items():
        t = data["totals"]
        html_css_js = sum(t[k][0] for k in ("html", "css", "js"))
        wire = sum(t[k][1] for k in ("html", "css", "js"))
        target = ""
        if page == "home":
            target = (
                "met"
                if html_css_js < HOME_TARGET_BYTES
                else f"**missed** by {kb(html_css_js - HOME_TARGET_BYTES)} KB"
            )
        weight_rows.append(
            [page, *(kb(t[k][0]) for k in ("html", "css", "js", "font")), kb(html_css_js), kb(wire), target]
        )
    score_rows = []
    for page, results in runs.items():
        medians = {c: statistics.median(r["scores"][c] for r in results) for c in CATEGORIES}
        below = [c for c in CATEGORIES if medians[c] < SCORE_TARGET]
        failed = sorted({title for r in results for c in below for title in r["failed"][c]})
        target = "met" if not below else "**missed**: " + "; ".join(failed)[:400]
        spread = {
            c: f"{min(r['scores'][c] for r in results)}-{max(r['scores'][c] for r in results)}"
            for c in CATEGORIES
        }
        score_rows.append([page, *(f"{medians[c]:.0f} ({spread[c]})" for c in CATEGORIES), target])

    header = (
        f"### Page weight and Lighthouse ({common.today()}, {common.machine()}, load average {load})\n\n"
        "Through the nginx front proxy to gunicorn (production settings, demo content). KB = 1,024 bytes, decoded; "
        "'on the wire' = HTML + CSS + JS as sent to a browser offering gzip and brotli. Images are left out. "
        f"Target: home HTML + CSS + JS < {HOME_TARGET_BYTES // 1024} KB.\n"
    )
    table = common.markdown_table(
        ["page", "HTML KB", "CSS KB", "JS KB", "fonts KB", "HTML+CSS+JS KB", "on the wire KB", "target"],
        weight_rows,
    )
    files = "\n".join(f"- {page}: " + "; ".join(data["files"]) for page, data in weights.items())
    lh_header = (
        f"Lighthouse 12.2.3, Chromium {subprocess.run([chromium, '--version'], capture_output=True, text=True).stdout.strip()}, "
        f"{args.runs} runs per page, median (min-max); default mobile emulation with simulated throttling "
        f"(Lighthouse's own). Target: ≥ {SCORE_TARGET} in each category.\n"
    )
    lh_table = common.markdown_table(["page", *CATEGORIES, "target"], score_rows)
    text = f"{header}\n{table}\n\nFiles:\n{files}\n\n{lh_header}\n{lh_table}"
    print("\n" + text)
    path = common.save_result("weight", text)
    print(f"\nsaved {path.relative_to(common.ROOT)}; total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    os.chdir(common.ROOT)
    main()
