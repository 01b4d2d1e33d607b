"""Every public file built from status.json, with its content type and cache lifetime."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from platform_status.document import StatusDocument
from platform_status.history.public import HistoryIndex
from platform_status.override.rules import OverrideEvent
from platform_status.site.badge import render_badge
from platform_status.site.feed import render_feed
from platform_status.site.page import render_page
from platform_status.site.statuspage import statuspage_status, statuspage_summary

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


def site_files(
    document: StatusDocument,
    history: HistoryIndex | None,
    override_events: list[OverrideEvent],
    *,
    page_name: str,
    page_url: str,
    now: datetime,
) -> list[SiteFile]:
    """The live files beside status.json; all get status.json's short cache lifetime."""
    return [
        SiteFile("index.html", render_page(document, history, page_name, now), HTML),
        SiteFile("badge.svg", render_badge(document, now), SVG),
        SiteFile(
            "history.atom",
            render_feed(history.events if history else [], override_events, page_name, page_url, now),
            ATOM,
        ),
        SiteFile("api/v2/status.json", _json(statuspage_status(document, page_name, page_url)), JSON),
        SiteFile("api/v2/summary.json", _json(statuspage_summary(document, page_name, page_url)), JSON),
        # The embed for other sites: <platform-status src=".../status.json"> (web/README.md).
        SiteFile("status-widget.js", WIDGET.read_bytes(), JAVASCRIPT),
    ]
