"""Where incidents and maintenance live: a private log of changes, one object each, folded into a book.

Spaces has no conditional PUT, so a single state object read, changed and written back by two operators at
once would lose one change. Here no object is ever rewritten: each change (an incident opened, an update,
a maintenance scheduled, updated or cancelled) is an object of its own, under a key that sorts by the time
it was made (`incidents/log/<UTC time>-<rank>-<random>.json`), and the current state is the fold of the log in key
order. Two updates made at once both land, in the order they were made. The log is also the audit trail:
each entry names its author, request id and caller.

A snapshot (`incidents/book.json`) holds the fold up to some key, so a reader reads it and then lists only
the entries after that key. Anyone who folded newer entries may write it; a snapshot behind the log is
still right, only longer to bring up to date. It never goes past an entry younger than a minute: a change
made a moment earlier may still be on its way into the store, and a snapshot past it would hide it for
good. Incidents resolved, and maintenances over, more than 400 days ago leave the book.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from platform_status.incidents.model import Incident, IncidentUpdate, Maintenance, MaintenanceUpdate, RecordTime
from platform_status.store import ObjectMeta, ObjectStore, StoreError, read_all

LOG_PREFIX = "incidents/log/"
BOOK_KEY = "incidents/book.json"
BOOK_SCHEMA_VERSION = 1
KEPT = timedelta(days=400)
SETTLED_AFTER = timedelta(minutes=1)  # a change younger than this may still be arriving: not in a snapshot
PRIVATE_JSON = ObjectMeta("application/json; charset=utf-8", "no-store", public=False)
Kind = Literal[
    "incident_opened", "incident_updated", "maintenance_scheduled", "maintenance_updated", "maintenance_cancelled"
]


class LogEntry(BaseModel):
    """One change, as it was asked for: it is never rewritten."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: RecordTime
    kind: Kind
    author: str
    request_id: str
    caller: str
    target: str  # the incident's or the maintenance's id
    incident: Incident | None = None  # incident_opened
    update: IncidentUpdate | None = None  # incident_updated
    maintenance: Maintenance | None = None  # maintenance_scheduled
    maintenance_update: MaintenanceUpdate | None = None  # maintenance_updated


