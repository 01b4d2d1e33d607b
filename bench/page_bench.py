"""Benchmark of the status page in headless Chromium on 127.0.0.1: total bytes, request count, and the time
from navigation to the status being painted (first contentful paint: the status is in the HTML itself).

    .venv/bin/python bench/page_bench.py [--runs 5]

Uses the files the demo publishes (run `make demo` first) or renders the recorded-Kuma page itself.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Response, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]

from platform_status.assemble import build_document  # noqa: E402
from platform_status.history.advance import HistoryRules, advance  # noqa: E402
from platform_status.history.public import history_index  # noqa: E402
from platform_status.history.state import HistoryState  # noqa: E402
from platform_status.incidents.public import Timeline  # noqa: E402
from platform_status.rules.backups import BackupStatus  # noqa: E402
from platform_status.site.files import site_files  # noqa: E402
from support import RECORDED_AT, make_settings, observe, recorded_snapshot  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def render(root: Path) -> None:
    observations = observe(recorded_snapshot())
    advanced = advance(HistoryState(), observations.kuma, BackupStatus.SUCCESS, RECORDED_AT, HistoryRules())
    document = build_document(observations, make_settings(), advanced)
    now = datetime.now(UTC)  # fresh, so the page shows the status rather than "out of date"
    document = document.model_copy(update={"updated_at": now, "stale_after": now + timedelta(minutes=21)})
    index = history_index(advanced.state, RECORDED_AT)
    for item in site_files(document, index, Timeline([], []), [], page_name="Status", page_url="", now=RECORDED_AT):
        (root / item.key).parent.mkdir(parents=True, exist_ok=True)
        (root / item.key).write_bytes(item.body)
    (root / "status.json").write_bytes(document.to_json_bytes())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        render(root)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        paints, loads, sizes, counts = [], [], [], []
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                responses: list[int] = []

                def record(response: Response, seen: list[int] = responses) -> None:
                    seen.append(len(response.body()))

                page.on("response", record)
                page.goto(url)
                page.wait_for_function(
                    "document.getElementById('ago').textContent !== ''"
                    " && performance.getEntriesByName('first-contentful-paint').length > 0"
                )
                timing = page.evaluate(
                    "({fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,"
                    " load: performance.getEntriesByType('navigation')[0].loadEventEnd})"
                )
                paints.append(timing["fcp"])
                loads.append(timing["load"])
                sizes.append(sum(responses))
                counts.append(len(responses))
                context.close()
            browser.close()
        server.shutdown()
    result = {
        "bytes": statistics.median(sizes),
        "requests": statistics.median(counts),
        "first_contentful_paint_ms": statistics.median(paints),
        "load_event_ms": statistics.median(loads),
    }
    print(
        f"status page: {result['bytes'] / 1024:.1f} KB in {result['requests']:.0f} requests "
        "(index.html + status.json); "
        f"status painted after {result['first_contentful_paint_ms']:.0f} ms, load {result['load_event_ms']:.0f} ms "
        f"(median of {args.runs})"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "page.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
