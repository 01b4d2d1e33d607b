"""status/override reads DigitalOcean's documented web event and OpenWhisk's __ow_* form alike, answers a
plain invoke with a sentence, checks the token before it reads anything else, and logs no path."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from override_support import SET_OUTAGE, TOKEN, Dirs, event
from platform_status.override.web_event import NOT_A_WEB_CALL, request_from_event

Handler = Callable[..., dict[str, Any]]


def openwhisk_event(
    method: str, body: str = "", *, token: str = TOKEN, path: str = "", query: str = ""
) -> dict[str, Any]:
    return {
        "__ow_method": method.lower(),
        "__ow_headers": {"authorization": f"Bearer {token}", "x-forwarded-for": "203.0.113.7"},
        "__ow_path": path,
        "__ow_query": query,
        "__ow_body": body,
    }


def test_the_openwhisk_form_sets_and_shows_the_override(handler: Handler, dirs: Dirs) -> None:
    assert handler(openwhisk_event("PUT", json.dumps(SET_OUTAGE)))["statusCode"] == 200
    assert dirs.status()["override"]["message"] == "Database upgrade"
    shown = handler(openwhisk_event("GET"))
    assert shown["statusCode"] == 200
    assert shown["body"]["override"]["status"] == "maintenance"
    assert handler(openwhisk_event("GET", path="/log", query="limit=5"))["body"]["entries"][0]["action"] == "set"


def test_an_openwhisk_binary_body_arrives_base64_and_is_decoded(handler: Handler, dirs: Dirs) -> None:
    body = base64.b64encode(json.dumps(SET_OUTAGE).encode()).decode()
    assert handler(openwhisk_event("PUT", body))["statusCode"] == 200


def test_both_forms_read_to_the_same_request() -> None:
    documented = event("PUT", SET_OUTAGE, path="/log")
    openwhisk = openwhisk_event("PUT", json.dumps(SET_OUTAGE), path="/log")
    a, b = request_from_event(documented), request_from_event(openwhisk)
    assert a is not None and b is not None
    assert (a.method, a.path, a.body) == (b.method, b.path, b.body)
    assert a.headers["authorization"] == b.headers["authorization"]


@pytest.mark.parametrize("invocation", [{}, {"dry_run": "true"}, {"http": {}}])
def test_an_invoke_without_http_gets_a_sentence_not_a_405(
    handler: Handler, dirs: Dirs, invocation: dict[str, Any]
) -> None:
    result = handler(invocation)
    assert result["error"] == NOT_A_WEB_CALL
    assert "web function" in result["error"]
    assert "method" not in result["error"].split(":")[0]


def test_the_token_is_checked_before_the_body_is_decoded(handler: Handler, dirs: Dirs) -> None:
    request_event = event("PUT", token="wrong-token")
    request_event["http"] |= {"body": "%%% not base64 %%%", "isBase64Encoded": True}
    assert handler(request_event)["statusCode"] == 401
    request_event = event("PUT")
    request_event["http"] |= {"body": "%%% not base64 %%%", "isBase64Encoded": True}
    assert handler(request_event)["statusCode"] == 400


@pytest.mark.parametrize("form", ["documented", "openwhisk"])
def test_deeply_nested_json_without_the_token_is_401_and_with_it_400(handler: Handler, dirs: Dirs, form: str) -> None:
    """Nothing is parsed before the token is checked: a body nested 8,000 deep costs an unknown caller a
    401, never a platform error; the token holder gets a 400 naming the body."""
    nested = "[" * 8000 + "]" * 8000  # within the 16 KB body limit, deeper than Python's recursion limit
    for token, expected in (("wrong-token", 401), (TOKEN, 400)):
        if form == "openwhisk":
            request_event = openwhisk_event("POST", nested, token=token, path="/incidents")
        else:
            request_event = event("POST", token=token, path="/incidents")
            request_event["http"]["body"] = nested
        answer = handler(request_event)
        assert answer["statusCode"] == expected, answer
        assert "error" in answer["body"]
    assert not list(dirs.state.rglob("incidents/**/*.json"))


def test_a_lone_surrogate_in_the_authorization_header_is_a_wrong_token(handler: Handler, dirs: Dirs) -> None:
    request_event = event("GET", headers={"authorization": "Bearer \ud800abc"})
    request_event["http"]["headers"]["authorization"] = "Bearer \ud800abc"
    assert handler(request_event)["statusCode"] == 401


@pytest.mark.parametrize("limit", ["²", "٣", "0", "201", "1e2", "-1", "x"])
def test_log_limits_other_than_1_to_200_in_ascii_digits_are_422(handler: Handler, dirs: Dirs, limit: str) -> None:
    request_event = event("GET", path="/log")
    request_event["http"]["queryString"] = f"limit={limit}"
    result = handler(request_event)
    assert result["statusCode"] == 422
    assert result["body"]["fields"][0]["field"] == "limit"


def test_the_log_line_names_the_route_never_the_path(
    handler: Handler, dirs: Dirs, capsys: pytest.CaptureFixture[str]
) -> None:
    pasted = "/Bearer-" + TOKEN
    handler(event("GET", path=pasted, token=None))
    handler(event("GET", path="/log"))
    log = capsys.readouterr().out
    assert TOKEN not in log
    routes = [json.loads(line)["route"] for line in log.splitlines()]
    assert routes == ["other", "/log"]


def test_a_flood_of_updates_gets_429_with_retry_after(
    handler: Handler, dirs: Dirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("platform_status.incidents.changes.FLOOD_UPDATES", 2)  # 120 in production
    opened = handler(
        event("POST", {"title": "Slow", "impact": "degraded", "message": "m", "author": "a"}, path="/incidents")
    )
    incident_id = opened["body"]["incident"]["id"]
    update = {"stage": "monitoring", "message": "again", "author": "a"}
    assert handler(event("POST", update, path=f"/incidents/{incident_id}/updates"))["statusCode"] == 201
    flooded = handler(event("POST", update, path=f"/incidents/{incident_id}/updates"))
    assert flooded["statusCode"] == 429
    assert 3000 <= int(flooded["headers"]["Retry-After"]) <= 3601
    assert "at most 2" in flooded["body"]["error"]
