"""What operators announce, read together for a run: the override and the incident book.

A run that cannot read either publishes nothing: without them it could undo an override or drop an open
incident, and show green during a real outage. The two are read at the same time; a run reading them again
lists the incident log from the fold it read before, instead of reading the snapshot first.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from platform_status.document import StatusDocument
from platform_status.incidents.log import Book, BookRead, read_book_from, read_snapshot
from platform_status.override.rules import OverrideState
from platform_status.override.state import read_override_state
from platform_status.rules.effective import effective_document
from platform_status.run.errors import PublishError
from platform_status.run.targets import Targets
from platform_status.store import StoreError


@dataclass(frozen=True)
class Announcements:
    override: OverrideState
    book: Book
    snapshot: Book | None = None  # the book's settled part, when it moved: worth saving (incidents/log.py)
    settled: Book | None = None  # the book's settled part as read: where reading it again starts
    unreadable: tuple[str, ...] = ()  # incident log entries skipped, and why (incidents/log.py)

    def apply(self, document: StatusDocument, now: datetime) -> StatusDocument:
        """The effective document (rules/effective.py)."""
        book = self.book
        return effective_document(
            document, self.override.override, list(book.incidents.values()), list(book.maintenances.values()), now
        )

    def same_as(self, other: Announcements) -> bool:
        """Whether nothing an operator can change differs (the snapshot is only how it was read)."""
        return (
            self.override.override == other.override.override
            and self.book.incidents == other.book.incidents
            and self.book.maintenances == other.book.maintenances
        )

    def fingerprint(self) -> str:
        """The override function writes the public files too, whenever an announcement changes: a file is
        only known unchanged while the announcements are the ones it was last written under."""
        digest = hashlib.sha256(self.override.model_dump_json().encode())
        digest.update(self.book.model_dump_json(include={"incidents", "maintenances"}).encode())
        return digest.hexdigest()[:16]


def read_override(targets: Targets) -> OverrideState:
    try:
        return read_override_state(*targets.announcement_source())
    except StoreError as error:
        raise PublishError(f"the override could not be read: {error}") from None


def read_incident_book(targets: Targets, now: datetime, since: Book | None = None) -> BookRead:
    """`since`: the settled part a read of this run found (else the stored snapshot is read first)."""
    try:
        store, prefix = targets.announcement_source()
        start = since if since is not None else read_snapshot(store, prefix)
        return read_book_from(store, prefix, now, start)
    except StoreError as error:
        raise PublishError(f"the incidents could not be read: {error}") from None


def announcements_of(override: OverrideState, read: BookRead) -> Announcements:
    return Announcements(override, read.book, read.settled if read.moved else None, read.settled, read.unreadable)


def read_announcements(targets: Targets, now: datetime, since: Announcements | None = None) -> Announcements:
    """Both, read at the same time. `since`: what this run read before, to start the incident log from."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="announcements") as pool:
        book = pool.submit(read_incident_book, targets, now, since.settled if since is not None else None)
        override = read_override(targets)
        return announcements_of(override, book.result())
