"""Incidents and scheduled maintenance as operators announce them, and the requests that do it.

An incident has a title, an impact, the components it affects (none: the whole platform) and a timeline of
updates, each at a stage; the stage `resolved` closes it. It does not end by itself unless an expiry was
asked for (the publisher reminds operators while one is open instead). A maintenance is announced for a
window; it is upcoming before `starts_at`, in progress until `ends_at`, then completed, with no one touching
anything; or cancelled. Titles and messages are plain text (platform_status.text), checked after cleaning.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from platform_status.text import clean_name, clean_text
from platform_status.timeutil import UtcDatetime

MAX_TITLE_CHARS = 120
MAX_MESSAGE_CHARS = 2000
MAX_AUTHOR_CHARS = 100
MAX_COMPONENTS = 50
MAX_INCIDENT_TTL = timedelta(days=30)
MAX_MAINTENANCE_AHEAD = timedelta(days=366)
MAX_MAINTENANCE_LENGTH = timedelta(days=14)

Impact = Literal["degraded", "outage"]
Stage = Literal["investigating", "identified", "monitoring", "resolved"]
OpenStage = Literal["investigating", "identified", "monitoring"]
Source = Literal["operator", "monitoring"]  # monitoring: what Uptime Kuma's own status page announces
MaintenancePhase = Literal["scheduled", "in_progress", "completed", "cancelled"]

Title = Annotated[str, AfterValidator(lambda value: clean_name(value, max_length=10 * MAX_TITLE_CHARS))]
Message = Annotated[str, AfterValidator(lambda value: clean_text(value, keep_newlines=True))]
Author = Annotated[str, AfterValidator(lambda value: clean_name(value, max_length=10 * MAX_AUTHOR_CHARS))]
ComponentName = Annotated[str, AfterValidator(clean_name)]


def _plausible(value: datetime) -> datetime:
    if not 2000 <= value.year <= 9998:
        raise ValueError("a time between the years 2000 and 9998")
    return value


# What is read back from the private state is held to what the API lets in: a tampered or damaged record is
# refused where it is read (and reported), never published at any length or with a date no file can carry.
RecordTime = Annotated[UtcDatetime, AfterValidator(_plausible)]
RecordId = Annotated[str, Field(min_length=1, max_length=40)]
RecordTitle = Annotated[str, Field(min_length=1, max_length=MAX_TITLE_CHARS)]
RecordMessage = Annotated[str, Field(max_length=MAX_MESSAGE_CHARS)]
RecordAuthor = Annotated[str, Field(max_length=MAX_AUTHOR_CHARS)]
RecordComponents = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=MAX_COMPONENTS)]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IncidentUpdate(_Record):
    id: RecordId
    stage: Stage
    message: RecordMessage
    at: RecordTime
    author: RecordAuthor  # private: kept in the state and the log, never published


class Incident(_Record):
    id: RecordId
    title: RecordTitle
    impact: Impact
    components: RecordComponents  # public component names; empty: the whole platform
    updates: list[IncidentUpdate]  # oldest first
    created_at: RecordTime
    expires_at: RecordTime | None = None

    @property
    def stage(self) -> Stage:
        return self.updates[-1].stage if self.updates else "investigating"

    @property
    def resolved_at(self) -> datetime | None:
        return next((update.at for update in self.updates if update.stage == "resolved"), None)

    @property
    def updated_at(self) -> datetime:
        return self.updates[-1].at if self.updates else self.created_at

    def open(self, now: datetime) -> bool:
        """Open until resolved, or until its expiry when one was asked for."""
        return self.resolved_at is None and (self.expires_at is None or now < self.expires_at)

    def ended_at(self, now: datetime) -> datetime | None:
        if self.resolved_at is not None:
            return self.resolved_at
        return self.expires_at if self.expires_at is not None and now >= self.expires_at else None


class MaintenanceUpdate(_Record):
    id: RecordId
    message: RecordMessage
    at: RecordTime
    author: RecordAuthor


class Maintenance(_Record):
    id: RecordId
    title: RecordTitle
    message: RecordMessage
    components: RecordComponents
    starts_at: RecordTime
    ends_at: RecordTime
    created_at: RecordTime
    updates: list[MaintenanceUpdate] = []
    cancelled_at: RecordTime | None = None
    cancel_reason: RecordMessage = ""  # the operator's words, shown with the cancellation

    def phase(self, now: datetime) -> MaintenancePhase:
        if self.cancelled_at is not None:
            return "cancelled"
        if now < self.starts_at:
            return "scheduled"
        return "in_progress" if now < self.ends_at else "completed"


# ------------------------------------------------------------------------------------------- requests


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    def _check_lengths(self, **fields: tuple[str, int, int]) -> None:
        """Lengths after cleaning, so a stripped control character does not count: (value, min, max)."""
        for name, (value, least, most) in fields.items():
            if not least <= len(value) <= most:
                raise ValueError(
                    f"{name}: {least} to {most} characters" if least else f"{name}: at most {most} characters"
                )


class OpenIncident(_Request):
    """POST /incidents."""

    title: Title
    impact: Impact
    components: list[ComponentName] = Field(default_factory=list, max_length=MAX_COMPONENTS)
    stage: OpenStage = "investigating"
    message: Message
    author: Author
    ttl_minutes: int | None = Field(default=None, ge=1, le=int(MAX_INCIDENT_TTL.total_seconds() // 60))
    expires_at: Annotated[datetime, Field(strict=False)] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        self._check_lengths(
            title=(self.title, 1, MAX_TITLE_CHARS),
            message=(self.message, 1, MAX_MESSAGE_CHARS),
            author=(self.author, 1, MAX_AUTHOR_CHARS),
        )
        if self.expires_at is not None and self.ttl_minutes is not None:
            raise ValueError("expires_at: give expires_at or ttl_minutes, not both")
        if self.expires_at is not None and self.expires_at.tzinfo is None:
            raise ValueError("expires_at: must carry a time zone (RFC 3339, e.g. 2026-11-28T21:00:00Z)")
        return self

    def expiry(self, now: datetime) -> datetime | None:
        """None: open until resolved. Raises ValueError naming the field for a time in the past or too far."""
        if self.ttl_minutes is not None:
            return now + timedelta(minutes=self.ttl_minutes)
        if self.expires_at is None:
            return None
        if self.expires_at <= now:
            raise ValueError("expires_at: is in the past")
        if self.expires_at > now + MAX_INCIDENT_TTL:
            raise ValueError("expires_at: is more than 30 days away")
        return self.expires_at


class UpdateIncident(_Request):
    """POST /incidents/{id}/updates; the stage `resolved` closes the incident."""

    stage: Stage
    message: Message
    author: Author

    @model_validator(mode="after")
    def _check(self) -> Self:
        self._check_lengths(message=(self.message, 1, MAX_MESSAGE_CHARS), author=(self.author, 1, MAX_AUTHOR_CHARS))
        return self


class ScheduleMaintenance(_Request):
    """POST /maintenances."""

    title: Title
    message: Message = ""
    components: list[ComponentName] = Field(default_factory=list, max_length=MAX_COMPONENTS)
    starts_at: Annotated[datetime, Field(strict=False)]
    ends_at: Annotated[datetime, Field(strict=False)]
    author: Author

    @model_validator(mode="after")
    def _check(self) -> Self:
        self._check_lengths(
            title=(self.title, 1, MAX_TITLE_CHARS),
            message=(self.message, 0, MAX_MESSAGE_CHARS),
            author=(self.author, 1, MAX_AUTHOR_CHARS),
        )
        for name, value in (("starts_at", self.starts_at), ("ends_at", self.ends_at)):
            if value.tzinfo is None:
                raise ValueError(f"{name}: must carry a time zone (RFC 3339, e.g. 2026-11-28T21:00:00Z)")
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at: must be after starts_at")
        if self.ends_at - self.starts_at > MAX_MAINTENANCE_LENGTH:
            raise ValueError("ends_at: a maintenance lasts at most 14 days")
        return self

    def check_window(self, now: datetime) -> None:
        """Raises ValueError naming the field when the window is over already, or too far ahead."""
        if self.ends_at <= now:
            raise ValueError("ends_at: is in the past")
        if self.starts_at > now + MAX_MAINTENANCE_AHEAD:
            raise ValueError("starts_at: is more than a year away")


class UpdateMaintenance(_Request):
    """POST /maintenances/{id}/updates."""

    message: Message
    author: Author

    @model_validator(mode="after")
    def _check(self) -> Self:
        self._check_lengths(message=(self.message, 1, MAX_MESSAGE_CHARS), author=(self.author, 1, MAX_AUTHOR_CHARS))
        return self


class Cancel(_Request):
    """DELETE /maintenances/{id}: who cancels, for the log, and why, for the customers."""

    message: Message = ""
    author: Author = "unknown"

    @model_validator(mode="after")
    def _check(self) -> Self:
        self._check_lengths(message=(self.message, 0, MAX_MESSAGE_CHARS), author=(self.author, 1, MAX_AUTHOR_CHARS))
        return self
