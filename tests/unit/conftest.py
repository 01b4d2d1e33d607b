"""Fixtures of the override function's unit tests: local state directories holding a scheduled run's
record, and the function's handler."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from demo import load_handler
from override_support import TOKEN, Dirs
from platform_status.run.last_run import LAST_RUN_STATE
from platform_status.store import LocalStore, ObjectMeta
from support import last_run_bytes


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Dirs:
    found = Dirs(tmp_path / "public", tmp_path / "state")
    env = {
        "UPTIME_KUMA_METRICS_URL": "http://127.0.0.1:9",
        "STATUS_OUT_DIR": str(found.public),
        "STATUS_STATE_DIR": str(found.state),
        "OVERRIDE_TOKEN": TOKEN,
    }
    for name in ("SPACES_ENDPOINT", "SPACES_ACCESS_KEY", "SPACES_SECRET_KEY", "SPACES_BUCKET", "STATUS_BUCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # A scheduled run has already happened: its saved observations (recorded Kuma: computed "outage").
    state = last_run_bytes()
    LocalStore(found.state).put(LAST_RUN_STATE, state, ObjectMeta("application/json"))
    return found


@pytest.fixture(scope="module")
def handler() -> Callable[..., dict[str, Any]]:
    return load_handler("override")
