"""Incidents and maintenance: the rules that apply them, their timelines under a controlled clock, the log
that keeps them, the checks on requests, and what Kuma's own page announces. Pure, or a local store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from platform_status.assemble import build_document
from platform_status.document import StatusDocument
from platform_status.incidents import changes
from platform_status.incidents.changes import Refused, Who
from platform_status.incidents.log import (
    BOOK_KEY,
    LOG_PREFIX,
    Book,
    LogEntry,
    append,
    read_book,
    save_book,
)
from platform_status.incidents.model import (
    Incident,
    IncidentUpdate,
    Maintenance,
    OpenIncident,
    ScheduleMaintenance,
    UpdateIncident,
)
from platform_status.incidents.monitoring import monitoring_incidents, monitoring_maintenances
from platform_status.incidents.public import EXPIRED, Timeline, public_maintenance, timeline
from platform_status.override.rules import Override, OverrideStatus
from platform_status.rules.backups import BackupStatus
from platform_status.rules.effective import effective_document
from platform_status.rules.status import PlatformStatus
from platform_status.site.statuspage import statuspage_files
from platform_status.sources.kuma_heartbeats import parse_heartbeats
from platform_status.sources.kuma_metrics import parse_metrics
from platform_status.sources.kuma_page import parse_status_page
from platform_status.sources.kuma_snapshot import build_snapshot
from platform_status.store import LocalStore, ObjectMeta, StoreError
from platform_status.timeutil import format_utc
from support import (
    KUMA_1_23_PAUSED_RESTART,
    KUMA_2_5_3,
    RECORDED_AT,
    make_settings,
    observe,
    read_text,
    recorded_snapshot,
)

NOW = RECORDED_AT
WHO = Who("alice", "req-1", "127.0.0.1")


def document(components: dict[str, PlatformStatus] | None = None, **changes: object) -> StatusDocument:
    """The recorded document with the components' computed statuses set (no Kuma announcements)."""
    base = build_document(observe(recorded_snapshot()), make_settings())
    wanted = components or {"Services": PlatformStatus.OPERATIONAL, "Other": PlatformStatus.OPERATIONAL}
    parts = [c.model_copy(update={"status": wanted[c.name]}) for c in base.components if c.name in wanted]
    return base.model_copy(update={"components": parts, "incidents": [], "maintenances": [], **changes})


def incident(impact: str = "outage", components: list[str] | None = None, **changes: object) -> Incident:
    values: dict[str, object] = {
        "id": f"i-{impact}-{'-'.join(components or ['all'])}",
        "title": f"{impact} on {components or 'everything'}",
        "impact": impact,
        "components": components or [],
        "created_at": NOW - timedelta(minutes=30),
        "updates": [
            IncidentUpdate(
                id="u1", stage="investigating", message="Looking.", at=NOW - timedelta(minutes=30), author="a"
            )
        ],
    } | changes
    return Incident.model_validate(values)


def maintenance(components: list[str] | None = None, starts: timedelta = timedelta(hours=1)) -> Maintenance:
    return Maintenance(
        id="m1",
        title="Database upgrade",
        message="PostgreSQL 17.",
        components=components or [],
        starts_at=NOW + starts,
        ends_at=NOW + starts + timedelta(hours=1),
        created_at=NOW - timedelta(days=1),
    )


# ----------------------------------------------------------------------------------------------- the rules


def test_the_platform_is_the_worst_of_the_computed_status_and_every_open_incident() -> None:
    calm = document(computed_status=PlatformStatus.OPERATIONAL, platform_status=PlatformStatus.OPERATIONAL)
    both = [incident("degraded", ["Other"]), incident("outage", ["Services"])]
    effective = effective_document(calm, None, both, [], NOW)
    assert effective.platform_status == PlatformStatus.OUTAGE
    assert effective.computed_status == PlatformStatus.OPERATIONAL  # still visible
    statuses = {c.name: (c.status, c.computed_status, c.set_by and c.set_by.id) for c in effective.components}
    assert statuses == {
        "Services": (PlatformStatus.OUTAGE, PlatformStatus.OPERATIONAL, "i-outage-Services"),
        "Other": (PlatformStatus.DEGRADED, PlatformStatus.OPERATIONAL, "i-degraded-Other"),
    }
    assert [i.id for i in effective.incidents] == ["i-degraded-Other", "i-outage-Services"] or len(
        effective.incidents
    ) == 2


