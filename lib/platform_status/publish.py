"""One publish run: collect from the sources concurrently, decide, validate, write.

Collecting never raises: a failed source becomes "unavailable" and the document says so. Writing does: a run
that cannot build a valid document or cannot write status.json publishes nothing and fails loudly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from platform_status.assemble import build_document
from platform_status.config import Settings
from platform_status.document import StatusDocument, status_json_schema_bytes
from platform_status.observations import Observations
from platform_status.override import Override, apply_override
from platform_status.override_store import read_override
from platform_status.sources.backups import BackupListing, list_backups
from platform_status.sources.kuma import KumaClient, collect_kuma
from platform_status.sources.report import SourceReport, SourceUnavailable
from platform_status.spaces import make_s3_client
from platform_status.store import LocalStore, ObjectMeta, ObjectStore, S3Store, StoreError
from platform_status.timeutil import utc_now

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

STATUS_KEY = "status.json"
SCHEMA_KEY = "status.schema.json"
LAST_RUN_STATE = "last-run.json"
JSON_TYPE = "application/json; charset=utf-8"
MAX_OVERRIDE_ROUNDS = 3

T = TypeVar("T")


class PublishError(Exception):
    """Nothing was published: the document was invalid or status.json could not be written."""


@dataclass(frozen=True)
class Targets:
    """Where the public files and the private state go."""

    public: ObjectStore
    state: ObjectStore
    state_prefix: str


@dataclass
class PublishOutcome:
    document: StatusDocument
    observations: Observations
    target: str
    dry_run: bool
    duration_ms: int
    written: dict[str, int] = field(default_factory=dict)  # key -> bytes
    problems: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The short summary the function returns and logs: no secrets, no tenant or monitor names."""
        obs = self.observations
        return {
            "ok": not self.problems,
            "status": self.document.platform_status.value,
            "dry_run": self.dry_run,
            "duration_ms": self.duration_ms,
            "sources": {
                "uptime_kuma": obs.kuma_report.model_dump(mode="json", exclude={"observed_at"}),
                "backups": obs.backups_report.model_dump(mode="json", exclude={"observed_at"}),
            },
            "target": self.target,
            "written": self.written,
            "problems": self.problems,
        }


def _timed(fetch: Callable[[], T], observed_at: datetime) -> tuple[T | None, SourceReport]:
    started = time.monotonic()
    try:
        value = fetch()
    except SourceUnavailable as error:
        latency = int((time.monotonic() - started) * 1000)
        return None, SourceReport(status="unavailable", observed_at=observed_at, latency_ms=latency, reason=str(error))
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
    kuma_client = kuma_client or KumaClient(
        settings.kuma_base_url,
        settings.uptime_kuma_api_key.get_secret_value() if settings.uptime_kuma_api_key else None,
        timeout_seconds=settings.kuma_timeout_seconds,
        retries=settings.kuma_retries,
    )

    def fetch_kuma() -> Any:
        return collect_kuma(kuma_client, settings.uptime_kuma_status_page, now, deadline)

    def fetch_backups() -> BackupListing:
        if s3_client is None or settings.spaces_bucket is None:
            raise SourceUnavailable("Spaces is not configured")
        return list_backups(s3_client, settings.spaces_bucket, settings.backups_prefix, settings.backup_min_bytes)

    # Not a `with` block: leaving it would wait for a source that hangs past the budget.
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="source")
    try:
        kuma_future = pool.submit(_timed, fetch_kuma, now)
        backups_future = pool.submit(_timed, fetch_backups, now)
        kuma, kuma_report = _result_within(kuma_future, deadline, now)
        backups, backups_report = _result_within(backups_future, deadline, now)
    finally:
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


def targets_for(settings: Settings, s3_client: S3Client | None, out_dir: Path | None) -> Targets:
    """Spaces when configured; a local directory otherwise, or when the operator asks for --out."""
    if out_dir is not None or s3_client is None or settings.status_bucket is None:
        public_dir = out_dir or settings.status_out_dir
        return Targets(LocalStore(public_dir), LocalStore(settings.status_state_dir), "")
    store = S3Store(s3_client, settings.status_bucket)
    return Targets(store, store, settings.status_state_prefix)


def _validated(document: StatusDocument) -> bytes:
    body = document.to_json_bytes()
    try:
        StatusDocument.model_validate_json(body)
    except ValidationError as error:
        raise PublishError(
            f"status.json did not validate against its own schema: {error.error_count()} error(s)"
        ) from None
    return body


