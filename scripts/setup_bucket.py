"""Prepare and check the buckets: CORS for the marketing site, public files public, private things private.

    python scripts/setup_bucket.py --origin https://www.example.com [--origin https://example.com]

Reads the same variables as the functions (.env in the current directory). It
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from dotenv import load_dotenv

from platform_status.config import ConfigError, Settings, load_settings
from platform_status.spaces import make_s3_client

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
PUBLIC_FILES = ("status.json", "status.schema.json", "index.html", "badge.svg", "history.atom", "api/v2/summary.json")


@dataclass
class Report:
    ok: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def anonymous_client(settings: Settings) -> S3Client:
    """A client that signs nothing: it sees the buckets as any visitor does."""
    endpoint = str(settings.spaces_endpoint).rstrip("/")
    config = Config(
        signature_version=UNSIGNED,
        s3={"addressing_style": "virtual" if "digitaloceanspaces.com" in endpoint else "path"},
    )
    client: S3Client = boto3.client("s3", region_name=settings.spaces_region_name, endpoint_url=endpoint, config=config)
    return client


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


def _readable(anonymous: S3Client, bucket: str, key: str) -> bool | None:
    """True: anyone can read it; False: refused; None: no such object."""
    try:
        anonymous.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404"):
            return None
        return False
    return True


def check_status_bucket(client: S3Client, anonymous: S3Client, settings: Settings, report: Report) -> None:
    bucket = str(settings.status_bucket)
    for key in PUBLIC_FILES:
        readable = _readable(anonymous, bucket, key)
        if readable is None:
            report.problems.append(f"{bucket}/{key} does not exist yet: invoke status/publish first")
        elif readable:
            report.ok.append(f"{bucket}/{key} is readable without credentials")
        else:
            report.problems.append(f"{bucket}/{key} is NOT readable without credentials (expected public)")
    state_keys = [
        item["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=settings.status_state_prefix)
        for item in page.get("Contents", [])
    ]
    leaked = [key for key in state_keys if _readable(anonymous, bucket, key)]
    for key in leaked:
        report.problems.append(f"SECURITY: private state {bucket}/{key} is readable without credentials")
    if state_keys and not leaked:
        report.ok.append(f"{len(state_keys)} state objects under {settings.status_state_prefix} are private")
    _check_listing(anonymous, bucket, report)


def _check_listing(client: S3Client, bucket: str, report: Report) -> None:
    # The bucket's ACL says whether anyone may list it (an unsigned list is not a reliable probe everywhere).
    grants = client.get_bucket_acl(Bucket=bucket)["Grants"]
    if any(g.get("Grantee", {}).get("URI") == ALL_USERS for g in grants):
        report.problems.append(f"SECURITY: {bucket} can be listed by anyone (its ACL is public-read): make it private")
    else:
        report.ok.append(f"{bucket} cannot be listed without credentials (bucket ACL private)")


def _public_grant(client: S3Client, bucket: str, key: str) -> bool:
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return any(g.get("Grantee", {}).get("URI") == ALL_USERS for g in grants)


def check_backups_bucket(client: S3Client, settings: Settings, report: Report) -> None:
    bucket = str(settings.spaces_bucket)
    keys = [
        item["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for item in page.get("Contents", [])
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        public = [
            key
            for key, is_public in zip(keys, pool.map(lambda k: _public_grant(client, bucket, k), keys), strict=True)
            if is_public
        ]
    for key in public[:50]:
        report.problems.append(f"SECURITY: backup object {bucket}/{key} is public: make it private")
    if len(public) > 50:
        report.problems.append(f"SECURITY: {len(public) - 50} more public objects in {bucket}")
    if not public:
        report.ok.append(f"all {len(keys)} objects in {bucket} are private")
    _check_listing(client, bucket, report)


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
  4. Point the marketing site's NEXT_PUBLIC_STATUS_JSON_URL at https://<cdn host>/status.json"""


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
    args = parser.parse_args(argv)
    load_dotenv(Path.cwd() / ".env", override=False)
    try:
        settings = load_settings()
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
