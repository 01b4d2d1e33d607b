"""Backup recency per tenant and for the platform (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from platform_status.rules.backups import BackupStatus, BackupThresholds, judge_backups, tenant_status

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DEFAULT = BackupThresholds()


@pytest.mark.parametrize(
    ("age_hours", "expected"),
    [
        (0, BackupStatus.SUCCESS),
        (26, BackupStatus.SUCCESS),
        (26.01, BackupStatus.WARNING),
        (48, BackupStatus.WARNING),
        (48.01, BackupStatus.FAILED),
        (24 * 30, BackupStatus.FAILED),
    ],
)
def test_tenant_status_by_age(age_hours: float, expected: BackupStatus) -> None:
    assert tenant_status(NOW - timedelta(hours=age_hours), NOW, DEFAULT) == expected


def test_tenant_without_a_good_backup_has_failed() -> None:
    assert tenant_status(None, NOW, DEFAULT) == BackupStatus.FAILED


def test_platform_is_its_worst_tenant_and_last_successful_is_the_oldest_newest() -> None:
    verdict = judge_backups(
        {
            "a": NOW - timedelta(hours=2),
            "b": NOW - timedelta(hours=30),
            "c": NOW - timedelta(hours=3),
        },
        NOW,
        DEFAULT,
    )
    assert verdict.status == BackupStatus.WARNING
    # "every tenant has a backup at least this recent"
    assert verdict.last_successful_backup == NOW - timedelta(hours=30)
    assert (
        verdict.tenants_total,
        verdict.tenants_success,
        verdict.tenants_warning,
        verdict.tenants_failed,
    ) == (
        3,
        2,
        1,
        0,
    )


def test_no_tenants_is_unknown_not_success() -> None:
    verdict = judge_backups({}, NOW, DEFAULT)
    assert verdict.status == BackupStatus.UNKNOWN
    assert verdict.last_successful_backup is None


def test_a_tenant_with_no_good_backup_fails_the_platform_but_not_last_successful() -> None:
    verdict = judge_backups({"a": NOW - timedelta(hours=1), "b": None}, NOW, DEFAULT)
    assert verdict.status == BackupStatus.FAILED
    assert verdict.last_successful_backup == NOW - timedelta(hours=1)


def test_thresholds_are_configurable() -> None:
    strict = BackupThresholds(warning_after=timedelta(hours=12), failed_after=timedelta(hours=24))
    assert tenant_status(NOW - timedelta(hours=13), NOW, strict) == BackupStatus.WARNING
