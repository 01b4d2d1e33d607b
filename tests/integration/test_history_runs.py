"""Publish runs keeping history in moto's S3 server over HTTP: public bars, failures, concurrent runs."""

from __future__ import annotations

import gzip
import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from platform_status.config import Settings, load_settings
from platform_status.history.state import SLOTS, load_history
from platform_status.run.publish import publish
from platform_status.run.targets import targets_for
from platform_status.spaces import make_s3_client

pytestmark = pytest.mark.integration
RECORDED = datetime(2026, 11, 28, 19, 14, tzinfo=UTC)


@pytest.fixture
def settings(stack_env: dict[str, str]) -> Settings:
    return load_settings(stack_env)


def get(settings: Settings, key: str) -> tuple[Any, str]:
    """The object's JSON and its Cache-Control."""
    response = make_s3_client(settings).get_object(Bucket=str(settings.status_bucket), Key=key)
    body = response["Body"].read()
    # As any HTTP client reads it: a file stored compressed says so in Content-Encoding.
    if response.get("ContentEncoding") == "gzip":
        body = gzip.decompress(body)
    return json.loads(body), response.get("CacheControl", "")


def test_history_gives_windows_bars_and_immutable_days(settings: Settings) -> None:
    publish(settings, now=RECORDED)
    document, _ = get(settings, "status.json")
    assert document["uptime"]["last_7d"] == 50.0  # the recorded beats: 1, 0, 0, 1 and 0.5 of the day
    assert document["uptime"]["last_30d"] == 50.0
    assert document["status_changed_at"] == "2026-11-28T19:14:00Z"
    services = document["components"][0]
    assert (services["name"], services["uptime_7d"]) == ("Services", 50.0)

    index, cache_control = get(settings, "history/index.json")
    assert cache_control == "public, max-age=60"
    assert len(index["platform"]["days"]) == 90
    assert index["platform"]["days"][-1] == {"date": "2026-11-28", "uptime": 50.0, "worst": "outage", "incidents": 1}
    assert index["platform"]["days"][0]["uptime"] is None  # no data: a gap, not downtime
    assert [c["name"] for c in index["components"]] == ["Services", "Other"]

    next_day = publish(settings, now=RECORDED + timedelta(hours=7))  # 02:14 the next day
    assert "history/days/2026-11-28.json" in next_day.written
    day, cache_control = get(settings, "history/days/2026-11-28.json")
    assert cache_control == "public, max-age=31536000, immutable"
    assert day["platform"]["uptime"] == 50.0
    again = publish(settings, now=RECORDED + timedelta(hours=7, minutes=10))
    assert "history/days/2026-11-28.json" not in again.written  # written once


def test_an_unreadable_history_is_left_alone_and_the_run_says_so(settings: Settings) -> None:
    publish(settings, now=RECORDED)
    client = make_s3_client(settings)
    client.put_object(Bucket=str(settings.status_bucket), Key=f"_state/{SLOTS[1]}", Body=b'{"state_schema_version": 7}')
    outcome = publish(settings, now=RECORDED + timedelta(minutes=10))
    assert outcome.history.startswith("not written")
    assert outcome.summary()["ok"] is False
    assert "status.json" in outcome.written  # the page still updates
    body = client.get_object(Bucket=str(settings.status_bucket), Key=f"_state/{SLOTS[1]}")["Body"].read()
    assert body == b'{"state_schema_version": 7}'


def test_two_runs_at_once_may_lose_a_sample_never_the_history(settings: Settings) -> None:
    publish(settings, now=RECORDED)
    outcomes = []

    def run(minutes: int) -> None:
        outcomes.append(publish(settings, now=RECORDED + timedelta(minutes=minutes)))

    threads = [threading.Thread(target=run, args=(minutes,)) for minutes in (10, 11)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert len(outcomes) == 2
    targets = targets_for(settings, make_s3_client(settings), None)
    loaded = load_history(targets.state, targets.state_prefix)
    assert loaded.note is None
    assert loaded.pointer is not None
    assert loaded.pointer.generation >= 2
    counts = loaded.state.monitors["id:7"].counts()
    assert counts.day(RECORDED.date()) == (2, 2, 0)  # the recorded beats, each counted once
