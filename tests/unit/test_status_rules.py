"""The decision rules as a table of cases (docs/status-rules.md). Pure functions: no mocks."""

from __future__ import annotations

import pytest

from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import MonitorCounts, PlatformStatus, platform_status, status_from_monitors

OP, DEG, OUT, MAINT, UNK = (
    PlatformStatus.OPERATIONAL,
    PlatformStatus.DEGRADED,
    PlatformStatus.OUTAGE,
    PlatformStatus.MAINTENANCE,
    PlatformStatus.UNKNOWN,
)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (MonitorCounts(up=10), OP),
        (MonitorCounts(up=9, down=1), DEG),
        (MonitorCounts(up=9, pending=1), DEG),  # PENDING is a failing check that Kuma is retrying
        (MonitorCounts(up=6, down=4), DEG),
        (MonitorCounts(up=5, down=5), OUT),  # exactly the default share (one half) is an outage
        (MonitorCounts(up=5, down=3, pending=2), OUT),
        (MonitorCounts(down=10), OUT),
        (MonitorCounts(up=1, down=1, maintenance=8), OUT),  # maintenance is left out of the count
        (MonitorCounts(up=2, maintenance=8), OP),
        (MonitorCounts(maintenance=3), MAINT),
        (MonitorCounts(), UNK),  # nothing counted: nothing to say
    ],
)
def test_status_from_current_monitor_states(counts: MonitorCounts, expected: PlatformStatus) -> None:
    assert status_from_monitors(counts, outage_down_share=0.5) == expected


def test_outage_share_is_configurable() -> None:
    counts = MonitorCounts(up=7, down=3)
    assert status_from_monitors(counts, outage_down_share=0.5) == DEG
    assert status_from_monitors(counts, outage_down_share=0.3) == OUT


@pytest.mark.parametrize(
    ("monitors", "backups", "expected"),
    [
        (OP, BackupStatus.SUCCESS, OP),
        (OP, BackupStatus.UNKNOWN, OP),  # backups unknown never decides the platform
        (OP, BackupStatus.WARNING, DEG),
        (OP, BackupStatus.FAILED, DEG),  # failed backups: degraded, never an outage by themselves
        (MAINT, BackupStatus.FAILED, DEG),
        (UNK, BackupStatus.FAILED, DEG),
        (DEG, BackupStatus.FAILED, DEG),
        (OUT, BackupStatus.SUCCESS, OUT),
        (OUT, BackupStatus.FAILED, OUT),
        (None, BackupStatus.SUCCESS, UNK),  # Kuma unavailable: unknown, never operational without data
        (None, BackupStatus.FAILED, UNK),  # ... and never an outage because a source failed
    ],
)
def test_platform_status_combines_monitors_and_backups(
    monitors: PlatformStatus | None, backups: BackupStatus, expected: PlatformStatus
) -> None:
    assert platform_status(monitors, backups) == expected
