"""The operators' web API (docs/override-api.yaml), served by the status/override function: GET, PUT and
DELETE on the current override and GET /log here; the incident and maintenance routes in incidents/routes.py.

Every input is validated before anything is stored: a rejected request gets 400, 401, 404, 405, 409, 413 or
422 with a JSON error naming the field, and writes nothing. A storage failure is 503, never a 500.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, ValidationError

from platform_status.config import Settings
from platform_status.incidents.changes import Who
from platform_status.incidents.routes import IncidentRoutes
from platform_status.override.cdn import CdnPurgeError, purge_cdn
from platform_status.override.http import (
    BadBody,
    FieldProblem,
    HttpResponse,
    caller_of,
    decoded_body,
    error_response,
    invalid_body,
    request_id_of,
)
from platform_status.override.rules import ClearRequest, Override, OverrideRequest, replace_override
from platform_status.override.state import (
    AuditEntry,
    audit_action,
    read_audit,
    read_override,
    read_override_state,
    write_audit,
    write_override,
)
from platform_status.override.web_event import HttpRequest
from platform_status.rules.status import PlatformStatus
from platform_status.run.announcements import read_announcements
from platform_status.run.errors import PublishError
from platform_status.run.last_run import no_run_yet, read_last_run
from platform_status.run.outputs import STATUS_KEY
from platform_status.run.republish import republish
from platform_status.run.targets import Targets
from platform_status.store import StoreError
from platform_status.timeutil import format_utc, utc_now
from platform_status.watch.alerts import Notification
from platform_status.watch.notify import send

MAX_BODY_BYTES = 16 * 1024
DEFAULT_LOG_LIMIT, MAX_LOG_LIMIT = 20, 200

_LIMIT = re.compile(r"^[0-9]{1,3}$")  # ASCII digits only: str.isdigit() also takes "²", which int() refuses
_ID = r"([A-Za-z0-9_-]{1,40})"


@dataclass(frozen=True)
class Route:
    template: str  # as docs/override-api.yaml names it, and as the log says it (never the path itself)
    pattern: re.Pattern[str]
    methods: tuple[str, ...]


ROUTES = [
    Route("/", re.compile(r""), ("GET", "PUT", "DELETE")),
    Route("/log", re.compile(r"/log"), ("GET",)),
    Route("/incidents", re.compile(r"/incidents"), ("GET", "POST")),
    Route("/incidents/{id}", re.compile(rf"/incidents/{_ID}"), ("GET",)),
    Route("/incidents/{id}/updates", re.compile(rf"/incidents/{_ID}/updates"), ("POST",)),
    Route("/maintenances", re.compile(r"/maintenances"), ("GET", "POST")),
    Route("/maintenances/{id}", re.compile(rf"/maintenances/{_ID}"), ("GET", "DELETE")),
    Route("/maintenances/{id}/updates", re.compile(rf"/maintenances/{_ID}/updates"), ("POST",)),
]


def match_route(path: str) -> tuple[Route, list[str]] | None:
    trimmed = path.rstrip("/")
    for route in ROUTES:
        found = route.pattern.fullmatch(trimmed)
        if found:
            return route, list(found.groups())
    return None


def route_of(request: HttpRequest) -> str:
    """The route a request asked for, for the log: never the path itself (a token pasted into a URL would
    end up in the activation log)."""
    matched = match_route(request.path)
    return matched[0].template if matched else "other"


class OverrideView(BaseModel):
    """What GET, PUT and DELETE answer."""

    model_config = ConfigDict(extra="forbid")

    override: Override | None
    computed_status: PlatformStatus
    effective_status: PlatformStatus
    published: bool | None = None  # PUT/DELETE: whether status.json was rewritten at once
    publish_error: str | None = None
    cdn_purge: str | None = None  # "purged", "not configured", or why it failed


def override_notice(entry: AuditEntry) -> Notification:
    if entry.after is None:
        return Notification("info", f"Override cleared by {entry.author}", "The computed status applies again.")
    verb = "updated" if entry.action == "update" else "set"
    return Notification(
        "info",
        f"Override {verb} by {entry.author}: {entry.after.status.value} until {format_utc(entry.after.until)}",
        entry.after.message or "(no message)",
    )


class OverrideApi:
    def __init__(
        self,
        settings: Settings,
        targets: Targets,
        token: str,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._settings = settings
        self._targets = targets
        self._token = token.encode()
        self._clock = clock
        self._incidents = IncidentRoutes(settings, targets, clock, self._publish_now)

    def handle(self, request: HttpRequest) -> HttpResponse:
        rejection = self._reject(request)
        if rejection is not None:
            return rejection
        try:
            body = decoded_body(request)  # only now: nothing is decoded for a caller without the token
            return self._route(request, body)
        except BadBody as error:
            return error_response(400, str(error))
        except (StoreError, PublishError) as error:
            return error_response(503, f"storage unavailable: {error}")

    def _route(self, request: HttpRequest, body: bytes) -> HttpResponse:
        route, ids = match_route(request.path) or (ROUTES[0], [])  # _reject answered 404 for no match
        if route.template == "/log":
            return self._log(request)
        if route.template != "/":
            who = lambda author: Who(author, request_id_of(request), caller_of(request))  # noqa: E731
            return self._incidents.handle(route.template, request.method, ids, body, who)
        if request.method == "GET":
            return self._show()
        if request.method == "PUT":
            return self._put(request, body)
        return self._delete(request, body)

    def _reject(self, request: HttpRequest) -> HttpResponse | None:
        """Checks that need no storage, in order: path, method, token, size."""
        matched = match_route(request.path)
        problem: HttpResponse | None = None
        if matched is None:
            problem = error_response(
                404, "no such path: use the function's URL, /log, /incidents[/{id}[/updates]] or /maintenances"
            )
        elif request.method not in matched[0].methods:
            allowed = ", ".join(matched[0].methods)
            problem = error_response(405, f"{matched[0].template} answers {allowed}", Allow=allowed)
        elif not self._authorised(request):
            problem = error_response(401, "missing or wrong bearer token", WWW_Authenticate='Bearer realm="override"')
        elif len(request.body) > (4 * -(-MAX_BODY_BYTES // 3) if request.body_is_base64 else MAX_BODY_BYTES):
            problem = error_response(413, f"body over {MAX_BODY_BYTES} bytes")
        return problem

    def _authorised(self, request: HttpRequest) -> bool:
        scheme, _, provided = request.headers.get("authorization", "").partition(" ")
        # compare_digest: the time taken does not tell how much of a guessed token was right. surrogatepass:
        # a header holding a lone surrogate is a wrong token, not an exception.
        given = provided.strip().encode("utf-8", errors="surrogatepass")
        return scheme.lower() == "bearer" and hmac.compare_digest(given, self._token)

    def _statuses(self, now: datetime) -> tuple[PlatformStatus, PlatformStatus]:
        """(computed, effective): the last run's, with everything announced now applied."""
        last_run = read_last_run(self._targets)
        document = last_run.document if last_run else no_run_yet(self._settings, now)
        return document.computed_status, read_announcements(self._targets, now).apply(document, now).platform_status

    def _view(self, override: Override | None, now: datetime, **extra: Any) -> HttpResponse:
        computed, effective = self._statuses(now)
        active = override if override is not None and override.active(now) else None
        view = OverrideView(override=active, computed_status=computed, effective_status=effective, **extra)
        return HttpResponse(200 if view.published is not False else 202, view.model_dump(mode="json"))

    def _show(self) -> HttpResponse:
        return self._view(read_override(self._targets.state, self._targets.state_prefix), self._clock())

    def _log(self, request: HttpRequest) -> HttpResponse:
        values = parse_qs(request.query).get("limit", [str(DEFAULT_LOG_LIMIT)])
        if len(values) != 1 or not _LIMIT.match(values[0]) or not 1 <= int(values[0]) <= MAX_LOG_LIMIT:
            return error_response(422, "invalid query", [FieldProblem(field="limit", message="1 to 200")])
        entries = read_audit(self._targets.state, self._targets.state_prefix, int(values[0]))
        return HttpResponse(200, {"entries": [entry.model_dump(mode="json") for entry in entries]})

    def _put(self, request: HttpRequest, body: bytes) -> HttpResponse:
        try:
            wanted = OverrideRequest.model_validate_json(body)
        except ValidationError as error:
            return invalid_body(error)
        now = self._clock()
        try:
            wanted.expiry(now)
        except ValueError as error:
            where, _, message = str(error).partition(": ")
            return error_response(422, "invalid override", [FieldProblem(field=where, message=message)])

        before = read_override(self._targets.state, self._targets.state_prefix)
        after = replace_override(before, wanted, now)
        return self._change(request, before, after, now, author=wanted.author)

    def _delete(self, request: HttpRequest, body: bytes) -> HttpResponse:
        try:
            clear = ClearRequest.model_validate_json(body) if body.strip() else ClearRequest()
        except ValidationError as error:
            return invalid_body(error)
        now = self._clock()
        before = read_override(self._targets.state, self._targets.state_prefix)
        if before is None:
            return self._view(None, now)  # nothing to clear: no change, no audit entry
        return self._change(request, before, None, now, author=clear.author)

    def _change(
        self, request: HttpRequest, before: Override | None, after: Override | None, now: datetime, author: str
    ) -> HttpResponse:
        entry = AuditEntry(
            at=now,
            action=audit_action(before, after, now),
            author=author,
            request_id=request_id_of(request),
            caller=caller_of(request),
            before=before,
            after=after,
        )
        # The audit entry first: a change that is stored is always in the trail.
        write_audit(self._targets.state, self._targets.state_prefix, entry)
        previous = read_override_state(self._targets.state, self._targets.state_prefix)
        write_override(self._targets.state, self._targets.state_prefix, previous, entry)
        send(self._settings, [override_notice(entry)])  # never raises: a lost alert must not lose the change
        return self._view(after, now, **self._publish_now(now))

    def _publish_now(self, now: datetime) -> dict[str, Any]:
        """status.json and the files built from it again, at once, from the last run's document."""
        try:
            republish(self._settings, self._targets, now)
        except PublishError as error:
            # Stored: the next scheduled run publishes it. Say so rather than pretend.
            return {"published": False, "publish_error": str(error)}
        return {"published": True, "cdn_purge": self._purge()}

    def _purge(self) -> str:
        settings = self._settings
        if settings.do_api_token is None or settings.cdn_endpoint_id is None:
            return "not configured"
        try:
            purge_cdn(
                str(settings.do_api_url),
                settings.do_api_token.get_secret_value(),
                settings.cdn_endpoint_id,
                [STATUS_KEY],
            )
        except CdnPurgeError as error:
            return str(error)
        return "purged"
