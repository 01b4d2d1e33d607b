"""Reading the sources for one run: Uptime Kuma and the backups at the same time, within a time budget.

Collecting never raises: a failed source becomes "unavailable" with a reason, and the document says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from platform_status.config import Settings
from platform_status.observations import Observations
from platform_status.sources.backups import BackupListing, list_backups
from platform_status.sources.kuma import KumaClient, collect_kuma, kuma_client_for
from platform_status.sources.report import SourceReport, SourceUnavailable

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")


def _timed(fetch: Callable[[], T], observed_at: datetime) -> tuple[T | None, SourceReport]:
    started = time.monotonic()
    try:
        value = fetch()
    except SourceUnavailable as error:
        latency = int((time.monotonic() - started) * 1000)
        return None, SourceReport(status="unavailable", observed_at=observed_at, latency_ms=latency, reason=str(error))
    except Exception as error:  # input nobody foresaw must not stop the run: the source is unavailable, said so
        latency = int((time.monotonic() - started) * 1000)
        reason = f"could not be read ({type(error).__name__})"
        return None, SourceReport(status="unavailable", observed_at=observed_at, latency_ms=latency, reason=reason)
    latency = int((time.monotonic() - started) * 1000)
    return value, SourceReport(status="ok", observed_at=observed_at, latency_ms=latency)


def collect(
    settings: Settings,
    *,
    now: datetime,
    deadline: float,
    s3_client: S3Client | None,
    kuma_client: KumaClient | None = None,
) -> Observations:
    """Read Uptime Kuma and the backups at the same time, each within the run's time budget."""
    kuma_client = kuma_client or kuma_client_for(settings)

    def fetch_kuma() -> Any:
        return collect_kuma(kuma_client, settings.uptime_kuma_status_page, now, deadline)

    def fetch_backups() -> BackupListing:
        if s3_client is None or settings.spaces_bucket is None:
            raise SourceUnavailable("Spaces is not configured")
        return list_backups(
            s3_client, settings.spaces_bucket, settings.backups_prefix, settings.backup_min_bytes, now=now
        )

    # Not a `with` block: leaving it would wait for a source that hangs past the budget.
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="source")
    try:
        kuma_future = pool.submit(_timed, fetch_kuma, now)
        backups_future = pool.submit(_timed, fetch_backups, now)
        kuma, kuma_report = _result_within(kuma_future, deadline, now)
        backups, backups_report = _result_within(backups_future, deadline, now)
    finally:
        kuma_client.abort()  # whatever of Kuma still runs ends now: no thread outlives the run
        pool.shutdown(wait=False, cancel_futures=True)

    if s3_client is None:
        backups_report = backups_report.model_copy(update={"status": "not_configured"})
    return Observations(
        checked_at=now,
        kuma_report=kuma_report,
        kuma=kuma,
        backups_report=backups_report,
        backups=backups,
    )


def _result_within(future: Any, deadline: float, observed_at: datetime) -> tuple[Any, SourceReport]:
    try:
        result: tuple[Any, SourceReport] = future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        latency = int(max(0.0, deadline - time.monotonic()) * 1000)
        report = SourceReport(
            status="unavailable",
            observed_at=observed_at,
            latency_ms=latency,
            reason="no answer within the run's budget",
        )
        return None, report
    return result
