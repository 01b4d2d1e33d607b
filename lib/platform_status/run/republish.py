"""The override function's republish: status.json again from the last scheduled run's document (no new
collection), with the announcements as they are now, and the files built from it."""

from __future__ import annotations

from datetime import datetime

from platform_status.config import Settings
from platform_status.document import StatusDocument
from platform_status.history.public import HistoryIndex
from platform_status.run.announcements import read_announcements
from platform_status.run.errors import PublishError
from platform_status.run.last_run import no_run_yet, read_last_run
from platform_status.run.outputs import STATUS_KEY, site_outputs, status_output, validated
from platform_status.run.targets import Targets
from platform_status.run.writes import MAX_ANNOUNCEMENT_ROUNDS, put_task, read_published_history
from platform_status.store import StoreError, run_all


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
    for output, failure in zip(site, run_all(put_task(targets.public, output) for output in site), strict=True):
        if failure is not None:
            raise PublishError(f"status.json was published, but {output.key} was not: {failure}") from None
        written[output.key] = len(output.body)
    return effective, written


def republish(settings: Settings, targets: Targets, now: datetime) -> StatusDocument:
    """status.json again from the last run's computed document (no new collection), announcements applied."""
    last_run = read_last_run(targets)
    document = last_run.document if last_run else no_run_yet(settings, now)
    return publish_status(targets, settings, document, now, read_published_history(targets))[0]
