"""status/override: the web function operators call during incidents (docs/override-api.yaml).

A thin adapter: turn DigitalOcean's raw web event into a request, let the library answer, shape the result.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from platform_status.config import ConfigError, load_settings, require_override_token
from platform_status.override.api import HttpRequest, OverrideApi, error_response
from platform_status.publish import targets_for
from platform_status.runlog import log_run
from platform_status.spaces import make_s3_client

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}


def _request(event: dict[str, Any]) -> HttpRequest:
    # web: 'raw': nothing is parsed by the platform; the body arrives as a string, base64 when binary.
    http = event.get("http") or {}
    body = http.get("body") or ""
    raw = body.encode("utf-8", errors="surrogatepass") if isinstance(body, str) else b""
    if http.get("isBase64Encoded"):
        raw = base64.b64decode(raw, validate=True)
    headers = {str(name).lower(): str(value) for name, value in (http.get("headers") or {}).items()}
    return HttpRequest(
        method=str(http.get("method", "")).upper(),
        path=str(http.get("path", "")),
        headers=headers,
        body=raw,
        query=str(http.get("queryString", "")),
    )


def main(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    try:
        settings = load_settings()
        token = require_override_token(settings)
    except ConfigError as error:
        log_run("status/override", {"ok": False, "error": str(error)})
        response = error_response(503, "the override function is not configured; see its activation log")
    else:
        try:
            request = _request(event)
        except (binascii.Error, ValueError):
            response = error_response(400, "body is not valid base64")
        else:
            s3_client = make_s3_client(settings) if settings.spaces_configured else None
            response = OverrideApi(settings, targets_for(settings, s3_client, None), token).handle(request)
            log_run(
                "status/override",
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status,
                    "request_id": request.request_id,
                },
            )
    return {"statusCode": response.status, "headers": JSON_HEADERS | response.headers, "body": response.body}
