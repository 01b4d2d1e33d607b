"""The marketing-site kit in real Next.js apps: Next 16 with create-next-app's defaults (Cache Components,
Turbopack, no src/) and Next 15 (src/, webpack), built with `next build`, started with `next start`, and
driven in headless Chromium against a status.json served on 127.0.0.1 as Spaces serves it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from next_apps import BuiltApp, RunningApp, build
from playwright.sync_api import Browser, Page

from pages import AXE, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.site_kit]
SAMPLE = Path(__file__).resolve().parents[2] / "web" / "test" / "status.sample.json"
VERSIONS = ["next16", "next15"]
BUILD_TIMES: dict[str, float] = {}


class StatusServer:
    """status.json on 127.0.0.1 with the headers Spaces sends; the tests change what it answers."""

    def __init__(self) -> None:
        self.status, self.body = 200, b"{}"
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(server.body)))
                self.send_header("Cache-Control", "public, max-age=60")
                self.send_header("ETag", f'"{hash(server.body) & 0xFFFFFFFF:x}"')
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("x-amz-request-id", "tx000000000000000000001-standin")
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/status.json"

    def answer(self, document: dict[str, Any] | bytes, status: int = 200) -> None:
        self.status = status
        self.body = document if isinstance(document, bytes) else json.dumps(document).encode()


def document(status: str = "operational", *, stale: bool = False, **changes: Any) -> dict[str, Any]:
    """The publisher's sample document, checked two minutes ago (or two hours ago and past stale_after)."""
    doc: dict[str, Any] = json.loads(SAMPLE.read_text())
    now = datetime.now(UTC).replace(microsecond=0)
    checked = now - (timedelta(hours=2) if stale else timedelta(minutes=2))
    doc |= {
        "platform_status": status,
        "computed_status": status,
        "updated_at": checked.isoformat().replace("+00:00", "Z"),
        "stale_after": (checked + timedelta(minutes=21)).isoformat().replace("+00:00", "Z"),
        "incidents": [],
        "maintenances": [],
    }
    return doc | changes


@pytest.fixture(scope="session", params=VERSIONS)
def built(request: pytest.FixtureRequest) -> BuiltApp:
    app = build(request.param)
    BUILD_TIMES[app.name] = app.build_seconds
    print(f"\n{app.name}: {'reused' if app.reused else f'npm ci + next build in {app.build_seconds:.0f} s'}")
    return app


@pytest.fixture(scope="session")
def status_server() -> StatusServer:
    return StatusServer()


@pytest.fixture(scope="session")
def running(
    built: BuiltApp, status_server: StatusServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningApp]:
    """Started with the URL given at run time (the build had none), as a container or a PaaS does."""
    app = RunningApp(built, {"STATUS_JSON_URL": status_server.url}, tmp_path_factory.mktemp(built.name) / "next.log")
    yield app
    app.stop()


CARD = "section[aria-label='Platform status']"


def card_text(page: Page) -> str:
    """The card once its data has streamed in (the loading card is swapped out for it)."""
    page.wait_for_function(
        f'document.querySelector("{CARD}:not([aria-busy])") && !document.querySelector("{CARD}[aria-busy]")'
    )
    return page.locator(f"{CARD}:not([aria-busy])").inner_text()


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("operational", "All systems operational"),
        ("degraded", "Minor degradation"),
        ("outage", "Service outage"),
        ("maintenance", "Scheduled maintenance in progress"),
        ("unknown", "Status unknown"),
    ],
)
def test_each_status_on_the_home_page_from_the_run_time_url(
    running: RunningApp, status_server: StatusServer, page: Page, status: str, words: str
) -> None:
    status_server.answer(document(status))
    page.goto(running.url + "/")
    text = card_text(page)
    assert words in text
    assert "Uptime 24 h" in text and "Last checked" in text


def test_the_status_page_lists_components_and_the_open_incident(
    running: RunningApp, status_server: StatusServer, page: Page
) -> None:
    sample = json.loads(SAMPLE.read_text())
    status_server.answer(document("outage", incidents=sample["incidents"], maintenances=sample["maintenances"]))
    page.goto(running.url + "/status")
    text = card_text(page)
    assert "Service outage" in text
    assert "Seeded incident: Something is being investigated." in text
    body = page.locator("main").inner_text()
    assert "Services" in body and "Other" in body and "Scheduled maintenance" in body


