"""Which alerts a run sends, as sequences of runs. Pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from platform_status.document import PublicIncident, PublicUpdate, PublishedOverride
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import PlatformStatus
from platform_status.watch.alerts import AlertRules, AlertState, Notification, RunFacts, evaluate

START = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
RUN = timedelta(minutes=10)
RULES = AlertRules()
OK_SOURCES = {"uptime_kuma": ("ok", None), "backups": ("ok", None)}
KUMA_DOWN = {"uptime_kuma": ("unavailable", "/metrics: could not connect"), "backups": ("ok", None)}


def facts(index: int, **changes: object) -> RunFacts:
    values: dict[str, object] = {
        "now": START + index * RUN,
        "sources": OK_SOURCES,
        "effective_status": PlatformStatus.OPERATIONAL,
        "computed_status": PlatformStatus.OPERATIONAL,
        "backups": BackupStatus.SUCCESS,
    } | changes
    return RunFacts(**values)  # type: ignore[arg-type]


def runs(*all_facts: RunFacts) -> list[list[Notification]]:
    state = AlertState()
    sent = []
    for run_facts in all_facts:
        state, notifications = evaluate(state, run_facts, RULES)
        sent.append(notifications)
    return sent


def titles(sent: list[list[Notification]]) -> list[list[str]]:
    return [[f"{n.kind}: {n.title}" for n in notifications] for notifications in sent]


def test_a_source_alerts_after_two_failed_runs_once_and_resolves_once() -> None:
    sent = runs(
        facts(0, sources=KUMA_DOWN),
        facts(1, sources=KUMA_DOWN),
        facts(2, sources=KUMA_DOWN),
        facts(3),
        facts(4),
    )
    assert titles(sent) == [
        [],
        ["alert: Uptime Kuma unreachable for 2+ runs: /metrics: could not connect"],
        [],
        ["resolved: Uptime Kuma is reachable again"],
        [],
    ]


def test_one_failed_run_is_not_an_alert() -> None:
    assert titles(runs(facts(0, sources=KUMA_DOWN), facts(1), facts(2, sources=KUMA_DOWN))) == [[], [], []]


def test_a_reminder_every_six_hours_while_it_lasts() -> None:
    outage = {"effective_status": PlatformStatus.OUTAGE}
    sent = runs(facts(0, **outage), facts(35, **outage), facts(36, **outage), facts(37, **outage))
    assert titles(sent) == [["alert: Platform status: outage"], [], ["reminder: Platform status: outage"], []]


def test_status_changes_to_from_and_between_bad_statuses() -> None:
    sent = runs(
        facts(0),
        facts(1, effective_status=PlatformStatus.DEGRADED),
        facts(2, effective_status=PlatformStatus.OUTAGE),
        facts(3, effective_status=PlatformStatus.MAINTENANCE),
    )
    assert titles(sent) == [
        [],
        ["alert: Platform status: degraded"],
        ["alert: Platform status: outage"],
        ["resolved: Platform status back to maintenance (was outage)"],
    ]


def test_a_failed_publish_alerts_with_its_reason() -> None:
    sent = runs(
        RunFacts(now=START, publish_error="status.json was not published: writing failed (AccessDenied)"), facts(1)
    )
    assert titles(sent) == [
        ["alert: Status publishing failed: status.json was not published: writing failed (AccessDenied)"],
        ["resolved: Status publishing works again"],
    ]


def test_backups_late_or_failed() -> None:
    sent = runs(facts(0, backups=BackupStatus.WARNING), facts(1, backups=BackupStatus.FAILED), facts(2))
    assert titles(sent) == [
        ["alert: Backups warning"],
        ["alert: Backups failed"],
        ["resolved: Backups on schedule again (were failed)"],
    ]


def test_an_override_warns_once_before_it_ends_and_says_when_it_expired() -> None:
    override = PublishedOverride(
        status=PlatformStatus.OUTAGE, message="m", since=START, until=START + timedelta(minutes=40)
    )
    with_override = {"override": override, "effective_status": PlatformStatus.OUTAGE}
    sent = runs(
        facts(0, **with_override),
        facts(2, **with_override),  # 20 min left: nothing yet
        facts(3, **with_override),  # 10 min left: the warning
        facts(4, **with_override),  # warned already
        facts(5),  # past its end: gone
    )
    notices = [[t for t in run if not t.startswith(("alert: Platform", "resolved: Platform"))] for run in titles(sent)]
    assert notices == [
        [],
        [],
        ["info: Override ends at 2026-11-28T12:40:00Z"],
        [],
        ["info: Override expired: the status is operational again"],
    ]


def open_incident(opened_run: int) -> PublicIncident:
    at = START + opened_run * RUN
    return PublicIncident(
        id="i1", title="Database down", impact="outage", components=[], stage="identified", started_at=at,
        updated_at=at, updates=[PublicUpdate(stage="identified", message="Disk.", at=at)], source="operator",
    )  # fmt: skip


def test_an_open_incident_is_reminded_every_reminder_period_and_forgotten_once_closed() -> None:
    incident = open_incident(0)
    per_reminder = int(RULES.reminder / RUN)  # 36 runs of 10 minutes in 6 hours
    sequence = [facts(i, open_incidents=[incident]) for i in range(2 * per_reminder + 1)]
    sequence.append(facts(2 * per_reminder + 1))  # resolved: no longer open
    sent = runs(*sequence)
    reminders = [index for index, notifications in enumerate(sent) if notifications]
    assert reminders == [per_reminder, 2 * per_reminder]  # not when it opened: the override function said so
    assert sent[per_reminder][0].title == "Incident still open: Database down (outage, identified)"
    assert "platform-status incident update|resolve i1" in sent[per_reminder][0].body
    assert sent[-1] == []  # closed: no reminder and no "resolved" from here (the update announced it)
