"""The page's rows of daily bars, drawn compactly: a run of days with the same status is one element.

With 10 components a bar per day cost about 6 KB per row; as runs a row is a few hundred bytes. The page's
script turns the runs back into one element per day (so arrow keys move day by day), reading each day's
uptime and status changes from the row's sparse data attributes: only days that are not a plain 100 % are
listed. A day on which an announced incident ran is a link to it, and is its own run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from platform_status.document import PublicIncident
from platform_status.history.public import DayBar
from platform_status.rules.status import PlatformStatus
from platform_status.site.wording import WORDING

BAR_CSS = {
    PlatformStatus.OPERATIONAL: "o",
    PlatformStatus.DEGRADED: "d",
    PlatformStatus.OUTAGE: "x",
    PlatformStatus.MAINTENANCE: "m",
    PlatformStatus.UNKNOWN: "u",
}


def short_date(day: date) -> str:
    return f"{day.day} {day:%b}"


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.2f}%"


def disruptions(count: int) -> str:
    """The history's `incidents`: times the checks saw the status turn bad (not announced incidents)."""
    return f"{count} disruption{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class Run:
    css: str
    days: int
    href: str = ""  # a day with an announced incident: the link to it
    label: str = ""  # the link's label (only links carry one in the HTML)


@dataclass(frozen=True)
class Row:
    name: str
    end: str  # the last day, ISO
    runs: list[Run]
    summary: str  # the 90 days in one sentence, for readers without the bars
    uptimes: str  # "3:97.12,88:50.00,5:-": day index -> uptime, only where it is not 100 % ("-": unknown)
    changes: str  # "88:1": day index -> disruptions


def day_label(bar: DayBar, incident: PublicIncident | None) -> str:
    label = short_date(bar.date)
    if bar.uptime is None and bar.worst is None:
        text = f"{label}: no data"
    else:
        uptime = f"{percent(bar.uptime)} up" if bar.uptime is not None else "uptime unknown"
        worst = f", {WORDING[bar.worst].short.lower()} at worst" if bar.worst and bar.worst != "operational" else ""
        changes = f", {disruptions(bar.incidents)}" if bar.incidents else ""
        text = f"{label}: {uptime}{worst}{changes}"
    return f"{text}, incident: {incident.title}" if incident is not None else text


def _incident_on(day: date, incidents: list[PublicIncident], now: datetime) -> PublicIncident | None:
    for incident in incidents:
        end = (incident.resolved_at or now).date()
        if incident.started_at.date() <= day <= end:
            return incident
    return None


def _summary(name: str, bars: list[DayBar]) -> str:
    counted: dict[str, int] = {}
    for bar in bars:
        words = WORDING[bar.worst].short.lower() if bar.worst else "no data"
        counted[words] = counted.get(words, 0) + 1
    parts = ", ".join(f"{count} {words}" for words, count in sorted(counted.items(), key=lambda item: -item[1]))
    known = [bar for bar in bars if bar.uptime is not None]
    lowest = min(known, key=lambda bar: bar.uptime or 0.0, default=None)
    low = f"; lowest {percent(lowest.uptime)} on {short_date(lowest.date)}" if lowest and lowest.uptime != 100 else ""
    return f"{name}, last {len(bars)} days: {parts} (days, by worst status){low}."


def row(name: str, bars: list[DayBar], incidents: list[PublicIncident], now: datetime) -> Row:
    """`incidents`: the announced incidents shown on the page that affect this row (newest first)."""
    runs: list[Run] = []
    uptimes, changes = [], []
    for index, bar in enumerate(bars):
        css = BAR_CSS[bar.worst] if bar.worst else "n"
        if bar.uptime is None and bar.worst is not None:
            uptimes.append(f"{index}:-")
        elif bar.uptime is not None and bar.uptime != 100:
            uptimes.append(f"{index}:{bar.uptime:.2f}")
        if bar.incidents:
            changes.append(f"{index}:{bar.incidents}")
        incident = _incident_on(bar.date, incidents, now)
        if incident is not None:
            runs.append(Run(css, 1, f"#incident-{incident.id}", day_label(bar, incident)))
        elif runs and runs[-1].css == css and not runs[-1].href:
            runs[-1] = Run(css, runs[-1].days + 1)
        else:
            runs.append(Run(css, 1))
    return Row(
        name=name,
        end=bars[-1].date.isoformat() if bars else "",
        runs=runs,
        summary=_summary(name, bars),
        uptimes=",".join(uptimes),
        changes=",".join(changes),
    )
