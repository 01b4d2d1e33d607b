"""One publish run against the bare requests it cannot do without, from 100 to 10,000 monitors and tenants.

    make bench                       (or: .venv/bin/python bench/publish_bench.py [--sizes 100,1000] [--quick])
    .venv/bin/python bench/publish_bench.py --code /path/to/an/older/checkout/lib      (the same, on older code)

Everything on 127.0.0.1: moto's S3 server in its own process, behind a counting proxy; the Kuma stand-in
serving N monitors x 100 beats (5 % down) and a backups bucket of N tenants x 8 nightly backups. For each
size, in fresh processes: the bare requests (3 Kuma GETs, the listing page after page as a plain client lists,
one PUT), a first run, a steady run (from here on the publisher lists the backups in ranges at once),
a run after a change (one more monitor down); then runs from a history of 400 days; then the steady run and
the bare requests again with 30 ms added to every S3 request; and, at 1000, the floor as the issue measured it:
one warm process, the bare requests with two PUTs and a publish run alternately, five pairs, the median ratio.
Each figure: wall time, CPU of the run, peak memory (VmHWM), S3 requests (PUT/GET/...), bytes to and from S3.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import uuid
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent / "scripts")]

from kuma_standin import KumaStandin, synthetic  # noqa: E402
from scenario import (  # noqa: E402
    API_KEY,
    BARE_CHILD,
    PUBLISH_CHILD,
    ROOT,
    WARM_PAIRS_CHILD,
    CountingProxy,
    MotoServer,
    environment,
    run_child,
    s3_client,
    seed_backups,
    seed_history,
)

LATENCY_SECONDS = 0.030
PAIRS = 5  # bare and publish alternately: moto's own speed drifts more than the differences measured


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time (its other figures with it)."""
    return sorted(runs, key=lambda run: run["wall_s"])[len(runs) // 2]


def measure(
    proxy: CountingProxy, code: str, env: dict[str, str], pythonpath: str | None, delay: float = 0.0
) -> dict[str, Any]:
    proxy.reset(delay)
    result = run_child(code, env, pythonpath)
    result["s3_requests"] = dict(proxy.requests)
    result["bytes_to_s3"] = proxy.bytes_sent
    result["bytes_from_s3"] = proxy.bytes_received
    return result


def row(label: str, size: int, result: dict[str, Any]) -> str:
    requests = " ".join(f"{method} {count}" for method, count in sorted(result["s3_requests"].items()))
    return (
        f"| {label} | {size:,} | {result['wall_s']:.2f} s | {result['cpu_s']:.2f} s | {result['peak_mb']:.0f} MB | "
        f"{requests} | {result['bytes_to_s3'] / 1024:.0f} KiB | {result['bytes_from_s3'] / 1024:.0f} KiB |"
    )


def main() -> int:  # noqa: PLR0915 - one table, step by step
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,3000,10000", help="monitors = tenants, comma separated")
    parser.add_argument("--history-sizes", default="1000,10000", help="sizes also run from 400 days of history")
    parser.add_argument("--code", help="another checkout's lib/ to measure instead of this one (PYTHONPATH)")
    parser.add_argument("--quick", action="store_true", help="100 and 1000 only")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "publish.json")
    args = parser.parse_args()
    sizes = [100, 1000] if args.quick else [int(size) for size in args.sizes.split(",") if size]
    history_sizes = [] if args.quick else [int(size) for size in args.history_sizes.split(",") if size]
    pythonpath = str(Path(args.code).resolve()) if args.code else None

    moto = MotoServer()
    proxy = CountingProxy(moto.port)
    results: list[dict[str, Any]] = []
    print("| run | monitors = tenants | wall | CPU | peak memory | S3 requests | to S3 | from S3 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    try:
        for size in sorted(set(sizes) | set(history_sizes)):
            seed_backups(moto.endpoint, size)
        for size in sorted(set(sizes) | set(history_sizes)):
            kuma = KumaStandin(synthetic(size, down=size // 20, api_key=API_KEY)).start()
            try:
                status_bucket = f"status-{size}-{uuid.uuid4().hex[:6]}"
                s3_client(moto.endpoint).create_bucket(Bucket=status_bucket)
                env = environment(kuma.url, proxy.endpoint, size, status_bucket)
                runs: list[tuple[str, str, float]] = []
                if size in sizes:
                    runs += [("bare requests", BARE_CHILD, 0.0), ("first run", PUBLISH_CHILD, 0.0)]
                    runs += [("steady run", PUBLISH_CHILD, 0.0)]
                for label, code, delay in runs:
                    result = measure(proxy, code, env, pythonpath, delay)
                    results.append({"run": label, "size": size, **result})
                    print(row(label, size, result), flush=True)
                if size in sizes:
                    kuma.responses = synthetic(size, down=size // 20 + 1, api_key=API_KEY)
                    result = measure(proxy, PUBLISH_CHILD, env, pythonpath)
                    results.append({"run": "after a change", "size": size, **result})
                    print(row("after a change", size, result), flush=True)
                if size in history_sizes:
                    history_bucket = f"history-{size}-{uuid.uuid4().hex[:6]}"
                    s3_client(moto.endpoint).create_bucket(Bucket=history_bucket)
                    history_env = environment(kuma.url, moto.endpoint, size, history_bucket)
                    seed_history(history_env, pythonpath, size, 400)
                    env = environment(kuma.url, proxy.endpoint, size, history_bucket)
                    for label in ("400 days of history", "400 days, steady"):
                        result = measure(proxy, PUBLISH_CHILD, env, pythonpath)
                        results.append({"run": label, "size": size, **result})
                        print(row(label, size, result), flush=True)
                if size == 1000 and size in sizes:
                    for delay, suffix in ((0.0, ""), (LATENCY_SECONDS, ", +30 ms per S3 request")):
                        pairs = [
                            (
                                measure(proxy, BARE_CHILD, env, pythonpath, delay),
                                measure(proxy, PUBLISH_CHILD, env, pythonpath, delay),
                            )
                            for _ in range(PAIRS)
                        ]
                        for index, label in (
                            (0, f"bare{suffix}, median of {PAIRS}"),
                            (1, f"steady{suffix}, median of {PAIRS}"),
                        ):
                            result = median_run([pair[index] for pair in pairs])
                            results.append({"run": label, "size": size, **result})
                            print(row(label, size, result), flush=True)
                        ratio = statistics.median(steady["wall_s"] / bare["wall_s"] for bare, steady in pairs)
                        label = f"publish / bare requests{suffix}"
                        print(f"| {label} | {size:,} | {ratio:.2f}x (median of {PAIRS} pairs) | | | | | |")
                        # The floor: one warm process, two PUTs, the two alternating in it.
                        proxy.reset(delay)
                        warm = run_child(WARM_PAIRS_CHILD, env, pythonpath)
                        results.append({"run": f"warm pairs{suffix}", "size": size, **warm})
                        label = f"publish / bare requests with 2 PUTs, one warm process{suffix}"
                        figure = f"{warm['ratio']:.2f}x (median of {len(warm['pairs'])} pairs)"
                        print(f"| {label} | {size:,} | {figure} | | | | | |")
            finally:
                kuma.stop()
    finally:
        moto.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
