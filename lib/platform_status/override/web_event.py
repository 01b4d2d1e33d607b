"""The HTTP request inside a web function's event, in either of the forms the platform has used.

DigitalOcean documents `event["http"]` (method, headers, path, queryString, body, isBase64Encoded) for
`web: raw`; the OpenWhisk underneath it passes `__ow_method`, `__ow_headers`, `__ow_path`, `__ow_query` and
`__ow_body`. Both are read, so a change on the platform's side does not turn every call into a 405. An event
with neither (`doctl serverless functions invoke status/override`) is no HTTP request at all: None.

Nothing is decoded or checked here: the body stays as the platform passed it until the caller is known
(override/api.py checks the token first).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_BASE64 = re.compile(r"[A-Za-z0-9+/\s]*={0,2}")
NOT_A_WEB_CALL = (
    "status/override is a web function: call its URL over HTTP (doctl serverless functions get status/override "
    "--url) with GET, PUT or DELETE and the bearer token, or use `platform-status override`; docs/override.md"
)


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: Mapping[str, str]  # lower-case names, as DigitalOcean passes them
    body: bytes = b""  # as passed: base64 text when `body_is_base64`
    query: str = ""
    body_is_base64: bool = False


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _headers(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {_text(name).lower(): _text(header) for name, header in value.items()}


def _openwhisk_body_is_base64(body: str) -> bool:
    """OpenWhisk's raw form carries no flag: a binary body arrives base64-encoded, text as it is. The API
    takes JSON objects only, which open with "{" (never a base64 character), so that tells them apart without
    parsing anything before the token is checked (a caller without it could send JSON nested deep enough to
    exhaust the parser)."""
    stripped = body.strip()
    if not stripped or stripped.startswith(("{", "[")):
        return False
    return _BASE64.fullmatch(stripped) is not None


def request_from_event(event: Mapping[str, Any]) -> HttpRequest | None:
    http = event.get("http")
    if isinstance(http, Mapping) and http.get("method"):
        return HttpRequest(
            method=_text(http.get("method")).upper(),
            path=_text(http.get("path")),
            headers=_headers(http.get("headers")),
            body=_text(http.get("body")).encode("utf-8", errors="surrogatepass"),
            query=_text(http.get("queryString")),
            body_is_base64=bool(http.get("isBase64Encoded")),
        )
    if event.get("__ow_method"):
        body = _text(event.get("__ow_body"))
        return HttpRequest(
            method=_text(event.get("__ow_method")).upper(),
            path=_text(event.get("__ow_path")),
            headers=_headers(event.get("__ow_headers")),
            body=body.encode("utf-8", errors="surrogatepass"),
            query=_text(event.get("__ow_query")),
            body_is_base64=_openwhisk_body_is_base64(body),
        )
    return None
