"""The private history object: round trips, generations, corrupt and newer objects, interrupted writes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from platform_status.history.advance import HistoryRules, advance
from platform_status.history.state import (
    POINTER,
    SLOTS,
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
    kuma = KumaSnapshot(
        observed_at=at,
        monitors=[MonitorSnapshot(key="id:1", name="m", state=MonitorState.UP if up else MonitorState.DOWN)],
        components=[],
    )
    return advance(state, kuma, BackupStatus.SUCCESS, at, HistoryRules()).state


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


def test_each_run_writes_the_other_slot_and_keeps_the_previous(store: LocalStore, tmp_path: Path) -> None:
    for index in range(3):
        loaded = load_history(store, "")
        save_history(store, "", loaded, one_run(loaded.state, NOW + timedelta(minutes=10 * index)), NOW)
        pointer = json.loads((tmp_path / POINTER).read_text())
        assert pointer["generation"] == index + 1
        assert pointer["slot"] == SLOTS[(index + 1) % 2]
    assert all((tmp_path / slot).exists() for slot in SLOTS)


def test_a_truncated_newest_generation_falls_back_to_the_previous(store: LocalStore, tmp_path: Path) -> None:
    for index in range(2):
        loaded = load_history(store, "")
        save_history(store, "", loaded, one_run(loaded.state, NOW + timedelta(minutes=10 * index)), NOW)
    newest = json.loads((tmp_path / POINTER).read_text())["slot"]
    body = (tmp_path / newest).read_bytes()
    (tmp_path / newest).write_bytes(body[: len(body) // 2])  # a crash mid-write, on a store without atomic puts

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
    newer = json.loads(newest.read_text()) | {"state_schema_version": 99, "something_new": True}
    newest.write_text(json.dumps(newer))
    with pytest.raises(HistoryUnavailable, match="schema version 99"):
        load_history(store, "")


class FailingStore(LocalStore):
    def get(self, key: str) -> bytes | None:
        raise StoreError(f"reading {key} failed (AccessDenied)")


def test_a_failed_read_is_not_the_same_as_no_history(tmp_path: Path) -> None:
    with pytest.raises(HistoryUnavailable, match="AccessDenied"):
        load_history(FailingStore(tmp_path), "")


def test_the_pointer_never_moves_backwards(store: LocalStore, tmp_path: Path) -> None:
    slow = load_history(store, "")  # a run that started first...
    for index in range(2):  # ...while two others finished
        loaded = load_history(store, "")
        save_history(store, "", loaded, one_run(loaded.state, NOW + timedelta(minutes=index)), NOW)
    save_history(store, "", slow, one_run(slow.state, NOW), NOW)
    assert json.loads((tmp_path / POINTER).read_text())["generation"] == 2
    assert load_history(store, "").state.monitors["id:1"].counts().day(NOW.date())[0] >= 1


def test_unknown_keys_in_a_state_object_are_refused(store: LocalStore) -> None:
    store.put(POINTER, b'{"generation": 1, "slot": "history/slot-1.json"}', ObjectMeta("application/json"))
    store.put(SLOTS[1], b'{"state_schema_version": 1, "mystery": 1}', ObjectMeta("application/json"))
    store.put(SLOTS[0], b"", ObjectMeta("application/json"))
    with pytest.raises(HistoryUnavailable):
        load_history(store, "")
