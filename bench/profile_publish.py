"""Where one steady publish run at N monitors x N tenants spends its CPU and its memory.

    .venv/bin/python bench/profile_publish.py [--size 1000] [--history-days 400] [--code /older/checkout/lib]

The same stand-ins as publish_bench.py; a first run makes the history (from `--history-days` of seeded history
if given), then a steady run is profiled twice in fresh processes: cProfile in every thread (the ten functions
with the most CPU of their own, and the ten with the most including what they call), and tracemalloc (the peak
of Python's allocations phase by phase, and the ten lines holding the most memory when the history was read,
advanced and serialised).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent / "scripts")]

from kuma_standin import KumaStandin, synthetic  # noqa: E402
from scenario import (  # noqa: E402
    API_KEY,
    PUBLISH_CHILD,
    MotoServer,
    environment,
    run_child,
    s3_client,
    seed_backups,
    seed_history,
)

CPU_CHILD = """
import cProfile, io, pstats, sys, threading
from platform_status.config import load_settings
try:
    from platform_status.run.publish import publish
except ImportError:
    from platform_status.publish import publish
settings = load_settings()
# Waiting (for a socket, a lock, a queue, a thread) is not work: left out of the lists.
WORK = r"^(?!.*(acquire|SimpleQueue|recv_into|sendall|select|poll|_socket|thread\\.py|threading\\.py|_base\\.py))"
# Every thread's CPU, not only the main thread's: the sources are parsed and the history merged in others.
profilers = []
def profile_this_thread(*_):
    sys.setprofile(None)
    profiler = cProfile.Profile()
    profilers.append(profiler)
    profiler.enable()
threading.setprofile(profile_this_thread)
main = cProfile.Profile()
profilers.append(main)
main.enable()
publish(settings)
main.disable()
threading.setprofile(None)
stats = pstats.Stats(*[p for p in profilers if p.getstats()], stream=io.StringIO())
for order in ("tottime", "cumulative"):
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats(order).print_stats(WORK, 10)
    body = out.getvalue()
    print(f"== top 10 by {order}, all threads, waiting left out ==")
    print(body[body.index("ncalls"):].rstrip())
print("RESULT {}")
"""


MEMORY_CHILD = """
import sys, threading, time, tracemalloc
tracemalloc.start(1)
from platform_status.config import load_settings
try:
    from platform_status.run.publish import publish
    import platform_status.run.publish as run_module
except ImportError:
    from platform_status.publish import publish
    import platform_status.publish as run_module
settings = load_settings()
phases = []  # (phase, traced peak during it)
snapshots = {}
lock = threading.Lock()
def watch(owner, name, label, snapshot=False):
    original = getattr(owner, name, None)
    if original is None:
        return
    def watched(*args, **kwargs):
        result = original(*args, **kwargs)
        with lock:
            phases.append((label, tracemalloc.get_traced_memory()[1] / 1e6))
            tracemalloc.reset_peak()
            if snapshot:
                snapshots[label] = tracemalloc.take_snapshot()
        return result
    setattr(owner, name, watched)
try:
    import platform_status.run.writes as writes_module
except ImportError:
    writes_module = run_module
for name, label, snap in (("_history", "history read", True), ("_merged", "beats merged", False),
                          ("_history_merged", "beats merged", False), ("advance", "history advanced", True),
                          ("build_document", "document", False)):
    watch(run_module, name, label, snap)
for name, label, snap in (("site_outputs", "site rendered", False), ("history_writes", "history serialised", True),
                          ("generation_write", "history serialised", True)):
    watch(writes_module, name, label, snap)
publish(settings)
phases.append(("rest of the run", tracemalloc.get_traced_memory()[1] / 1e6))
print("== traced peak (Python allocations) by phase, in the order the phases ended ==")
for label, peak in phases:
    print(f"{peak:8.1f} MB  {label}")
for label, snapshot in snapshots.items():
    print(f"== top 10 lines by memory held when '{label}' ended ==")
    for stat in snapshot.statistics("lineno")[:10]:
        print(f"{stat.size / 1e6:8.2f} MB  {stat.count:8d} blocks  {stat.traceback[0]}")
print("RESULT {}")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--code", help="another checkout's lib/ to profile instead of this one")
    parser.add_argument("--history-days", type=int, default=0, help="start from this many days of history")
    args = parser.parse_args()
    pythonpath = str(Path(args.code).resolve()) if args.code else None
    moto = MotoServer()
    kuma = KumaStandin(synthetic(args.size, down=args.size // 20, api_key=API_KEY)).start()
    try:
        seed_backups(moto.endpoint, args.size)
        bucket = f"status-{uuid.uuid4().hex[:6]}"
        s3_client(moto.endpoint).create_bucket(Bucket=bucket)
        env = environment(kuma.url, moto.endpoint, args.size, bucket)
        if args.history_days:
            seed_history(env, pythonpath, args.size, args.history_days)
        run_child(PUBLISH_CHILD, env, pythonpath)  # the history exists (and its day is settled) from here on
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
