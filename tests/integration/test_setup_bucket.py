"""scripts/setup_bucket.py against moto's S3 server over HTTP, with real anonymous requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from platform_status.config import Settings, load_settings
from platform_status.operations.buckets import anonymous_client
from platform_status.run.publish import publish
from platform_status.spaces import make_s3_client
from setup_bucket import main as setup_bucket
from setup_bucket import run
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


def test_only_the_spaces_variables_are_needed(
    stack_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spaces_only = {name: value for name, value in stack_env.items() if not name.startswith("UPTIME_KUMA")}
    env_file = tmp_path / "buckets.env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in spaces_only.items()))
    code = setup_bucket(["--env-file", str(env_file), "--origin", "https://www.example.com"])
    printed = capsys.readouterr()
    assert "UPTIME_KUMA" not in printed.out + printed.err
    assert "CORS on" in printed.out
    assert code == 1  # nothing is published yet in this fresh bucket: said, but no configuration error
    assert "invoke status/publish first" in printed.out
