"""Helpers for the browser tests: published files served on 127.0.0.1, and documents in each state."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from platform_status.assemble import build_document
from platform_status.document import PublishedOverride, StatusDocument
from platform_status.history.advance import HistoryRules, advance
from platform_status.history.public import HistoryIndex, history_index
from platform_status.history.state import HistoryState
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import PlatformStatus
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

    def __init__(self, root: Path) -> None:
        self.root = root
        handler = partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def publish(self, document: StatusDocument, history: HistoryIndex | None) -> None:
        files = site_files(document, history, [], page_name="Example Hosting status", page_url=self.url, now=FRESH)
        for item in files:
            path = self.root / item.key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(item.body)
        (self.root / "status.json").write_bytes(document.to_json_bytes())

    def replace_status_json(self, document: StatusDocument) -> None:
        (self.root / "status.json").write_bytes(document.to_json_bytes())


class _QuietHandler(SimpleHTTPRequestHandler):
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
