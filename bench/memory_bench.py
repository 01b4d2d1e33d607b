"""Peak memory of a publish run facing very large Uptime Kuma answers (issue: under 256 MB each).

    .venv/bin/python bench/memory_bench.py [--code /older/checkout/lib]

Each case in a fresh process, its peak from /proc/self/status (VmHWM), the files written to a local folder:
- a 50 MB /metrics made of families this project does not read (a busy Kuma's request histograms), beside
  1000 monitors on the status page;
- a 50 MB /metrics made of monitor series: 60,000 monitors with long names, 1000 of them on the page;
- 10^6 beats: 10,000 monitors x 100 beats in the heartbeat API (about 70 MB), all on the page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent / "scripts")]

from kuma_standin import KumaResponses, KumaStandin, synthetic  # noqa: E402
from scenario import API_KEY, PUBLISH_CHILD, run_child  # noqa: E402

MB = 1024 * 1024


def padded_with_other_families(monitors: int, size: int) -> KumaResponses:
    responses = synthetic(monitors, down=monitors // 20, api_key=API_KEY)
    line = (
        b'http_request_duration_seconds_bucket{le="0.5",method="GET",'
        b'route="/api/status-page/heartbeat/x",status_code="200"} 12345\n'
    )
    responses.metrics += b"# TYPE http_request_duration_seconds histogram\n" + line * (size // len(line))
    return responses


def padded_with_monitors(monitors: int, on_page: int, size: int) -> KumaResponses:
    responses = synthetic(on_page, down=on_page // 20, api_key=API_KEY)
    name = "m" * (size // monitors // 2 - 120)
    lines = [
        f'monitor_status{{monitor_id="{i}",monitor_name="{name}{i}",monitor_type="http"}} 1\n'
        f'monitor_uptime_ratio{{monitor_id="{i}",monitor_name="{name}{i}",monitor_type="http",window="1d"}} 1\n'
        for i in range(on_page + 1, monitors + 1)
    ]
    responses.metrics += "".join(lines).encode()
    return responses


def run_case(label: str, responses: KumaResponses, pythonpath: str | None) -> None:
    kuma = KumaStandin(responses).start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = {
                "PATH": "/usr/bin:/bin",
                "UPTIME_KUMA_METRICS_URL": kuma.url,
                "UPTIME_KUMA_API_KEY": API_KEY,
                "UPTIME_KUMA_STATUS_PAGE": "test-status",
                "STATUS_OUT_DIR": f"{folder}/public",
                "STATUS_STATE_DIR": f"{folder}/state",
            }
            result = run_child(PUBLISH_CHILD, env, pythonpath)
    finally:
        kuma.stop()
    sizes = f"/metrics {len(responses.metrics) / MB:.0f} MB, heartbeats {len(responses.heartbeat) / MB:.0f} MB"
    print(
        f"| {label} | {sizes} | {result['peak_mb']:.0f} MB | {result['wall_s']:.1f} s | {result['status']} |",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", help="another checkout's lib/ to measure instead of this one")
    args = parser.parse_args()
    pythonpath = str(Path(args.code).resolve()) if args.code else None
    print("| case | bodies | peak memory | wall | status |")
    print("| --- | --- | --- | --- | --- |")
    run_case("50 MB /metrics, other families", padded_with_other_families(1000, 50 * MB), pythonpath)
    run_case("50 MB /metrics, 60,000 monitors", padded_with_monitors(60_000, 1000, 50 * MB), pythonpath)
    run_case("10^6 beats (10,000 monitors)", synthetic(10_000, down=500, api_key=API_KEY), pythonpath)
    return 0


if __name__ == "__main__":
    sys.exit(main())
