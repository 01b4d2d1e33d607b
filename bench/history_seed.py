"""Seed a status bucket with `--days` days of history for `--monitors` monitors, in the format of whichever
platform_status is importable (PYTHONPATH picks the code before the rework, or this one), so the publish
benchmark measures a run that starts from a long history, as a deployment's does after a year.

    SPACES_ENDPOINT=... STATUS_BUCKET=... python bench/history_seed.py --monitors 1000 --days 400

The monitors are those of the Kuma stand-in's synthetic answers (`id:1`..), in ten groups; each has a little
downtime every day. The newest beat stored is 40 minutes old, so the run merges a third of the beats it sees.
"""

from __future__ import annotations

import argparse
import gzip
import os
from array import array
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from botocore.config import Config

from platform_status.history import state as history_state
from platform_status.history.counts import MonitorCounts, day_of

GROUPS = 10


def _client() -> Any:
    return boto3.client(
        "s3",
        endpoint_url=os.environ["SPACES_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(s3={"addressing_style": "path"}, max_pool_connections=16),
    )


def components(monitors: int) -> dict[str, list[str]]:
    size = -(-monitors // GROUPS)
    return {
        f"Group {g + 1}": [f"id:{m}" for m in range(g * size + 1, min(monitors, (g + 1) * size) + 1)]
        for g in range(GROUPS)
        if g * size < monitors
    }


def seed_version_1(monitors: int, days: int, now: datetime) -> None:
    """The first format: one object per generation with every day of every monitor, and a pointer."""
    from platform_status.store import S3Store  # noqa: PLC0415

    first = day_of(now) - timedelta(days=days - 1)
    per_day = array("I", [4300, 20, 0]) * days
    records = {}
    for monitor in range(1, monitors + 1):
        counts = MonitorCounts(  # type: ignore[call-arg]
            last_beat=int((now - timedelta(minutes=40)).timestamp()),
            minute_start=int(now.timestamp()) // 60 - 25 * 60 + 1,
            minutes=bytearray([3, 0]) * (25 * 60),
            first_day=first.toordinal(),
            days=array("I", per_day),
        )
        records[f"id:{monitor}"] = history_state.MonitorRecord.of(counts)
    groups = components(monitors)
    marks = {first + timedelta(days=d): history_state.DayMark(worst="operational") for d in range(days)}
    state = history_state.HistoryState(
        monitors=records,
        counted=list(records),
        components=groups,
        scope_days={"platform": marks} | {f"component:{name}": marks for name in groups},
    )
    store = S3Store(_client(), os.environ["STATUS_BUCKET"])
    history_state.save_history(
        store, "_state/", history_state.LoadedHistory(history_state.HistoryState(), None), state, now
    )


def seed_version_2(monitors: int, days: int, now: datetime) -> None:
    """This format: the live state (open day, minutes, window sums) and one stored object per finished day."""
    from platform_status.history.state import DayObject, HistoryState, MonitorRecord, SettledBar  # noqa: PLC0415

    today = day_of(now)
    finished = [today - timedelta(days=back) for back in range(1, days)]
    day_counts = [4300, 20, 0, 0, 0]
    settled = {window: tuple(count * (window - 1) for count in day_counts) for window in (7, 30, 90)}
    records = {}
    for monitor in range(1, monitors + 1):
        counts = MonitorCounts(
            last_beat_ms=int((now - timedelta(minutes=40)).timestamp() * 1000),
            minute_start=int(now.timestamp()) // 60 - 25 * 60 + 1,
            minutes=bytearray([0x30]) * (25 * 60),
            first_day=today.toordinal(),
            days=array("I", [2000, 10, 0]),
            seconds=array("I", [0, 0]),
            settled=settled,
            settled_on=today.toordinal(),
        )
        records[f"id:{monitor}"] = MonitorRecord.of(counts)
    groups = components(monitors)
    scopes = ["platform", *(f"component:{name}" for name in groups)]
    bars = {day: SettledBar(uptime=0.9954, worst="operational") for day in finished[:89]}
    state = HistoryState(
        monitors=records,
        settled_on=today,
        settled_days=sorted(finished[:89]),
        scope_bars={scope: dict(bars) for scope in scopes},
        counted=list(records),
        components=groups,
        published_days=sorted(finished[:89]),
    )
    client, bucket = _client(), os.environ["STATUS_BUCKET"]
    body = gzip.compress(state.model_copy(update={"generation": 1, "updated_at": now}).model_dump_json().encode(), 6)
    client.put_object(Bucket=bucket, Key="_state/" + history_state.SLOTS[1], Body=body)
    day_body = {m: day_counts for m in records}
    for day in finished[:89]:  # the ones a first run of a day reads to sum the windows again
        day_object = DayObject(date=day, monitors=day_body)
        key = history_state.day_object_key("_state/", day)
        client.put_object(Bucket=bucket, Key=key, Body=gzip.compress(day_object.model_dump_json().encode(), 6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--monitors", type=int, required=True)
    parser.add_argument("--days", type=int, default=400)
    args = parser.parse_args()
    now = datetime.now(UTC)
    if history_state.HISTORY_SCHEMA_VERSION == 1:
        seed_version_1(args.monitors, args.days, now)
    else:
        seed_version_2(args.monitors, args.days, now)


if __name__ == "__main__":
    main()
