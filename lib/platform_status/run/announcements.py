"""What operators announce, read together for a run: the override and the incident book.

A run that cannot read either publishes nothing: without them it could undo an override or drop an open
incident, and show green during a real outage.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from platform_status.document import StatusDocument
from platform_status.incidents.log import Book, read_book
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
        return read_override_state(targets.state, targets.state_prefix)
    except StoreError as error:
        raise PublishError(f"the override could not be read: {error}") from None


def read_incident_book(targets: Targets, now: datetime) -> tuple[Book, Book | None]:
    try:
        return read_book(targets.state, targets.state_prefix, now)
    except StoreError as error:
        raise PublishError(f"the incidents could not be read: {error}") from None


def read_announcements(targets: Targets, now: datetime) -> Announcements:
    book, snapshot = read_incident_book(targets, now)
    return Announcements(read_override(targets), book, snapshot)
