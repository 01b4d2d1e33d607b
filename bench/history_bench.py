"""Benchmark of the history: 1000 monitors with 400 days of roll-ups.

Builds a history state of that size, then runs one publish (Kuma stand-in with 1000 monitors and 100 beats
each, local directories for the files) in a fresh process: wall time, peak memory (max RSS), and the size
of the state object; then the growth of the state per day of history.

    .venv/bin/python bench/history_bench.py [--monitors 1000] [--days 400]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from array import array
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts")]

from kuma_standin import KumaStandin, synthetic  # noqa: E402
from platform_status.history.counts import MonitorCounts, day_of  # noqa: E402
from platform_status.history.state import HistoryState, LoadedHistory, MonitorRecord, save_history  # noqa: E402
from platform_status.store import LocalStore  # noqa: E402

ONE_RUN = """
import json, resource, time
from platform_status.config import load_settings
from platform_status.run.publish import publish
started = time.perf_counter()
outcome = publish(load_settings())
print(json.dumps({"wall_s": time.perf_counter() - started, "history": outcome.history,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "written": outcome.written}))
"""


def build_state(monitors: int, days: int, now: datetime) -> HistoryState:
    first = day_of(now) - timedelta(days=days - 1)
    per_day = array("I", [4300, 20, 0]) * days  # a 20 s monitor, a little downtime every day
    records = {}
    for monitor in range(1, monitors + 1):
        counts = MonitorCounts(
            last_beat_ms=int((now - timedelta(hours=1)).timestamp()) * 1000,
            minute_start=int(now.timestamp()) // 60 - 25 * 60 + 1,
            minutes=bytearray([3, 0]) * (25 * 60),
            first_day=first.toordinal(),
            days=array("I", per_day),
        )
        records[f"id:{monitor}"] = MonitorRecord.of(counts)
    groups = 10
    size = monitors // groups
    return HistoryState(
        monitors=records,
        counted=list(records),
        components={
            f"Group {g + 1}": [f"id:{m}" for m in range(g * size + 1, (g + 1) * size + 1)] for g in range(groups)
        },
    )


def state_size(state: HistoryState) -> int:
    return len(state.model_dump_json())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--monitors", type=int, default=1000)
    parser.add_argument("--days", type=int, default=400)
    args = parser.parse_args()
    now = datetime.now(UTC)

    with tempfile.TemporaryDirectory() as scratch:
        state_dir, public_dir = Path(scratch) / "state", Path(scratch) / "public"
        state = build_state(args.monitors, args.days, now)
        store = LocalStore(state_dir)
        save_history(store, "", LoadedHistory(HistoryState(), None), state, now)
        size_full = state_size(state)
        size_one_day_less = state_size(build_state(args.monitors, args.days - 1, now))

        kuma = KumaStandin(synthetic(args.monitors, down=args.monitors // 50, api_key="bench")).start()
        try:
            env = dict(os.environ) | {
                "UPTIME_KUMA_METRICS_URL": kuma.url,
                "UPTIME_KUMA_API_KEY": "bench",
                "UPTIME_KUMA_STATUS_PAGE": "test-status",
                "STATUS_OUT_DIR": str(public_dir),
                "STATUS_STATE_DIR": str(state_dir),
            }
            for name in ("SPACES_ENDPOINT", "SPACES_ACCESS_KEY", "SPACES_SECRET_KEY", "SPACES_BUCKET", "STATUS_BUCKET"):
                env.pop(name, None)
            completed = subprocess.run(
                [sys.executable, "-c", ONE_RUN], env=env, capture_output=True, text=True, check=True, timeout=300
            )
        finally:
            kuma.stop()
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        index_size = (public_dir / "history" / "index.json").stat().st_size

    print(f"{args.monitors} monitors x {args.days} days of roll-ups:")
    print(f"  state object: {size_full / 1024 / 1024:.2f} MB ({result['history']})")
    print(f"  one publish run: {result['wall_s']:.2f} s, peak memory {result['max_rss_mb']:.0f} MB")
    print(f"  public history/index.json: {index_size / 1024:.1f} KB")
    print(f"  growth per day of history: {(size_full - size_one_day_less) / 1024:.1f} KB (capped at HISTORY_DAYS)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "history.json").write_text(
        json.dumps({"monitors": args.monitors, "days": args.days, "state_bytes": size_full, **result}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
