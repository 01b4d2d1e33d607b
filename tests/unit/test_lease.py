"""The lease over plain GET and PUT (incidents/lease.py), on the local store with a clock the test moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from platform_status.incidents.lease import SETTLE, WAIT, Busy, exclusive
from platform_status.store import LocalStore


class Clock:
    def __init__(self, step: float = 0.0) -> None:
        self.now, self.step = 0.0, step

    def monotonic(self) -> float:
        self.now += self.step  # each look at the clock: as if every request took `step` seconds
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_free_lease_is_taken_after_the_settle_time_and_given_back(tmp_path: Path) -> None:
    store, clock = LocalStore(tmp_path), Clock()
    with exclusive(store, "lease.json", monotonic=clock.monotonic, sleep=clock.sleep):
        assert store.get("lease.json") is not None
        assert clock.now >= SETTLE
    assert store.get("lease.json") is None


def test_a_held_lease_makes_the_next_caller_wait_then_give_up(tmp_path: Path) -> None:
    store, clock = LocalStore(tmp_path), Clock()
    with exclusive(store, "lease.json", monotonic=clock.monotonic, sleep=clock.sleep):
        with pytest.raises(Busy), exclusive(store, "lease.json", monotonic=clock.monotonic, sleep=clock.sleep):
            pass
        assert clock.now > WAIT


def test_a_store_too_slow_to_be_sure_gives_up_instead_of_looping(tmp_path: Path) -> None:
    store, clock = LocalStore(tmp_path), Clock(step=SETTLE)  # every read-then-write longer than SETTLE / 2
    with (
        pytest.raises(Busy, match="too slow"),
        exclusive(store, "lease.json", monotonic=clock.monotonic, sleep=clock.sleep),
    ):
        pass
