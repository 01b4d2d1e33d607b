"""`platform-status doctor`: the status system's own health, one line per item with what to do.

The guide asks for a dashboard of the publisher itself; this is it, for a terminal or a cron job. Each item
is checked the way its user meets it: status.json as a visitor fetches it, the state as the publisher reads
it, Uptime Kuma with the configured key and slug, the buckets with and without credentials, the trigger
through the DigitalOcean API. Nothing is written and no alert or heartbeat is sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from botocore.exceptions import BotoCoreError, ClientError

from platform_status.assemble import stale_after_delay
from platform_status.config import Settings
from platform_status.observations import SOURCES
from platform_status.operations.buckets import Report, anonymous_client, check_status_bucket, public_url
from platform_status.operations.trigger import TRIGGER_CRON, TriggerApiError, publish_triggers
from platform_status.run.errors import PublishError
from platform_status.run.last_run import read_last_run
from platform_status.run.targets import Targets, targets_for
from platform_status.sources.kuma import KumaClient, kuma_client_for
from platform_status.sources.report import SourceUnavailable
from platform_status.watch.check import OK, check
from platform_status.watch.notify import alert_urls, unusable_alert_urls

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# "unset": an optional safeguard nobody configured (alerts, the heartbeat): said, but not a problem, so the
# exit code means something is wrong (a local stack has neither, and is healthy).
State = Literal["ok", "problem", "skipped", "unset"]
KUMA_DEADLINE_SECONDS = 15.0


@dataclass(frozen=True)
class Finding:
    item: str
    state: State
    detail: str

    def line(self) -> str:
        label = {"ok": "ok", "problem": "PROBLEM", "skipped": "skipped", "unset": "not set"}[self.state]
        return f"{label:<8} {self.item}: {self.detail}"


def _minutes(delta: timedelta) -> str:
    minutes = delta.total_seconds() / 60
    return f"{minutes:.0f} min" if minutes < 90 else f"{minutes / 60:.1f} h"


def check_status_json(settings: Settings, now: datetime) -> Finding:
    url = (
        f"{str(settings.status_page_url).rstrip('/')}/status.json"
        if settings.status_page_url
        else public_url(settings, "status.json")
    )
    code, line = check(url, stale_after_delay(settings), now)
    if code == OK:
        return Finding("status.json", "ok", f"{line.removeprefix('OK: ')} ({url})")
    return Finding(
        "status.json",
        "problem",
        f"{line} ({url}); see `last run` below, and `doctl serverless activations list --limit 5`",
    )


def check_last_run(settings: Settings, targets: Targets, now: datetime) -> Finding:
    try:
        last = read_last_run(targets)
    except PublishError as error:
        return Finding("last run", "problem", f"{error}; the next run writes it again")
    if last is None:
        return Finding("last run", "problem", "none recorded: invoke status/publish (and check the trigger)")
    age = now - last.observations.checked_at
    expected = timedelta(minutes=settings.schedule_minutes)
    reports = last.observations.reports()
    sources = ", ".join(
        f"{source.label} {reports[source.key].status}"
        + (f" ({reports[source.key].reason})" if reports[source.key].reason else "")
        for source in SOURCES
    )
    summary = f"{_minutes(age)} ago, computed status {last.document.computed_status.value}; {sources}"
    if age > 2 * expected:
        return Finding("last run", "problem", f"{summary}: runs should come every {_minutes(expected)}")
    if last.problems:
        return Finding("last run", "problem", f"{summary}; problems: {'; '.join(last.problems)}")
    return Finding("last run", "ok", summary)


def check_kuma(settings: Settings, client: KumaClient) -> Finding:
    deadline = time.monotonic() + KUMA_DEADLINE_SECONDS
    try:
        client.metrics_text(deadline)
        if settings.uptime_kuma_status_page:
            client.status_page_json(settings.uptime_kuma_status_page, deadline)
    except SourceUnavailable as error:
        return Finding("Uptime Kuma", "problem", f"{error}")
    page = f", status page {settings.uptime_kuma_status_page} found" if settings.uptime_kuma_status_page else ""
    return Finding("Uptime Kuma", "ok", f"/metrics answered with the API key{page}")


def check_backups_listable(settings: Settings, client: S3Client) -> Finding:
    bucket = str(settings.spaces_bucket)
    try:
        client.list_objects_v2(Bucket=bucket, Prefix=settings.backups_prefix, MaxKeys=1)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        return Finding(
            "backups bucket", "problem", f"{bucket} cannot be listed ({code}): check SPACES_BUCKET and the key"
        )
    except BotoCoreError as error:
        return Finding("backups bucket", "problem", f"{bucket} cannot be listed ({type(error).__name__})")
    return Finding("backups bucket", "ok", f"{bucket} is listable under {settings.backups_prefix}")


def check_status_bucket_access(settings: Settings, client: S3Client) -> Finding:
    report = Report()
    try:
        check_status_bucket(client, anonymous_client(settings), settings, report)
    except (ClientError, BotoCoreError) as error:
        return Finding("status bucket", "problem", f"could not be checked ({type(error).__name__})")
    if report.problems:
        return Finding("status bucket", "problem", "; ".join(report.problems))
    return Finding("status bucket", "ok", "public files are public; state and listing are private")


def check_trigger(settings: Settings) -> Finding:
    if settings.do_api_token is None or settings.functions_namespace is None:
        return Finding(
            "trigger",
            "skipped",
            "set DO_API_TOKEN and FUNCTIONS_NAMESPACE to check it (or: doctl serverless triggers list)",
        )
    try:
        found = publish_triggers(
            str(settings.do_api_url), settings.do_api_token.get_secret_value(), settings.functions_namespace
        )
    except TriggerApiError as error:
        return Finding("trigger", "problem", str(error))
    enabled = [trigger for trigger in found if trigger.enabled]
    if not found:
        return Finding(
            "trigger",
            "problem",
            "none calls status/publish (a --remote-build deploy leaves it out): platform-status trigger --create",
        )
    if not enabled:
        names = ", ".join(trigger.name for trigger in found)
        return Finding("trigger", "problem", f"{names} is disabled: doctl serverless triggers enable {found[0].name}")
    trigger = enabled[0]
    cron = f" ({trigger.cron})" if trigger.cron else ""
    odd = "" if trigger.cron in (None, TRIGGER_CRON) else f"; project.yml says {TRIGGER_CRON}"
    return Finding("trigger", "ok", f"{trigger.name} calls status/publish{cron}{odd}")


def check_alerts(settings: Settings) -> Finding:
    urls = alert_urls(settings)
    if not urls:
        return Finding("alerts", "unset", "not configured: nobody is told when publishing fails; set ALERT_URLS")
    unusable = unusable_alert_urls(urls)
    if unusable:
        return Finding("alerts", "problem", f"{'; '.join(unusable)} (see the Apprise wiki for the URL forms)")
    return Finding("alerts", "ok", f"{len(urls)} destination(s) configured")


def check_heartbeat(settings: Settings) -> Finding:
    if settings.heartbeat_url is None:
        return Finding(
            "heartbeat", "unset", "not configured: a publisher that stopped goes unnoticed; set HEARTBEAT_URL"
        )
    return Finding("heartbeat", "ok", "configured (each run pings it; the push monitor alerts when pings stop)")


def diagnose(
    settings: Settings,
    *,
    now: datetime,
    s3_client: S3Client | None,
    kuma_client: KumaClient | None = None,
) -> list[Finding]:
    """Every item, in the order an operator reads them: what customers see first, then why."""
    findings: list[Finding] = []

    def guarded(item: str, run: Callable[[], Finding]) -> None:
        try:
            findings.append(run())
        except Exception as error:  # one broken check must not hide the others
            findings.append(Finding(item, "problem", f"could not be checked ({type(error).__name__})"))

    if s3_client is None or not settings.spaces_configured:
        findings.append(Finding("Spaces", "problem", "not configured: set the SPACES_* and STATUS_BUCKET variables"))
    else:
        client = s3_client
        targets = targets_for(settings, client, None)
        guarded("status.json", lambda: check_status_json(settings, now))
        guarded("last run", lambda: check_last_run(settings, targets, now))
        guarded("backups bucket", lambda: check_backups_listable(settings, client))
        guarded("status bucket", lambda: check_status_bucket_access(settings, client))
    guarded("Uptime Kuma", lambda: check_kuma(settings, kuma_client or kuma_client_for(settings)))
    guarded("trigger", lambda: check_trigger(settings))
    guarded("alerts", lambda: check_alerts(settings))
    guarded("heartbeat", lambda: check_heartbeat(settings))
    return findings


def healthy(findings: list[Finding]) -> bool:
    return all(finding.state != "problem" for finding in findings)
