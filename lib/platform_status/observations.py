"""The normalised inputs of one run: what the sources saw. Saved as a private state object each run."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from platform_status.monitors import KumaSnapshot
from platform_status.sources.backups import BackupListing
from platform_status.sources.report import SourceReport
from platform_status.timeutil import UtcDatetime

STATE_SCHEMA_VERSION = 1


class Observations(BaseModel):
    model_config = ConfigDict(frozen=True)

    state_schema_version: int = STATE_SCHEMA_VERSION
    checked_at: UtcDatetime
    kuma_report: SourceReport
    kuma: KumaSnapshot | None  # None when Kuma was unavailable
    backups_report: SourceReport
    backups: BackupListing | None  # None when the listing failed or Spaces is not configured
