"""Backups in the private Spaces bucket: every tenant's newest good backup, over all listing pages.

The tenant is the first path segment after the prefix (backups/<tenant>/...). Tenant names stay private:
they go into the private state object, never into a public file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, ConfigDict

from platform_status.sources.report import SourceUnavailable
from platform_status.timeutil import UtcDatetime

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CLOCK_SKEW = timedelta(minutes=5)


class TenantBackups(BaseModel):
    model_config = ConfigDict(frozen=True)

    # None: the tenant has objects, but none big enough to be a backup.
    newest_good: UtcDatetime | None
    objects: int


class BackupListing(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenants: dict[str, TenantBackups]
    objects_listed: int
    list_requests: int
    objects_in_future: int = 0  # dated after the run's clock: left out


def tenant_of(key: str, prefix: str) -> str | None:
    rest = key[len(prefix) :]
    tenant, separator, _ = rest.partition("/")
    # An object right under the prefix (no tenant folder) or a folder marker is nobody's backup.
    if not separator or not tenant or key.endswith("/"):
        return None
    return tenant


def _modified(value: object) -> datetime:
    """LastModified as the listing gives it: an ISO 8601 string (spaces.py keeps botocore from parsing every
    one with dateutil, most of the listing's CPU), or a datetime from a client that did parse it."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)


def list_backups(
    client: S3Client, bucket: str, prefix: str, min_bytes: int, now: datetime | None = None
) -> BackupListing:
    """One ListObjectsV2 call per 1000 objects; only the running newest per tenant is kept in memory.

    An object dated after `now` (plus a little clock skew) is a clock problem, not a backup: it is counted
    in `objects_in_future` and never taken as anyone's newest good backup."""
    latest = now + CLOCK_SKEW if now is not None else None
    newest: dict[str, datetime | None] = {}
    counts: dict[str, int] = {}
    objects = future = pages = 0
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            pages += 1
            for item in page.get("Contents", []):
                objects += 1
                tenant = tenant_of(item["Key"], prefix)
                if tenant is None:
                    continue
                counts[tenant] = counts.get(tenant, 0) + 1
                current = newest.setdefault(tenant, None)
                if item["Size"] < min_bytes:
                    continue
                modified = _modified(item["LastModified"])
                if latest is not None and modified > latest:
                    future += 1
                elif current is None or modified > current:
                    newest[tenant] = modified
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise SourceUnavailable(f"listing the backups bucket failed ({code})") from None
    except BotoCoreError as error:
        raise SourceUnavailable(f"listing the backups bucket failed ({type(error).__name__})") from None
    return BackupListing(
        tenants={name: TenantBackups(newest_good=newest[name], objects=counts[name]) for name in sorted(newest)},
        objects_listed=objects,
        list_requests=pages,
        objects_in_future=future,
    )
