"""Backups in the private Spaces bucket: every tenant's newest good backup, over all listing pages.

The tenant is the first path segment after the prefix (backups/<tenant>/...). Tenant names stay private:
they go into the private state object, never into a public file.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, ConfigDict, Field

from platform_status.sources.report import SourceUnavailable
from platform_status.timeutil import UtcDatetime

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import ObjectTypeDef

CLOCK_SKEW = timedelta(minutes=5)
LISTINGS_AT_ONCE = 8


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
    # Where this listing's pages ended (tenant names: private, and not kept in the run's record).
    split_after: list[str] = Field(default_factory=list, exclude=True)


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


@dataclass
class _Tally:
    """One key range's running figures: the newest good backup and the object count per tenant."""

    prefix: str
    min_bytes: int
    latest: datetime | None
    newest: dict[str, datetime | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    objects: int = 0
    future: int = 0
    pages: int = 0
    every_page: list[str] = field(default_factory=list)  # each page's last key: where to split next time

    def add_page(self, items: list[ObjectTypeDef]) -> None:
        self.pages += 1
        for item in items:
            self._add(item)
        if items:
            self.every_page.append(items[-1]["Key"])

    def _add(self, item: ObjectTypeDef) -> None:
        self.objects += 1
        tenant = tenant_of(item["Key"], self.prefix)
        if tenant is None:
            return
        self.counts[tenant] = self.counts.get(tenant, 0) + 1
        current = self.newest.setdefault(tenant, None)
        if item["Size"] < self.min_bytes:
            return
        modified = _modified(item["LastModified"])
        if self.latest is not None and modified > self.latest:
            self.future += 1
        elif current is None or modified > current:
            self.newest[tenant] = modified

    def merge(self, other: _Tally) -> None:
        for tenant, count in other.counts.items():
            self.counts[tenant] = self.counts.get(tenant, 0) + count
            mine, theirs = self.newest.get(tenant), other.newest[tenant]
            self.newest[tenant] = theirs if mine is None or (theirs is not None and theirs > mine) else mine
        self.objects += other.objects
        self.future += other.future
        self.pages += other.pages
        self.every_page += other.every_page


def list_backups(
    client: S3Client,
    bucket: str,
    prefix: str,
    min_bytes: int,
    now: datetime | None = None,
    *,
    split_after: Callable[[], list[str]] | None = None,
) -> BackupListing:
    """One ListObjectsV2 call per 1000 objects; only the running newest per tenant is kept in memory.

    A long listing is one page after another, each waiting for the last (the next starts after its last key).
    `split_after`: gives the keys where the last run's pages ended (`BackupListing.split_after`); asked only
    when there is a second page (a run fetches them while the first page comes: run/publish.py). The rest of
    the bucket is then listed as ranges between them, all at once. Any keys split correctly (each range lists
    to the next split key, the last to the end); good ones only make the ranges even.

    An object dated after `now` (plus a little clock skew) is a clock problem, not a backup: it is counted
    in `objects_in_future` and never taken as anyone's newest good backup."""
    tally = _Tally(prefix, min_bytes, now + CLOCK_SKEW if now is not None else None)
    try:
        first = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
        tally.add_page(first.get("Contents", []))
        if first.get("IsTruncated"):
            after = tally.every_page[-1]
            splits = sorted(key for key in set(split_after() if split_after else []) if key > after)
            bounds = list(zip([after, *splits], [*splits, None], strict=True))
            with ThreadPoolExecutor(max_workers=min(LISTINGS_AT_ONCE, len(bounds)), thread_name_prefix="list") as pool:
                ranges = pool.map(lambda bound: _list_range(client, bucket, tally, *bound), bounds)
                for listed in ranges:
                    tally.merge(listed)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise SourceUnavailable(f"listing the backups bucket failed ({code})") from None
    except BotoCoreError as error:
        raise SourceUnavailable(f"listing the backups bucket failed ({type(error).__name__})") from None
    newest, counts = tally.newest, tally.counts
    return BackupListing(
        tenants={name: TenantBackups(newest_good=newest[name], objects=counts[name]) for name in sorted(newest)},
        objects_listed=tally.objects,
        list_requests=tally.pages,
        objects_in_future=tally.future,
        split_after=sorted(tally.every_page)[:-1],  # the last page ends the bucket: nothing to split there
    )


def _list_range(client: S3Client, bucket: str, like: _Tally, after: str, through: str | None) -> _Tally:
    """The keys after `after`, up to and including `through` (None: to the end)."""
    tally = _Tally(like.prefix, like.min_bytes, like.latest)
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=like.prefix, StartAfter=after):
        items = page.get("Contents", [])
        if through is not None and items and items[-1]["Key"] >= through:
            tally.add_page([item for item in items if item["Key"] <= through])
            break  # no request for a page that would be past the range
        tally.add_page(items)
    return tally
