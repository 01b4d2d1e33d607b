"""Listing backups with boto3 against moto in-process: all pages, per tenant, nothing hidden."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

import boto3
import pytest
from moto import mock_aws

from platform_status.sources.backups import list_backups, tenant_of
from platform_status.sources.report import SourceUnavailable
from spaces_standin import TenantPlan, backdate, seed_backups

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import ObjectTypeDef

BUCKET = "acme-backups"
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def s3() -> Iterator[S3Client]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def test_tenant_is_the_first_segment_after_the_prefix() -> None:
    assert tenant_of("backups/t1/2026-11-28.tar.gz", "backups/") == "t1"
    assert tenant_of("backups/t1/db/2026-11-28.sql.gz", "backups/") == "t1"
    assert tenant_of("backups/readme.txt", "backups/") is None
    assert tenant_of("backups/t1/", "backups/") is None


def test_more_than_1000_objects_are_all_listed_and_one_stale_tenant_shows(s3: S3Client) -> None:
    fresh = [TenantPlan(f"tenant-{i:03}", newest_age=timedelta(hours=3), backups=8) for i in range(150)]
    # "zzz" sorts last: with only the first 1000 keys listed, this tenant would never be seen.
    stale = TenantPlan("zzz-stale", newest_age=timedelta(hours=80), backups=8)
    seed_backups(s3, BUCKET, [*fresh, stale], NOW)

    listing = list_backups(s3, BUCKET, "backups/", min_bytes=1)

    assert listing.objects_listed == 151 * 8
    assert listing.list_requests == 2  # one list call per 1000 objects
    assert len(listing.tenants) == 151
    newest = listing.tenants["zzz-stale"].newest_good
    assert newest is not None
    assert abs(newest - (NOW - timedelta(hours=80))) < timedelta(seconds=2)


def test_an_empty_object_is_not_a_backup(s3: S3Client) -> None:
    seed_backups(s3, BUCKET, [TenantPlan("t1", newest_age=timedelta(hours=2), newest_empty=True)], NOW)
    newest = list_backups(s3, BUCKET, "backups/", min_bytes=1).tenants["t1"].newest_good
    assert newest is not None
    assert abs(newest - (NOW - timedelta(hours=26))) < timedelta(seconds=2)  # the night before


def test_a_tenant_with_only_empty_objects_has_no_good_backup(s3: S3Client) -> None:
    s3.put_object(Bucket=BUCKET, Key="backups/t1/2026-11-28.tar.gz", Body=b"")
    assert list_backups(s3, BUCKET, "backups/", min_bytes=1).tenants["t1"].newest_good is None


def test_minimum_size_is_configurable(s3: S3Client) -> None:
    s3.put_object(Bucket=BUCKET, Key="backups/t1/tiny.tar.gz", Body=b"12345")
    assert list_backups(s3, BUCKET, "backups/", min_bytes=1024).tenants["t1"].newest_good is None


def test_no_tenants(s3: S3Client) -> None:
    s3.put_object(Bucket=BUCKET, Key="elsewhere/t1/x.tar.gz", Body=b"x")
    assert list_backups(s3, BUCKET, "backups/", min_bytes=1).tenants == {}


def test_a_listing_error_is_unavailable(s3: S3Client) -> None:
    with pytest.raises(SourceUnavailable, match="NoSuchBucket"):
        list_backups(s3, "no-such-bucket", "backups/", min_bytes=1)


def test_a_backup_dated_in_the_future_is_not_a_success(s3: S3Client) -> None:
    """A clock that runs ahead is not a backup: the tenant's newest good backup is the one really made."""
    seed_backups(s3, BUCKET, [TenantPlan("t1", newest_age=timedelta(hours=30), backups=2)], NOW)
    s3.put_object(Bucket=BUCKET, Key="backups/t1/tomorrow.tar.gz", Body=b"backup")
    backdate(BUCKET, "backups/t1/tomorrow.tar.gz", NOW + timedelta(days=1))
    listing = list_backups(s3, BUCKET, "backups/", 1, now=NOW)
    assert listing.tenants["t1"].newest_good == NOW - timedelta(hours=30)
    assert listing.objects_in_future == 1


def test_timestamps_left_as_strings_by_the_client_read_the_same(s3: S3Client) -> None:
    """spaces.py keeps botocore from parsing every LastModified; the listing reads the ISO strings itself."""
    import botocore.session  # noqa: PLC0415

    seed_backups(s3, BUCKET, [TenantPlan("t1", newest_age=timedelta(hours=3))], NOW)
    session = botocore.session.get_session()
    session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
    raw = boto3.Session(botocore_session=session).client("s3", region_name="us-east-1")
    assert list_backups(raw, BUCKET, "backups/", 1, now=NOW) == list_backups(s3, BUCKET, "backups/", 1, now=NOW)


def test_ranges_listed_at_once_from_any_split_keys_find_what_one_page_after_another_finds(s3: S3Client) -> None:
    """The last run's page ends make the ranges; stale, odd or missing keys may only make them uneven."""
    plans = [
        TenantPlan(f"tenant-{i:03}", newest_age=timedelta(hours=3 + i % 40), backups=1 + i % 9) for i in range(500)
    ]
    seed_backups(s3, BUCKET, plans, NOW)
    one_by_one = list_backups(s3, BUCKET, "backups/", 1, now=NOW)
    assert one_by_one.objects_listed > 2000 and one_by_one.list_requests == 3
    assert len(one_by_one.split_after) == 2  # where the first two pages ended
    listed = sorted(item["Key"] for item in _all_objects(s3))
    split_sets = {
        "last run's": one_by_one.split_after,
        "every 100th key": listed[::100],
        "keys no longer there": ["backups/tenant-100/gone", "backups/tenant-250/gone"],
        "before the prefix, past the end, repeated": ["a", "backups/", "zzz", listed[1500], listed[1500]],
        "inside the first page": listed[:999:50],
        "none": [],
    }
    for name, splits in split_sets.items():
        at_once = list_backups(s3, BUCKET, "backups/", 1, now=NOW, split_after=partial(list, splits))
        assert at_once.tenants == one_by_one.tenants, name
        assert at_once.objects_listed == one_by_one.objects_listed, name
    ranged = list_backups(s3, BUCKET, "backups/", 1, now=NOW, split_after=lambda: listed[::100])
    assert ranged.list_requests > one_by_one.list_requests  # more, shorter requests: all but the first at once


def test_split_keys_are_not_fetched_when_one_page_holds_everything(s3: S3Client) -> None:
    seed_backups(s3, BUCKET, [TenantPlan("t1", newest_age=timedelta(hours=3))], NOW)

    def never() -> list[str]:
        raise AssertionError("one page: nothing to split")

    listing = list_backups(s3, BUCKET, "backups/", 1, now=NOW, split_after=never)
    assert listing.list_requests == 1 and listing.split_after == []


def _all_objects(s3: S3Client) -> list[ObjectTypeDef]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="backups/")
    return [item for page in pages for item in page.get("Contents", [])]
