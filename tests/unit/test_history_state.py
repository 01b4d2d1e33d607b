"""The private history: round trips, generations, corrupt and newer objects, interrupted writes, and the
finished days stored once and summed again from their objects."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from platform_status.history.advance import HistoryRules, advance
from platform_status.history.state import (
    SLOTS,
    VERSION_1_KEYS,
    HistoryState,
    HistoryUnavailable,
    load_history,
    save_history,
)
from platform_status.monitors import KumaSnapshot, MonitorSnapshot, MonitorState
from platform_status.rules.backups import BackupStatus
from platform_status.store import LocalStore, ObjectMeta, StoreError

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def one_run(state: HistoryState, at: datetime, up: bool = True) -> HistoryState:
    return advance(state, snapshot(at, up), BackupStatus.SUCCESS, at, HistoryRules()).state


def snapshot(at: datetime, up: bool = True) -> KumaSnapshot:
    return KumaSnapshot(
        observed_at=at,
        monitors=[MonitorSnapshot(key="id:1", name="m", state=MonitorState.UP if up else MonitorState.DOWN)],
        components=[],
    )


def slot_content(path: Path) -> Any:
    return json.loads(gzip.decompress(path.read_bytes()))


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path)


def test_a_generation_round_trips(store: LocalStore) -> None:
    loaded = load_history(store, "")
    state = one_run(loaded.state, NOW)
    save_history(store, "", loaded, state, NOW)
    again = load_history(store, "")
    assert again.state.monitors["id:1"].counts().day(NOW.date()) == (1, 0, 0)
    assert again.pointer is not None
    assert again.pointer.generation == 1


def test_a_large_generation_reads_back_as_the_state_it_was(store: LocalStore, tmp_path: Path) -> None:
    """1,201 monitors (written a few hundred at a time), one with a name JSON must escape."""
    keys = [f"id:{number}" for number in range(1, 1201)] + ['name:caf\u00e9 "eu"\\']
    kuma = KumaSnapshot(
        observed_at=NOW,
        monitors=[MonitorSnapshot(key=key, name="m", state=MonitorState.UP) for key in keys],
        components=[],
    )
    state = advance(HistoryState(), kuma, BackupStatus.SUCCESS, NOW, HistoryRules()).state
    loaded = load_history(store, "")
    save_history(store, "", loaded, state, NOW)
    again = load_history(store, "").state
    assert list(again.monitors) == keys
    assert again.model_dump(exclude={"generation", "updated_at"}) == state.model_dump(
        exclude={"generation", "updated_at"}
    )
    assert gzip.decompress((tmp_path / SLOTS[1]).read_bytes()).startswith(b'{"state_schema_version":2,')


def test_each_run_writes_the_other_slot_and_keeps_the_previous(store: LocalStore, tmp_path: Path) -> None:
    for index in range(3):
        loaded = load_history(store, "")
        save_history(store, "", loaded, one_run(loaded.state, NOW + timedelta(minutes=10 * index)), NOW)
        assert slot_content(tmp_path / SLOTS[(index + 1) % 2])["generation"] == index + 1
        if index:
            assert slot_content(tmp_path / SLOTS[index % 2])["generation"] == index  # the previous, untouched
    assert all((tmp_path / slot).exists() for slot in SLOTS)
    assert load_history(store, "").pointer.generation == 3  # type: ignore[union-attr]


def test_a_truncated_newest_generation_falls_back_to_the_previous(store: LocalStore, tmp_path: Path) -> None:
    for index in range(2):
        loaded = load_history(store, "")
        save_history(store, "", loaded, one_run(loaded.state, NOW + timedelta(minutes=10 * index)), NOW)
    newest = tmp_path / SLOTS[2 % 2]
    assert slot_content(newest)["generation"] == 2
    body = newest.read_bytes()
    newest.write_bytes(body[: len(body) // 2])  # a crash mid-write, on a store without atomic puts

    loaded = load_history(store, "")
    assert loaded.note is not None
    assert "previous generation" in loaded.note
    assert loaded.state.monitors["id:1"].counts().day(NOW.date()) == (1, 0, 0)


def test_a_corrupt_history_with_no_good_generation_is_refused_and_left_alone(store: LocalStore, tmp_path: Path) -> None:
    loaded = load_history(store, "")
    save_history(store, "", loaded, one_run(loaded.state, NOW), NOW)
    for slot in SLOTS:
        (tmp_path / slot).write_text("{not json")
    with pytest.raises(HistoryUnavailable):
        load_history(store, "")
    assert (tmp_path / SLOTS[1]).read_text() == "{not json"


def test_a_newer_schema_version_is_refused_never_overwritten(store: LocalStore, tmp_path: Path) -> None:
    loaded = load_history(store, "")
    save_history(store, "", loaded, one_run(loaded.state, NOW), NOW)
    newest = tmp_path / SLOTS[1]
    newer = slot_content(newest) | {"state_schema_version": 99, "something_new": True}
    newest.write_bytes(gzip.compress(json.dumps(newer).encode()))
    with pytest.raises(HistoryUnavailable, match="schema version 99"):
        load_history(store, "")


class FailingStore(LocalStore):
    def get(self, key: str) -> bytes | None:
        raise StoreError(f"reading {key} failed (AccessDenied)")


def test_a_failed_read_is_not_the_same_as_no_history(tmp_path: Path) -> None:
    with pytest.raises(HistoryUnavailable, match="AccessDenied"):
        load_history(FailingStore(tmp_path), "")


def test_a_run_that_finishes_late_never_makes_an_older_generation_current(store: LocalStore) -> None:
    slow = load_history(store, "")  # a run that started first...
    for index in range(2):  # ...while two others finished
        loaded = load_history(store, "")
        save_history(store, "", loaded, one_run(loaded.state, NOW + timedelta(minutes=index)), NOW)
    save_history(store, "", slow, one_run(slow.state, NOW), NOW)
    again = load_history(store, "")
    assert again.pointer is not None
    assert again.pointer.generation == 2
    assert again.state.monitors["id:1"].counts().day(NOW.date())[0] >= 1


def test_unknown_keys_in_a_state_object_are_refused(store: LocalStore) -> None:
    store.put(SLOTS[1], b'{"state_schema_version": 2, "generation": 1, "mystery": 1}', ObjectMeta("application/json"))
    store.put(SLOTS[0], b"", ObjectMeta("application/json"))
    with pytest.raises(HistoryUnavailable):
        load_history(store, "")


def test_a_first_format_history_is_left_as_it_is(store: LocalStore, tmp_path: Path) -> None:
    store.put(VERSION_1_KEYS[1], b'{"state_schema_version": 1}', ObjectMeta("application/json"))
    loaded = load_history(store, "")
    assert loaded.note is not None
    assert "left as it is" in loaded.note
    save_history(store, "", loaded, one_run(loaded.state, NOW), NOW)
    assert (tmp_path / VERSION_1_KEYS[1]).read_bytes() == b'{"state_schema_version": 1}'


def runs_over_days(store: LocalStore, days: int, *, down_on: set[int] | None = None) -> list[Any]:
    """Ten runs a day at noon for `days` days, through load and save as the function does."""
    outcomes = []
    for day in range(days):
        for run in range(10):
            at = NOW + timedelta(days=day, minutes=10 * run)
            loaded = load_history(store, "", at.date())
            result = advance(
                loaded.state, snapshot(at, up=day not in (down_on or set())), BackupStatus.SUCCESS, at, HistoryRules()
            )
            save_history(store, "", loaded, result.state, at, day_objects=result.settled)
            outcomes.append(result)
    return outcomes


def test_a_finished_day_is_stored_once_and_leaves_the_live_state(store: LocalStore, tmp_path: Path) -> None:
    runs_over_days(store, 3)
    stored = sorted(path.name for path in (tmp_path / "history" / "days").iterdir())
    assert stored == ["2026-11-28.json.gz", "2026-11-29.json.gz"]
    first = tmp_path / "history" / "days" / stored[0]
    written_at = first.stat().st_mtime_ns
    runs_over_days_from = load_history(store, "", (NOW + timedelta(days=2)).date())
    live = runs_over_days_from.state.monitors["id:1"]
    assert live.first_day == (NOW + timedelta(days=2)).date()  # only today is held in the buckets
    assert first.stat().st_mtime_ns == written_at  # stored once, never rewritten


def test_windows_count_the_stored_days_summed_again_each_day(store: LocalStore) -> None:
    outcomes = runs_over_days(store, 9, down_on={1})  # day 1 down all day, the others up
    last = outcomes[-1]
    assert last.platform.uptime.last_7d == pytest.approx(1.0)  # day 1 is 8 days back: out of 7 days
    assert last.platform.uptime.last_30d == pytest.approx(80 / 90)


def test_a_missing_day_object_is_a_gap_not_an_error(store: LocalStore, tmp_path: Path) -> None:
    runs_over_days(store, 3)
    (tmp_path / "history" / "days" / "2026-11-28.json.gz").unlink()
    loaded = load_history(store, "", (NOW + timedelta(days=3)).date())
    sums = loaded.state.monitors["id:1"].settled
    assert sums[30][0] == 10  # only 29 November's ten up beats: 28 November is gone, not an error
