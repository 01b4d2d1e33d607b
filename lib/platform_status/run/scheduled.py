"""A scheduled run as the function does it: publish, then alerts and the heartbeat, whatever happened.

Whatever goes wrong in the publish, an expected failure (PublishError) or one nobody foresaw, the run ends
with a short reason in its summary, and the alerts and the heartbeat still go out: a publisher that stopped
must never be quiet about it. Alerting and the heartbeat never fail the run: their problems go into the
summary and the log.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from platform_status.config import Settings
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import PlatformStatus
from platform_status.run.errors import PublishError
from platform_status.run.outcome import PublishOutcome
from platform_status.run.publish import publish
from platform_status.run.targets import Targets, targets_for
from platform_status.spaces import make_s3_client
from platform_status.store import ObjectMeta, StoreError
from platform_status.timeutil import utc_now
from platform_status.watch.alerts import AlertRules, AlertState, RunFacts, evaluate
from platform_status.watch.heartbeat import ping
from platform_status.watch.notify import alert_urls, send

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ALERT_STATE = "alerts.json"
log = logging.getLogger(__name__)


def alert_rules(settings: Settings) -> AlertRules:
    return AlertRules(
        failures_to_alert=settings.alert_after_failed_runs,
        reminder=timedelta(hours=settings.alert_reminder_hours),
        alert_statuses=frozenset(PlatformStatus(status) for status in settings.alert_statuses),
        override_warning=timedelta(minutes=settings.override_expiry_warning_minutes),
    )


def facts_of(outcome: PublishOutcome | None, error: str | None, now: datetime) -> RunFacts:
    if outcome is None:
        return RunFacts(now=now, publish_error=error)
    obs, document = outcome.observations, outcome.document
    return RunFacts(
        now=now,
        publish_error=error,
        sources={name: (report.status, report.reason) for name, report in obs.reports().items()},
        effective_status=document.platform_status,
        computed_status=document.computed_status,
        backups=document.backups.last_backup_status
        if document.backups.last_backup_status != BackupStatus.UNKNOWN
        else None,
        override=document.override,
        open_incidents=[incident for incident in document.incidents if incident.source == "operator"],
        skipped_entries=tuple(outcome.skipped_entries),
    )


def run_alerts(settings: Settings, targets: Targets, facts: RunFacts) -> dict[str, Any]:
    if not alert_urls(settings):
        # Nothing can be sent: say so, and keep no record (once alerts are configured, an ongoing condition
        # is announced as new instead of being taken as already sent).
        return {"status": "not configured", "sent": [], "problems": []}
    key = targets.state_prefix + ALERT_STATE
    problems: list[str] = []
    readable = True
    try:
        body = targets.state.get(key)
        previous = AlertState.model_validate_json(body) if body else AlertState()
    except StoreError as error:
        previous, readable = AlertState(), False
        problems.append(f"alert state not read ({error}): alerts may repeat")
    except ValidationError:
        previous = AlertState()
        problems.append("alert state did not validate: started afresh")
    state, notifications = evaluate(previous, facts, alert_rules(settings))
    problems += send(settings, notifications)
    if readable:
        try:
            targets.state.put(key, state.model_dump_json(indent=2).encode(), ObjectMeta("application/json", "no-store"))
        except StoreError as error:
            problems.append(f"alert state not saved ({error})")
    return {"status": "configured", "sent": [f"{n.kind}: {n.title}" for n in notifications], "problems": problems}


def run_scheduled(
    settings: Settings,
    *,
    dry_run: bool = False,
    budget_seconds: float | None = None,
    now: datetime | None = None,
    s3_client: S3Client | None = None,
) -> dict[str, Any]:
    started = time.monotonic()
    now = now or utc_now()
    if s3_client is None and settings.spaces_configured:
        s3_client = make_s3_client(settings)
    outcome: PublishOutcome | None = None
    error: str | None = None
    try:
        outcome = publish(settings, dry_run=dry_run, budget_seconds=budget_seconds, now=now, s3_client=s3_client)
    except PublishError as failure:
        error = str(failure)
    except Exception as failure:  # the last resort: said in a few words, and still alerted on
        error = f"the run failed unexpectedly ({type(failure).__name__}); see the activation log"
        log.exception("status/publish failed unexpectedly")
    summary: dict[str, Any] = outcome.summary() if outcome else {"ok": False, "error": error}
    if outcome is not None and dry_run:
        summary["document"] = outcome.document.model_dump(mode="json")
        return summary

    try:
        summary["alerts"] = run_alerts(settings, targets_for(settings, s3_client, None), facts_of(outcome, error, now))
    except Exception as failure:  # alerts must not hide the run's own result, nor stop the heartbeat
        summary["alerts"] = {"status": "failed", "sent": [], "problems": [f"alerts failed ({type(failure).__name__})"]}
    duration = int((time.monotonic() - started) * 1000)
    if settings.heartbeat_url is None:
        summary["heartbeat"] = "not configured"
    else:
        ok = outcome is not None and not outcome.problems
        message = "OK" if ok else (error or "; ".join(outcome.problems if outcome else []))[:100]
        summary["heartbeat"] = ping(settings.heartbeat_url.get_secret_value(), ok, message, duration) or "sent"
    return summary
