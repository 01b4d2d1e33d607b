"""Backup recency: each tenant on its own, the platform as its worst tenant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class BackupStatus(StrEnum):
    SUCCESS = "success"
    WARNING = "warning"
    FAILED = "failed"
    UNKNOWN = "unknown"


_SEVERITY = {BackupStatus.SUCCESS: 0, BackupStatus.WARNING: 1, BackupStatus.FAILED: 2}


@dataclass(frozen=True)
class BackupThresholds:
    warning_after: timedelta = timedelta(hours=26)
    failed_after: timedelta = timedelta(hours=48)


@dataclass(frozen=True)
class BackupVerdict:
    status: BackupStatus
    # The oldest of the tenants' newest good backups: "every tenant has a backup at least this recent".
    last_successful_backup: datetime | None
    tenants_total: int
    tenants_success: int
    tenants_warning: int
    tenants_failed: int


UNKNOWN_BACKUPS = BackupVerdict(BackupStatus.UNKNOWN, None, 0, 0, 0, 0)


def tenant_status(newest_good: datetime | None, now: datetime, thresholds: BackupThresholds) -> BackupStatus:
    """success up to 26 h, warning up to 48 h, failed beyond or with no good backup at all."""
    if newest_good is None:
        return BackupStatus.FAILED
    age = now - newest_good
    if age <= thresholds.warning_after:
        return BackupStatus.SUCCESS
    if age <= thresholds.failed_after:
        return BackupStatus.WARNING
    return BackupStatus.FAILED


def judge_backups(
    newest_good_by_tenant: Mapping[str, datetime | None],
    now: datetime,
    thresholds: BackupThresholds,
) -> BackupVerdict:
    if not newest_good_by_tenant:
        return UNKNOWN_BACKUPS
    statuses = [tenant_status(newest, now, thresholds) for newest in newest_good_by_tenant.values()]
    good = [newest for newest in newest_good_by_tenant.values() if newest is not None]
    return BackupVerdict(
        status=max(statuses, key=_SEVERITY.__getitem__),
        last_successful_backup=min(good) if good else None,
        tenants_total=len(statuses),
        tenants_success=statuses.count(BackupStatus.SUCCESS),
        tenants_warning=statuses.count(BackupStatus.WARNING),
        tenants_failed=statuses.count(BackupStatus.FAILED),
    )
