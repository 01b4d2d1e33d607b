"""The local demo: the real status/publish handler against local stand-ins, no cloud account needed.

Starts moto's S3 server (seeded with sample tenant backups: some fresh, one stale, one whose newest backup
is an empty file) and a Uptime Kuma stand-in replaying recorded Kuma 2.5.3 responses, both on 127.0.0.1;
runs `main(event, context)` of packages/status/publish over HTTP against them; downloads the published
status.json to demo-output/ and says what it says.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kuma_standin import KumaResponses, KumaStandin
from spaces_standin import SpacesStandin, TenantPlan, seed_backups

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "demo-output"
DEMO_API_KEY = "demo-api-key-for-the-local-stand-in"
BACKUPS_BUCKET = "demo-backups"
STATUS_BUCKET = "demo-status"

SAMPLE_TENANTS = [
    TenantPlan("tenant-01", newest_age=timedelta(hours=5)),
    TenantPlan("tenant-02", newest_age=timedelta(hours=6)),
    TenantPlan("tenant-03", newest_age=timedelta(hours=4, minutes=30)),
    TenantPlan("tenant-04", newest_age=timedelta(hours=72)),  # stale: backups stopped three days ago
    TenantPlan("tenant-05", newest_age=timedelta(hours=5), newest_empty=True),  # last night's file is empty
]


class DemoContext:
    """The shape of DigitalOcean's context object, with a 60 s deadline like the deployed function."""

    def __init__(self, timeout_ms: int = 60_000) -> None:
        self.deadline = int(time.time() * 1000) + timeout_ms
        self.function_name = "/demo/status/publish"
        self.activation_id = "demo"

    def get_remaining_time_in_millis(self) -> int:
        return self.deadline - int(time.time() * 1000)


def load_handler(function: str) -> Callable[..., dict[str, Any]]:
    path = ROOT / "packages" / "status" / function / "__main__.py"
    spec = importlib.util.spec_from_file_location(f"function_{function}", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    handler: Callable[..., dict[str, Any]] = module.main
    return handler


def main() -> int:
    kuma = KumaStandin(KumaResponses.recorded(api_key=DEMO_API_KEY)).start()
    spaces = SpacesStandin().start()
    try:
        client = spaces.client()
        for bucket in (BACKUPS_BUCKET, STATUS_BUCKET):
            client.create_bucket(Bucket=bucket)
        objects = seed_backups(client, BACKUPS_BUCKET, SAMPLE_TENANTS, datetime.now(UTC))
        print(f"Spaces stand-in (moto) on {spaces.endpoint}: {len(SAMPLE_TENANTS)} tenants, {objects} backups")
        print(f"Uptime Kuma stand-in on {kuma.url}: recorded Kuma 2.5.3 responses, status page test-status")

        os.environ.update(spaces.environment(BACKUPS_BUCKET, STATUS_BUCKET))
        os.environ.update(
            {
                "UPTIME_KUMA_METRICS_URL": f"{kuma.url}/metrics",
                "UPTIME_KUMA_API_KEY": DEMO_API_KEY,
                "UPTIME_KUMA_STATUS_PAGE": "test-status",
            }
        )
        result = load_handler("publish")({}, DemoContext())
        print("\nstatus/publish returned:")
        print(json.dumps(result, indent=2))
        if "error" in result:
            return 1

        # Copy every public file (not the private _state/) so the page can be opened from demo-output/.
        for item in client.list_objects_v2(Bucket=STATUS_BUCKET)["Contents"]:
            if not item["Key"].startswith("_state/"):
                target = OUTPUT / item["Key"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(client.get_object(Bucket=STATUS_BUCKET, Key=item["Key"])["Body"].read())
        document = json.loads((OUTPUT / "status.json").read_bytes())
        print(f"\nPublished s3://{STATUS_BUCKET}/status.json and the status page; copied to {OUTPUT}/:")
        print(f"  platform_status: {document['platform_status']}")
        print(f"  uptime.last_24h: {document['uptime']['last_24h']}")
        backups = document["backups"]
        print(f"  backups: {backups['last_backup_status']}, tenants {backups['tenants']}")
        for component in document["components"]:
            print(f"  component {component['name']}: {component['status']}, 24 h {component['uptime_24h']}")
        print(f"  stale after: {document['stale_after']}")
        print(f"\nSee the page: python3 -m http.server -d {OUTPUT} 8000, then open http://127.0.0.1:8000/")
    finally:
        kuma.stop()
        spaces.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
