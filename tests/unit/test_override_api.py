"""status/override with DigitalOcean-shaped raw web events; storage in local directories."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from override_support import SET_OUTAGE, TOKEN, Dirs, event
from platform_status.assemble import build_document
from platform_status.override.api import OverrideApi
from platform_status.override.web_event import HttpRequest
from platform_status.run.republish import publish_status
from platform_status.run.targets import targets_for
from support import RECORDED_AT, make_settings, observe, recorded_snapshot


def test_put_sets_the_override_and_republishes_at_once(handler: Callable[..., dict[str, Any]], dirs: Dirs) -> None:
    result = handler(event("PUT", SET_OUTAGE))

    assert result["statusCode"] == 200
    assert result["headers"]["Content-Type"].startswith("application/json")
    assert result["body"]["effective_status"] == "maintenance"
    assert result["body"]["computed_status"] == "outage"
    assert result["body"]["published"] is True
    assert result["body"]["cdn_purge"] == "not configured"
    published = dirs.status()
    assert published["platform_status"] == "maintenance"
    assert published["computed_status"] == "outage"
    assert published["override"]["message"] == "Database upgrade"
    assert published["updated_at"] == "2026-11-28T19:13:46Z"  # still when the sources were last checked


def test_every_change_is_audited(handler: Callable[..., dict[str, Any]], dirs: Dirs) -> None:
    handler(event("PUT", SET_OUTAGE))
    handler(event("PUT", SET_OUTAGE | {"message": "Still upgrading"}, headers={"x-request-id": "req-456"}))
    handler(event("DELETE", {"author": "bob"}))

    trail = dirs.audit()
    assert [entry["action"] for entry in trail] == ["set", "update", "clear"]
    first, second, last = trail
    assert first["author"] == "alice"
    assert first["request_id"] == "req-123"
    assert first["caller"] == "203.0.113.7"
    assert first["before"] is None
    assert first["after"]["message"] == "Database upgrade"
    assert second["before"]["message"] == "Database upgrade"
    assert second["after"]["message"] == "Still upgrading"
    assert last["author"] == "bob"
    assert last["after"] is None


def test_get_shows_the_override_and_both_statuses(handler: Callable[..., dict[str, Any]], dirs: Dirs) -> None:
    assert handler(event("GET"))["body"]["override"] is None
    handler(event("PUT", SET_OUTAGE))
    body = handler(event("GET"))["body"]
    assert body["override"]["author"] == "alice"
    assert (body["computed_status"], body["effective_status"]) == ("outage", "maintenance")


def test_delete_returns_to_the_computed_status(handler: Callable[..., dict[str, Any]], dirs: Dirs) -> None:
    handler(event("PUT", SET_OUTAGE))
    result = handler(event("DELETE"))
    assert result["statusCode"] == 200
    assert dirs.status()["platform_status"] == "outage"
    assert dirs.status()["override"] is None


def test_delete_without_an_override_changes_nothing(handler: Callable[..., dict[str, Any]], dirs: Dirs) -> None:
    before = dirs.snapshot()
    assert handler(event("DELETE"))["statusCode"] == 200
    assert dirs.snapshot() == before


def test_log_lists_changes_newest_first(handler: Callable[..., dict[str, Any]], dirs: Dirs) -> None:
    handler(event("PUT", SET_OUTAGE))
    handler(event("DELETE"))
    entries = handler(event("GET", path="/log"))["body"]["entries"]
    assert [entry["action"] for entry in entries] == ["clear", "set"]


@pytest.mark.parametrize(
    ("request_event", "status", "field"),
    [
        (event("PUT", raw=b"{not json"), 400, None),
        (event("PUT", {"status": "fine", "author": "a"}), 422, "status"),
        (event("PUT", {"status": "outage"}), 422, "author"),
        (event("PUT", {"status": "outage", "author": "a", "ttl_minutes": "60"}), 422, "ttl_minutes"),
        (event("PUT", {"status": "outage", "author": "a", "colour": "red"}), 422, "colour"),
        (event("PUT", {"status": "outage", "author": "a", "message": "x" * 501}), 422, "message"),
        (event("PUT", {"status": "outage", "author": "a", "expires_at": "2020-01-01T00:00:00Z"}), 422, "expires_at"),
        (event("PUT", {"status": "outage", "author": "a", "expires_at": "2099-01-01T00:00:00Z"}), 422, "expires_at"),
        (event("PUT", {"status": "outage", "author": "a", "ttl_minutes": 20000}), 422, "ttl_minutes"),
        (event("PUT", ["outage"]), 422, "body"),
        (
            event("PUT", SET_OUTAGE, raw=b'{"status": "outage", "author": "a", "pad": "' + b"x" * 17000 + b'"}'),
            413,
            None,
        ),
        (event("PUT", SET_OUTAGE, token=None), 401, None),
        (event("PUT", SET_OUTAGE, token="wrong-token"), 401, None),
        (event("DELETE", token=TOKEN[:-1]), 401, None),
        (event("POST", SET_OUTAGE), 405, None),
        (event("PUT", SET_OUTAGE, path="/log"), 405, None),
        (event("GET", path="/elsewhere"), 404, None),
        (event("DELETE", {"author": 5}), 422, "author"),
    ],
)
def test_bad_requests_get_a_clear_error_and_store_nothing(
    handler: Callable[..., dict[str, Any]], dirs: Dirs, request_event: dict[str, Any], status: int, field: str | None
) -> None:
    before = dirs.snapshot()
    result = handler(request_event)
    assert result["statusCode"] == status
    assert result["body"]["error"]
    if field is not None:
        assert field in [problem["field"] for problem in result["body"]["fields"]]
    assert dirs.snapshot() == before


def test_401_and_405_say_what_to_send(handler: Callable[..., dict[str, Any]], dirs: Dirs) -> None:
    assert handler(event("GET", token=None))["headers"]["WWW-Authenticate"].startswith("Bearer")
    assert handler(event("PATCH"))["headers"]["Allow"] == "GET, PUT, DELETE"


def test_a_base64_body_is_decoded(handler: Callable[..., dict[str, Any]], dirs: Dirs) -> None:
    request_event = event("PUT")
    request_event["http"]["body"] = base64.b64encode(json.dumps(SET_OUTAGE).encode()).decode()
    request_event["http"]["isBase64Encoded"] = True
    assert handler(request_event)["statusCode"] == 200


def test_a_short_token_is_a_configuration_error(
    handler: Callable[..., dict[str, Any]],
    dirs: Dirs,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OVERRIDE_TOKEN", "too-short")
    result = handler(event("PUT", SET_OUTAGE, token="too-short"))
    assert result["statusCode"] == 503
    log = capsys.readouterr().out
    assert "OVERRIDE_TOKEN" in log
    assert "too-short" not in log + json.dumps(result)


def test_an_override_ends_by_itself_at_the_next_scheduled_run(dirs: Dirs) -> None:
    settings = make_settings(status_out_dir=str(dirs.public), status_state_dir=str(dirs.state))
    targets = targets_for(settings, None, None)
    clock = [RECORDED_AT]
    api = OverrideApi(settings, targets, TOKEN, clock=lambda: clock[0])
    body = json.dumps({"status": "operational", "author": "alice", "ttl_minutes": 30}).encode()
    api.handle(HttpRequest("PUT", "", {"authorization": f"Bearer {TOKEN}"}, body))
    assert dirs.status()["platform_status"] == "operational"
    document = build_document(observe(recorded_snapshot()), settings)
    # A scheduled run 29 minutes later still applies it; one at 31 minutes does not.
    later = publish_status(targets, settings, document, RECORDED_AT + timedelta(minutes=29), None)[0]
    assert later.platform_status == "operational"
    expired = publish_status(targets, settings, document, RECORDED_AT + timedelta(minutes=31), None)[0]
    assert expired.platform_status == "outage"
    assert dirs.status()["override"] is None
