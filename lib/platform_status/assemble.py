"""Build status.json from one run's observations. Pure: same observations, same document."""

from __future__ import annotations

from datetime import timedelta

from platform_status.config import Settings
from platform_status.document import (
    Backups,
    BackupTenantCounts,
    Component,
    Infrastructure,
    Monitors,
    Source,
    Sources,
    StatusDocument,
    Uptime,
)
from platform_status.observations import Observations
from platform_status.rules.backups import UNKNOWN_BACKUPS, BackupThresholds, BackupVerdict, judge_backups
from platform_status.rules.status import MonitorCounts, platform_status, status_from_monitors
from platform_status.rules.uptime import mean_uptime_percent
from platform_status.sources.report import SourceReport


def stale_after_delay(settings: Settings) -> timedelta:
    """Two schedule periods plus the cache lifetime: one missed run is tolerated, two are not."""
    return timedelta(minutes=2 * settings.schedule_minutes, seconds=settings.status_cache_max_age)


def judge_observed_backups(observations: Observations, settings: Settings) -> BackupVerdict:
    if observations.backups is None:
        return UNKNOWN_BACKUPS
    thresholds = BackupThresholds(
        warning_after=timedelta(hours=settings.backup_warning_hours),
        failed_after=timedelta(hours=settings.backup_failed_hours),
    )
    newest = {name: tenant.newest_good for name, tenant in observations.backups.tenants.items()}
    return judge_backups(newest, observations.checked_at, thresholds)


def _source(report: SourceReport) -> Source:
    # The reason stays out of the public document: it is for operators (summary, logs, state).
    return Source(status=report.status, observed_at=report.observed_at)


def build_document(observations: Observations, settings: Settings) -> StatusDocument:
    kuma = observations.kuma
    backups = judge_observed_backups(observations, settings)
    share = settings.outage_down_share

    counts = MonitorCounts.of(m.state for m in kuma.monitors) if kuma else MonitorCounts()
    monitors_status = status_from_monitors(counts, share) if kuma else None
    components = []
    for component in kuma.components if kuma else []:
        members = kuma.monitors_of(component) if kuma else []
        components.append(
            Component(
                name=component.name,
                status=status_from_monitors(MonitorCounts.of(m.state for m in members), share),
                uptime_24h=mean_uptime_percent(members),
            )
        )

    computed = platform_status(monitors_status, backups.status)
    return StatusDocument(
        updated_at=observations.checked_at,
        stale_after=observations.checked_at + stale_after_delay(settings),
        platform_status=computed,
        computed_status=computed,
        uptime=Uptime(last_24h=mean_uptime_percent(kuma.monitors) if kuma else None, last_7d=None),
        backups=Backups(
            policy=settings.backup_policy,
            last_successful_backup=backups.last_successful_backup,
            last_backup_status=backups.status,
            tenants=BackupTenantCounts(
                total=backups.tenants_total,
                success=backups.tenants_success,
                warning=backups.tenants_warning,
                failed=backups.tenants_failed,
            ),
        ),
        infrastructure=Infrastructure(
            model=settings.infrastructure_model,
            regions=settings.infrastructure_regions,
            notes=settings.infrastructure_notes,
        ),
        components=components,
        monitors=Monitors(
            total=counts.total,
            up=counts.up,
            down=counts.down,
            pending=counts.pending,
            maintenance=counts.maintenance,
        ),
        sources=Sources(uptime_kuma=_source(observations.kuma_report), backups=_source(observations.backups_report)),
    )
