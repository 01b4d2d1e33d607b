"""A publish run end to end in-process: moto for Spaces, the Kuma stand-in on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import jsonschema
import pytest
from moto import mock_aws

from kuma_standin import KumaStandin
from platform_status.config import Settings
from platform_status.document import status_json_schema
from platform_status.run.errors import PublishError
from platform_status.run.publish import publish
from spaces_standin import TenantPlan, seed_backups
from support import TEST_API_KEY, make_settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def s3() -> Iterator[S3Client]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        for bucket in ("acme-backups", "acme-status"):
            client.create_bucket(Bucket=bucket)
        seed_backups(
            client,
            "acme-backups",
            [TenantPlan("t1", timedelta(hours=3)), TenantPlan("t2", timedelta(hours=5))],
            NOW,
        )
        yield client


SPACES = {
    "spaces_access_key": "test",
    "spaces_secret_key": "test",
    "spaces_endpoint": "https://nyc3.digitaloceanspaces.com",
    "spaces_bucket": "acme-backups",
    "status_bucket": "acme-status",
}


def settings_for(kuma: KumaStandin, **extra: str) -> Settings:
    kuma_settings = {
        "uptime_kuma_metrics_url": kuma.url,
        "uptime_kuma_api_key": TEST_API_KEY,
        "uptime_kuma_status_page": "test-status",
    }
    return make_settings(**(kuma_settings | SPACES | extra))


def is_public(s3: S3Client, bucket: str, key: str) -> bool:
    grants = s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return any(g["Grantee"].get("URI") == ALL_USERS and g["Permission"] == "READ" for g in grants)


def test_status_json_is_public_typed_short_cached_and_valid(s3: S3Client, kuma_server: KumaStandin) -> None:
    outcome = publish(settings_for(kuma_server), s3_client=s3, now=NOW)

    response = s3.get_object(Bucket="acme-status", Key="status.json")
    assert response["ContentType"] == "application/json; charset=utf-8"
    assert response["CacheControl"] == "public, max-age=60"
    assert is_public(s3, "acme-status", "status.json")
    body = json.loads(response["Body"].read())
    jsonschema.validate(body, status_json_schema())
    assert body["platform_status"] == outcome.document.platform_status == "outage"
    assert body["backups"]["last_backup_status"] == "success"
    assert outcome.summary()["ok"] is True


@pytest.mark.parametrize(
    ("key", "content_type"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("badge.svg", "image/svg+xml"),
        ("history.atom", "application/atom+xml; charset=utf-8"),
        ("api/v2/status.json", "application/json; charset=utf-8"),
        ("api/v2/summary.json", "application/json; charset=utf-8"),
        ("status-widget.js", "text/javascript; charset=utf-8"),
        ("history/index.json", "application/json; charset=utf-8"),
    ],
)
def test_the_files_beside_status_json_are_public_typed_and_short_cached(
    s3: S3Client, kuma_server: KumaStandin, key: str, content_type: str
) -> None:
    publish(settings_for(kuma_server), s3_client=s3, now=NOW)
    response = s3.get_object(Bucket="acme-status", Key=key)
    assert response["ContentType"] == content_type
    assert response["CacheControl"] == "public, max-age=60"
    assert is_public(s3, "acme-status", key)


def test_schema_is_published_beside_status_json(s3: S3Client, kuma_server: KumaStandin) -> None:
    publish(settings_for(kuma_server), s3_client=s3, now=NOW)
    published = json.loads(s3.get_object(Bucket="acme-status", Key="status.schema.json")["Body"].read())
    assert published == status_json_schema()
    assert is_public(s3, "acme-status", "status.schema.json")


def test_state_is_private_under_the_state_prefix_and_backups_bucket_is_untouched(
    s3: S3Client, kuma_server: KumaStandin
) -> None:
    outcome = publish(settings_for(kuma_server), s3_client=s3, now=NOW)
    private = [key for key in outcome.written if key.startswith("_state/")]
    # The run's record and the history's next generation (and any day it finished: stored once, compressed).
    assert {"_state/history/live-1.json.gz", "_state/last-run.json"} <= set(private)
    assert all(key == "_state/last-run.json" or key.startswith("_state/history/") for key in private)
    assert "_state/backups-listing.json" not in private  # one page of backups: nothing to split
    assert not any(is_public(s3, "acme-status", key) for key in private)
    state = json.loads(s3.get_object(Bucket="acme-status", Key="_state/last-run.json")["Body"].read())
    assert state["state_schema_version"] == 2
    # private: tenant names live only here
    assert set(state["observations"]["backups"]["tenants"]) == {"t1", "t2"}
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="acme-backups")["Contents"]]
    assert all(key.startswith("backups/") for key in keys)


def test_where_the_listing_split_is_kept_privately_and_written_only_when_it_moves(
    s3: S3Client, kuma_server: KumaStandin
) -> None:
    seed_backups(s3, "acme-backups", [TenantPlan(f"t{n:03}", timedelta(hours=3)) for n in range(150)], NOW)
    settings = settings_for(kuma_server)
    first = publish(settings, s3_client=s3, now=NOW)
    assert first.observations.backups is not None and first.observations.backups.list_requests == 2
    key = "_state/backups-listing.json"
    assert key in first.written and not is_public(s3, "acme-status", key)
    splits = json.loads(s3.get_object(Bucket="acme-status", Key=key)["Body"].read())["split_after"]
    assert len(splits) == 1 and splits[0].startswith("backups/t")  # where the first page of 1000 ended
    second = publish(settings, s3_client=s3, now=NOW + timedelta(minutes=10))
    assert key not in second.written  # the same split: nothing to write
    assert second.observations.backups == first.observations.backups  # the same tenants, however listed
    s3.put_object(Bucket="acme-status", Key=key, Body=b"{not json")  # a broken object costs time, nothing else
    third = publish(settings, s3_client=s3, now=NOW + timedelta(minutes=20))
    assert third.observations.backups == first.observations.backups and third.problems == []
    assert json.loads(s3.get_object(Bucket="acme-status", Key=key)["Body"].read())["split_after"] == splits


def test_dry_run_writes_nothing(s3: S3Client, kuma_server: KumaStandin) -> None:
    outcome = publish(settings_for(kuma_server), s3_client=s3, now=NOW, dry_run=True)
    assert outcome.written == {}
    assert "Contents" not in s3.list_objects_v2(Bucket="acme-status")


def test_kuma_unreachable_publishes_unknown_with_the_reason_in_the_summary_only(s3: S3Client) -> None:
    # Port 9 (discard): nothing listens there.
    settings = make_settings(uptime_kuma_metrics_url="http://127.0.0.1:9", kuma_retries="0", **SPACES)
    outcome = publish(settings, s3_client=s3, now=NOW)
    body = json.loads(s3.get_object(Bucket="acme-status", Key="status.json")["Body"].read())
    assert body["platform_status"] == "unknown"
    assert body["uptime"]["last_24h"] is None
    assert body["sources"]["uptime_kuma"]["status"] == "unavailable"
    assert "could not connect" in outcome.summary()["sources"]["uptime_kuma"]["reason"]
    assert "could not connect" not in json.dumps(body)


def test_a_status_json_that_cannot_be_written_fails_loudly(s3: S3Client, kuma_server: KumaStandin) -> None:
    settings = settings_for(kuma_server, status_bucket="missing-bucket")
    with pytest.raises(PublishError, match="NoSuchBucket"):
        publish(settings, s3_client=s3, now=NOW)


def test_backups_listing_error_is_unknown_and_the_run_goes_on(s3: S3Client, kuma_server: KumaStandin) -> None:
    outcome = publish(settings_for(kuma_server, spaces_bucket="no-such-backups"), s3_client=s3, now=NOW)
    assert outcome.document.backups.last_backup_status == "unknown"
    assert outcome.document.sources.backups.status == "unavailable"
    assert outcome.written["status.json"] > 0


def test_without_spaces_the_local_directory_is_the_default(tmp_path: Path, kuma_server: KumaStandin) -> None:
    settings = make_settings(
        uptime_kuma_metrics_url=kuma_server.url,
        uptime_kuma_api_key=TEST_API_KEY,
        status_out_dir=str(tmp_path / "public"),
    )
    outcome = publish(settings, now=NOW)
    body = json.loads((tmp_path / "public" / "status.json").read_text())
    assert body["platform_status"] == "outage"
    assert body["sources"]["backups"]["status"] == "not_configured"
    assert body["backups"]["last_backup_status"] == "unknown"
    assert outcome.target == f"directory {tmp_path / 'public'}"
    assert not (tmp_path / "public" / "_state").exists()  # private state never lands among public files
