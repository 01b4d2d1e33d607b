"""The normalised inputs of one run: what the sources saw. Saved as a private state object each run.

The one place the sources are named: a new source is a field here, a line in `reports()` and in `SOURCES`,
and everything that reports on sources (the run's summary, status.json's `sources`, the command line, the
demo, `doctor`, the alerts) lists it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from platform_status.monitors import KumaSnapshot
from platform_status.sources.backups import BackupListing
from platform_status.sources.report import SourceReport
from platform_status.timeutil import UtcDatetime

STATE_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class SourceName:
    key: str  # in the run's summary and its alert state
    label: str  # in sentences: "source Uptime Kuma: ok in 120 ms"
    in_alerts: str  # "Uptime Kuma unavailable: ...", "the backups listing unavailable: ..."


SOURCES = (
    SourceName("uptime_kuma", "Uptime Kuma", "Uptime Kuma"),
    SourceName("backups", "backups", "the backups listing"),
)


class Observations(BaseModel):
    model_config = ConfigDict(frozen=True)

    state_schema_version: int = STATE_SCHEMA_VERSION
    checked_at: UtcDatetime
    kuma_report: SourceReport
    kuma: KumaSnapshot | None  # None when Kuma was unavailable
    backups_report: SourceReport
    backups: BackupListing | None  # None when the listing failed or Spaces is not configured

    def reports(self) -> dict[str, SourceReport]:
        """Each source's report, by its key, in the order of SOURCES."""
        return {"uptime_kuma": self.kuma_report, "backups": self.backups_report}
