"""status/override end to end: HTTP on 127.0.0.1 through the local adapter, moto's S3 server, the command
line, the CDN purge, and the race with a scheduled publish."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
import requests

from override_support import INTEGRATION_TOKEN as TOKEN
from override_support import status_json
from platform_status.cli import main as cli
from platform_status.config import load_settings
from platform_status.run.outputs import STATUS_KEY
from platform_status.run.publish import publish
from platform_status.run.targets import Targets
from platform_status.spaces import make_s3_client
from platform_status.store import ObjectMeta, S3Store
from recording_server import RecordingServer
from spaces_standin import SpacesStandin

pytestmark = pytest.mark.integration


def test_command_line_sets_shows_logs_and_clears(
    endpoint: str,
    environment: dict[str, str],
    spaces_server: SpacesStandin,
    cdn: RecordingServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        cli(["override", "set", "--status", "degraded", "--message", "Slow logins, we are on it", "--ttl", "2h"]) == 0
    )
    printed = capsys.readouterr().out
    assert "effective status: degraded (computed: outage)" in printed
    assert "CDN: purged" in printed

    published = status_json(spaces_server, environment)
    assert published["platform_status"] == "degraded"
    assert published["override"]["message"] == "Slow logins, we are on it"
    assert [(item.path, item.headers["Authorization"], item.body) for item in cdn.requests_to("DELETE")] == [
        ("/v2/cdn/endpoints/0f1e2d3c-cdn/cache", "Bearer do-api-token-for-the-test", {"files": ["status.json"]})
    ]

    assert cli(["override", "show"]) == 0
    assert "by alice: Slow logins" in capsys.readouterr().out
    assert cli(["override", "clear"]) == 0
    assert "override: none" in capsys.readouterr().out
    assert status_json(spaces_server, environment)["platform_status"] == "outage"
    assert cli(["override", "log"]) == 0
    # The adapter runs the function in this process: leave out its JSON log lines.
    log = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("{")]
    assert [line.split()[1] for line in log] == ["clear", "set"]
    assert "from 127.0.0.1" in log[0]


def test_bad_requests_over_http(endpoint: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert requests.put(endpoint, json={"status": "outage", "author": "a"}, timeout=5).status_code == 401
    wrong = requests.put(endpoint, data="{", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert wrong.status_code == 400
    assert cli(["override", "set", "--status", "outage", "--until", "2001-01-01T00:00:00Z"]) == 1
    assert "expires_at: is in the past" in capsys.readouterr().err


def test_state_objects_are_private(endpoint: str, environment: dict[str, str], spaces_server: SpacesStandin) -> None:
    cli(["override", "set", "--status", "outage"])
    client = spaces_server.client()
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=environment["STATUS_BUCKET"])["Contents"]]
    private = [key for key in keys if key.startswith("_state/")]
    assert "_state/override.json" in private
    assert any(key.startswith("_state/audit/") for key in private)
    for key in private:
        grants = client.get_object_acl(Bucket=environment["STATUS_BUCKET"], Key=key)["Grants"]
        assert all("AllUsers" not in str(grant) for grant in grants), key


class GatedStore:
    """Holds the scheduled run's first status.json write until the test lets it through."""

    def __init__(self, inner: S3Store) -> None:
        self._inner = inner
        self.reached, self.release = threading.Event(), threading.Event()
        self.written: list[Any] = []

    def put(self, key: str, body: bytes, meta: ObjectMeta) -> None:
        if key == STATUS_KEY and not self.reached.is_set():
            self.reached.set()
            assert self.release.wait(30)
        if key == STATUS_KEY:
            self.written.append(json.loads(body))
        self._inner.put(key, body, meta)

    def get(self, key: str) -> bytes | None:
        return self._inner.get(key)

    def list_keys(self, prefix: str, start_after: str | None = None) -> list[str]:
        return self._inner.list_keys(prefix, start_after)

    def delete(self, key: str) -> None:
        self._inner.delete(key)

    def describe(self) -> str:
        return self._inner.describe()


def test_a_scheduled_publish_running_meanwhile_does_not_undo_an_override(
    endpoint: str, environment: dict[str, str], spaces_server: SpacesStandin
) -> None:
    settings = load_settings()
    s3_client = make_s3_client(settings)
    bucket = S3Store(s3_client, environment["STATUS_BUCKET"])
    gated = GatedStore(bucket)
    targets = Targets(public=gated, state=bucket, state_prefix="_state/")
    scheduled = threading.Thread(target=publish, args=(settings,), kwargs={"targets": targets, "s3_client": s3_client})
    scheduled.start()
    # The scheduled run has read the override (none) and is about to write status.json...
    assert gated.reached.wait(30)
    # ...when an operator sets one, which is published at once.
    response = requests.put(
        endpoint,
        json={"status": "outage", "message": "Investigating", "author": "alice"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    assert response.status_code == 200
    assert status_json(spaces_server, environment)["override"]["message"] == "Investigating"
    # Now the scheduled run's stale write goes through: it then sees the new override and writes again.
    gated.release.set()
    scheduled.join(30)

    assert gated.written[0]["override"] is None  # the stale write did happen...
    final = status_json(spaces_server, environment)
    assert final["override"]["message"] == "Investigating"  # ...and was corrected
    assert final["platform_status"] == "outage"
