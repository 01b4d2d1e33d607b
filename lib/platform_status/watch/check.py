"""The freshness check of the public status.json, for cron, CI or a Nagios-style monitor.

Exit status: 0 fresh and valid; 1 stale, or invalid against the schema; 2 unreachable (or missing).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import requests
from pydantic import ValidationError

from platform_status.document import StatusDocument

OK, STALE_OR_INVALID, UNREACHABLE = 0, 1, 2
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_SECONDS = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_max_age(text: str) -> timedelta:
    """'20m', '90s', '1h' or plain minutes."""
    match = _DURATION.match(text.lower())
    if not match:
        raise ValueError(f"--max-age {text!r}: use a number with s, m, h or d (e.g. 20m)")
    return timedelta(seconds=int(match.group(1)) * _SECONDS[match.group(2)])


def _minutes(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 60:.0f} min"


def check(url: str, max_age: timedelta, now: datetime, timeout: float = 10.0) -> tuple[int, str]:
    try:
        response = requests.get(url, timeout=timeout, headers={"Cache-Control": "no-cache"})
    except requests.exceptions.RequestException as error:
        return UNREACHABLE, f"UNREACHABLE: {type(error).__name__} fetching {url}"
    if response.status_code != 200:
        return UNREACHABLE, f"UNREACHABLE: HTTP {response.status_code} for {url}"
    try:
        document = StatusDocument.model_validate_json(response.content)
    except ValidationError as error:
        first = error.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return STALE_OR_INVALID, f"INVALID: {where}: {first['msg']} ({error.error_count()} problem(s))"
    age = now - document.updated_at
    if age > max_age:
        return (
            STALE_OR_INVALID,
            f"STALE: updated {_minutes(age)} ago, more than {_minutes(max_age)}; status {document.platform_status}",
        )
    if now > document.stale_after:
        return STALE_OR_INVALID, f"STALE: past its stale_after ({document.stale_after:%Y-%m-%d %H:%M} UTC)"
    return OK, f"OK: {document.platform_status}, updated {_minutes(age)} ago"
