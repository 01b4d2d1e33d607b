"""What every Kuma reader shares: the error for a response of the wrong shape, and Kuma's time format."""

from __future__ import annotations

from datetime import UTC, datetime


class KumaFormatError(ValueError):
    """A Kuma response that does not have the shape Kuma documents. The message is safe to log."""


def parse_kuma_time(value: str) -> datetime:
    """Kuma's heartbeat time: UTC without a zone, 'YYYY-MM-DD HH:mm:ss.SSS'."""
    return datetime.fromisoformat(value.replace(" ", "T")).replace(tzinfo=UTC)