def test_an_incident_never_lowers_what_the_checks_see() -> None:
    down = document({"Services": PlatformStatus.OUTAGE, "Other": PlatformStatus.OPERATIONAL})
    down = down.model_copy(update={"computed_status": PlatformStatus.OUTAGE})
    effective = effective_document(down, None, [incident("degraded", ["Services"])], [], NOW)
    services = next(c for c in effective.components if c.name == "Services")
    assert (services.status, services.set_by) == (PlatformStatus.OUTAGE, None)
    assert effective.platform_status == PlatformStatus.OUTAGE


def test_an_override_sets_the_headline_and_every_component_so_they_never_contradict() -> None:
    down = document({"Services": PlatformStatus.OUTAGE, "Other": PlatformStatus.OPERATIONAL})
    override = Override(
        status=OverrideStatus.DEGRADED, message="Slow", author="a", since=NOW, until=NOW + timedelta(hours=1),
        updated_at=NOW,
    )  # fmt: skip
    effective = effective_document(down, override, [incident("outage")], [], NOW)
    assert effective.platform_status == PlatformStatus.DEGRADED
    assert {c.status for c in effective.components} == {PlatformStatus.DEGRADED}
    assert {c.set_by.kind for c in effective.components if c.set_by} == {"override"}
    assert next(c for c in effective.components if c.name == "Services").computed_status == PlatformStatus.OUTAGE


def test_maintenance_in_progress_shows_an_outage_it_causes_as_maintenance_with_the_checks_visible() -> None:
    down = document({"Services": PlatformStatus.OPERATIONAL, "Other": PlatformStatus.OUTAGE})
    down = down.model_copy(update={"computed_status": PlatformStatus.OUTAGE, "platform_status": PlatformStatus.OUTAGE})
    work = maintenance(["Other"], starts=timedelta(minutes=-10))
    effective = effective_document(down, None, [], [work], NOW)
    other = next(c for c in effective.components if c.name == "Other")
    assert (other.status, other.computed_status, other.set_by and other.set_by.kind) == (
        PlatformStatus.MAINTENANCE, PlatformStatus.OUTAGE, "maintenance",
    )  # fmt: skip
    # The platform is what the components outside the maintenance say: Services is up.
    assert effective.platform_status == PlatformStatus.OPERATIONAL
    assert effective.computed_status == PlatformStatus.OUTAGE


def test_late_backups_still_count_during_a_maintenance() -> None:
    calm = document()
    late = calm.backups.model_copy(update={"last_backup_status": BackupStatus.WARNING})
    calm = calm.model_copy(update={"backups": late})
    effective = effective_document(calm, None, [], [maintenance(["Other"], starts=timedelta(minutes=-1))], NOW)
    assert effective.platform_status == PlatformStatus.DEGRADED


def test_a_maintenance_of_everything_is_maintenance_unless_an_incident_is_worse() -> None:
    calm = document()
    everything = maintenance([], starts=timedelta(minutes=-1))
    assert effective_document(calm, None, [], [everything], NOW).platform_status == PlatformStatus.MAINTENANCE
    worse = effective_document(calm, None, [incident("outage")], [everything], NOW)
    assert worse.platform_status == PlatformStatus.OUTAGE


