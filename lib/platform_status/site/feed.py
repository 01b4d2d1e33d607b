"""history.atom: one entry per status change, per override set, update and clear, per incident update and per
maintenance change (scheduled, updated, started, completed, cancelled), newest first."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from feedgenerator import Atom1Feed

from platform_status.document import PublicIncident, PublicMaintenance
from platform_status.history.public import PublicEvent
from platform_status.incidents.public import Timeline
from platform_status.override.rules import OverrideEvent
from platform_status.rules.status import PlatformStatus
from platform_status.site.statuspage import stable_id
from platform_status.site.wording import IMPACT_WORDS, STAGE_ORDER, STAGE_WORDS, WORDING, human_time
from platform_status.text import clean_name, clean_text

ENTRIES = 50


@dataclass(frozen=True)
class FeedEntry:
    at: datetime
    key: str
    title: str
    text: str
    rank: int = 0  # among entries of the same moment, the later stage sorts as the newer


def _sentence(text: str) -> str:
    """An operator's message as a sentence, so what follows it does not run into it."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…:" else f"{text}."


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
        text = "The status set by hand was cleared: the automatic checks apply again."
        return FeedEntry(event.at, stable_id("override", event.at.isoformat()), "Manual status cleared", text)
    words = WORDING[PlatformStatus(event.status.value)]
    verb = "Update" if event.action == "update" else "Notice"
    until = f" Until {human_time(event.until)}." if event.until else ""
    text = f"{words.headline}. {_sentence(event.message)}{until}".strip()
    return FeedEntry(event.at, stable_id("override", event.at.isoformat()), f"{verb}: {words.short}", text)


def _incident_entries(incident: PublicIncident) -> list[FeedEntry]:
    scope = ", ".join(incident.components) or "All systems"
    return [
        FeedEntry(
            update.at,
            stable_id("incident", incident.source, incident.id, update.at.isoformat(), update.stage),
            f"{STAGE_WORDS[update.stage]}: {incident.title}",
            f"{IMPACT_WORDS[incident.impact]} ({scope}). {update.message}".strip(),
            STAGE_ORDER.get(update.stage, 0),
        )
        for update in incident.updates
    ]


def _maintenance_entries(maintenance: PublicMaintenance) -> list[FeedEntry]:
    scope = ", ".join(maintenance.components) or "All systems"
    window = (
        f" {human_time(maintenance.starts_at)} to {human_time(maintenance.ends_at)}."
        if maintenance.starts_at and maintenance.ends_at
        else ""
    )
    return [
        FeedEntry(
            update.at,
            stable_id("maintenance", maintenance.source, maintenance.id, update.at.isoformat(), update.stage),
            f"Maintenance {STAGE_WORDS[update.stage].lower()}: {maintenance.title}",
            f"Maintenance ({scope}).{window} {update.message}".strip(),
            STAGE_ORDER.get(update.stage, 0),
        )
        for update in maintenance.updates
    ]


def render_feed(
    status_events: list[PublicEvent],
    override_events: list[OverrideEvent],
    timeline: Timeline,
    *,
    page_name: str,
    page_url: str,
    now: datetime,
    monitoring: list[PublicIncident] | None = None,
) -> bytes:
    """`monitoring`: the incidents Uptime Kuma's page pins now (they have no history here)."""
    entries = [_status_entry(e) for e in status_events] + [_override_entry(e) for e in override_events]
    for incident in [*timeline.incidents, *(monitoring or [])]:
        entries += _incident_entries(incident)
    for maintenance in timeline.maintenances:
        entries += [entry for entry in _maintenance_entries(maintenance) if entry.at <= now]
    entries = sorted(entries, key=lambda e: (e.at, e.rank), reverse=True)[:ENTRIES]
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
