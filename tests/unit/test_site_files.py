"""The feed, the Statuspage files and the badge, checked by parsing them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # our own output, not untrusted input
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from platform_status.assemble import build_document
from platform_status.document import PublishedOverride, StatusDocument
from platform_status.history.public import PublicEvent
from platform_status.incidents.log import Book
from platform_status.incidents.model import Incident, IncidentUpdate, Maintenance
from platform_status.incidents.public import Timeline, timeline
from platform_status.override.rules import OverrideEvent, OverrideState, OverrideStatus
from platform_status.rules.status import PlatformStatus
from platform_status.run.announcements import Announcements
from platform_status.site.badge import render_badge
from platform_status.site.feed import render_feed
from platform_status.site.statuspage import component_status, statuspage_files, statuspage_status
from support import RECORDED_AT, make_settings, observe, recorded_snapshot

ATOM = "{http://www.w3.org/2005/Atom}"
URL = "https://status.example.com/"


def statuspage_summary(doc: StatusDocument, name: str, url: str) -> dict[str, Any]:
    return statuspage_files(doc, Timeline([], []), name, url)["api/v2/summary.json"]


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
    root = ET.fromstring(
        render_feed(
            status_events, override_events, Timeline([], []), page_name="Example status", page_url=URL, now=RECORDED_AT
        )
    )
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == "tag:status.example.com,2026:history"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [
        "Manual status cleared",
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
    # The recording's Kuma page pins one incident: shown as a notice from monitoring, changing no status.
    assert [(i["name"], i["impact"], i["status"]) for i in summary["incidents"]] == [
        ("Seeded incident", "none", "investigating")
    ]
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
    summary = statuspage_summary(
        document(override=planned, platform_status="maintenance", incidents=[], maintenances=[]), "S", URL
    )
    assert summary["incidents"] == []
    assert [m["status"] for m in summary["scheduled_maintenances"]] == ["in_progress"]


def test_unknown_is_never_green_for_statuspage_clients() -> None:
    status = statuspage_status(document(platform_status="unknown"), "S", URL)
    assert status["status"]["indicator"] != "none"


def test_badge_is_svg_with_words_and_turns_unknown_when_stale() -> None:
    doc = document(platform_status="operational")
    svg = ET.fromstring(render_badge(doc, RECORDED_AT))
    assert svg.get("aria-label") == "status: operational"
    stale = ET.fromstring(render_badge(doc, doc.stale_after + timedelta(seconds=1)))
    assert stale.get("aria-label") == "status: unknown"


# ------------------------------------------------------------------------ incidents and maintenance

MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)
INCIDENT_FIELDS = {
    "id", "name", "status", "created_at", "updated_at", "monitoring_at", "resolved_at", "impact", "shortlink",
    "started_at", "page_id", "incident_updates", "components",
}  # fmt: skip
UPDATE_FIELDS = {
    "id", "status", "body", "incident_id", "created_at", "updated_at", "display_at", "affected_components",
    "deliver_notifications", "custom_tweet", "tweet_id",
}  # fmt: skip


def announced_files() -> dict[str, dict[str, Any]]:
    """An open outage on Services with two updates, a resolved incident, a maintenance under way on Other, an
    upcoming one, and a cancelled one: every Statuspage file, as published."""
    start = RECORDED_AT - timedelta(hours=1)
    open_one = Incident(
        id="open1", title="Database down", impact="outage", components=["Services"], created_at=start,
        updates=[
            IncidentUpdate(id="a", stage="investigating", message="Looking.", at=start, author="al"),
            IncidentUpdate(id="b", stage="monitoring", message="Fix out.", at=start + 40 * MINUTE, author="al"),
        ],
    )  # fmt: skip
    resolved = Incident(
        id="old1", title="Slow logins", impact="degraded", components=[], created_at=start - timedelta(days=2),
        updates=[
            IncidentUpdate(id="c", stage="investigating", message="Slow.", at=start - 48 * HOUR, author="al"),
            IncidentUpdate(id="d", stage="resolved", message="Done.", at=start - 47 * HOUR, author="al"),
        ],
    )  # fmt: skip

    def window(key: str, starts: timedelta, cancelled: bool = False) -> Maintenance:
        return Maintenance(
            id=key, title=f"Work {key}", message="Planned.", components=["Other"], starts_at=RECORDED_AT + starts,
            ends_at=RECORDED_AT + starts + timedelta(hours=1), created_at=start,
            cancelled_at=RECORDED_AT - timedelta(minutes=5) if cancelled else None,
        )  # fmt: skip

    book = Book(
        incidents={"open1": open_one, "old1": resolved},
        maintenances={"now": window("now", -timedelta(minutes=10)), "soon": window("soon", timedelta(days=1)),
                      "off": window("off", timedelta(days=2), cancelled=True)},
    )  # fmt: skip
    base = document(incidents=[], maintenances=[])
    effective = Announcements(OverrideState(override=None), book).apply(base, RECORDED_AT)
    return statuspage_files(effective, timeline(book, RECORDED_AT), "Example status", URL)


def test_statuspage_incident_files_have_statuspages_fields_and_values() -> None:
    files = announced_files()
    unresolved = files["api/v2/incidents/unresolved.json"]["incidents"]
    assert [(i["name"], i["status"], i["impact"]) for i in unresolved] == [("Database down", "monitoring", "major")]
    incident = unresolved[0]
    assert set(incident) == INCIDENT_FIELDS
    assert incident["started_at"] == "2026-11-28T18:13:46Z"
    assert incident["monitoring_at"] == "2026-11-28T18:53:46Z"
    assert incident["resolved_at"] is None
    assert incident["shortlink"] == URL
    assert [c["name"] for c in incident["components"]] == ["Services"]
    updates = incident["incident_updates"]
    assert all(set(u) == UPDATE_FIELDS for u in updates)
    assert [(u["status"], u["body"], u["incident_id"]) for u in updates] == [
        ("monitoring", "Fix out.", incident["id"]),
        ("investigating", "Looking.", incident["id"]),
    ]
    assert updates[0]["affected_components"][0]["new_status"] == "major_outage"
    everything = files["api/v2/incidents.json"]["incidents"]
    assert [(i["name"], i["status"], i["impact"]) for i in everything] == [
        ("Database down", "monitoring", "major"),
        ("Slow logins", "resolved", "minor"),
    ]
    assert everything[1]["resolved_at"] == "2026-11-26T19:13:46Z"
    assert [c["name"] for c in everything[1]["components"]] == ["Services", "Other"]  # none named: all
    summary = files["api/v2/summary.json"]
    assert [i["name"] for i in summary["incidents"]] == ["Database down"]
    assert [(c["name"], c["status"]) for c in summary["components"]] == [
        ("Services", "major_outage"),  # the incident's outage over what the checks see (degraded)
        ("Other", "under_maintenance"),
    ]
    assert '"al"' not in json.dumps(files)  # no author anywhere


def test_statuspage_maintenance_files_split_upcoming_active_and_all() -> None:
    files = announced_files()
    active = files["api/v2/scheduled-maintenances/active.json"]["scheduled_maintenances"]
    upcoming = files["api/v2/scheduled-maintenances/upcoming.json"]["scheduled_maintenances"]
    every = files["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]
    assert [(m["name"], m["status"], m["impact"]) for m in active] == [("Work now", "in_progress", "maintenance")]
    assert [(m["name"], m["status"]) for m in upcoming] == [("Work soon", "scheduled")]
    assert [(m["name"], m["status"]) for m in every] == [
        ("Work now", "in_progress"), ("Work soon", "scheduled"), ("Work off", "completed"),
    ]  # fmt: skip
    assert set(active[0]) == INCIDENT_FIELDS | {"scheduled_for", "scheduled_until"}
    assert (upcoming[0]["scheduled_for"], upcoming[0]["scheduled_until"]) == (
        "2026-11-29T19:13:46Z", "2026-11-29T20:13:46Z",
    )  # fmt: skip
    assert every[2]["incident_updates"][0]["body"] == "The maintenance was cancelled."
    summary = files["api/v2/summary.json"]["scheduled_maintenances"]
    assert [m["name"] for m in summary] == ["Work now", "Work soon"]


@pytest.mark.parametrize(
    ("status", "computed", "expected"),
    [
        (PlatformStatus.DEGRADED, PlatformStatus.DEGRADED, "partial_outage"),  # the checks see part failing
        (PlatformStatus.DEGRADED, PlatformStatus.OPERATIONAL, "degraded_performance"),  # announced only
        (PlatformStatus.OUTAGE, PlatformStatus.OUTAGE, "major_outage"),
        (PlatformStatus.MAINTENANCE, PlatformStatus.OUTAGE, "under_maintenance"),
        (PlatformStatus.UNKNOWN, PlatformStatus.UNKNOWN, "degraded_performance"),  # never "operational"
    ],
)
def test_component_statuses_in_statuspages_words(
    status: PlatformStatus, computed: PlatformStatus, expected: str
) -> None:
    component = document().components[0].model_copy(update={"status": status, "computed_status": computed})
    assert component_status(component) == expected


def test_the_feed_has_an_entry_per_incident_update_and_per_maintenance_change() -> None:
    start = RECORDED_AT - timedelta(hours=3)
    incident = Incident(
        id="i1", title="Database down", impact="outage", components=["Services"], created_at=start,
        updates=[
            IncidentUpdate(id="a", stage="investigating", message="Looking.", at=start, author="al"),
            IncidentUpdate(id="b", stage="resolved", message="Fixed.", at=start + timedelta(hours=1), author="al"),
        ],
    )  # fmt: skip
    work = Maintenance(
        id="m1", title="Upgrade", message="Planned.", components=[], starts_at=RECORDED_AT - 90 * MINUTE,
        ends_at=RECORDED_AT - timedelta(hours=1), created_at=start - timedelta(days=1),
    )  # fmt: skip
    book = Book(incidents={"i1": incident}, maintenances={"m1": work})
    feed = render_feed([], [], timeline(book, RECORDED_AT), page_name="Example status", page_url=URL, now=RECORDED_AT)
    entries = ET.fromstring(feed).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Maintenance completed: Upgrade",
        "Maintenance in progress: Upgrade",
        "Resolved: Database down",
        "Investigating: Database down",
        "Maintenance scheduled: Upgrade",
    ]
    assert "Outage (Services). Looking." in (entries[3].findtext(f"{ATOM}summary") or "")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)


def test_the_feed_reads_as_sentences_with_the_pages_dates() -> None:
    set_at = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    override = OverrideEvent(
        at=set_at, action="set", status=OverrideStatus.OUTAGE, message="We are on it", until=set_at + timedelta(hours=2)
    )
    feed = render_feed([], [override], Timeline([], []), page_name="Example status", page_url=URL, now=set_at)
    (entry,) = ET.fromstring(feed).findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}summary") == "Service outage. We are on it. Until 8 Dec 2026, 11:00 UTC."


def test_a_window_starting_as_it_is_announced_reads_scheduled_then_in_progress() -> None:
    now = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    work = Maintenance(
        id="m1", title="Upgrade", message="Planned.", components=[], starts_at=now, ends_at=now + timedelta(hours=1),
        created_at=now,
    )  # fmt: skip
    book = Book(maintenances={"m1": work})
    feed = render_feed([], [], timeline(book, now), page_name="Example status", page_url=URL, now=now)
    entries = ET.fromstring(feed).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [  # newest first
        "Maintenance in progress: Upgrade",
        "Maintenance scheduled: Upgrade",
    ]
    assert "8 Dec 2026, 09:00 UTC to 8 Dec 2026, 10:00 UTC." in (entries[1].findtext(f"{ATOM}summary") or "")