def test_a_maintenance_moves_upcoming_in_progress_completed_with_no_one_touching_it() -> None:
    work = maintenance(["Other"], starts=timedelta(hours=1))
    calm = document()
    seen = []
    for offset in (timedelta(0), timedelta(hours=1, minutes=1), timedelta(hours=2, minutes=1)):
        now = NOW + offset
        effective = effective_document(calm, None, [], [work], now)
        other = next(c for c in effective.components if c.name == "Other")
        listed = [(m.id, m.status) for m in effective.maintenances]
        seen.append((listed, other.status, [u.stage for u in public_maintenance(work, now).updates]))
    assert seen == [
        ([("m1", "scheduled")], PlatformStatus.OPERATIONAL, ["scheduled"]),
        ([("m1", "in_progress")], PlatformStatus.MAINTENANCE, ["in_progress", "scheduled"]),
        ([], PlatformStatus.OPERATIONAL, ["completed", "in_progress", "scheduled"]),
    ]


def test_an_incident_with_an_expiry_closes_by_itself_and_says_so() -> None:
    ends = incident("degraded", expires_at=NOW + timedelta(minutes=5))
    later = NOW + timedelta(minutes=6)
    assert effective_document(document(), None, [ends], [], later).incidents == []
    closed = timeline(Book(incidents={ends.id: ends}), later).incidents[0]
    assert (closed.stage, closed.resolved_at) == ("resolved", NOW + timedelta(minutes=5))
    assert closed.updates[0].message == EXPIRED


def test_authors_never_reach_the_public_document() -> None:
    effective = effective_document(document(), None, [incident()], [maintenance()], NOW)
    assert '"a"' not in effective.model_dump_json() and "author" not in effective.model_dump_json()


# ------------------------------------------------------------------------------------------------ the log


def entry(kind: str, target: str, at: datetime, **record: object) -> LogEntry:
    return LogEntry.model_validate(
        {"at": at, "kind": kind, "author": "a", "request_id": "r", "caller": "", "target": target} | record
    )


