"""The incident and maintenance routes of the operators' API (docs/override-api.yaml).

Each change is validated whole before anything is stored, appended to the log (incidents/log.py), announced
to the operators' alert channels, and published at once; the answer says whether it was. The views answer
with the authors (operators are authenticated); the public files never carry them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from platform_status.config import Settings
from platform_status.incidents import changes
from platform_status.incidents.changes import Refused, Who
from platform_status.incidents.lease import Busy, exclusive
from platform_status.incidents.log import Book, LogEntry, append, apply_entry, read_book
from platform_status.incidents.model import (
    Cancel,
    Incident,
    Maintenance,
    OpenIncident,
    ScheduleMaintenance,
    UpdateIncident,
    UpdateMaintenance,
)
from platform_status.override.http import HttpResponse, error_response, field_error, invalid_body
from platform_status.run.last_run import read_last_run
from platform_status.run.targets import Targets
from platform_status.timeutil import format_utc
from platform_status.watch.alerts import Notification
from platform_status.watch.notify import send

LEASES = "incidents/leases/"  # under the state prefix: one lease per incident or maintenance being changed
RECENT = timedelta(days=7)  # GET /incidents and /maintenances list the open ones and those ended this recently
PublishNow = Callable[[datetime], dict[str, Any]]  # {"published": bool, "publish_error": ..., "cdn_purge": ...}


def incident_view(incident: Incident, now: datetime) -> dict[str, Any]:
    ended = incident.ended_at(now)
    return incident.model_dump(mode="json") | {
        "stage": incident.stage,
        "open": incident.open(now),
        "resolved_at": format_utc(ended) if ended else None,
    }


def maintenance_view(maintenance: Maintenance, now: datetime) -> dict[str, Any]:
    return maintenance.model_dump(mode="json") | {"status": maintenance.phase(now)}


def _notice(entry: LogEntry, book: Book) -> Notification:
    who = entry.author
    if entry.kind in ("incident_opened", "incident_updated"):
        incident = book.incidents[entry.target]
        update = incident.updates[-1] if entry.update is None else entry.update
        verb = "opened" if entry.kind == "incident_opened" else f"updated ({update.stage})"
        return Notification("info", f"Incident {verb} by {who}: {incident.title} ({incident.impact})", update.message)
    maintenance = book.maintenances[entry.target]
    verb = {"maintenance_scheduled": "scheduled", "maintenance_updated": "updated"}.get(entry.kind, "cancelled")
    window = f"{maintenance.starts_at:%Y-%m-%d %H:%M} to {maintenance.ends_at:%Y-%m-%d %H:%M} UTC"
    return Notification("info", f"Maintenance {verb} by {who}: {maintenance.title}", window)


class IncidentRoutes:
    def __init__(
        self, settings: Settings, targets: Targets, clock: Callable[[], datetime], publish_now: PublishNow
    ) -> None:
        self._settings, self._targets, self._clock, self._publish_now = settings, targets, clock, publish_now

    def handle(self, route: str, method: str, ids: list[str], body: bytes, who: Callable[[str], Who]) -> HttpResponse:
        """`route`: the route's template (/incidents/{id}/updates); `who`: the caller, given the author."""
        try:
            return self._dispatch(route, method, ids, body, who)
        except ValidationError as error:
            return invalid_body(error)
        except Refused as refused:
            if refused.field:
                return field_error(refused.status, "invalid request", refused.field, refused.message)
            if refused.retry_after is not None:
                return error_response(refused.status, refused.message, Retry_After=str(refused.retry_after))
            return error_response(refused.status, refused.message)

    def _dispatch(
        self, route: str, method: str, ids: list[str], body: bytes, who: Callable[[str], Who]
    ) -> HttpResponse:
        now = self._clock()
        if method == "GET":
            return self._show(route, ids, now)
        if route == "/incidents":
            opening = OpenIncident.model_validate_json(body)
            return self._change(changes.open_incident(opening, self._known(), who(opening.author), now), now)
        if route == "/maintenances":
            schedule = ScheduleMaintenance.model_validate_json(body)
            return self._change(changes.schedule_maintenance(schedule, self._known(), who(schedule.author), now), now)
        # A change to something that exists is checked against what came before it (409 once it is over):
        # one caller at a time per incident or maintenance, so a double click or a retry cannot both pass.
        change: Callable[[Book, datetime], LogEntry]
        if route == "/incidents/{id}/updates":
            update = UpdateIncident.model_validate_json(body)
            author = who(update.author)
            change = lambda book, now: changes.update_incident(book, ids[0], update, author, now)  # noqa: E731
        elif route == "/maintenances/{id}/updates":
            note = UpdateMaintenance.model_validate_json(body)
            author = who(note.author)
            change = lambda book, now: changes.update_maintenance(book, ids[0], note, author, now)  # noqa: E731
        else:  # DELETE /maintenances/{id}
            cancel = Cancel.model_validate_json(body) if body.strip() else Cancel()
            author = who(cancel.author)
            change = lambda book, now: changes.cancel_maintenance(book, ids[0], cancel, author, now)  # noqa: E731
        state, prefix = self._targets.state, self._targets.state_prefix
        try:
            with exclusive(state, f"{prefix}{LEASES}{ids[0]}.json", clock=self._clock):
                now = self._clock()
                entry = change(self._book(now), now)
                append(state, prefix, entry)
        except Busy:
            return error_response(503, "another change to this is still being made; try again", Retry_After="5")
        return self._change(entry, now, appended=True)

    def _book(self, now: datetime) -> Book:
        return read_book(self._targets.state, self._targets.state_prefix, now)[0]

    def _known(self) -> list[str]:
        """The published components, as the last run saw them."""
        last_run = read_last_run(self._targets)
        return [component.name for component in last_run.document.components] if last_run else []

    def _show(self, route: str, ids: list[str], now: datetime) -> HttpResponse:
        book = self._book(now)
        if route == "/incidents":
            shown = [i for i in book.incidents.values() if (ended := i.ended_at(now)) is None or now - ended <= RECENT]
            shown.sort(key=lambda incident: incident.created_at, reverse=True)
            return HttpResponse(200, {"incidents": [incident_view(i, now) for i in shown]})
        if route == "/incidents/{id}":
            return HttpResponse(200, {"incident": incident_view(changes.find_incident(book, ids[0]), now)})
        if route == "/maintenances":
            listed = [m for m in book.maintenances.values() if now - (m.cancelled_at or m.ends_at) <= RECENT]
            listed.sort(key=lambda maintenance: maintenance.starts_at)
            return HttpResponse(200, {"maintenances": [maintenance_view(m, now) for m in listed]})
        return HttpResponse(200, {"maintenance": maintenance_view(changes.find_maintenance(book, ids[0]), now)})

    def _change(self, entry: LogEntry, now: datetime, *, appended: bool = False) -> HttpResponse:
        # The log entry is the change and its audit trail at once: once it is stored, nothing is lost.
        if not appended:
            append(self._targets.state, self._targets.state_prefix, entry)
        book = self._book(now)
        apply_entry(book, entry)  # in case the store lists it a moment late
        send(self._settings, [_notice(entry, book)])  # never raises: a lost alert must not lose the change
        published = self._publish_now(now)
        if entry.target in book.incidents:
            body: dict[str, Any] = {"incident": incident_view(book.incidents[entry.target], now)}
        else:
            body = {"maintenance": maintenance_view(book.maintenances[entry.target], now)}
        status = 200 if entry.kind == "maintenance_cancelled" else 201
        return HttpResponse(status if published.get("published") else 202, body | published)
