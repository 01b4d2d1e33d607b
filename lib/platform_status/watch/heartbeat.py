"""The dead man's switch: after each run, ping HEARTBEAT_URL (an Uptime Kuma push monitor, for example).

Kuma's push URL is `.../api/push/<token>?status=up&msg=OK&ping=`: this sets status, msg and ping itself, so
the URL can be pasted as Kuma shows it. When the pings stop, Kuma raises the alarm.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

TIMEOUT_SECONDS = 5.0


def heartbeat_url(base: str, ok: bool, message: str, duration_ms: int) -> str:
    parts = urlsplit(base)
    query = dict(parse_qsl(parts.query)) | {
        "status": "up" if ok else "down",
        "msg": message[:100],
        "ping": str(duration_ms),
    }
    return urlunsplit(parts._replace(query=urlencode(query)))


def ping(base: str, ok: bool, message: str, duration_ms: int) -> str | None:
    """Ping; returns a problem (naming no URL: it holds the push token) or None."""
    try:
        response = requests.get(heartbeat_url(base, ok, message, duration_ms), timeout=TIMEOUT_SECONDS)
    except requests.exceptions.RequestException as error:
        return f"heartbeat not sent ({type(error).__name__})"
    if response.status_code >= 400:
        return f"heartbeat answered HTTP {response.status_code}"
    return None
