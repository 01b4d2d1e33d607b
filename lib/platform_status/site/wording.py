"""The words for each status, shared by the page, the badge, the feed and the Statuspage files.

The page never shows status by colour alone: every status has its words and a symbol too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from platform_status.rules.status import PlatformStatus


@dataclass(frozen=True)
class Wording:
    headline: str  # the guide's wording for the overall status
    short: str  # a component's status, the badge
    symbol: str  # shown beside the words: status never by colour alone
    css: str  # the class the page colours by
    badge_colour: str


WORDING: dict[PlatformStatus, Wording] = {
    PlatformStatus.OPERATIONAL: Wording("All systems operational", "Operational", "✓", "op", "#2e7d32"),
    PlatformStatus.DEGRADED: Wording("Minor degradation", "Degraded", "!", "dg", "#a15c00"),
    PlatformStatus.OUTAGE: Wording("Service outage", "Outage", "✕", "out", "#c62828"),
    PlatformStatus.MAINTENANCE: Wording("Scheduled maintenance in progress", "Maintenance", "⚙", "mt", "#1565c0"),
    PlatformStatus.UNKNOWN: Wording("Status unknown", "Unknown", "?", "unk", "#616161"),
}

# The words for an incident's or a maintenance's stage, and an incident's impact (page and feed alike).
STAGE_WORDS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "completed": "Completed",
    "cancelled": "Cancelled",
}
IMPACT_WORDS = {"none": "Notice", "degraded": "Degraded", "outage": "Outage"}

# Within a moment, the order the stages come in: a window starting as it is announced is scheduled, then in
# progress, and a newest-first list shows them so.
STAGE_ORDER = {
    stage: rank
    for rank, stage in enumerate(
        ("scheduled", "investigating", "identified", "in_progress", "monitoring", "resolved", "completed", "cancelled")
    )
}


def human_time(moment: datetime) -> str:
    """28 Nov 2026, 19:13 UTC: the page, the feed and the page's script write dates the same way."""
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"
