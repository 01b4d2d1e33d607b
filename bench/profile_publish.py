"""Where one steady publish run at N monitors x N tenants spends its CPU and its memory.

    .venv/bin/python bench/profile_publish.py [--size 1000] [--code /older/checkout/lib]

The same stand-ins as publish_bench.py; a first run makes the history, then a steady run is profiled twice in
fresh processes: cProfile (the ten functions with the most CPU of their own, and the ten with the most
including what they call), and tracemalloc (the ten lines holding the most memory at the run's peak).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent / "scripts")]

from kuma_standin import KumaStandin, synthetic  # noqa: E402
from scenario import API_KEY, PUBLISH_CHILD, MotoServer, environment, run_child, s3_client, seed_backups  # noqa: E402

CPU_CHILD = """
import cProfile, io, pstats, sys
from platform_status.config import load_settings
try:
    from platform_status.run.publish import publish
except ImportError:
    from platform_status.publish import publish
settings = load_settings()
profiler = cProfile.Profile()
profiler.enable()
publish(settings)
profiler.disable()
for order in ("tottime", "cumulative"):
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(10)
    body = out.getvalue()
    print(f"== top 10 by {order} ==")
    print(body[body.index("ncalls"):].rstrip())
print("RESULT {}")
"""

MEMORY_CHILD = """
import tracemalloc
tracemalloc.start(1)
from platform_status.config import load_settings
try:
    from platform_status.run.publish import publish
except ImportError:
    from platform_status.publish import publish
import platform_status.history.advance as advance_module
settings = load_settings()
peak_snapshot = {}
original = advance_module.advance
def watched(*args, **kwargs):
    result = original(*args, **kwargs)
    peak_snapshot["at advance"] = tracemalloc.take_snapshot()
    return result
advance_module.advance = watched
try:
    import platform_status.run.publish as run_publish
    run_publish.advance = watched
except ImportError:
    import platform_status.publish as old_publish
    old_publish.advance = watched
publish(settings)
current, peak = tracemalloc.get_traced_memory()
print(f"== traced peak {peak / 1e6:.1f} MB; top 10 lines by memory held after the history step ==")
for stat in peak_snapshot["at advance"].statistics("lineno")[:10]:
    print(f"{stat.size / 1e6:8.2f} MB  {stat.count:8d} blocks  {stat.traceback[0]}")
print("RESULT {}")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--code", help="another checkout's lib/ to profile instead of this one")
    args = parser.parse_args()
    pythonpath = str(Path(args.code).resolve()) if args.code else None
    moto = MotoServer()
    kuma = KumaStandin(synthetic(args.size, down=args.size // 20, api_key=API_KEY)).start()
    try:
        seed_backups(moto.endpoint, args.size)
        bucket = f"status-{uuid.uuid4().hex[:6]}"
        s3_client(moto.endpoint).create_bucket(Bucket=bucket)
        env = environment(kuma.url, moto.endpoint, args.size, bucket)
        run_child(PUBLISH_CHILD, env, pythonpath)  # the history exists from here on
        for code in (CPU_CHILD, MEMORY_CHILD):
            import subprocess  # noqa: PLC0415

            run_env = env | ({"PYTHONPATH": pythonpath} if pythonpath else {})
            out = subprocess.run([sys.executable, "-c", code], env=run_env, capture_output=True, text=True, check=True)
            print(out.stdout.replace("RESULT {}", "").rstrip(), flush=True)
    finally:
        kuma.stop()
        moto.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
