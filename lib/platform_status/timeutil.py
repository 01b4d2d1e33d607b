"""UTC time, always aware: the guide's naive datetime.utcnow() must not come back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer


def utc_now() -> datetime:
    return datetime.now(UTC)


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("time must carry a time zone (RFC 3339 with Z or an offset)")
    return value.astimezone(UTC)


def format_utc(value: datetime) -> str:
    """RFC 3339 in UTC with a Z, to the second: the form the marketing site already parses."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# A datetime field that refuses naive input and serialises as 2026-11-28T19:13:46Z.
UtcDatetime = Annotated[
    datetime,
    AfterValidator(_require_aware),
    PlainSerializer(format_utc, return_type=str, when_used="json"),
]
