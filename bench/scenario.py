"""What the benchmarks run against, all on 127.0.0.1: moto's S3 server in its own process, a counting proxy
in front of it (which can add latency per request), Uptime Kuma replayed by the stand-in, and one publish run
(or the bare requests) in a fresh process that reports its own figures.

Memory is the child's VmHWM from /proc/self/status: its own peak resident set, never its parent's (which
`ru_maxrss` in a child can carry over on Linux).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts")]

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

BACKUPS_PER_TENANT = 8
API_KEY = "bench-api-key"
ACCESS_KEY = SECRET_KEY = "bench"

VMHWM = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

# One publish run, as the function runs it; works with this code and with the code before the rework
# (platform_status.publish), so the same bench measures both.
PUBLISH_CHILD = (
    VMHWM
    + """
import json, sys, time
from platform_status.config import load_settings
try:
    from platform_status.run.publish import publish
except ImportError:
    from platform_status.publish import publish
settings = load_settings()
wall, cpu = time.perf_counter(), time.process_time()
outcome = publish(settings)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print("RESULT " + json.dumps({"wall_s": wall, "cpu_s": cpu, "peak_mb": peak_mb(), "ok": outcome.summary()["ok"],
    "status": outcome.document.platform_status.value, "history": outcome.history, "problems": outcome.problems,
    "written": len(outcome.written)}))
"""
)

# The floor: only the requests no publisher can do without, in one run: the three Kuma GETs (bodies read
# whole, as a plain client does), the backups listing (every page), one PUT of status.json.
BARE_CHILD = (
    VMHWM
    + """
import json, os, time
from concurrent.futures import ThreadPoolExecutor
import boto3, requests
from botocore.config import Config
wall, cpu = time.perf_counter(), time.process_time()
kuma, slug = os.environ["UPTIME_KUMA_METRICS_URL"], os.environ["UPTIME_KUMA_STATUS_PAGE"]
s3 = boto3.client("s3", endpoint_url=os.environ["SPACES_ENDPOINT"], region_name="us-east-1",
    aws_access_key_id="bench", aws_secret_access_key="bench", config=Config(s3={"addressing_style": "path"}))
session = requests.Session()
def get(path, auth=None):
    return session.get(kuma + path, auth=auth, timeout=60).content
def listing():
    return sum(len(p.get("Contents", [])) for p in s3.get_paginator("list_objects_v2").paginate(
        Bucket=os.environ["SPACES_BUCKET"], Prefix="backups/"))
with ThreadPoolExecutor(4) as pool:
    bodies = [pool.submit(get, "/metrics", ("", os.environ["UPTIME_KUMA_API_KEY"])),
              pool.submit(get, f"/api/status-page/{slug}"), pool.submit(get, f"/api/status-page/heartbeat/{slug}"),
              pool.submit(listing)]
    results = [b.result() for b in bodies]
s3.put_object(Bucket=os.environ["STATUS_BUCKET"], Key="status.json", Body=b'{"platform_status": "operational"}')
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print("RESULT " + json.dumps({"wall_s": wall, "cpu_s": cpu, "peak_mb": peak_mb()}))
"""
)

# The floor, measured as a warm function lives: one process, its clients made once, then five times
# the bare requests (the three Kuma GETs, the backups listing page after page, two PUTs: status.json and the
# page) and a publish run, alternately. Each pair's ratio; the median of them is the figure.
WARM_PAIRS_CHILD = """
import json, os, statistics, time
from concurrent.futures import ThreadPoolExecutor
import boto3, requests
from botocore.config import Config
from platform_status.config import load_settings
from platform_status.run.publish import publish
kuma, slug = os.environ["UPTIME_KUMA_METRICS_URL"], os.environ["UPTIME_KUMA_STATUS_PAGE"]
s3 = boto3.client("s3", endpoint_url=os.environ["SPACES_ENDPOINT"], region_name="us-east-1",
    aws_access_key_id="bench", aws_secret_access_key="bench", config=Config(s3={"addressing_style": "path"}))
session = requests.Session()
settings = load_settings()
def get(path, auth=None):
    return session.get(kuma + path, auth=auth, timeout=60).content
def listing():
    return sum(len(p.get("Contents", [])) for p in s3.get_paginator("list_objects_v2").paginate(
        Bucket=os.environ["SPACES_BUCKET"], Prefix="backups/"))
