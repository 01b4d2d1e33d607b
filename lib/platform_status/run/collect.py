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
from platform_status.monitors import KumaSnapshot
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


class Collection:
    """Uptime Kuma and the backups, read at the same time from the moment this is made; each result taken
    within the run's budget. Kuma's can be taken alone, so a run starts on it while the listing goes on."""

    def __init__(
        self,
        settings: Settings,
        *,
        now: datetime,
        deadline: float,
        s3_client: S3Client | None,
        kuma_client: KumaClient | None = None,
        split_after: Callable[[], list[str]] | None = None,
    ) -> None:
        """`split_after`: where the last listing's pages ended (run/listing_splits.py), to list ranges at once."""
        self._now, self._deadline, self._s3_configured = now, deadline, s3_client is not None
        self._started = time.monotonic()
        self._kuma_client = kuma_client or kuma_client_for(settings)
        client = self._kuma_client

        def fetch_kuma() -> KumaSnapshot:
            return collect_kuma(client, settings.uptime_kuma_status_page, now, deadline)

        def fetch_backups() -> BackupListing:
            if s3_client is None or settings.spaces_bucket is None:
                raise SourceUnavailable("Spaces is not configured")
            return list_backups(
                s3_client,
                settings.spaces_bucket,
                settings.backups_prefix,
                settings.backup_min_bytes,
                now=now,
                split_after=split_after,
            )

        # Not a `with` block: leaving it would wait for a source that hangs past the budget.
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="source")
        self._kuma = self._pool.submit(_timed, fetch_kuma, now)
        self._backups = self._pool.submit(_timed, fetch_backups, now)

    def kuma(self) -> tuple[KumaSnapshot | None, SourceReport]:
        result: tuple[KumaSnapshot | None, SourceReport] = _result_within(
            self._kuma, self._deadline, self._now, self._started
        )
        return result

    def observations(self) -> Observations:
        """Both results; from here on nothing of this collection runs (whatever of Kuma still did is cut off)."""
        try:
            kuma, kuma_report = self.kuma()
            backups, backups_report = _result_within(self._backups, self._deadline, self._now, self._started)
        finally:
            self._kuma_client.abort()  # whatever of Kuma still runs ends now: no thread outlives the run
            self._pool.shutdown(wait=False, cancel_futures=True)
        if not self._s3_configured:
            backups_report = backups_report.model_copy(update={"status": "not_configured"})
        return Observations(
            checked_at=self._now,
            kuma_report=kuma_report,
            kuma=kuma,
            backups_report=backups_report,
            backups=backups,
        )


def collect(
    settings: Settings,
    *,
    now: datetime,
    deadline: float,
    s3_client: S3Client | None,
    kuma_client: KumaClient | None = None,
) -> Observations:
    """Read Uptime Kuma and the backups at the same time, each within the run's time budget."""
    return Collection(settings, now=now, deadline=deadline, s3_client=s3_client, kuma_client=kuma_client).observations()


def _result_within(future: Any, deadline: float, observed_at: datetime, started: float) -> tuple[Any, SourceReport]:
    try:
        result: tuple[Any, SourceReport] = future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        latency = int((time.monotonic() - started) * 1000)  # the time it was given, not the time left (none)
        report = SourceReport(
            status="unavailable",
            observed_at=observed_at,
            latency_ms=latency,
            reason="no answer within the run's budget",
        )
        return None, report
    return result
