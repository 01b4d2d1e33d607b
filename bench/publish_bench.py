"""Benchmark of one publish run, against moto's S3 server (its own process) and the Kuma stand-in.

For 10, 100, 1000 and 5000 monitors and 10, 100 and 1000 tenants with 8 backups each, one publish run in
a fresh process: wall time, HTTP requests (Kuma and S3), peak memory (max RSS of that process). The cold
start is bench/cold_start_bench.py. Everything stays on 127.0.0.1.

    make bench            (or: .venv/bin/python bench/publish_bench.py [--quick])
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts")]

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

from kuma_standin import KumaStandin, synthetic  # noqa: E402

MONITORS = (10, 100, 1000, 5000)
TENANTS = (10, 100, 1000)
BACKUPS_PER_TENANT = 8
API_KEY = "bench-api-key"

# Runs in a fresh process so its peak memory is the publish run's own.
ONE_RUN = """
import json, resource, sys, time
import boto3
from botocore.config import Config
from platform_status.config import load_settings
from platform_status.run.publish import publish
settings = load_settings()
client = boto3.client("s3", endpoint_url=settings.spaces_endpoint.unicode_string().rstrip("/"),
    region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench",
    config=Config(s3={"addressing_style": "path"}))
calls = []
client.meta.events.register("before-send.s3", lambda request, **_: calls.append(request.method))
started = time.perf_counter()
outcome = publish(settings, s3_client=client)
wall = time.perf_counter() - started
print(json.dumps({"wall_s": wall, "s3_requests": len(calls), "status": outcome.document.platform_status.value,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "ok": outcome.summary()["ok"]}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, endpoint
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not start")


def seed(endpoint: str, tenants: int) -> str:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(s3={"addressing_style": "path"}, max_pool_connections=16),
    )
    bucket = f"backups-{tenants}"
    client.create_bucket(Bucket=bucket)
    client.create_bucket(Bucket=f"status-{tenants}")
    today = datetime.now(UTC)
    for tenant in range(tenants):
        for night in range(BACKUPS_PER_TENANT):
            key = f"backups/tenant-{tenant:04}/{today:%Y-%m}-{night:02}.tar.gz"
            client.put_object(Bucket=bucket, Key=key, Body=b"backup")
    return bucket


def run_once(endpoint: str, kuma: KumaStandin, tenants: int) -> dict[str, object]:
    env = dict(os.environ) | {
        "UPTIME_KUMA_METRICS_URL": kuma.url,
        "UPTIME_KUMA_API_KEY": API_KEY,
        "UPTIME_KUMA_STATUS_PAGE": "test-status",
        "SPACES_ACCESS_KEY": "bench",
        "SPACES_SECRET_KEY": "bench",
        "SPACES_ENDPOINT": endpoint,
        "SPACES_REGION": "us-east-1",
        "SPACES_BUCKET": f"backups-{tenants}",
        "STATUS_BUCKET": f"status-{tenants}",
    }
    kuma.responses.requests.clear()
    completed = subprocess.run(
        [sys.executable, "-c", ONE_RUN], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    result: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    result["kuma_requests"] = sum(kuma.responses.requests.values())
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only 100 monitors x 100 tenants")
    args = parser.parse_args()
    monitors_list, tenants_list = ((100,), (100,)) if args.quick else (MONITORS, TENANTS)

    moto, endpoint = start_moto()
    rows = []
    try:
        for tenants in tenants_list:
            seed(endpoint, tenants)
        for monitors in monitors_list:
            kuma = KumaStandin(synthetic(monitors, down=monitors // 20, api_key=API_KEY)).start()
            try:
                for tenants in tenants_list:
                    result = run_once(endpoint, kuma, tenants)
                    rows.append({"monitors": monitors, "tenants": tenants, **result})
                    print(
                        f"{monitors:>5} monitors {tenants:>5} tenants: {result['wall_s']:.2f} s, "
                        f"{result['kuma_requests']} Kuma + {result['s3_requests']} S3 requests, "
                        f"peak {result['max_rss_mb']:.0f} MB, status {result['status']}",
                        flush=True,
                    )
            finally:
                kuma.stop()
    finally:
        moto.terminate()
        moto.wait()

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "publish.json").write_text(json.dumps({"runs": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
