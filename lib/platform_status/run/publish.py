"""One publish run: collect, advance the history, decide, write.

What does not depend on anything else happens at once: Uptime Kuma, the backups listing, the history, the
override and the incident book are read together; while the backups are still being listed, the beats are
merged into the history and the site's templates compiled. Then the run decides, and writes in two rounds
(run/writes.py).

A run that cannot build a valid document, read the announcements, or write status.json publishes nothing and
fails loudly. After status.json is out, a failure to write the rest is reported in the summary but does not
undo the fresh public file. History that cannot be read safely is not written.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from platform_status.assemble import build_document, judge_observed_backups
from platform_status.config import Settings
from platform_status.history.advance import Advanced, HistoryRules, Merged, advance, merge
from platform_status.history.stability import StabilityRules
from platform_status.history.state import HistoryUnavailable, LoadedHistory, load_history
from platform_status.run.announcements import announcements_of, read_incident_book, read_override
from platform_status.run.collect import Collection
from platform_status.run.listing_splits import read_splits, splits_output
from platform_status.run.outcome import PublishOutcome
from platform_status.run.outputs import prepare_site, validated
from platform_status.run.targets import Targets, targets_for
from platform_status.run.writes import RunWrites
from platform_status.sources.kuma import KumaClient
from platform_status.spaces import make_s3_client
from platform_status.timeutil import utc_now

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


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


def _history(targets: Targets, now: datetime) -> LoadedHistory | HistoryUnavailable:
    try:
        return load_history(targets.state, targets.state_prefix, now.date())
    except HistoryUnavailable as problem:
        return problem


def _history_merged(
    targets: Targets, collection: Collection, now: datetime, rules: HistoryRules
) -> tuple[LoadedHistory | HistoryUnavailable, Merged | None]:
    """The history read, and this run's beats merged into it as soon as Kuma is in. The history comes back
    without its monitors' records: the merge holds their counts now, and the records (tens of MB at 10,000
    monitors) are let go before the run goes on."""
    history = _history(targets, now)
    kuma, _ = collection.kuma()
    if not isinstance(history, LoadedHistory):
        return history, None
    merged = merge(history.state, kuma, now, rules)
    return replace(history, state=history.state.model_copy(update={"monitors": {}})), merged


def _notes(advanced: Advanced | None) -> list[str]:
    if advanced is None:
        return []
    left_out = dict(advanced.ignored)
    if advanced.kuma is not None:
        for reason, count in advanced.kuma.ignored.items():
            left_out[reason] = left_out.get(reason, 0) + count
    notes = [f"left out: {count} x {reason}" for reason, count in sorted(left_out.items())]
    if advanced.incomplete:
        notes.append("Uptime Kuma has just restarted and not every monitor reports yet: statuses held")
    return notes


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

    rules = history_rules(settings)
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="state") as pool:
        if not dry_run:
            pool.submit(prepare_site)  # while the sources answer: nothing waits on it, rendering uses it
        splits_read = pool.submit(read_splits, targets)
        override_read = pool.submit(read_override, targets)
        book_read = pool.submit(read_incident_book, targets, now)
        collection = Collection(
            settings,
            now=now,
            deadline=deadline,
            s3_client=s3_client,
            kuma_client=kuma_client,
            split_after=splits_read.result,
        )
        # The beats go into the history as soon as Kuma and the history are in, while the listing goes on.
        merging = pool.submit(_history_merged, targets, collection, now, rules)
        observations = collection.observations()
        announcements = announcements_of(override_read.result(), book_read.result())  # PublishError: unreadable
        history, merged = merging.result()
        del merging  # the future holds its result: the history's records go with it

    collected = time.monotonic()
    loaded = history if isinstance(history, LoadedHistory) else None
    advanced: Advanced | None = None
    if loaded is not None:
        backups = judge_observed_backups(observations, settings).status
        advanced = advance(loaded.state, observations.kuma, backups, now, rules, merged=merged)
    document = build_document(observations, settings, advanced)
    validated(document)
    outcome = PublishOutcome(
        document=document,
        observations=observations,
        target=targets.public.describe(),
        dry_run=dry_run,
        duration_ms=0,
        history=(loaded.note or "read") if loaded else f"not written: {history}",
        state_target=targets.state.describe(),
        notes=_notes(advanced),
    )
    outcome.skipped_entries = list(announcements.unreadable)
    if loaded is None:
        outcome.problems.append(f"history {outcome.history}")
    decided = time.monotonic()
    if dry_run:
        outcome.document = announcements.apply(document, now)
    else:
        splits = splits_output(targets, splits_read.result(), observations.backups)
        writes = RunWrites(targets, settings, now, outcome, loaded=loaded, advanced=advanced, splits=splits)
        writes.run(document, announcements)
    finished = time.monotonic()
    outcome.duration_ms = int((finished - started) * 1000)
    outcome.timings_ms = {
        "read": int((collected - started) * 1000),  # the sources, the history and the announcements, at once
        "decide": int((decided - collected) * 1000),
        "write": int((finished - decided) * 1000),
    }
    return outcome
