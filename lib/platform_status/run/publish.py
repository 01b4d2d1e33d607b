"""One publish run: collect, advance the history, decide, write.

What does not depend on anything else happens at once: Uptime Kuma, the backups listing, the history, the
override and the incident book are read together. The writes go in two rounds:
1. status.json, with what must be stored before the history may forget it (each finished day), the public
   files of finished days, and the record of this run;
2. the files built from status.json (leaving alone those whose bytes did not change), the next history
   generation, the incident book's snapshot when it moved, and a second read of the announcements: an
   operator may have changed the override or an incident while this run ran, and the override function
   published it; then everything is written again with it, so a scheduled run can never undo an operator.

A run that cannot build a valid document, read the announcements, or write status.json publishes nothing and
fails loudly. After status.json is out, a failure to write the rest is reported in the summary but does not
undo the fresh public file. History that cannot be read safely is not written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from platform_status.assemble import build_document, judge_observed_backups
from platform_status.config import Settings
from platform_status.document import StatusDocument
from platform_status.history.advance import Advanced, HistoryRules, Merged, advance, merge
from platform_status.history.public import INDEX_KEY, HistoryIndex, days_to_publish, history_index
from platform_status.history.stability import StabilityRules
from platform_status.history.state import (
    HistoryState,
    HistoryUnavailable,
    LoadedHistory,
    day_writes,
    generation_write,
    load_history,
)
from platform_status.incidents.log import BOOK_KEY, Book
from platform_status.observations import Observations
from platform_status.run.announcements import (
    Announcements,
    announcements_of,
    read_announcements,
    read_incident_book,
    read_override,
)
from platform_status.run.collect import Collection
from platform_status.run.errors import PublishError
from platform_status.run.last_run import LAST_RUN_STATE, PRIVATE_JSON, LastRun, no_run_yet, read_last_run
from platform_status.run.listing_splits import read_splits, splits_output
from platform_status.run.outputs import (
    STATUS_KEY,
    Output,
    changed,
    day_outputs,
    prepare_site,
    site_outputs,
    status_output,
)
from platform_status.run.targets import Targets, targets_for
from platform_status.sources.kuma import KumaClient
from platform_status.spaces import make_s3_client
from platform_status.store import ObjectStore, Requests, StoreError, run_all
from platform_status.timeutil import utc_now

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MAX_ANNOUNCEMENT_ROUNDS = 3


@dataclass
class PublishOutcome:
    document: StatusDocument
    observations: Observations
    target: str
    dry_run: bool
    duration_ms: int
    history: str = "not read"
    written: dict[str, int] = field(default_factory=dict)  # key -> bytes
    unchanged: list[str] = field(default_factory=list)  # public files left as they were: same bytes
    problems: list[str] = field(default_factory=list)
    state_target: str = ""
    private_keys: set[str] = field(default_factory=set)  # which of `written` are private state
    notes: list[str] = field(default_factory=list)  # what the run left out of its data, and why
    timings_ms: dict[str, int] = field(default_factory=dict)  # where the run's time went, phase by phase

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
            "unchanged": len(self.unchanged),
            "timings_ms": self.timings_ms,
            "notes": self.notes,
            "problems": self.problems,
        }


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


def validated(document: StatusDocument) -> bytes:
    body = document.to_json_bytes()
    try:
        StatusDocument.model_validate_json(body)
    except ValidationError as error:
        raise PublishError(
            f"status.json does not validate against its schema: {error.error_count()} error(s)"
        ) from None
    return body


def digests_of(outputs: list[Output], salt: str) -> dict[str, str]:
    return {output.key: f"{salt}:{output.digest}" for output in outputs}


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
    if loaded is None:
        outcome.problems.append(f"history {outcome.history}")
    decided = time.monotonic()
    if dry_run:
        outcome.document = announcements.apply(document, now)
    else:
        splits = splits_output(targets, splits_read.result(), observations.backups)
        writes = _Writes(targets, settings, now, outcome, loaded=loaded, advanced=advanced, splits=splits)
        writes.run(document, announcements)
    finished = time.monotonic()
    outcome.duration_ms = int((finished - started) * 1000)
    outcome.timings_ms = {
        "read": int((collected - started) * 1000),  # the sources, the history and the announcements, at once
        "decide": int((decided - collected) * 1000),
        "write": int((finished - decided) * 1000),
    }
    return outcome


class _Writes:
    """The rounds of one run's writes (module docstring), and the outcome's account of them."""

    def __init__(
        self,
        targets: Targets,
        settings: Settings,
        now: datetime,
        outcome: PublishOutcome,
        *,
        loaded: LoadedHistory | None,
        advanced: Advanced | None,
        splits: Output | None = None,
    ) -> None:
        self.targets, self.settings, self.now, self.outcome = targets, settings, now, outcome
        self.splits = splits  # where the backups listing's pages ended, when that moved
        self.loaded = loaded
        self.advanced = advanced
        self.state: HistoryState | None = advanced.state if advanced is not None and loaded is not None else None

    def run(self, document: StatusDocument, announcements: Announcements) -> None:
        effective = announcements.apply(document, self.now)
        validated(effective)
        first = self._start_first_round(effective, document)
        # While round one is on its way: the files built from status.json.
        index = history_index(self.state, self.now) if self.state else read_published_history(self.targets)
        site = site_outputs(self.settings, effective, index, announcements, self.now)
        days_stored = self._finish_first_round(first)
        reread, failed = self._second_round(site, announcements, days_stored)
        rewritten = False
        for _ in range(MAX_ANNOUNCEMENT_ROUNDS):
            if reread.same_as(announcements):
                break
            # An operator changed an announcement while this run wrote: everything again, with it.
            announcements, rewritten = reread, True
            effective = announcements.apply(document, self.now)
            site = site_outputs(self.settings, effective, index, announcements, self.now)
            outputs = [status_output(self.settings, effective), *site]
            failed = self._record(outputs, self._put_all(self.targets.public, outputs))
            reread = read_announcements(self.targets, self.now, since=announcements)
        else:
            raise PublishError("the announcements changed during every attempt to publish; run again")
        self.outcome.document = effective
        if self.state is not None and days_stored and (failed or rewritten):
            # The generation written in round 2 remembers files that did not go out (or went out again):
            # remember them as they are, so the next run writes what is missing.
            self.state.digests = {
                key: value for key, value in digests_of(site, announcements.fingerprint()).items() if key not in failed
            }
            self._write_generation()

    def _start_first_round(self, effective: StatusDocument, document: StatusDocument) -> _FirstRound:
        """status.json, the finished days (private objects and public files), this run's record: started."""
        targets, state = self.targets, self.state
        status = status_output(self.settings, effective)
        stored_days = self._stored_days()
        days = days_to_publish(state, self.now) if state is not None else []
        public_days = day_outputs(state, days) if state is not None else []
        record = LastRun(observations=self.outcome.observations, document=document)
        last_run = Output(
            targets.state_prefix + LAST_RUN_STATE, (record.model_dump_json() + "\n").encode(), PRIVATE_JSON
        )
        private = [*stored_days, last_run, *([self.splits] if self.splits else [])]
        requests = Requests(
            [
                _put_task(targets.public, status),
                *(_put_task(targets.state, output) for output in private),
                *(_put_task(targets.public, output) for output in public_days),
            ]
        )
        return _FirstRound(requests, status, stored_days, private, days, public_days)

    def _finish_first_round(self, first: _FirstRound) -> bool:
        """Account for round one. Returns whether every finished day was stored (only then may the history
        forget them)."""
        state = self.state
        status, stored_days, private, days, public_days = (
            first.status,
            first.stored_days,
            first.private,
            first.days,
            first.public_days,
        )
        errors = first.requests.wait()
        if errors[0] is not None:
            raise PublishError(f"status.json was not published: {errors[0]}") from None
        self.outcome.written[STATUS_KEY] = len(status.body)
        private_failed = self._record(private, errors[1 : 1 + len(private)], private=True)
        days_failed = self._record(public_days, errors[1 + len(private) :])
        if state is not None:
            published = {day for day, output in zip(days, public_days, strict=True) if output.key not in days_failed}
            state.published_days = sorted({*state.published_days, *published})
        return not private_failed & {output.key for output in stored_days}

    def _second_round(
        self, site: list[Output], announcements: Announcements, days_stored: bool
    ) -> tuple[Announcements, set[str]]:
        """The site files that changed, the next generation, the book's snapshot, and the announcements read
        again."""
        targets, state = self.targets, self.state
        salt = announcements.fingerprint()
        to_write = changed(site, state.digests if state is not None else {}, salt)
        self.outcome.unchanged = [output.key for output in site if output not in to_write]
        generation: Output | None = None
        if state is not None:
            state.digests = digests_of(site, salt)
            if days_stored:
                generation = self._generation()
            else:
                self._days_not_stored()
        reread: list[Announcements] = []
        tasks: list[Callable[[], object]] = [_put_task(targets.public, output) for output in to_write]
        tasks.append(lambda: reread.append(read_announcements(targets, self.now, since=announcements)))
        snapshot = _book_output(targets, announcements.snapshot)
        if snapshot is not None:
            tasks.append(_put_task(targets.state, snapshot))
        if generation is not None:
            tasks.append(_put_task(targets.state, generation))
        errors = run_all(tasks)
        failed = self._record(to_write, errors[: len(to_write)])
        reread_error = errors[len(to_write)]
        if reread_error is not None:
            raise PublishError(
                f"status.json was published, but the announcements could not be read again: {reread_error}"
            )
        if snapshot is not None:
            # Derived from the log: a snapshot not written only makes the next read longer.
            self._record([snapshot], [errors[len(to_write) + 1]], private=True)
        if generation is not None:
            self._account_generation(generation, errors[-1])
        return reread[0], failed

    def _stored_days(self) -> list[Output]:
        if self.loaded is None or self.advanced is None or self.state is None:
            return []
        writes = day_writes(self.targets.state_prefix, self.advanced.settled)
        return [Output(write.key, write.body, write.meta) for write in writes]

    def _generation(self) -> Output | None:
        if self.loaded is None or self.state is None:
            return None
        write = generation_write(self.targets.state_prefix, self.loaded, self.state, self.now)
        return Output(write.key, write.body, write.meta)

    def _days_not_stored(self) -> None:
        self.outcome.history = "not written: a finished day could not be stored (the next run stores it again)"
        self.outcome.problems.append(f"history {self.outcome.history}")

    def _write_generation(self) -> None:
        generation = self._generation()
        if generation is not None:
            self._account_generation(generation, run_all([_put_task(self.targets.state, generation)])[0])

    def _account_generation(self, generation: Output, error: BaseException | None) -> None:
        outcome = self.outcome
        if error is None:
            outcome.written[generation.key] = len(generation.body)
            outcome.private_keys.add(generation.key)
            if not outcome.history.startswith("written"):
                outcome.history = "written" if outcome.history == "read" else f"written ({outcome.history})"
        else:
            outcome.problems.append(f"history not written: {error}")
            outcome.history = f"not written: {error}"

    def _record(self, outputs: list[Output], errors: list[BaseException | None], *, private: bool = False) -> set[str]:
        """Account for what was written; returns the keys that were not."""
        failed = set()
        for output, error in zip(outputs, errors, strict=True):
            if error is None:
                self.outcome.written[output.key] = len(output.body)
                if private:
                    self.outcome.private_keys.add(output.key)
            else:
                failed.add(output.key)
                self.outcome.problems.append(str(error) if isinstance(error, StoreError) else f"{output.key}: {error}")
        return failed

    @staticmethod
    def _put_all(store: ObjectStore, outputs: list[Output]) -> list[BaseException | None]:
        return run_all(_put_task(store, output) for output in outputs)


