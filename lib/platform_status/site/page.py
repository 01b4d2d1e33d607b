"""index.html: the status page, rendered with Jinja2 (autoescaping on) from the document, the history and the
incidents. Complete without JavaScript.

A small inline script refreshes it from status.json every 60 s (headline, components, uptime, today's bars,
and, once the data is past `stale_after`, shows it as out of date with the status unknown); when the
announced incidents or maintenance change, it takes their sections from a fresh copy of this page, so they
are rendered in one place only. Dates read the same with and without the script.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from platform_status.document import Backups, Component, PublicIncident, PublicMaintenance, StatusDocument
from platform_status.history.public import HistoryIndex
from platform_status.incidents.public import SHOWN_ON_PAGE, Timeline
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import PlatformStatus
from platform_status.site.bars import Row, percent, row
from platform_status.site.markdown import notice_html
from platform_status.site.templating import template_environment
from platform_status.site.wording import IMPACT_WORDS, STAGE_WORDS, WORDING, human_time
from platform_status.timeutil import format_utc

IMPACT_CSS = {"none": "unk", "degraded": "dg", "outage": "out"}


def duration(length: timedelta) -> str:
    minutes = max(1, round(length.total_seconds() / 60))
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"{hours} hours" if hours < 48 else f"{round(hours / 24)} days"


def _time(moment: datetime) -> dict[str, str]:
    return {"iso": format_utc(moment), "human": human_time(moment)}


def _affects(names: list[str]) -> str:
    return ", ".join(names) if names else "all systems"


def _incident(incident: PublicIncident) -> dict[str, Any]:
    impact, css = IMPACT_WORDS[incident.impact], IMPACT_CSS[incident.impact]
    ended = incident.resolved_at
    return {
        "id": incident.id,
        "title": incident.title,
        "impact": impact,
        "css": css,
        "stage": STAGE_WORDS[incident.stage],
        "affects": _affects(incident.components),
        "notice": incident.impact == "none",  # Kuma's pinned notice: it changes no status
        "monitoring": incident.source == "monitoring",
        "started": _time(incident.started_at),
        "day": f"{incident.started_at.day} {incident.started_at:%B %Y}",  # past incidents are grouped by it
        "ended": _time(ended) if ended else None,
        "lasted": duration(ended - incident.started_at) if ended else "",
        "updates": [
            {
                "stage": STAGE_WORDS[u.stage],
                "message": u.message,
                # Kuma's pinned notice is Markdown, shown as Kuma shows it; operators' messages as typed.
                "html": notice_html(u.message) if incident.source == "monitoring" and u.message else None,
                "at": _time(u.at),
            }
            for u in incident.updates
        ],
    }


def _maintenance(maintenance: PublicMaintenance) -> dict[str, Any]:
    window = ""
    if maintenance.starts_at and maintenance.ends_at:
        window = f"{human_time(maintenance.starts_at)} to {human_time(maintenance.ends_at)}"
    return {
        "id": maintenance.id,
        "title": maintenance.title,
        "status": STAGE_WORDS[maintenance.status],
        "in_progress": maintenance.status == "in_progress",  # shown at the top, with the incidents
        "css": "mt",
        "window": window,
        "starts": format_utc(maintenance.starts_at) if maintenance.starts_at else "",
        "affects": _affects(maintenance.components),
        "monitoring": maintenance.source == "monitoring",
        "message": maintenance.message,
        "updates": [
            {"stage": STAGE_WORDS[u.stage], "message": u.message, "at": _time(u.at)}
            for u in maintenance.updates
            if u.message and u.message != maintenance.message
        ],
    }


def backups_words(backups: Backups) -> str:
    """For customers: whether their backups happen, not how the check works."""
    tenants, status = backups.tenants, backups.last_backup_status
    if status == BackupStatus.SUCCESS:
        return "on schedule"
    if status in (BackupStatus.WARNING, BackupStatus.FAILED):
        late = tenants.warning + tenants.failed
        who = "all clients" if tenants.total and late >= tenants.total else "some clients"
        return f"delayed for {who}" if status == BackupStatus.WARNING else f"overdue for {who}"
    return "status unknown"


def announcements_signature(document: StatusDocument) -> str:
    """What the script compares with status.json to know the incident sections changed (same form)."""
    parts = [f"{i.id}@{format_utc(i.updated_at)}" for i in document.incidents]
    parts += [f"{m.id}@{m.status}" for m in document.maintenances]
    return " ".join(parts)


def _why(component: Component, document: StatusDocument) -> dict[str, str] | None:
    """The announcement that set a component's status, as a link to it."""
    set_by = component.set_by
    if set_by is None or set_by.kind == "override":
        return None
    if set_by.kind == "incident":
        incident = next((i for i in document.incidents if i.id == set_by.id), None)
        return {"text": f"Incident: {incident.title}", "href": f"#incident-{incident.id}"} if incident else None
    maintenance = next((m for m in document.maintenances if m.id == set_by.id), None)
    return (
        {"text": f"Maintenance: {maintenance.title}", "href": f"#maintenance-{maintenance.id}"} if maintenance else None
    )