def bare():
    with ThreadPoolExecutor(4) as pool:
        bodies = [pool.submit(get, "/metrics", ("", os.environ["UPTIME_KUMA_API_KEY"])),
                  pool.submit(get, f"/api/status-page/{slug}"),
                  pool.submit(get, f"/api/status-page/heartbeat/{slug}"), pool.submit(listing)]
        [b.result() for b in bodies]
    for key in ("bare/status.json", "bare/index.html"):
        s3.put_object(Bucket=os.environ["STATUS_BUCKET"], Key=key, Body=b'{"platform_status": "operational"}')
def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start
publish(settings)  # the first run (no history yet) is not what a warm container does every 10 minutes
pairs = [(timed(bare), timed(lambda: publish(settings))) for _ in range(int(os.environ.get("PAIRS", "5")))]
print("RESULT " + json.dumps({"pairs": pairs, "ratio": statistics.median(p / b for b, p in pairs)}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class MotoServer:
    """moto's S3 server in a process of its own, as a separate service is."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("moto_server did not start")

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


class CountingProxy(ThreadingHTTPServer):
    """Forwards each S3 request to moto after `delay` seconds, counting requests by method and bytes."""

    daemon_threads = True

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.delay = 0.0
        self.requests: Counter[str] = Counter()
        self.bytes_sent = self.bytes_received = 0  # to S3 (request bodies) and from it (response bodies)
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def reset(self, delay: float = 0.0) -> None:
        with self.lock:
            self.delay, self.bytes_sent, self.bytes_received = delay, 0, 0
            self.requests.clear()


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CountingProxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.server.delay:
            time.sleep(self.server.delay)
        connection = getattr(self, "_upstream", None)
        if connection is None:
            connection = self._upstream = http.client.HTTPConnection(
                "127.0.0.1", self.server.upstream_port, timeout=120
            )
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "proxy-connection")}
        connection.request(self.command, self.path, body=body or None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        with self.server.lock:
            self.server.requests[self.command] += 1
            self.server.bytes_sent += len(body)
            self.server.bytes_received += len(data)
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward  # noqa: N815 - http.server's names


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(s3={"addressing_style": "path"}, max_pool_connections=32),
    )


def seed_backups(endpoint: str, tenants: int) -> str:
    """`tenants` tenants with a nightly backup each of the last 8 nights; returns the bucket."""
    client = s3_client(endpoint)
    bucket = f"backups-{tenants}"
    client.create_bucket(Bucket=bucket)
    today = datetime.now(UTC)
    keys = [
        f"backups/tenant-{tenant:05}/{(today - timedelta(days=night)):%Y-%m-%d}.tar.gz"
        for tenant in range(tenants)
        for night in range(BACKUPS_PER_TENANT)
    ]
    with ThreadPoolExecutor(32) as pool:
        list(pool.map(lambda key: client.put_object(Bucket=bucket, Key=key, Body=b"backup"), keys))
    return bucket


def environment(kuma_url: str, spaces: str, tenants: int, status_bucket: str) -> dict[str, str]:
    return dict(os.environ) | {
        "UPTIME_KUMA_METRICS_URL": kuma_url,
        "UPTIME_KUMA_API_KEY": API_KEY,
        "UPTIME_KUMA_STATUS_PAGE": "test-status",
        "SPACES_ACCESS_KEY": ACCESS_KEY,
        "SPACES_SECRET_KEY": SECRET_KEY,
        "SPACES_ENDPOINT": spaces,
        "SPACES_REGION": "us-east-1",
        "SPACES_BUCKET": f"backups-{tenants}",
        "STATUS_BUCKET": status_bucket,
    }


def run_child(code: str, env: dict[str, str], pythonpath: str | None = None) -> dict[str, Any]:
    if pythonpath:
        env = env | {"PYTHONPATH": pythonpath}
    completed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=900, check=False
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    if completed.returncode != 0 or not lines:
        raise RuntimeError(f"the run failed: {completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    return result


def seed_history(env: dict[str, str], pythonpath: str | None, monitors: int, days: int) -> None:
    script = Path(__file__).resolve().parent / "history_seed.py"
    run_env = env | ({"PYTHONPATH": pythonpath} if pythonpath else {})
    subprocess.run(
        [sys.executable, str(script), "--monitors", str(monitors), "--days", str(days)], env=run_env, check=True
    )