@dataclass
class _FirstRound:
    requests: Requests
    status: Output
    stored_days: list[Output]
    private: list[Output]
    days: list[date]
    public_days: list[Output]


def _book_output(targets: Targets, snapshot: Book | None) -> Output | None:
    if snapshot is None:
        return None
    return Output(targets.state_prefix + BOOK_KEY, snapshot.model_dump_json().encode(), PRIVATE_JSON)


def _put_task(store: ObjectStore, output: Output) -> Callable[[], None]:
    return lambda: store.put(output.key, output.body, output.meta)


def read_published_history(targets: Targets) -> HistoryIndex | None:
    """The public history index as last published, for runs that do not hold the history themselves."""
    try:
        body = targets.public.get(INDEX_KEY)
        return HistoryIndex.model_validate_json(body) if body else None
    except (StoreError, ValidationError):
        return None


def publish_status(
    targets: Targets, settings: Settings, document: StatusDocument, now: datetime, history: HistoryIndex | None
) -> tuple[StatusDocument, dict[str, int]]:
    """Write status.json with the announcements applied, then the files built from it; returns what
    status.json now says and the keys written. (The override function's republish: no history of its own.)

    The announcements are read just before writing and again just after: if an operator changed one in
    between, the file is written again, so a republish can never undo a change made while it ran."""
    for _ in range(MAX_ANNOUNCEMENT_ROUNDS):
        announcements = read_announcements(targets, now)
        effective = announcements.apply(document, now)
        validated(effective)
        status = status_output(settings, effective)
        try:
            targets.public.put(status.key, status.body, status.meta)
        except StoreError as error:
            raise PublishError(f"status.json was not published: {error}") from None
        if read_announcements(targets, now, since=announcements).same_as(announcements):
            break
    else:
        raise PublishError("the announcements changed during every attempt to publish; run again")
    written = {STATUS_KEY: len(status.body)}
    site = site_outputs(settings, effective, history, announcements, now)
    for output, failure in zip(site, run_all(_put_task(targets.public, output) for output in site), strict=True):
        if failure is not None:
            raise PublishError(f"status.json was published, but {output.key} was not: {failure}") from None
        written[output.key] = len(output.body)
    return effective, written


def republish(settings: Settings, targets: Targets, now: datetime) -> StatusDocument:
    """status.json again from the last run's computed document (no new collection), announcements applied."""
    last_run = read_last_run(targets)
    document = last_run.document if last_run else no_run_yet(settings, now)
    return publish_status(targets, settings, document, now, read_published_history(targets))[0]
