"""The writes of one publish run, in two rounds:
1. status.json, with what must be stored before the history may forget it (each finished day), the public
   files of finished days, the record of this run, and where the backups listing split when that moved;
2. the files built from status.json (leaving alone those whose bytes did not change), the next history
   generation, the incident book's snapshot when it moved, and a second read of the announcements: an
   operator may have changed the override or an incident while this run ran, and the override function
   published it; then everything is written again with it, so a scheduled run can never undo an operator.

After status.json is out, a failure to write the rest is reported in the outcome but does not undo the fresh
public file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError

from platform_status.config import Settings
from platform_status.document import StatusDocument
from platform_status.history.advance import Advanced
from platform_status.history.public import INDEX_KEY, HistoryIndex, days_to_publish, history_index
from platform_status.history.state import HistoryState, LoadedHistory, day_writes, generation_write
from platform_status.incidents.log import BOOK_KEY, Book
from platform_status.run.announcements import Announcements, read_announcements
from platform_status.run.errors import PublishError
from platform_status.run.last_run import LAST_RUN_STATE, PRIVATE_JSON, LastRun
from platform_status.run.outcome import PublishOutcome
from platform_status.run.outputs import STATUS_KEY, Output, changed, day_outputs, site_outputs, status_output, validated
from platform_status.run.targets import Targets
from platform_status.store import ObjectStore, Requests, StoreError, run_all

MAX_ANNOUNCEMENT_ROUNDS = 3


def digests_of(outputs: list[Output], salt: str) -> dict[str, str]:
    return {output.key: f"{salt}:{output.digest}" for output in outputs}


class RunWrites:
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
                put_task(targets.public, status),
                *(put_task(targets.state, output) for output in private),
                *(put_task(targets.public, output) for output in public_days),
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
        tasks: list[Callable[[], object]] = [put_task(targets.public, output) for output in to_write]
        tasks.append(lambda: reread.append(read_announcements(targets, self.now, since=announcements)))
        snapshot = book_output(targets, announcements.snapshot)
        if snapshot is not None:
            tasks.append(put_task(targets.state, snapshot))
        if generation is not None:
            tasks.append(put_task(targets.state, generation))
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
            self._account_generation(generation, run_all([put_task(self.targets.state, generation)])[0])

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
        return run_all(put_task(store, output) for output in outputs)


@dataclass
class _FirstRound:
    requests: Requests
    status: Output
    stored_days: list[Output]
    private: list[Output]
    days: list[date]
    public_days: list[Output]


def book_output(targets: Targets, snapshot: Book | None) -> Output | None:
    if snapshot is None or targets.announcements is not None:
        return None  # the book is saved where it is read: a run with --out only reads the bucket's
    return Output(targets.state_prefix + BOOK_KEY, snapshot.model_dump_json().encode(), PRIVATE_JSON)


def put_task(store: ObjectStore, output: Output) -> Callable[[], None]:
    return lambda: store.put(output.key, output.body, output.meta)


def read_published_history(targets: Targets) -> HistoryIndex | None:
    """The public history index as last published, for runs that do not hold the history themselves."""
    try:
        body = targets.public.get(INDEX_KEY)
        return HistoryIndex.model_validate_json(body) if body else None
    except (StoreError, ValidationError):
        return None
