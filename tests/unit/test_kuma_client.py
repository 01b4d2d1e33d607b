"""The Kuma client against recorded responses replayed by `responses` (no network)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
import responses
from responses import matchers, registries

from platform_status.monitors import MonitorState
from platform_status.sources.kuma import KumaClient, collect_kuma
from platform_status.sources.report import SourceUnavailable
from support import KUMA_1_23, KUMA_2_5_3, RECORDED_AT, TEST_API_KEY, read_text

BASE = "http://127.0.0.1:3001"
SLUG = "test-status"
BASIC = matchers.header_matcher({"Authorization": "Basic OnRlc3QtYXBpLWtleS1vbmx5LWZvci10aGUtdGVzdHM="})


def deadline(seconds: float = 10) -> float:
    return time.monotonic() + seconds


def client(api_key: str | None = TEST_API_KEY) -> KumaClient:
    return KumaClient(BASE, api_key, timeout_seconds=2, retries=2)


def add_recorded(folder: Path = KUMA_2_5_3) -> None:
    responses.get(f"{BASE}/metrics", body=read_text(folder, "metrics.txt"), match=[BASIC])
    bypass = matchers.header_matcher({"x-apicache-bypass": "1"})
    for name, path in (
        ("status-page.json", f"/api/status-page/{SLUG}"),
        ("heartbeat.json", f"/api/status-page/heartbeat/{SLUG}"),
    ):
        responses.get(BASE + path, body=read_text(folder, name), content_type="application/json", match=[bypass])


@responses.activate
def test_good_responses_give_a_snapshot_with_one_request_per_endpoint() -> None:
    add_recorded()
    snapshot = collect_kuma(client(), SLUG, RECORDED_AT, deadline())
    assert {m.key: m.state for m in snapshot.monitors}["id:2"] == MonitorState.DOWN
    assert len(responses.calls) == 3


@responses.activate
def test_kuma_1_23_shape() -> None:
    add_recorded(KUMA_1_23)
    snapshot = collect_kuma(client(), SLUG, RECORDED_AT, deadline())
    assert {m.name: m.state for m in snapshot.monitors}["PRIV-db-closed-port"] == MonitorState.DOWN
    assert snapshot.incidents == []
    assert snapshot.version == "1.23.17"


@responses.activate
def test_metrics_only_without_a_slug() -> None:
    add_recorded()
    snapshot = collect_kuma(client(), None, RECORDED_AT, deadline())
    assert len(snapshot.monitors) == 6
    assert [call.request.url for call in responses.calls] == [f"{BASE}/metrics"]


@responses.activate
def test_bad_key_is_unavailable_with_a_reason_naming_the_variable_not_the_key() -> None:
    responses.get(f"{BASE}/metrics", status=401, headers={"WWW-Authenticate": "Basic"})
    with pytest.raises(SourceUnavailable) as caught:
        client().metrics_text(deadline())
    assert "401" in str(caught.value)
    assert "UPTIME_KUMA_API_KEY" in str(caught.value)
    assert TEST_API_KEY not in str(caught.value)


@responses.activate
def test_unknown_slug_is_unavailable() -> None:
    responses.get(
        f"{BASE}/api/status-page/nope",
        status=404,
        body=read_text(KUMA_2_5_3, "status-page-missing.json"),
        content_type="application/json",
    )
    with pytest.raises(SourceUnavailable, match="status page not found"):
        client().status_page_json("nope", deadline())


@responses.activate
def test_timeout_is_unavailable_and_names_no_host() -> None:
    responses.get(f"{BASE}/metrics", body=requests.exceptions.ConnectTimeout("HTTPConnectionPool(host='127.0.0.1')"))
    with pytest.raises(SourceUnavailable) as caught:
        client().metrics_text(deadline())
    assert str(caught.value) == "/metrics: timed out"


@responses.activate
def test_connection_refused_is_unavailable_and_names_no_host() -> None:
    responses.get(f"{BASE}/metrics", body=requests.exceptions.ConnectionError("Max retries exceeded host='127.0.0.1'"))
    with pytest.raises(SourceUnavailable) as caught:
        client().metrics_text(deadline())
    assert "127.0.0.1" not in str(caught.value)


@responses.activate
def test_garbage_metrics_are_unavailable_not_a_crash() -> None:
    responses.get(f"{BASE}/metrics", body="<html>Login</html>")
    with pytest.raises(SourceUnavailable, match="malformed"):
        collect_kuma(client(), None, RECORDED_AT, deadline())


@responses.activate
def test_garbage_status_page_is_unavailable() -> None:
    add_recorded()
    responses.replace(responses.GET, f"{BASE}/api/status-page/{SLUG}", body="not json", status=200)
    with pytest.raises(SourceUnavailable, match="malformed"):
        collect_kuma(client(), SLUG, RECORDED_AT, deadline())


@responses.activate(registry=registries.OrderedRegistry)
def test_a_passing_503_is_retried() -> None:
    responses.get(f"{BASE}/metrics", status=503)
    responses.get(f"{BASE}/metrics", body=read_text(KUMA_2_5_3, "metrics.txt"))
    assert "monitor_status" in client().metrics_text(deadline())
    assert len(responses.calls) == 2


@responses.activate
def test_persistent_5xx_is_unavailable_after_retries() -> None:
    responses.get(f"{BASE}/metrics", status=502)
    with pytest.raises(SourceUnavailable, match="502"):
        client().metrics_text(deadline())
    assert len(responses.calls) == 3  # the first try and two retries


def test_no_time_left_is_unavailable_without_a_request() -> None:
    with pytest.raises(SourceUnavailable, match="budget"):
        client().metrics_text(time.monotonic() - 1)