class Book(BaseModel):
    """The fold of the log up to `last_key`: every incident and maintenance, by id."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = BOOK_SCHEMA_VERSION
    last_key: str = ""
    incidents: dict[str, Incident] = Field(default_factory=dict)
    maintenances: dict[str, Maintenance] = Field(default_factory=dict)


def apply_entry(book: Book, entry: LogEntry) -> None:
    """Fold one entry in. An update of something unknown is dropped (its opening may have been pruned), and
    so is an update of an incident already resolved: the API refuses those (409), one change at a time
    (incidents/lease.py), so a second resolution can only come from a race and customers read one."""
    if entry.kind == "incident_opened" and entry.incident is not None:
        book.incidents.setdefault(entry.target, entry.incident)
    elif entry.kind == "incident_updated" and entry.update is not None and entry.target in book.incidents:
        incident = book.incidents[entry.target]
        if incident.resolved_at is None and all(update.id != entry.update.id for update in incident.updates):
            book.incidents[entry.target] = incident.model_copy(update={"updates": [*incident.updates, entry.update]})
    elif entry.kind == "maintenance_scheduled" and entry.maintenance is not None:
        book.maintenances.setdefault(entry.target, entry.maintenance)
    elif (
        entry.kind == "maintenance_updated"
        and entry.maintenance_update is not None
        and entry.target in book.maintenances
    ):
        maintenance = book.maintenances[entry.target]
        if all(update.id != entry.maintenance_update.id for update in maintenance.updates):
            updates = [*maintenance.updates, entry.maintenance_update]
            book.maintenances[entry.target] = maintenance.model_copy(update={"updates": updates})
    elif entry.kind == "maintenance_cancelled" and entry.target in book.maintenances:
        maintenance = book.maintenances[entry.target]
        if maintenance.cancelled_at is None:
            reason = entry.maintenance_update.message if entry.maintenance_update is not None else ""
            book.maintenances[entry.target] = maintenance.model_copy(
                update={"cancelled_at": entry.at, "cancel_reason": reason}
            )


def prune(book: Book, now: datetime) -> None:
    horizon = now - KEPT
    book.incidents = {
        key: incident
        for key, incident in book.incidents.items()
        if (ended := incident.ended_at(now)) is None or ended >= horizon
    }
    book.maintenances = {
        key: maintenance
        for key, maintenance in book.maintenances.items()
        if (maintenance.cancelled_at or maintenance.ends_at) >= horizon
    }


def new_id() -> str:
    return uuid.uuid4().hex[:10]


def entry_key(prefix: str, entry: LogEntry) -> str:
    """Sorts by the time the change was made (to the microsecond); at the same instant an opening sorts before
    the changes to it (0 before 1); the random part keeps two apart."""
    rank = 0 if entry.kind in ("incident_opened", "maintenance_scheduled") else 1
    return f"{prefix}{LOG_PREFIX}{entry.at:%Y%m%dT%H%M%S%fZ}-{rank}-{uuid.uuid4().hex[:12]}.json"


def append(store: ObjectStore, prefix: str, entry: LogEntry) -> str:
    key = entry_key(prefix, entry)
    store.put(key, entry.model_dump_json().encode(), PRIVATE_JSON)
    return key


def read_snapshot(store: ObjectStore, prefix: str) -> Book:
    """The stored snapshot (an empty book before the first); a newer one is refused, a broken one folded again."""
    body = store.get(prefix + BOOK_KEY)
    if body is None:
        return Book()
    try:
        version = json.loads(body).get("schema_version")
    except (ValueError, AttributeError):
        raise StoreError(f"{BOOK_KEY} is not valid JSON; left as it is") from None
    if isinstance(version, int) and version > BOOK_SCHEMA_VERSION:
        raise StoreError(f"{BOOK_KEY} has schema version {version}, newer than this code; left as it is")
    try:
        return Book.model_validate_json(body)
    except ValidationError:
        # Derived data only: the log has everything. Fold it again from the start rather than fail.
        return Book()


def _settled_key(prefix: str, now: datetime) -> str:
    """Every log key below this one is of a change older than SETTLED_AFTER."""
    return f"{prefix}{LOG_PREFIX}{now - SETTLED_AFTER:%Y%m%dT%H%M%S%fZ}"


def read_book(store: ObjectStore, prefix: str, now: datetime) -> tuple[Book, Book | None]:
    """The book as of now (every entry folded in), and a snapshot worth saving (the settled part, when it
    moved; else None)."""
    read = read_book_from(store, prefix, now, read_snapshot(store, prefix))
    return read.book, read.settled if read.moved else None


@dataclass(frozen=True)
class BookRead:
    book: Book  # as of now
    settled: Book  # the fold of the settled entries: what a snapshot holds, and where a later read starts
    moved: bool  # `settled` went past the fold it started from: worth saving as the snapshot
    unreadable: tuple[str, ...] = ()  # "<entry>: <field>: <problem>" for each entry skipped, for the operators


def _problem(key: str, error: ValidationError) -> str:
    """Which entry and what is wrong with it, never its content (it may be anything)."""
    first = error.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "entry"
    return f"{key.rpartition('/')[2]}: {where}: {first['msg'].removeprefix('Value error, ')}"


def read_book_from(store: ObjectStore, prefix: str, now: datetime, start: Book) -> BookRead:
    """The log after `start` (the stored snapshot, or the settled fold this run read a moment ago: a fold
    behind the log is still right) folded in. `start` is not changed. The entries are read at the same time.

    An entry this code cannot read (damaged, tampered with, from a newer version) is skipped and named in
    `unreadable`, never fatal; the snapshot stops before it, so every run reads it again and says so until it
    is mended or removed, and then it is folded in: nothing is lost."""
    settled = start.model_copy(deep=True)
    settled_below = _settled_key(prefix, now)
    keys = list(store.list_keys(prefix + LOG_PREFIX, start_after=settled.last_key or None))
    moved = False
    recent: list[LogEntry] = []
    unreadable: list[str] = []
    for key, body in zip(keys, read_all(store, keys), strict=True):
        if body is None:
            continue
        try:
            entry = LogEntry.model_validate_json(body)
        except ValidationError as error:
            unreadable.append(_problem(key, error))
            continue
        if key < settled_below and not unreadable:
            apply_entry(settled, entry)
            settled.last_key, moved = key, True
        else:
            recent.append(entry)
    prune(settled, now)
    book = settled.model_copy(deep=True)
    for entry in recent:
        apply_entry(book, entry)
    return BookRead(book, settled, moved, tuple(unreadable))


def save_book(store: ObjectStore, prefix: str, book: Book) -> None:
    store.put(prefix + BOOK_KEY, book.model_dump_json().encode(), PRIVATE_JSON)
