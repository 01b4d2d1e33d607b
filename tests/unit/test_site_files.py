"""The feed, the Statuspage files and the badge, checked by parsing them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # our own output, not untrusted input
from datetime import timedelta

from platform_status.assemble import build_document
from platform_status.document import PublishedOverride, StatusDocument
from platform_status.history.public import PublicEvent
from platform_status.override.rules import OverrideEvent, OverrideStatus
from platform_status.rules.status import PlatformStatus
from platform_status.site.badge import render_badge
from platform_status.site.feed import render_feed
from platform_status.site.statuspage import statuspage_status, statuspage_summary
from support import RECORDED_AT, make_settings, observe, recorded_snapshot

ATOM = "{http://www.w3.org/2005/Atom}"
URL = "https://status.example.com/"


def document(**changes: object) -> StatusDocument:
    return build_document(observe(recorded_snapshot()), make_settings()).model_copy(update=changes)


def test_feed_is_valid_atom_with_status_changes_and_override_changes_newest_first() -> None:
    status_events = [
        PublicEvent(at=RECORDED_AT, scope="platform", previous=None, current=PlatformStatus.OPERATIONAL),
        PublicEvent(
            at=RECORDED_AT + timedelta(minutes=30),
            scope="Services",
            previous=PlatformStatus.OPERATIONAL,
            current=PlatformStatus.OUTAGE,
        ),
    ]
    override_events = [
        OverrideEvent(
            at=RECORDED_AT + timedelta(minutes=35),
            action="set",
            status=OverrideStatus.OUTAGE,
            message="We are <b>on it</b>",
            until=RECORDED_AT + timedelta(hours=2),
        ),
        OverrideEvent(at=RECORDED_AT + timedelta(minutes=50), action="clear", status=None, message="", until=None),
    ]
    root = ET.fromstring(render_feed(status_events, override_events, "Example status", URL, RECORDED_AT))
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == "tag:status.example.com,2026:history"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [
        "Update: resolved",
        "Notice: Outage",
        "Services: Operational → Outage",
        "All systems: Operational",
    ]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id", "").startswith("tag:status.example.com,2026:")
        assert entry.findtext(f"{ATOM}updated")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    summary = entries[1].find(f"{ATOM}summary")
    assert summary is not None
    # HTML summary whose text is escaped: a reader shows "<b>on it</b>", it does not render bold.
    assert summary.get("type") == "html"
    assert "&lt;b&gt;on it&lt;/b&gt;" in (summary.text or "")


def test_statuspage_status_and_summary_have_the_documented_fields() -> None:
    doc = document()
    status = statuspage_status(doc, "Example status", URL)
    assert set(status) == {"page", "status"}
    assert set(status["page"]) == {"id", "name", "url", "time_zone", "updated_at"}
    assert status["status"] == {"indicator": "major", "description": "Major Service Outage"}

    summary = statuspage_summary(doc, "Example status", URL)
    assert set(summary) == {"page", "status", "components", "incidents", "scheduled_maintenances"}
    component_fields = {
        "id", "name", "status", "created_at", "updated_at", "position", "description", "group_id", "group",
        "only_show_if_degraded", "showcase", "start_date", "page_id",
    }  # fmt: skip
    assert all(set(c) == component_fields for c in summary["components"])
    assert [(c["name"], c["status"]) for c in summary["components"]] == [
        ("Services", "major_outage"),
        ("Other", "under_maintenance"),
    ]
    assert summary["incidents"] == []
    json.dumps(summary)  # serialisable as it is


def test_an_override_is_an_unresolved_incident_or_a_maintenance() -> None:
    override = PublishedOverride(
        status=PlatformStatus.DEGRADED, message="Slow logins", since=RECORDED_AT, until=RECORDED_AT + timedelta(hours=1)
    )
    summary = statuspage_summary(document(override=override, platform_status="degraded"), "S", URL)
    incident = summary["incidents"][0]
    assert (incident["status"], incident["impact"], incident["resolved_at"]) == ("investigating", "minor", None)
    assert incident["incident_updates"][0]["body"] == "Slow logins"

    planned = override.model_copy(update={"status": PlatformStatus.MAINTENANCE})
    summary = statuspage_summary(document(override=planned, platform_status="maintenance"), "S", URL)
    assert summary["incidents"] == []
    assert summary["scheduled_maintenances"][0]["status"] == "in_progress"


def test_unknown_is_never_green_for_statuspage_clients() -> None:
    status = statuspage_status(document(platform_status="unknown"), "S", URL)
    assert status["status"]["indicator"] != "none"


def test_badge_is_svg_with_words_and_turns_unknown_when_stale() -> None:
    doc = document(platform_status="operational")
    svg = ET.fromstring(render_badge(doc, RECORDED_AT))
    assert svg.get("aria-label") == "status: operational"
    stale = ET.fromstring(render_badge(doc, doc.stale_after + timedelta(seconds=1)))
    assert stale.get("aria-label") == "status: unknown"
