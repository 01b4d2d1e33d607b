"""scripts/setup_bucket.py against moto's S3 server over HTTP, with real anonymous requests."""

from __future__ import annotations

import pytest

from platform_status.config import Settings, load_settings
from platform_status.publish import publish
from platform_status.spaces import make_s3_client
from setup_bucket import anonymous_client, run
from spaces_standin import SpacesStandin

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(stack_env: dict[str, str], spaces_server: SpacesStandin) -> Settings:
    spaces_server.client().put_object(Bucket=stack_env["SPACES_BUCKET"], Key="backups/t1/2026.tar.gz", Body=b"backup")
    settings = load_settings(stack_env)
    publish(settings)
    return settings


def test_a_well_set_bucket_checks_out_and_gets_cors(settings: Settings) -> None:
    client = make_s3_client(settings)
    report = run(settings, ["https://www.example.com"], client, anonymous_client(settings))
    assert report.problems == []
    assert any("status.json is readable without credentials" in line for line in report.ok)
    assert any("state objects" in line and "private" in line for line in report.ok)
    rules = client.get_bucket_cors(Bucket=str(settings.status_bucket))["CORSRules"]
    assert rules[0]["AllowedOrigins"] == ["https://www.example.com"]
    assert sorted(rules[0]["AllowedMethods"]) == ["GET", "HEAD"]


def test_a_public_backup_is_a_security_problem(settings: Settings) -> None:
    client = make_s3_client(settings)
    client.put_object(Bucket=str(settings.spaces_bucket), Key="backups/t2/leak.tar.gz", Body=b"x", ACL="public-read")
    report = run(settings, ["https://www.example.com"], client, anonymous_client(settings))
    assert any("SECURITY" in line and "backups/t2/leak.tar.gz" in line for line in report.problems)


def test_a_publicly_listable_bucket_is_a_security_problem(settings: Settings) -> None:
    client = make_s3_client(settings)
    client.put_bucket_acl(Bucket=str(settings.spaces_bucket), ACL="public-read")
    report = run(settings, ["https://www.example.com"], client, anonymous_client(settings))
    assert any("SECURITY" in line and "listed by anyone" in line for line in report.problems)


def test_public_state_is_a_security_problem(settings: Settings) -> None:
    client = make_s3_client(settings)
    client.put_object_acl(Bucket=str(settings.status_bucket), Key="_state/last-run.json", ACL="public-read")
    report = run(settings, ["https://www.example.com"], client, anonymous_client(settings))
    assert any("SECURITY" in line and "_state/last-run.json" in line for line in report.problems)
