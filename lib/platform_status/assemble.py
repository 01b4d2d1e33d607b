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
from platform_status.history.advance import Advanced, ScopeVerdict
from platform_status.incidents.monitoring import monitoring_incidents, monitoring_maintenances
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


def _percent(ratio: float | None) -> float | None:
    return round(100 * ratio, 2) if ratio is not None else None


def _component(name: str, verdict: ScopeVerdict, uptime_24h: float | None) -> Component:
    return Component(
        name=name,
        status=verdict.status,
        uptime_24h=uptime_24h if uptime_24h is not None else _percent(verdict.uptime.last_24h),
        uptime_7d=_percent(verdict.uptime.last_7d),
        uptime_30d=_percent(verdict.uptime.last_30d),
        uptime_90d=_percent(verdict.uptime.last_90d),
        status_changed_at=verdict.changed_at,
        held_from=verdict.held_from,
    )


def build_document(observations: Observations, settings: Settings, history: Advanced | None = None) -> StatusDocument:
    """The computed document. With history: statuses with memory (flapping, recovery, held), uptime windows.
    Without (history unreadable this run): the statuses of this run's data alone."""
    # The snapshot as the history decided it: monitors a restarted Kuma does not list yet keep their state.
    kuma = history.kuma if history is not None and history.kuma is not None else observations.kuma
    backups = judge_observed_backups(observations, settings)
    share = settings.outage_down_share

    counts = MonitorCounts.of(m.state for m in kuma.monitors) if kuma else MonitorCounts()
    kuma_24h = {c.name: mean_uptime_percent(kuma.monitors_of(c)) for c in kuma.components} if kuma else {}
    if history is not None:
        counts = history.counts
        computed = history.platform.status
        components = [_component(name, verdict, kuma_24h.get(name)) for name, verdict in history.components.items()]
    else:
        computed = platform_status(status_from_monitors(counts, share) if kuma else None, backups.status)
        components = []
        for component in kuma.components if kuma is not None else []:
            members = kuma.monitors_of(component) if kuma is not None else []
            components.append(
                Component(
                    name=component.name,
                    status=status_from_monitors(MonitorCounts.of(m.state for m in members), share),
                    uptime_24h=kuma_24h[component.name],
                )
            )
    windows = history.platform.uptime if history else None
    last_24h = mean_uptime_percent(kuma.monitors) if kuma else None
    if last_24h is None and windows is not None:
        last_24h = _percent(windows.last_24h)  # Kuma 1.23 without a status page, or Kuma unavailable

    return StatusDocument(
        updated_at=observations.checked_at,
        stale_after=observations.checked_at + stale_after_delay(settings),
        platform_status=computed,
        computed_status=computed,
        status_changed_at=history.platform.changed_at if history else None,
        held_from=history.platform.held_from if history else None,
        uptime=Uptime(
            last_24h=last_24h,
            last_7d=_percent(windows.last_7d) if windows else None,
            last_30d=_percent(windows.last_30d) if windows else None,
            last_90d=_percent(windows.last_90d) if windows else None,
            formula=(history.formula if history else kuma.formula if kuma else None),
        ),
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
            flapping=counts.flapping,
            as_of=history.counts_as_of if history else None,
        ),
        sources=Sources(uptime_kuma=_source(observations.kuma_report), backups=_source(observations.backups_report)),
        incidents=monitoring_incidents(observations.kuma, observations.checked_at),
        maintenances=monitoring_maintenances(observations.kuma),
    )