def test_an_update_made_at_the_same_instant_as_the_opening_is_folded_after_it(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    opened = incident()
    for _ in range(20):  # random key suffixes: an update must never sort before its opening
        append(store, "", entry("incident_opened", opened.id, NOW, incident=opened))
        update = IncidentUpdate(id="u2", stage="resolved", message="Fixed.", at=NOW, author="b")
        append(store, "", entry("incident_updated", opened.id, NOW, update=update))
        book, _ = read_book(store, "", NOW)
        assert [u.stage for u in book.incidents[opened.id].updates] == ["investigating", "resolved"]
        for key in store.list_keys(LOG_PREFIX):
            (tmp_path / key).unlink()


def test_the_snapshot_holds_only_settled_changes_and_later_ones_are_read_after_it(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    opened = incident()
    append(store, "", entry("incident_opened", opened.id, NOW - timedelta(minutes=5), incident=opened))
    update = IncidentUpdate(id="u2", stage="identified", message="Found.", at=NOW, author="b")
    append(store, "", entry("incident_updated", opened.id, NOW, update=update))
    book, snapshot = read_book(store, "", NOW)
    assert [u.stage for u in book.incidents[opened.id].updates] == ["investigating", "identified"]
    assert snapshot is not None  # the opening is settled, the update (younger than a minute) is not
    assert [u.stage for u in snapshot.incidents[opened.id].updates] == ["investigating"]
    save_book(store, "", snapshot)
    again, moved = read_book(store, "", NOW)
    assert again.incidents == book.incidents and moved is None  # nothing newly settled
    _, moved = read_book(store, "", NOW + timedelta(minutes=2))
    assert moved is not None and [u.stage for u in moved.incidents[opened.id].updates][-1] == "identified"


def test_an_unreadable_entry_is_skipped_and_a_newer_book_is_refused(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    opened = incident()
    append(store, "", entry("incident_opened", opened.id, NOW, incident=opened))
    store.put(LOG_PREFIX + "20261128T190000000000Z-1-garbage.json", b"{not json", ObjectMeta("application/json"))
    assert list(read_book(store, "", NOW)[0].incidents) == [opened.id]
    store.put(BOOK_KEY, b'{"schema_version": 9}', ObjectMeta("application/json"))
    with pytest.raises(StoreError, match="newer than this code"):
        read_book(store, "", NOW)


def test_incidents_over_for_400_days_leave_the_book(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    old = incident("degraded", created_at=NOW - timedelta(days=402))
    resolved = IncidentUpdate(id="r", stage="resolved", message="Done.", at=NOW - timedelta(days=401), author="a")
    append(store, "", entry("incident_opened", old.id, NOW - timedelta(days=402), incident=old))
    append(store, "", entry("incident_updated", old.id, NOW - timedelta(days=401), update=resolved))
    assert read_book(store, "", NOW)[0].incidents == {}


# ------------------------------------------------------------------------------------ checks on requests


def test_unknown_components_are_refused_with_the_known_ones_listed() -> None:
    request = OpenIncident(title="Down", impact="outage", components=["Database", "Web"], message="m", author="a")
    with pytest.raises(Refused) as refused:
        changes.open_incident(request, ["Services", "Other"], WHO, NOW)
    assert (refused.value.status, refused.value.field) == (422, "components")
    assert refused.value.message == "unknown component(s): Database, Web; known: Services, Other"


def test_named_components_are_kept_once_each_in_order() -> None:
    request = OpenIncident(
        title="Down", impact="outage", components=["Other", "Services", "Other"], message="m", author="a"
    )
    opened = changes.open_incident(request, ["Services", "Other"], WHO, NOW)
    assert opened.incident is not None and opened.incident.components == ["Other", "Services"]


def test_a_resolved_incident_takes_no_more_updates() -> None:
    done = incident(updates=[IncidentUpdate(id="r", stage="resolved", message="Done.", at=NOW, author="a")])
    book = Book(incidents={done.id: done})
    with pytest.raises(Refused) as refused:
        changes.update_incident(book, done.id, UpdateIncident(stage="monitoring", message="m", author="a"), WHO, NOW)
    assert refused.value.status == 409
    with pytest.raises(Refused) as missing:
        changes.update_incident(book, "nope", UpdateIncident(stage="monitoring", message="m", author="a"), WHO, NOW)
    assert missing.value.status == 404


def test_a_flood_of_updates_to_one_incident_is_refused_for_a_while() -> None:
    """120 updates within an hour pass; the next is refused (429) until the oldest of them is an hour old."""
    start = NOW - timedelta(minutes=59)
    updates = [
        IncidentUpdate(id=f"u{n}", stage="monitoring", message="m", at=start + timedelta(seconds=n), author="a")
        for n in range(120)
    ]
    busy = incident(updates=updates)
    book = Book(incidents={busy.id: busy})
    one_more = UpdateIncident(stage="monitoring", message="m", author="a")
    with pytest.raises(Refused) as refused:
        changes.update_incident(book, busy.id, one_more, WHO, NOW)
    assert refused.value.status == 429
    assert refused.value.retry_after == 61  # the oldest of the 120 leaves the hour then
    later = NOW + timedelta(seconds=61)
    assert changes.update_incident(book, busy.id, one_more, WHO, later).update is not None
    resolution = UpdateIncident(stage="resolved", message="Fixed.", author="a")  # closing is never refused
    assert changes.update_incident(book, busy.id, resolution, WHO, NOW).update is not None


VALID = {"title": "t", "impact": "outage", "message": "m", "author": "a"}


@pytest.mark.parametrize(
    ("changed", "field", "message"),
    [
        ({"title": " \u202e\u0000 "}, "title", "1 to 120 characters"),  # nothing left once cleaned
        ({"impact": "minor"}, "impact", "Input should be 'degraded' or 'outage'"),
        ({"message": "m" * 2001}, "message", "1 to 2000 characters"),
        ({"stage": "resolved"}, "stage", "Input should be 'investigating', 'identified' or 'monitoring'"),
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
        ({"ttl_minutes": 0}, "ttl_minutes", "greater than or equal to 1"),
    ],
)
def test_bad_incident_requests_name_the_field(changed: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        OpenIncident.model_validate(VALID | changed)
    problem = error.value.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or problem["msg"].split(": ")[0].removeprefix(
        "Value error, "
    )
    assert where == field
    assert message in problem["msg"]


def test_a_maintenance_window_in_the_past_or_too_long_is_refused() -> None:
    past = ScheduleMaintenance(
        title="t", starts_at=NOW - timedelta(hours=2), ends_at=NOW - timedelta(hours=1), author="a"
    )
    with pytest.raises(Refused) as refused:
        changes.schedule_maintenance(past, [], WHO, NOW)
    assert (refused.value.field, refused.value.message) == ("ends_at", "is in the past")
    with pytest.raises(ValueError, match="at most 14 days"):
        ScheduleMaintenance(title="t", starts_at=NOW, ends_at=NOW + timedelta(days=15), author="a")


# ------------------------------------------------------------------------------- what Kuma's page announces


def test_kumas_pinned_incident_and_maintenance_are_read_from_the_recording() -> None:
    kuma = recorded_snapshot()
    incidents = monitoring_incidents(kuma, NOW)
    assert [(i.id, i.title, i.impact, i.source) for i in incidents] == [
        ("kuma-1", "Seeded incident", "none", "monitoring")
    ]
    assert incidents[0].started_at == datetime(2026, 11, 28, 19, 12, 31, tzinfo=UTC)  # Kuma's UTC createdDate
    assert incidents[0].updates[0].message == "Something is being investigated."
    maintenances = monitoring_maintenances(kuma)
    # The window covers monitor 5, in the "Other" group: that component is the one under maintenance.
    assert [(m.id, m.title, m.status, m.components) for m in maintenances] == [
        ("kuma-1", "Seeded maintenance", "in_progress", ["Other"])
    ]


def test_kumas_notice_changes_no_status() -> None:
    recorded = build_document(observe(recorded_snapshot()), make_settings())
    effective = effective_document(recorded, None, [], [], NOW)
    assert effective.platform_status == recorded.computed_status
    assert [i.source for i in effective.incidents] == ["monitoring"]


WINDOWS_AT = datetime(2026, 12, 8, 3, 18, 12, 531000, tzinfo=UTC)  # maintenance/capture.json


@pytest.mark.parametrize(
    ("folder", "at", "windows"),
    [
        # Recorded on 1.23.17: a single window typed in Europe/Berlin time, and a recurring one (cron).
        (
            KUMA_1_23_PAUSED_RESTART / "maintenance", WINDOWS_AT,
            [("Database upgrade", datetime(2026, 12, 8, 3, 8, tzinfo=UTC), datetime(2026, 12, 8, 4, 8, tzinfo=UTC)),
             ("Nightly window", datetime(2026, 12, 8, 0, 0, tzinfo=UTC), datetime(2026, 12, 8, 4, 0, tzinfo=UTC))],
        ),
        # Recorded on 2.5.3: a manual window. Kuma knows no start or end.
        (KUMA_2_5_3, RECORDED_AT, [("Seeded maintenance", None, None)]),
    ],
)  # fmt: skip
def test_kumas_maintenance_window_is_published_with_its_start_and_end(
    folder: Path, at: datetime, windows: list[tuple[str, datetime | None, datetime | None]]
) -> None:
    kuma = build_snapshot(
        at,
        parse_metrics(read_text(folder, "metrics.txt")),
        parse_status_page(read_text(folder, "status-page.json")),
        parse_heartbeats(read_text(folder, "heartbeat.json")),
    )
    assert [(m.title, m.starts_at, m.ends_at) for m in monitoring_maintenances(kuma)] == windows
    document = build_document(observe(kuma), make_settings())
    assert [(m.title, m.starts_at, m.ends_at) for m in document.maintenances] == windows
    files = statuspage_files(document, Timeline([], []), "Status", "https://status.example.com/")
    events = files["api/v2/scheduled-maintenances/active.json"]["scheduled_maintenances"]
    for event, (_, starts, ends) in zip(events, windows, strict=True):
        assert event["scheduled_for"] == (format_utc(starts) if starts else None)
        assert event["scheduled_until"] == (format_utc(ends) if ends else None)
        if starts is not None:
            assert event["started_at"] == format_utc(starts)  # Kuma's start, not when this project first saw it