def _favicon(status: PlatformStatus) -> str:
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>"
        f"<circle cx='8' cy='8' r='7' fill='{WORDING[status].badge_colour}'/></svg>"
    )
    return "data:image/svg+xml," + quote(svg, safe="/:=' ")


def _rows(
    history: HistoryIndex | None, document: StatusDocument, shown: list[PublicIncident], now: datetime
) -> tuple[Row | None, dict[str, Row]]:
    if history is None:
        return None, {}
    platform = row("All systems", history.platform.days, shown, now)
    rows = {}
    for bars in history.components:
        affecting = [i for i in shown if not i.components or bars.name in i.components]
        rows[bars.name] = row(bars.name, bars.days, affecting, now)
    return platform, rows


def render_page(
    document: StatusDocument, history: HistoryIndex | None, timeline: Timeline, page_name: str, now: datetime
) -> bytes:
    stale = now > document.stale_after
    shown_status = PlatformStatus.UNKNOWN if stale else document.platform_status
    wording = WORDING[shown_status]
    past = [
        i
        for i in timeline.incidents
        if i.resolved_at is not None and i.resolved_at >= now - SHOWN_ON_PAGE and i.source == "operator"
    ]
    # Maintenance that ended or was cancelled lately stays on the page, with how it ended (and why).
    past_maintenances = [
        m
        for m in timeline.maintenances
        if m.status in ("completed", "cancelled") and m.updates and m.updates[0].at >= now - SHOWN_ON_PAGE
    ]
    open_operator = [i for i in document.incidents if i.source == "operator"]
    platform_row, rows = _rows(history, document, open_operator + past, now)
    override: dict[str, Any] | None = None
    if document.override is not None:
        override = {
            "message": document.override.message,
            "words": WORDING[document.override.status].headline,
            "since": human_time(document.override.since),
            "until": human_time(document.override.until),
        }
    computed_note = ""
    if document.computed_status != document.platform_status:
        computed_note = f"Automatic checks: {WORDING[document.computed_status].short}"
    context = {
        "page_name": page_name,
        "favicon": _favicon(shown_status),
        "overall": {"headline": wording.headline, "symbol": wording.symbol, "css": wording.css},
        "stale": stale,
        "stale_after": format_utc(document.stale_after),
        "updated": _time(document.updated_at),
        "override": override if not stale else None,
        "computed_note": computed_note if not stale else "",
        "signature": announcements_signature(document),
        "incidents": [_incident(i) for i in document.incidents],
        "maintenances": [_maintenance(m) for m in document.maintenances],
        # Newest first, grouped by the day each started on.
        "past_days": [
            (day, list(on_day)) for day, on_day in itertools.groupby((_incident(i) for i in past), lambda i: i["day"])
        ],
        "past_maintenances": [_maintenance(m) for m in past_maintenances],
        "uptime": {
            name: percent(getattr(document.uptime, name)) for name in ("last_24h", "last_7d", "last_30d", "last_90d")
        },
        "platform_row": platform_row,
        "components": [
            {
                "name": c.name,
                "css": WORDING[c.status].css,
                "symbol": WORDING[c.status].symbol,
                "words": WORDING[c.status].short,
                "computed": f"Automatic checks: {WORDING[c.computed_status].short}"
                if c.computed_status and c.computed_status != c.status
                else "",
                "why": _why(c, document),
                "uptime": [percent(c.uptime_24h), percent(c.uptime_7d), percent(c.uptime_30d), percent(c.uptime_90d)],
                "row": rows.get(c.name),
            }
            for c in document.components
        ],
        "backups": {
            "policy": document.backups.policy,
            "words": backups_words(document.backups),
            "last": _time(document.backups.last_successful_backup) if document.backups.last_successful_backup else None,
        },
        "infrastructure": document.infrastructure,
        # The template's tojson filter escapes <, > and &, so the data can never close the script element.
        "wording": {s.value: [w.headline, w.short, w.symbol, w.css, w.badge_colour] for s, w in WORDING.items()},
    }
    html = template_environment().get_template("index.html.j2").render(context)
    return _unindented(html).encode("utf-8")


def _unindented(html: str) -> str:
    """The template's indentation is for its readers; the page goes out without it (a tenth of its weight).
    Safe here: nothing in the page (no <pre>, no multi-line string in the script) keeps leading spaces."""
    return re.sub(r"\n[ ]+", "\n", html)