def test_an_override_message_is_shown_as_text(running: RunningApp, status_server: StatusServer, page: Page) -> None:
    message = '<img src=x onerror="window.__pwned=1">We are <b>on it</b>'
    doc = document("outage")
    doc["override"] = {"status": "outage", "message": message, "since": doc["updated_at"], "until": doc["stale_after"]}
    status_server.answer(doc)
    page.goto(running.url + "/")
    assert message in card_text(page)
    assert (
        page.locator("section[aria-label='Platform status'] img, section[aria-label='Platform status'] b").count() == 0
    )
    assert page.evaluate("window.__pwned") is None


def test_stale_data_is_unknown_everywhere_with_the_last_check(
    running: RunningApp, status_server: StatusServer, page: Page
) -> None:
    doc = document("operational", stale=True)
    status_server.answer(doc)
    checked = doc["updated_at"][:16].replace("T", " ")
    for path in ("/", "/status"):
        page.goto(running.url + path)
        text = card_text(page)
        assert "Status unknown" in text and "All systems operational" not in text
        assert f"Status data is out of date: last checked {checked} UTC." in text
    components = page.locator("main li").all_inner_texts()
    assert components and all("Unknown" in line for line in components)  # one meaning: the card and the list
    assert f"status.json is out of date: last checked {doc['updated_at']}" in running.output()


@pytest.mark.parametrize(
    "failure",
    [
        (b'{"error": "NoSuchKey"}', 404, "status.json answered HTTP 404"),
        (b"{not json", 200, "status.json is not valid JSON"),
        (json.dumps({"platform_status": "fine"}).encode(), 200, "status.json does not match its schema"),
    ],
    ids=["404", "invalid JSON", "schema mismatch"],
)
def test_each_failure_reads_unknown_and_is_logged_with_the_url(
    running: RunningApp, status_server: StatusServer, page: Page, failure: tuple[bytes, int, str]
) -> None:
    answer, status, reason = failure
    status_server.answer(answer, status)
    page.goto(running.url + "/")
    assert "Status unknown" in card_text(page)
    logged = [line for line in running.output().splitlines() if reason in line]
    assert logged and f"(url: {status_server.url})" in logged[-1]


def test_without_any_url_the_card_says_unknown_and_the_log_says_why(
    built: BuiltApp, page: Page, tmp_path: Path
) -> None:
    app = RunningApp(built, {}, tmp_path / "next.log")
    try:
        page.goto(app.url + "/")
        assert "Status unknown" in card_text(page)
        assert "neither STATUS_JSON_URL nor NEXT_PUBLIC_STATUS_JSON_URL is set (url: not set)" in app.output()
    finally:
        app.stop()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_built_pages(
    running: RunningApp, status_server: StatusServer, browser: Browser, scheme: str
) -> None:
    sample = json.loads(SAMPLE.read_text())
    context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light")
    page = context.new_page()
    cases = [(s, document(s)) for s in ("operational", "degraded", "outage", "maintenance", "unknown")]
    cases += [("incident", document("outage", incidents=sample["incidents"], maintenances=sample["maintenances"]))]
    cases += [("stale", document("outage", stale=True))]
    found = []
    for name, doc in cases:
        status_server.answer(doc)
        for path in ("/", "/status"):
            page.goto(running.url + path)
            card_text(page)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found += [(name, path, v["id"], len(v["nodes"])) for v in result["violations"]]
    context.close()
    assert found == []


def test_screenshots_of_the_card_and_the_status_page(
    built: BuiltApp, running: RunningApp, status_server: StatusServer, browser: Browser
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sample = json.loads(SAMPLE.read_text())
    for state, doc in (
        ("fresh", document("outage", incidents=sample["incidents"], maintenances=sample["maintenances"])),
        ("stale", document("outage", stale=True)),
    ):
        status_server.answer(doc)
        for scheme in ("light", "dark"):
            context = browser.new_context(color_scheme=scheme, viewport={"width": 900, "height": 900})
            page = context.new_page()
            for name, path in (("card", "/"), ("status", "/status")):
                page.goto(running.url + path)
                card_text(page)
                shot = SCREENSHOTS / f"site-kit-{built.name}-{name}-{scheme}-{state}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 5_000
            context.close()
