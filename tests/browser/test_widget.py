"""The framework-free embed <platform-status> in headless Chromium, on a page served from 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from pages import FRESH, Site, announced, base_document, incident_book, with_override, with_status
from platform_status.rules.status import PlatformStatus
from platform_status.site.files import WIDGET

pytestmark = pytest.mark.browser

EMBED = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Marketing site</title></head>
<body><main><h1>Hosting</h1><platform-status src="status.json"></platform-status></main>
<script src="status-widget.js"></script></body></html>"""


@pytest.fixture
def embed_site(site: Site) -> Site:
    (site.root / "embed.html").write_bytes(EMBED)
    (site.root / "status-widget.js").write_bytes(WIDGET.read_bytes())
    return site


@pytest.fixture
def widget_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=FRESH)
    yield page
    context.close()


def text_of(page: Page) -> str:
    page.wait_for_function("document.querySelector('platform-status').hasAttribute('data-status')")
    # innerText: what is visible (a hidden line is in textContent, not on screen)
    return str(page.evaluate("document.querySelector('platform-status').shadowRoot.firstElementChild.innerText"))


@pytest.mark.parametrize(
    ("status", "words"),
    [(PlatformStatus.OPERATIONAL, "All systems operational"), (PlatformStatus.OUTAGE, "Service outage")],
)
def test_the_embed_shows_the_status_in_words(
    embed_site: Site, widget_page: Page, status: PlatformStatus, words: str
) -> None:
    embed_site.publish(with_status(status), base_document()[1])
    widget_page.goto(embed_site.url + "embed.html")
    assert words in text_of(widget_page)
    assert "outdated" not in text_of(widget_page)


def test_the_embed_shows_an_html_message_as_text(embed_site: Site, widget_page: Page) -> None:
    message = "<img src=x onerror=alert(1)>Fixing it"
    embed_site.publish(with_override(message), base_document()[1])
    dialogs: list[str] = []
    widget_page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    widget_page.goto(embed_site.url + "embed.html")
    assert message in text_of(widget_page)
    assert widget_page.evaluate("document.querySelector('platform-status').shadowRoot.querySelector('img')") is None
    assert dialogs == []


def test_the_embed_shows_the_open_incident_and_its_latest_update(embed_site: Site, widget_page: Page) -> None:
    title = "<b>Database</b> connections failing"
    effective, public = announced(with_status(PlatformStatus.OPERATIONAL), incident_book(title))
    embed_site.publish(effective, base_document()[1], public)
    widget_page.goto(embed_site.url + "embed.html")
    text = text_of(widget_page)
    assert "Service outage" in text
    assert f"{title}: A failed disk; failing over." in text  # the newest update, as text
    assert widget_page.evaluate("document.querySelector('platform-status').shadowRoot.querySelector('b')") is None


def test_without_an_incident_the_embed_shows_the_maintenance_under_way(embed_site: Site, widget_page: Page) -> None:
    embed_site.publish(with_status(PlatformStatus.OPERATIONAL, incidents=[]), base_document()[1])
    widget_page.goto(embed_site.url + "embed.html")
    assert "Maintenance: Seeded maintenance" in text_of(widget_page)  # Kuma's window, in the recording


def test_the_embed_warns_when_stale(embed_site: Site, browser: Browser) -> None:
    document = with_status(PlatformStatus.OPERATIONAL)
    embed_site.publish(document, base_document()[1])
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=document.stale_after + timedelta(minutes=5))
    page.goto(embed_site.url + "embed.html")
    assert "Data may be outdated" in text_of(page)
    context.close()


@pytest.mark.parametrize("body", [None, b"{not json", b'{"platform_status": "fine"}'])
def test_the_embed_says_unknown_without_a_valid_status_json(
    embed_site: Site, widget_page: Page, body: bytes | None
) -> None:
    status_json: Path = embed_site.root / "status.json"
    if body is None:
        status_json.unlink(missing_ok=True)
    else:
        status_json.write_bytes(body)
    widget_page.goto(embed_site.url + "embed.html")
    assert "Status unknown" in text_of(widget_page)
