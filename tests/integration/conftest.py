"""What the integration tests of the operators' API share: moto's S3 server with a scheduled run done, the
override function served over HTTP on 127.0.0.1, and the CDN purge endpoint recording its calls."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from demo import load_handler
from functions_adapter import FunctionServer
from kuma_standin import KumaStandin
from override_support import INTEGRATION_TOKEN as TOKEN
from platform_status.config import load_settings
from platform_status.run.publish import publish
from recording_server import RecordingServer
from spaces_standin import SpacesStandin
from support import TEST_API_KEY


@pytest.fixture
def cdn() -> Iterator[RecordingServer]:
    """The DigitalOcean API's CDN purge endpoint."""
    server = RecordingServer().start()
    server.default = (204, b"")
    yield server
    server.stop()


@pytest.fixture
def environment(
    monkeypatch: pytest.MonkeyPatch, spaces_server: SpacesStandin, kuma_server: KumaStandin, cdn: RecordingServer
) -> dict[str, str]:
    suffix = uuid.uuid4().hex[:8]
    backups, status = f"backups-{suffix}", f"status-{suffix}"
    for bucket in (backups, status):
        spaces_server.client().create_bucket(Bucket=bucket)
    env = spaces_server.environment(backups, status) | {
        "UPTIME_KUMA_METRICS_URL": kuma_server.url,
        "UPTIME_KUMA_API_KEY": TEST_API_KEY,
        "UPTIME_KUMA_STATUS_PAGE": "test-status",
        "OVERRIDE_TOKEN": TOKEN,
        "DO_API_URL": cdn.url,
        "DO_API_TOKEN": "do-api-token-for-the-test",
        "CDN_ENDPOINT_ID": "0f1e2d3c-cdn",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    publish(load_settings())  # a scheduled run has happened: computed status "outage"
    return env


@pytest.fixture
def endpoint(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = FunctionServer(load_handler("override")).start()
    monkeypatch.setenv("OVERRIDE_URL", server.url)
    monkeypatch.setenv("OVERRIDE_AUTHOR", "alice")
    yield server.url
    server.stop()
