"""`make demo`: the real handler against the local stand-ins, told in sentences."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def test_the_demo_speaks_in_sentences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from demo import main as demo  # noqa: PLC0415 - starts servers: only here

    assert demo(tmp_path / "demo-output") == 0
    assert (tmp_path / "demo-output" / "index.html").is_file()
    printed = capsys.readouterr().out
    assert "platform status: outage" in printed
    assert "alerts: not configured" in printed
    assert "{'" not in printed  # no Python reprs
    assert " None" not in printed
    assert printed.count('{"function"') == 0  # the function's JSON log line is summarised, not printed
    assert "Run `make demo` again for a fresh one" in printed


def test_the_demo_replays_the_recorded_beats_as_todays() -> None:
    from kuma_standin import KumaResponses  # noqa: PLC0415

    now = datetime.now(UTC).replace(microsecond=0)
    recorded = KumaResponses.recorded()
    shifted = json.loads(recorded.shifted_to(now).heartbeat)["heartbeatList"]
    original = json.loads(recorded.heartbeat)["heartbeatList"]
    times = [datetime.fromisoformat(b["time"] + "+00:00") for beats in shifted.values() for b in beats]
    assert max(times) == now
    assert [[b["status"] for b in beats] for beats in shifted.values()] == [
        [b["status"] for b in beats] for beats in original.values()
    ]
