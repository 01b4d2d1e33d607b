"""Every public file built from status.json, with its content type and cache lifetime."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from platform_status.document import PublicIncident, PublicMaintenance, PublicUpdate, StatusDocument
from platform_status.history.public import HistoryIndex
from platform_status.incidents.public import PAST_INCIDENTS_KEY, Timeline
from platform_status.override.rules import OverrideEvent
from platform_status.site.badge import render_badge
from platform_status.site.feed import render_feed
from platform_status.site.page import render_page
from platform_status.site.statuspage import statuspage_files, statuspage_status
from platform_status.text import clean_name, clean_text

HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"
SVG = "image/svg+xml"
ATOM = "application/atom+xml; charset=utf-8"
JAVASCRIPT = "text/javascript; charset=utf-8"
WIDGET = Path(__file__).parent / "static" / "status-widget.js"


@dataclass(frozen=True)
class SiteFile:
    key: str
    body: bytes
    content_type: str


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _updates(updates: list[PublicUpdate]) -> list[PublicUpdate]:
    return [u.model_copy(update={"message": clean_text(u.message, keep_newlines=True)}) for u in updates]


def _incident(incident: PublicIncident) -> PublicIncident:
    return incident.model_copy(
        update={
            "title": clean_name(incident.title, max_length=120),
            "components": [clean_name(name) for name in incident.components],
            "updates": _updates(incident.updates),
        }
    )


def _maintenance(maintenance: PublicMaintenance) -> PublicMaintenance:
    return maintenance.model_copy(
        update={
            "title": clean_name(maintenance.title, max_length=120),
            "message": clean_text(maintenance.message, keep_newlines=True),
            "components": [clean_name(name) for name in maintenance.components],
            "updates": _updates(maintenance.updates),
        }
    )


def _cleaned(
    document: StatusDocument, history: HistoryIndex | None, timeline: Timeline
) -> tuple[StatusDocument, HistoryIndex | None, Timeline]:
    """The names and messages as every public file needs them (platform_status.text). They are cleaned where
    they enter already; again here because a state object can be tampered with, or predate a rule."""
    override = document.override
    document = document.model_copy(
        update={
            "components": [c.model_copy(update={"name": clean_name(c.name)}) for c in document.components],
            "override": override.model_copy(update={"message": clean_text(override.message, keep_newlines=True)})
            if override
            else None,
            "incidents": [_incident(i) for i in document.incidents],
            "maintenances": [_maintenance(m) for m in document.maintenances],
        }
    )
    timeline = Timeline([_incident(i) for i in timeline.incidents], [_maintenance(m) for m in timeline.maintenances])
    if history is not None:
        history = history.model_copy(
            update={
                "components": [bars.model_copy(update={"name": clean_name(bars.name)}) for bars in history.components],
                "events": [event.model_copy(update={"scope": clean_name(event.scope)}) for event in history.events],
            }
        )
    return document, history, timeline


def site_files(
    document: StatusDocument,
    history: HistoryIndex | None,
    timeline: Timeline,
    override_events: list[OverrideEvent],
    *,
    page_name: str,
    page_url: str,
    now: datetime,
) -> list[SiteFile]:
    """The live files beside status.json; all get status.json's short cache lifetime."""
    document, history, timeline = _cleaned(document, history, timeline)
    page_name = clean_name(page_name) or "Platform status"
    monitoring = [i for i in document.incidents if i.source == "monitoring"]
    feed = render_feed(
        history.events if history else [],
        override_events,
        timeline,
        page_name=page_name,
        page_url=page_url,
        now=now,
        monitoring=monitoring,
    )
    statuspage = statuspage_files(document, timeline, page_name, page_url)
    return [
        SiteFile("index.html", render_page(document, history, timeline, page_name, now), HTML),
        SiteFile("badge.svg", render_badge(document, now), SVG),
        SiteFile("history.atom", feed, ATOM),
        SiteFile(PAST_INCIDENTS_KEY, (timeline.past(now).model_dump_json(indent=2) + "\n").encode(), JSON),
        SiteFile("api/v2/status.json", _json(statuspage_status(document, page_name, page_url)), JSON),
        *(SiteFile(key, _json(body), JSON) for key, body in statuspage.items()),
        # The embed for other sites: <platform-status src=".../status.json"> (web/README.md).
        SiteFile("status-widget.js", WIDGET.read_bytes(), JAVASCRIPT),
    ]
