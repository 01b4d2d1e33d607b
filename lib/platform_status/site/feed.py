"""history.atom: one entry per status change and per override set, update and clear, newest first."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from feedgenerator import Atom1Feed

from platform_status.history.public import PublicEvent
from platform_status.override.rules import OverrideEvent
from platform_status.rules.status import PlatformStatus
from platform_status.site.statuspage import stable_id
from platform_status.site.wording import WORDING
from platform_status.text import clean_name, clean_text

ENTRIES = 50


@dataclass(frozen=True)
class FeedEntry:
    at: datetime
    key: str
    title: str
    text: str


def _status_entry(event: PublicEvent) -> FeedEntry:
    # The kind, not the name, says "the platform": a component may well be called "platform".
    scope = "All systems" if event.is_platform else clean_name(event.scope)
    now = WORDING[event.current]
    if event.previous is None:
        title = f"{scope}: {now.short}"
    else:
        title = f"{scope}: {WORDING[event.previous].short} → {now.short}"
    # The ids entries had before `kind` existed stay; only a component named "platform" needs another.
    parts = (
        ("status", event.scope) if event.is_platform or event.scope != "platform" else ("status", "component:platform")
    )
    return FeedEntry(event.at, stable_id(*parts, event.at.isoformat()), title, f"{scope}: {now.headline}.")


def _override_entry(event: OverrideEvent) -> FeedEntry:
    if event.action == "clear" or event.status is None:
        return FeedEntry(
            event.at, stable_id("override", event.at.isoformat()), "Update: resolved", "The notice was cleared."
        )
    words = WORDING[PlatformStatus(event.status.value)]
    verb = "Update" if event.action == "update" else "Notice"
    until = f" Until {event.until:%d %b %Y %H:%M} UTC." if event.until else ""
    text = f"{words.headline}. {event.message}{until}".strip()
    return FeedEntry(event.at, stable_id("override", event.at.isoformat()), f"{verb}: {words.short}", text)


def render_feed(
    status_events: list[PublicEvent],
    override_events: list[OverrideEvent],
    page_name: str,
    page_url: str,
    now: datetime,
) -> bytes:
    entries = [_status_entry(e) for e in status_events] + [_override_entry(e) for e in override_events]
    entries = sorted(entries, key=lambda e: e.at, reverse=True)[:ENTRIES]
    host = urlsplit(page_url).hostname or "status.invalid"
    link = page_url or "./"
    page_name = clean_name(page_name)
    feed = Atom1Feed(
        title=f"{page_name}: history",
        link=link,
        description=f"Status changes and notices of {page_name}",
        language="en",
        feed_guid=f"tag:{host},2026:history",
    )
    for item in entries:  # newest first
        feed.add_item(
            # Cleaned again here, where XML needs it: a state object tampered with, or written before a rule
            # existed, must not make the feed invalid XML (a control character or U+FFFE is fatal in XML).
            title=clean_text(item.title),
            link=link,
            # Atom summaries are HTML here: escape the text, so an operator's message is shown, never run.
            description=html.escape(clean_text(item.text, keep_newlines=True)),
            unique_id=f"tag:{host},2026:{item.key}",
            pubdate=item.at,
            updateddate=item.at,
        )
    text: str = feed.writeString("utf-8")
    return text.encode("utf-8")
