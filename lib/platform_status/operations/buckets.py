"""The buckets as a visitor sees them: public files readable, state, backups and listings not.

Used by scripts/setup_bucket.py (which also sets the CORS rule) and by `platform-status doctor`. Every check
reads with an unsigned client, exactly as anyone on the internet would.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from platform_status.config import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
PUBLIC_FILES = ("status.json", "status.schema.json", "index.html", "badge.svg", "history.atom", "api/v2/summary.json")
MAX_LISTED_LEAKS = 50


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


def public_url(settings: Settings, key: str) -> str:
    """The object's address straight from the bucket (not through the CDN)."""
    endpoint = str(settings.spaces_endpoint).rstrip("/")
    scheme, _, host = endpoint.partition("://")
    if "digitaloceanspaces.com" in host:
        return f"{scheme}://{settings.status_bucket}.{host}/{key}"
    return f"{endpoint}/{settings.status_bucket}/{key}"


def readable(anonymous: S3Client, bucket: str, key: str) -> bool | None:
    """True: anyone can read it; False: refused; None: no such object."""
    try:
        anonymous.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404"):
            return None
        return False
    return True


def check_public_files(anonymous: S3Client, bucket: str, report: Report) -> None:
    for key in PUBLIC_FILES:
        found = readable(anonymous, bucket, key)
        if found is None:
            report.problems.append(f"{bucket}/{key} does not exist yet: invoke status/publish first")
        elif found:
            report.ok.append(f"{bucket}/{key} is readable without credentials")
        else:
            report.problems.append(f"{bucket}/{key} is NOT readable without credentials (expected public)")


def check_state_private(client: S3Client, anonymous: S3Client, bucket: str, prefix: str, report: Report) -> None:
    state_keys = [
        item["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for item in page.get("Contents", [])
    ]
    leaked = [key for key in state_keys if readable(anonymous, bucket, key)]
    for key in leaked:
        report.problems.append(f"SECURITY: private state {bucket}/{key} is readable without credentials")
    if state_keys and not leaked:
        report.ok.append(f"{len(state_keys)} state objects under {prefix} are private")


def check_listing(client: S3Client, bucket: str, report: Report) -> None:
    # The bucket's ACL says whether anyone may list it (an unsigned list is not a reliable probe everywhere).
    grants = client.get_bucket_acl(Bucket=bucket)["Grants"]
    if any(g.get("Grantee", {}).get("URI") == ALL_USERS for g in grants):
        report.problems.append(f"SECURITY: {bucket} can be listed by anyone (its ACL is public-read): make it private")
    else:
        report.ok.append(f"{bucket} cannot be listed without credentials (bucket ACL private)")


def check_status_bucket(client: S3Client, anonymous: S3Client, settings: Settings, report: Report) -> None:
    bucket = str(settings.status_bucket)
    check_public_files(anonymous, bucket, report)
    check_state_private(client, anonymous, bucket, settings.status_state_prefix, report)
    check_listing(anonymous, bucket, report)


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
        grants = pool.map(lambda key: _public_grant(client, bucket, key), keys)
        public = [key for key, is_public in zip(keys, grants, strict=True) if is_public]
    for key in public[:MAX_LISTED_LEAKS]:
        report.problems.append(f"SECURITY: backup object {bucket}/{key} is public: make it private")
    if len(public) > MAX_LISTED_LEAKS:
        report.problems.append(f"SECURITY: {len(public) - MAX_LISTED_LEAKS} more public objects in {bucket}")
    if not public:
        report.ok.append(f"all {len(keys)} objects in {bucket} are private")
    check_listing(client, bucket, report)