def publish(
    settings: Settings,
    *,
    dry_run: bool = False,
    out_dir: Path | None = None,
    budget_seconds: float | None = None,
    now: datetime | None = None,
    s3_client: S3Client | None = None,
    kuma_client: KumaClient | None = None,
    targets: Targets | None = None,
) -> PublishOutcome:
    started = time.monotonic()
    now = now or utc_now()
    deadline = started + min(budget_seconds or settings.run_budget_seconds, settings.run_budget_seconds)
    if s3_client is None and settings.spaces_configured:
        s3_client = make_s3_client(settings)

    observations = collect(settings, now=now, deadline=deadline, s3_client=s3_client, kuma_client=kuma_client)
    document = build_document(observations, settings)
    _validated(document)
    targets = targets or targets_for(settings, s3_client, out_dir)
    outcome = PublishOutcome(
        document=document,
        observations=observations,
        target=targets.public.describe(),
        dry_run=dry_run,
        duration_ms=0,
    )
    if dry_run:
        outcome.document = apply_override(document, _read_override_or_fail(targets), now)
    else:
        _write(targets, settings, observations, outcome)
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


def publish_status(targets: Targets, settings: Settings, document: StatusDocument, now: datetime) -> StatusDocument:
    """Write status.json with the active override applied; returns what was written.

    The override is read just before writing and again just after: if an operator changed it in between,
    the file is written again, so a scheduled run can never undo an override set while it ran (the override
    function does the same, so whichever writes last has seen the latest override).
    """
    live = ObjectMeta(JSON_TYPE, f"public, max-age={settings.status_cache_max_age}", public=True)
    for _ in range(MAX_OVERRIDE_ROUNDS):
        override = _read_override_or_fail(targets)
        effective = apply_override(document, override, now)
        try:
            targets.public.put(STATUS_KEY, _validated(effective), live)
        except StoreError as error:
            raise PublishError(f"status.json was not published: {error}") from None
        if _read_override_or_fail(targets) == override:
            return effective
    raise PublishError("the override changed during every attempt to publish; nothing is inconsistent, run again")


def _read_override_or_fail(targets: Targets) -> Override | None:
    try:
        return read_override(targets.state, targets.state_prefix)
    except StoreError as error:
        # Publishing without it could undo an operator's override: publish nothing instead.
        raise PublishError(f"the override could not be read: {error}") from None


def _write(targets: Targets, settings: Settings, observations: Observations, outcome: PublishOutcome) -> None:
    outcome.document = publish_status(targets, settings, outcome.document, observations.checked_at)
    outcome.written[STATUS_KEY] = len(outcome.document.to_json_bytes())

    schema = status_json_schema_bytes()
    state_key = targets.state_prefix + LAST_RUN_STATE
    state = (observations.model_dump_json() + "\n").encode("utf-8")
    # After status.json is out, a failure here is reported but does not undo a fresh public file.
    for store, key, data, meta in (
        (targets.public, SCHEMA_KEY, schema, ObjectMeta(JSON_TYPE, "public, max-age=3600", public=True)),
        (targets.state, state_key, state, ObjectMeta(JSON_TYPE, "no-store", public=False)),
    ):
        try:
            store.put(key, data, meta)
        except StoreError as error:
            outcome.problems.append(str(error))
        else:
            outcome.written[key] = len(data)


def read_last_run(targets: Targets) -> Observations | None:
    """The last scheduled run's observations; None before the first run. Unreadable state is an error."""
    try:
        body = targets.state.get(targets.state_prefix + LAST_RUN_STATE)
    except StoreError as error:
        raise PublishError(f"the last run's state could not be read: {error}") from None
    if body is None:
        return None
    try:
        return Observations.model_validate_json(body)
    except ValidationError:
        raise PublishError(f"{LAST_RUN_STATE} does not validate; left as it is") from None


def no_run_yet(now: datetime) -> Observations:
    report = SourceReport(status="unavailable", observed_at=now, latency_ms=0, reason="no publish run yet")
    return Observations(checked_at=now, kuma_report=report, kuma=None, backups_report=report, backups=None)


def republish(settings: Settings, targets: Targets, now: datetime) -> StatusDocument:
    """status.json again from the last run's saved observations (no new collection), override applied."""
    observations = read_last_run(targets) or no_run_yet(now)
    return publish_status(targets, settings, build_document(observations, settings), now)
