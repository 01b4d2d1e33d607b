"""Helpers for the browser tests: published files served on 127.0.0.1, and documents in each state."""

from __future__ import annotations

import os
import threading
from datetime import date, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from platform_status.assemble import build_document
from platform_status.document import PublishedOverride, StatusDocument
from platform_status.history.advance import HistoryRules, advance
from platform_status.history.public import DayBar, HistoryIndex, ScopeBars, history_index
from platform_status.history.state import HistoryState
from platform_status.incidents.log import Book
from platform_status.incidents.model import Incident, IncidentUpdate, Maintenance
from platform_status.incidents.public import Timeline, timeline
from platform_status.override.rules import OverrideState
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import PlatformStatus
from platform_status.run.announcements import Announcements
from platform_status.site.files import site_files
from support import RECORDED_AT, make_settings, observe, recorded_snapshot

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".cache" / "screenshots"
# Without the background-networking flags Chromium tries to reach Google's hosts; this machine has no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FRESH = RECORDED_AT + timedelta(minutes=2)  # the browser's clock: two minutes after the check


class Site:
    """A directory of published files served on 127.0.0.1, as the CDN would serve the bucket."""

    def __init__(self, root: Path, *, cors: str | None = None) -> None:
        """`cors`: the Access-Control-Allow-Origin to send (the bucket's CORS rule); None sends none."""
        self.root = root
        handler = partial(_QuietHandler, directory=str(root), cors=cors)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def publish(self, document: StatusDocument, history: HistoryIndex | None, timeline: Timeline | None = None) -> None:
        timeline = timeline or Timeline([], [])
        files = site_files(
            document, history, timeline, [], page_name="Example Hosting status", page_url=self.url, now=FRESH
        )
        for item in files:
            path = self.root / item.key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(item.body)
        (self.root / "status.json").write_bytes(document.to_json_bytes())

    def replace_status_json(self, document: StatusDocument) -> None:
        path = self.root / "status.json"
        before = path.stat().st_mtime if path.exists() else 0.0
        path.write_bytes(document.to_json_bytes())
        # Last-Modified has whole seconds: a file replaced within the same second would be answered 304 to a
        # browser revalidating it, and the page would keep the old bytes. A new file is a new second here.
        later = max(before + 1, path.stat().st_mtime)
        os.utime(path, (later, later))


class _QuietHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, cors: str | None = None, **kwargs: Any) -> None:
        self.cors = cors
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        if self.cors is not None:
            self.send_header("Access-Control-Allow-Origin", self.cors)
        if self.path.endswith(".json"):
            self.send_header("Cache-Control", "public, max-age=60")  # as the bucket serves status.json
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def base_document() -> tuple[StatusDocument, HistoryIndex]:
    observations = observe(recorded_snapshot())
    advanced = advance(HistoryState(), observations.kuma, BackupStatus.SUCCESS, RECORDED_AT, HistoryRules())
    return build_document(observations, make_settings(), advanced), history_index(advanced.state, RECORDED_AT)


def with_status(status: PlatformStatus, **changes: Any) -> StatusDocument:
    document, _ = base_document()
    return document.model_copy(update={"platform_status": status, "computed_status": status, **changes})


def with_override(message: str, status: PlatformStatus = PlatformStatus.OUTAGE) -> StatusDocument:
    override = PublishedOverride(
        status=status, message=message, since=RECORDED_AT, until=RECORDED_AT + timedelta(hours=2)
    )
    document, _ = base_document()
    return document.model_copy(update={"platform_status": status, "override": override})


# ------------------------------------------------------------------------ incidents, maintenance, history

OPENED = RECORDED_AT - timedelta(hours=1)


def incident_book(title: str = "Database connections failing", message: str = "We are investigating.") -> Book:
    """An open outage on Services with two updates, one resolved incident three days ago (all systems),
    and a maintenance on Other tomorrow."""
    open_one = Incident(
        id="inc0000001",
        title=title,
        impact="outage",
        components=["Services"],
        created_at=OPENED,
        updates=[
            IncidentUpdate(id="u1", stage="investigating", message=message, at=OPENED, author="alice"),
            IncidentUpdate(
                id="u2", stage="identified", message="A failed disk; failing over.", at=OPENED + timedelta(minutes=30),
                author="bob",
            ),
        ],
    )  # fmt: skip
    started = RECORDED_AT - timedelta(days=3)
    past = Incident(
        id="inc0000000",
        title="Slow logins",
        impact="degraded",
        components=[],
        created_at=started,
        updates=[
            IncidentUpdate(id="p1", stage="investigating", message="Logins are slow.", at=started, author="alice"),
            IncidentUpdate(id="p2", stage="resolved", message="Fixed.", at=started + timedelta(hours=2), author="al"),
        ],
    )
    upcoming = Maintenance(
        id="mnt0000001",
        title="Database upgrade",
        message="PostgreSQL 17. Connections may drop for a few seconds.",
        components=["Other"],
        starts_at=RECORDED_AT + timedelta(days=1),
        ends_at=RECORDED_AT + timedelta(days=1, hours=1),
        created_at=RECORDED_AT - timedelta(hours=2),
    )
    return Book(
        incidents={past.id: past, open_one.id: open_one},
        maintenances={upcoming.id: upcoming},
    )


def announced(document: StatusDocument, book: Book, now: datetime = RECORDED_AT) -> tuple[StatusDocument, Timeline]:
    return Announcements(OverrideState(override=None), book).apply(document, now), timeline(book, now)


def varied_days(end: date, names_seed: int = 0) -> list[DayBar]:
    """90 days as a real page has them: a gap before monitoring began, mostly operational, some degraded
    days, one outage, one maintenance, and today as the recording saw it."""
    days = []
    for back in reversed(range(90)):
        on = end - timedelta(days=back)
        index = 89 - back
        if index < 8:
            days.append(DayBar(date=on, uptime=None, worst=None, incidents=0))
        elif index == 89:
            days.append(DayBar(date=on, uptime=50.0, worst=PlatformStatus.OUTAGE, incidents=1))
        elif (index + names_seed) % 17 == 0:
            days.append(DayBar(date=on, uptime=99.31, worst=PlatformStatus.DEGRADED, incidents=1))
        elif index == 60 + names_seed % 7:
            days.append(DayBar(date=on, uptime=97.5, worst=PlatformStatus.OUTAGE, incidents=2))
        elif index == 40:
            days.append(DayBar(date=on, uptime=100.0, worst=PlatformStatus.MAINTENANCE, incidents=0))
        else:
            days.append(DayBar(date=on, uptime=100.0, worst=PlatformStatus.OPERATIONAL, incidents=0))
    return days


def varied_history(document: StatusDocument) -> HistoryIndex:
    _, index = base_document()
    end = RECORDED_AT.date()
    return index.model_copy(
        update={
            "platform": ScopeBars(name="platform", days=varied_days(end)),
            "components": [
                ScopeBars(name=c.name, days=varied_days(end, seed + 1)) for seed, c in enumerate(document.components)
            ],
        }
    )


def with_components(count: int) -> StatusDocument:
    """The recorded document with `count` components (names Component 1..n, statuses as recorded)."""
    document, _ = base_document()
    recorded = document.components
    components = [
        recorded[number % len(recorded)].model_copy(update={"name": f"Component {number + 1}"})
        for number in range(count)
    ]
    return document.model_copy(update={"components": components})
