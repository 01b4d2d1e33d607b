"""The platform status, decided from the monitors' current states (not from 24 h uptime)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from platform_status.monitors import MonitorState
from platform_status.rules.backups import BackupStatus


class PlatformStatus(StrEnum):
    OPERATIONAL = "operational"
    DEGRADED = "degraded"
    OUTAGE = "outage"
    MAINTENANCE = "maintenance"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class MonitorCounts:
    """Counted monitors only: a paused monitor (no state) is not in any of these."""

    up: int = 0
    down: int = 0
    pending: int = 0
    maintenance: int = 0
    flapping: int = 0  # changing state again and again: counted here, in none of the others

    @property
    def total(self) -> int:
        return self.up + self.down + self.pending + self.maintenance + self.flapping

    @classmethod
    def of(cls, states: Iterable[MonitorState | None], flapping: Iterable[bool] | None = None) -> MonitorCounts:
        """Count states; `flapping`, aligned with `states`, moves a monitor into the flapping count."""
        pairs = zip(states, flapping, strict=True) if flapping is not None else ((s, False) for s in states)
        counted = [(state, flag) for state, flag in pairs if state is not None]
        steady = [state for state, flag in counted if not flag]
        return cls(
            up=steady.count(MonitorState.UP),
            down=steady.count(MonitorState.DOWN),
            pending=steady.count(MonitorState.PENDING),
            maintenance=steady.count(MonitorState.MAINTENANCE),
            flapping=len(counted) - len(steady),
        )


def status_from_monitors(counts: MonitorCounts, outage_down_share: float) -> PlatformStatus:
    """none down: operational; some DOWN or PENDING, or flapping: degraded; at least the share down: outage.

    MAINTENANCE monitors are left out of the count; when every counted monitor is in maintenance the
    status is maintenance, and with no counted monitor at all there is nothing to say: unknown.
    """
    if counts.total == 0:
        return PlatformStatus.UNKNOWN
    active = counts.total - counts.maintenance
    if active == 0:
        return PlatformStatus.MAINTENANCE
    failing = counts.down + counts.pending  # Kuma's PENDING is a check already failing, retrying
    if failing == 0:
        # A flapping monitor is degraded service: never green, and never an outage by itself.
        return PlatformStatus.DEGRADED if counts.flapping else PlatformStatus.OPERATIONAL
    if failing / active >= outage_down_share:
        return PlatformStatus.OUTAGE
    return PlatformStatus.DEGRADED


def platform_status(
    monitors: PlatformStatus | None,
    backups: BackupStatus,
) -> PlatformStatus:
    """Combine the monitors' status (None: Uptime Kuma unavailable) with the backups' result.

    Kuma unavailable is unknown: never an outage because a source failed, never operational without data.
    Backups that are late or failed make the platform at least degraded, never an outage by themselves.
    """
    if monitors is None:
        return PlatformStatus.UNKNOWN
    if backups in (BackupStatus.WARNING, BackupStatus.FAILED) and monitors in (
        PlatformStatus.OPERATIONAL,
        PlatformStatus.MAINTENANCE,
        PlatformStatus.UNKNOWN,
    ):
        return PlatformStatus.DEGRADED
    return monitors
