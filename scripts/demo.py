"""The local demo: the real status/publish handler against local stand-ins, no cloud account needed.

Starts moto's S3 server (seeded with sample tenant backups: some fresh, one stale, one whose newest backup
is an empty file) and a Uptime Kuma stand-in replaying recorded Kuma 2.5.3 responses, both on 127.0.0.1;
runs `main(event, context)` of packages/status/publish over HTTP against them; copies the published files to
demo-output/ and says what status.json says. `scripts/dev.py` (make dev) starts the same stand-ins and leaves
them running for trying the commands by hand.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.util
import io
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kuma_standin import KumaResponses, KumaStandin
from platform_status.document import StatusDocument
from platform_status.reporting import describe_document, describe_summary
from spaces_standin import SpacesStandin, TenantPlan, seed_backups

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

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


@dataclass
class LocalStack:
    """The stand-ins a local run talks to, and the variables that point the publisher at them."""

    kuma: KumaStandin
    spaces: SpacesStandin
    env: dict[str, str]

    def stop(self) -> None:
        self.kuma.stop()
        self.spaces.stop()


def start_local_stack(kuma_port: int = 0, spaces_port: int = 0) -> LocalStack:
    """Moto's S3 server seeded with the sample tenants, and Kuma replaying its recorded 2.5.3 answers."""
    # The recorded beats replayed as if Kuma had just taken them: the bars and windows read as today's.
    recorded = KumaResponses.recorded(api_key=DEMO_API_KEY).shifted_to(datetime.now(UTC))
    kuma = KumaStandin(recorded, kuma_port).start()
    spaces = SpacesStandin(spaces_port).start()
    client = spaces.client()
    for bucket in (BACKUPS_BUCKET, STATUS_BUCKET):
        client.create_bucket(Bucket=bucket)
    objects = seed_backups(client, BACKUPS_BUCKET, SAMPLE_TENANTS, datetime.now(UTC))
    print(f"Spaces stand-in (moto) on {spaces.endpoint}: {len(SAMPLE_TENANTS)} tenants, {objects} backups")
    print(f"Uptime Kuma stand-in on {kuma.url}: recorded Kuma 2.5.3 (beats moved to now), status page test-status")
    env = spaces.environment(BACKUPS_BUCKET, STATUS_BUCKET) | {
        "UPTIME_KUMA_METRICS_URL": f"{kuma.url}/metrics",
        "UPTIME_KUMA_API_KEY": DEMO_API_KEY,
        "UPTIME_KUMA_STATUS_PAGE": "test-status",
    }
    return LocalStack(kuma, spaces, env)


def copy_public_files(client: S3Client, bucket: str, target: Path) -> None:
    """Every public file (not the private _state/), so the page can be opened from a local folder."""
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            if not item["Key"].startswith("_state/"):
                path = target / item["Key"]
                path.parent.mkdir(parents=True, exist_ok=True)
                response = client.get_object(Bucket=bucket, Key=item["Key"])
                body = response["Body"].read()
                # Stored compressed for the CDN (Content-Encoding: gzip): a plain local server needs it plain.
                path.write_bytes(gzip.decompress(body) if response.get("ContentEncoding") == "gzip" else body)


def main(output: Path = OUTPUT) -> int:
    stack = start_local_stack()
    try:
        os.environ.update(stack.env)
        log = io.StringIO()
        with contextlib.redirect_stdout(log):  # the function's one JSON log line: summarised below instead
            result = load_handler("publish")({}, DemoContext())
        print("\nstatus/publish ran (the real handler, main(event, context)):")
        for line in describe_summary(result):
            print(f"  {line}")
        if "error" in result:
            return 1
        client = stack.spaces.client()
        copy_public_files(client, STATUS_BUCKET, output)
        document = StatusDocument.model_validate_json((output / "status.json").read_bytes())
        print(f"\nIt published s3://{STATUS_BUCKET}/status.json, which says:")
        for line in describe_document(document):
            print(f"  {line}")
        shown = output.relative_to(ROOT) if output.is_relative_to(ROOT) else output
        print(f"\nThe public files are copied to {shown}/. See the page:")
        print(f"  python3 -m http.server -d {shown} 8000, then open http://127.0.0.1:8000/")
        print(
            f"It is a snapshot: the page says its data is out of date after {document.stale_after:%H:%M} UTC "
            "(nothing publishes it again). Run `make demo` again for a fresh one, or `make dev` for a stack that "
            "keeps running."
        )
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
