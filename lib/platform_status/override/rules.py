"""The manual override: what an operator sets during an incident, and how it changes the document. Pure.

An override always ends: it carries an expiry (at most 7 days away) and stops applying by itself once it
passes. The computed status stays visible beside it in the document.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from platform_status.text import clean_text as clean_public_text
from platform_status.timeutil import UtcDatetime

MAX_MESSAGE_CHARS = 500
MAX_AUTHOR_CHARS = 100
DEFAULT_TTL_MINUTES = 120
MAX_TTL = timedelta(days=7)
OVERRIDE_STATE_SCHEMA_VERSION = 1


class OverrideStatus(StrEnum):
    OPERATIONAL = "operational"
    DEGRADED = "degraded"
    OUTAGE = "outage"
    MAINTENANCE = "maintenance"


def clean_text(value: str) -> str:
    """Untrusted text made plain (platform_status.text), line breaks kept. Escaping is the job of whatever
    shows it (the page and the feed escape it; status.json carries it as a JSON string)."""
    return clean_public_text(value, keep_newlines=True)


CleanText = Annotated[str, AfterValidator(clean_text)]


class OverrideRequest(BaseModel):
    """The body of PUT: set or replace the override."""

    model_config = ConfigDict(extra="forbid", strict=True)

    status: OverrideStatus
    message: CleanText = Field(default="", max_length=MAX_MESSAGE_CHARS * 4)
    author: CleanText = Field(min_length=1, max_length=MAX_AUTHOR_CHARS * 4)
    expires_at: Annotated[datetime, Field(strict=False)] | None = None
    ttl_minutes: int | None = Field(default=None, ge=1, le=int(MAX_TTL.total_seconds() // 60))

    @model_validator(mode="after")
    def _check(self) -> Self:
        # Lengths are checked after cleaning, so stripped control characters do not count.
        if len(self.message) > MAX_MESSAGE_CHARS:
            raise ValueError(f"message: at most {MAX_MESSAGE_CHARS} characters")
        if not self.author or len(self.author) > MAX_AUTHOR_CHARS:
            raise ValueError(f"author: 1 to {MAX_AUTHOR_CHARS} characters")
        if self.expires_at is not None and self.ttl_minutes is not None:
            raise ValueError("expires_at: give expires_at or ttl_minutes, not both")
        if self.expires_at is not None and self.expires_at.tzinfo is None:
            raise ValueError("expires_at: must carry a time zone (RFC 3339, e.g. 2026-11-28T21:00:00Z)")
        return self

    def expiry(self, now: datetime) -> datetime:
        """When the override ends; raises ValueError naming the field when that is in the past or too far."""
        if self.expires_at is None:
            return now + timedelta(minutes=self.ttl_minutes or DEFAULT_TTL_MINUTES)
        if self.expires_at <= now:
            raise ValueError("expires_at: is in the past")
        if self.expires_at > now + MAX_TTL:
            raise ValueError("expires_at: is more than 7 days away")
        return self.expires_at


class ClearRequest(BaseModel):
    """The optional body of DELETE: who clears the override, for the audit trail."""

    model_config = ConfigDict(extra="forbid", strict=True)

    author: CleanText = Field(default="unknown", min_length=1, max_length=MAX_AUTHOR_CHARS)


class Override(BaseModel):
    """The stored override (private: the author is not published)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: OverrideStatus
    message: str
    author: str
    since: UtcDatetime
    until: UtcDatetime
    updated_at: UtcDatetime

    def active(self, now: datetime) -> bool:
        # Only the end counts: an override is never set for the future, and a run that started before it
        # was set (its `now` earlier than `since`) must still publish it, or it would undo it.
        return now < self.until


class OverrideEvent(BaseModel):
    """A change of the override as subscribers see it in the feed (no author, no caller)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: UtcDatetime
    action: Literal["set", "update", "clear"]
    status: OverrideStatus | None
    message: str
    until: UtcDatetime | None


class OverrideState(BaseModel):
    """The private object holding the current override (null when cleared) and its recent changes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state_schema_version: int = OVERRIDE_STATE_SCHEMA_VERSION
    override: Override | None
    recent: list[OverrideEvent] = []


def replace_override(current: Override | None, request: OverrideRequest, now: datetime) -> Override:
    """The override after a PUT. Updating the message of an ongoing override keeps its start."""
    keeps_start = current is not None and current.active(now) and current.status == request.status
    return Override(
        status=request.status,
        message=request.message,
        author=request.author,
        since=current.since if keeps_start and current else now,
        until=request.expiry(now),
        updated_at=now,
    )
