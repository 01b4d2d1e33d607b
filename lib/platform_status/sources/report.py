"""How a source fared this run: ok, unavailable (with a reason safe to log), or not configured."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from platform_status.timeutil import UtcDatetime

SourceStatus = Literal["ok", "unavailable", "not_configured"]


class SourceUnavailable(Exception):
    """A source could not be read. The message is short and names no secret, URL or host."""


class SourceReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: SourceStatus
    observed_at: UtcDatetime
    latency_ms: int
    reason: str | None = None
