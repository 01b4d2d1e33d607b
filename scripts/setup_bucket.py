"""Prepare and check the buckets: CORS for the marketing site, public files public, private things private.

    python scripts/setup_bucket.py --origin https://www.example.com [--origin https://example.com]

Reads the Spaces variables of .env in the current directory (nothing else is needed). It
- sets the CORS rule on STATUS_BUCKET that lets those origins GET and HEAD the status files;
- checks, without credentials, that status.json and the files beside it can be read, and that the state
  objects under STATUS_STATE_PREFIX and a listing of the bucket cannot;
- checks every object of the backups bucket (SPACES_BUCKET) and the bucket itself: anything public there is
  reported as a security problem;
- prints the CDN and DNS steps that remain.
Exit status: 0 when everything checked out, 1 when a problem was found, 2 on a configuration error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError
from dotenv import load_dotenv

from platform_status.config import ConfigError, Settings, load_settings
from platform_status.operations.buckets import Report, anonymous_client, check_backups_bucket, check_status_bucket
from platform_status.spaces import make_s3_client

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def set_cors(client: S3Client, bucket: str, origins: list[str], report: Report) -> None:
    client.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": origins,
                    "AllowedMethods": ["GET", "HEAD"],
                    "AllowedHeaders": ["*"],
                    "MaxAgeSeconds": 3600,
                }
            ]
        },
    )
    report.ok.append(f"CORS on {bucket}: GET and HEAD from {', '.join(origins)}")


def next_steps(settings: Settings) -> str:
    region = settings.spaces_region_name
    bucket = settings.status_bucket
    return f"""Remaining steps (DigitalOcean control panel or API):
  1. Enable the CDN on {bucket}: origin {bucket}.{region}.digitaloceanspaces.com, edge cache TTL 60 seconds
     (the live files are cached 60 s; a longer edge TTL keeps a stale page past the 15-minute goal).
  2. Optional: a custom subdomain for the CDN endpoint (for example status.<your domain>) with a certificate,
     then a CNAME record: status.<your domain> -> {bucket}.{region}.cdn.digitaloceanspaces.com
  3. For the override's instant purge: put the CDN endpoint's id (doctl compute cdn list) in CDN_ENDPOINT_ID
     and an API token in DO_API_TOKEN, then redeploy.
  4. Set STATUS_JSON_URL=https://<cdn host>/status.json in the marketing site's environment (read at run
     time; web/README.md)"""


def run(settings: Settings, origins: list[str], client: S3Client, anonymous: S3Client) -> Report:
    report = Report()
    set_cors(client, str(settings.status_bucket), origins, report)
    check_status_bucket(client, anonymous, settings, report)
    check_backups_bucket(client, settings, report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--origin", action="append", required=True, help="a marketing site origin, e.g. https://www.example.com"
    )
    parser.add_argument("--env-file", type=Path, default=Path(".env"), help="variables to read (default .env)")
    args = parser.parse_args(argv)
    load_dotenv(args.env_file, override=False, interpolate=False)
    try:
        settings = load_settings(require_kuma=False)  # the buckets only
        if not settings.spaces_configured:
            raise ConfigError(["SPACES_ENDPOINT: the buckets to set up are in Spaces; configure Spaces first"])
    except ConfigError as error:
        print(f"setup_bucket: {error}", file=sys.stderr)
        return 2
    try:
        report = run(settings, args.origin, make_s3_client(settings), anonymous_client(settings))
    except (ClientError, BotoCoreError) as error:
        print(f"setup_bucket: Spaces refused a request ({type(error).__name__}): check the keys and bucket names")
        return 1
    for line in report.ok:
        print(f"ok       {line}")
    for line in report.problems:
        print(f"PROBLEM  {line}")
    print()
    print(next_steps(settings))
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
