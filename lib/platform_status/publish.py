"""One publish run: collect, advance the history, decide, validate, write.

A run that cannot build a valid document, read the override, or write status.json publishes nothing and
fails loudly. After status.json is out, a failure to write the rest (history, schema, state) is reported in
the summary but does not undo the fresh public file. History that cannot be read safely is not written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from platform_status.assemble import build_document, judge_observed_backups
from platform_status.collect import collect
from platform_status.config import Settings
from platform_status.document import StatusDocument, status_json_schema_bytes
from platform_status.history.advance import Advanced, HistoryRules, advance
from platform_status.history.public import (
    IMMUTABLE,
    INDEX_KEY,
    HistoryIndex,
    day_key,
    days_to_publish,
    history_day,
    history_index,
)
from platform_status.history.stability import StabilityRules
from platform_status.history.state import HistoryUnavailable, LoadedHistory, load_history, save_history
from platform_status.observations import Observations
from platform_status.override.rules import OverrideState, apply_override
from platform_status.override.state import read_override_state
from platform_status.site.files import site_files
from platform_status.sources.kuma import KumaClient
from platform_status.sources.report import SourceReport
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
LAST_RUN_SCHEMA_VERSION = 2


class PublishError(Exception):
    """Nothing was published: the document was invalid, the override unreadable, or status.json unwritable."""


class LastRun(BaseModel):
    """The private record of the last scheduled run: its inputs and the computed document (no override)."""

    model_config = ConfigDict(frozen=True)

    state_schema_version: int = LAST_RUN_SCHEMA_VERSION
    observations: Observations
    document: StatusDocument
    problems: list[str] = []  # what went wrong after status.json was out, as the run's summary said


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
    history: str = "not read"
    written: dict[str, int] = field(default_factory=dict)  # key -> bytes
    problems: list[str] = field(default_factory=list)
    state_target: str = ""
    private_keys: set[str] = field(default_factory=set)  # which of `written` are private state

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
            "history": self.history,
            "target": self.target,
            "written": self.written,
            "problems": self.problems,
        }


def targets_for(settings: Settings, s3_client: S3Client | None, out_dir: Path | None) -> Targets:
    """Spaces when configured; a local directory otherwise, or when the operator asks for --out."""
    if out_dir is not None or s3_client is None or settings.status_bucket is None:
        public_dir = out_dir or settings.status_out_dir
        return Targets(LocalStore(public_dir), LocalStore(settings.status_state_dir), "")
    store = S3Store(s3_client, settings.status_bucket)
    return Targets(store, store, settings.status_state_prefix)


def history_rules(settings: Settings) -> HistoryRules:
    return HistoryRules(
        stability=StabilityRules(
            recovery_runs=settings.recovery_runs, hold_for=timedelta(minutes=settings.stale_hold_minutes)
        ),
        flap_window=timedelta(minutes=settings.flap_window_minutes),
        flap_changes=settings.flap_changes,
        days_kept=settings.history_days,
        outage_down_share=settings.outage_down_share,
    )


def _validated(document: StatusDocument) -> bytes:
    body = document.to_json_bytes()
    try:
        StatusDocument.model_validate_json(body)
    except ValidationError as error:
        raise PublishError(
            f"status.json does not validate against its schema: {error.error_count()} error(s)"
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
    targets = targets or targets_for(settings, s3_client, out_dir)

    observations = collect(settings, now=now, deadline=deadline, s3_client=s3_client, kuma_client=kuma_client)
    loaded: LoadedHistory | None = None
    advanced: Advanced | None = None
    try:
        loaded = load_history(targets.state, targets.state_prefix)
        backups = judge_observed_backups(observations, settings).status
        advanced = advance(loaded.state, observations.kuma, backups, now, history_rules(settings))
        history_note = loaded.note or "read"
    except HistoryUnavailable as problem:
        history_note = f"not written: {problem}"
    document = build_document(observations, settings, advanced)
    _validated(document)
    outcome = PublishOutcome(
        document=document,
        observations=observations,
        target=targets.public.describe(),
        dry_run=dry_run,
        duration_ms=0,
        history=history_note,
        state_target=targets.state.describe(),
    )
    if history_note.startswith("not written"):
        outcome.problems.append(f"history {history_note}")
    if dry_run:
        outcome.document = apply_override(document, _read_override_or_fail(targets).override, now)
    else:
        index = history_index(advanced.state, now) if advanced else read_published_history(targets)
        outcome.document, written = publish_status(targets, settings, document, now, index)
        outcome.written.update(written)
        last_run = LastRun(observations=observations, document=document)
        _write_the_rest(targets, settings, last_run, loaded=loaded, advanced=advanced, outcome=outcome)
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


def publish_status(
    targets: Targets, settings: Settings, document: StatusDocument, now: datetime, history: HistoryIndex | None
) -> tuple[StatusDocument, dict[str, int]]:
    """Write status.json with the active override applied, then the page, badge, feed and Statuspage files
    built from it; returns what status.json now says and the keys written.

    The override is read just before writing and again just after: if an operator changed it in between,
    the file is written again, so a scheduled run can never undo an override set while it ran (the override
    function does the same, so whichever writes last has seen the latest override).
    """
    live = ObjectMeta(JSON_TYPE, f"public, max-age={settings.status_cache_max_age}", public=True)
    for _ in range(MAX_OVERRIDE_ROUNDS):
        override_state = _read_override_or_fail(targets)
        effective = apply_override(document, override_state.override, now)
        body = _validated(effective)
        try:
            targets.public.put(STATUS_KEY, body, live)
        except StoreError as error:
            raise PublishError(f"status.json was not published: {error}") from None
        if _read_override_or_fail(targets).override == override_state.override:
            break
    else:
        raise PublishError("the override changed during every attempt to publish; run again")

    written = {STATUS_KEY: len(body)}
    page_url = str(settings.status_page_url) if settings.status_page_url else ""
    files = site_files(
        effective, history, override_state.recent, page_name=settings.status_page_name, page_url=page_url, now=now
    )
    for item in files:
        try:
            targets.public.put(item.key, item.body, ObjectMeta(item.content_type, live.cache_control, public=True))
        except StoreError as error:
            raise PublishError(f"status.json was published, but {item.key} was not: {error}") from None
        written[item.key] = len(item.body)
    return effective, written


def _read_override_or_fail(targets: Targets) -> OverrideState:
    try:
        return read_override_state(targets.state, targets.state_prefix)
    except StoreError as error:
        # Publishing without it could undo an operator's override: publish nothing instead.
        raise PublishError(f"the override could not be read: {error}") from None


def read_published_history(targets: Targets) -> HistoryIndex | None:
    """The public history index as last published, for runs that do not hold the history themselves."""
    try:
        body = targets.public.get(INDEX_KEY)
        return HistoryIndex.model_validate_json(body) if body else None
    except (StoreError, ValidationError):
        return None


def _write_the_rest(
    targets: Targets,
    settings: Settings,
    last_run: LastRun,
    *,
    loaded: LoadedHistory | None,
    advanced: Advanced | None,
    outcome: PublishOutcome,
) -> None:
    live = ObjectMeta(JSON_TYPE, f"public, max-age={settings.status_cache_max_age}", public=True)
    private = ObjectMeta(JSON_TYPE, "no-store", public=False)
    now = last_run.observations.checked_at

    def put(store: ObjectStore, key: str, body: bytes, meta: ObjectMeta) -> bool:
        try:
            store.put(key, body, meta)
        except StoreError as error:
            outcome.problems.append(str(error))
            return False
        outcome.written[key] = len(body)
        if not meta.public:
            outcome.private_keys.add(key)
        return True

    if loaded is not None and advanced is not None:
        state = advanced.state
        # Finished days first (immutable, so writing one twice is harmless), then the state that lists them.
        for day in days_to_publish(state, now):
            body = (history_day(state, day).model_dump_json() + "\n").encode()
            if put(targets.public, day_key(day), body, ObjectMeta(JSON_TYPE, IMMUTABLE, public=True)):
                state.published_days.append(day)
        try:
            key, size = save_history(targets.state, targets.state_prefix, loaded, state, now)
            outcome.written[key] = size
            outcome.private_keys.add(key)
            outcome.history = "written" if outcome.history == "read" else f"written ({outcome.history})"
        except (StoreError, HistoryUnavailable) as error:
            outcome.problems.append(f"history not written: {error}")
            outcome.history = f"not written: {error}"
        put(targets.public, INDEX_KEY, (history_index(state, now).model_dump_json() + "\n").encode(), live)

    put(
        targets.public,
        SCHEMA_KEY,
        status_json_schema_bytes(),
        ObjectMeta(JSON_TYPE, "public, max-age=3600", public=True),
    )
    last_run = last_run.model_copy(update={"problems": list(outcome.problems)})
    put(targets.state, targets.state_prefix + LAST_RUN_STATE, (last_run.model_dump_json() + "\n").encode(), private)


def read_last_run(targets: Targets) -> LastRun | None:
    """The last scheduled run's record; None before the first run (or after an upgrade of its format)."""
    try:
        body = targets.state.get(targets.state_prefix + LAST_RUN_STATE)
    except StoreError as error:
        raise PublishError(f"the last run's state could not be read: {error}") from None
    if body is None:
        return None
    try:
        return LastRun.model_validate_json(body)
    except ValidationError:
        raise PublishError(f"{LAST_RUN_STATE} does not validate; left as it is") from None


def no_run_yet(settings: Settings, now: datetime) -> StatusDocument:
    report = SourceReport(status="unavailable", observed_at=now, latency_ms=0, reason="no publish run yet")
    observations = Observations(checked_at=now, kuma_report=report, kuma=None, backups_report=report, backups=None)
    return build_document(observations, settings)


def republish(settings: Settings, targets: Targets, now: datetime) -> StatusDocument:
    """status.json again from the last run's computed document (no new collection), override applied."""
    last_run = read_last_run(targets)
    document = last_run.document if last_run else no_run_yet(settings, now)
    return publish_status(targets, settings, document, now, read_published_history(targets))[0]
