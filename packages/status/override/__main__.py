"""status/override: the web function operators call during incidents (docs/override-api.yaml).

A thin adapter: read the HTTP request from the event, let the library answer, shape the result.
"""

from __future__ import annotations

from typing import Any

from platform_status.config import ConfigError, load_settings, require_override_token
from platform_status.override.api import OverrideApi, route_of
from platform_status.override.http import HttpResponse, error_response, request_id_of
from platform_status.override.web_event import NOT_A_WEB_CALL, request_from_event
from platform_status.run.targets import targets_for
from platform_status.runlog import log_run
from platform_status.spaces import make_s3_client

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}


def _respond(response: HttpResponse) -> dict[str, Any]:
    return {"statusCode": response.status, "headers": JSON_HEADERS | response.headers, "body": response.body}


def main(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    request = request_from_event(event or {})
    if request is None:
        # `doctl serverless functions invoke status/override`: no HTTP request to answer. The "error" key
        # fails the activation, so doctl shows the sentence.
        return {"error": NOT_A_WEB_CALL} | _respond(error_response(400, NOT_A_WEB_CALL))
    try:
        settings = load_settings(require_kuma=False)  # it republishes the last run: Kuma is not read
        token = require_override_token(settings)
    except ConfigError as error:
        log_run("status/override", {"ok": False, "error": str(error)})
        return _respond(error_response(503, "the override function is not configured; see its activation log"))
    try:
        s3_client = make_s3_client(settings) if settings.spaces_configured else None
        response = OverrideApi(settings, targets_for(settings, s3_client, None), token).handle(request)
    except Exception as error:  # the last resort: an answer and a log line, never a bare platform error
        log_run("status/override", {"ok": False, "route": route_of(request), "error": type(error).__name__})
        return _respond(error_response(500, f"internal error ({type(error).__name__}); see the activation log"))
    log_run(
        "status/override",
        {
            "method": request.method[:10],
            "route": route_of(request),
            "status": response.status,
            "request_id": request_id_of(request),
        },
    )
    return _respond(response)
