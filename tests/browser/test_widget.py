"""The framework-free embed <platform-status> in headless Chromium, on a page served from 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from pages import AXE, FRESH, Site, announced, base_document, incident_book, with_override, with_status
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
    page.wait_for_function("document.querySelector('platform-status').hasAttribute('data-checked')")
    # innerText: what is visible (a hidden line is in textContent, not on screen)
    return str(
        page.evaluate("document.querySelector('platform-status').shadowRoot.querySelector('[part=box]').innerText")
    )


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


def test_stale_data_reads_unknown_with_the_time_of_the_last_check(embed_site: Site, browser: Browser) -> None:
    document = with_override("Everything is fine", PlatformStatus.OPERATIONAL)
    embed_site.publish(document, base_document()[1])
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=document.stale_after + timedelta(minutes=5))
    page.goto(embed_site.url + "embed.html")
    text = text_of(page)
    assert "Status unknown" in text and "All systems operational" not in text
    assert "Status data is out of date: last checked 28 Nov 2026, 19:13 UTC." in text
    assert "Everything is fine" not in text  # an old message is not shown as current
    context.close()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "status.json answered HTTP 404"),
        (b"{not json", "status.json is not valid JSON"),
        (b'{"platform_status": "fine"}', "status.json has no known platform_status"),
    ],
)
def test_the_embed_says_unknown_without_a_valid_status_json_and_logs_why(
    embed_site: Site, widget_page: Page, body: bytes | None, reason: str
) -> None:
    status_json: Path = embed_site.root / "status.json"
    if body is None:
        status_json.unlink(missing_ok=True)
    else:
        status_json.write_bytes(body)
    messages: list[str] = []
    widget_page.on("console", lambda message: messages.append(message.text))
    widget_page.goto(embed_site.url + "embed.html")
    assert "Status unknown" in text_of(widget_page)
    assert f"[platform-status] status unknown: {reason} (src: status.json)" in messages
    widget_page.clock.run_for(61_000)  # the next refresh fails the same way: not logged again
    widget_page.wait_for_timeout(200)
    assert sum(reason in message for message in messages) == 1


def console_of(page: Page) -> list[str]:
    """What the page writes to its console, from now on."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


def requests_for(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if request.url.endswith("status.json") else None)
    return seen


def test_the_embed_survives_being_moved_removed_and_added_again(embed_site: Site, widget_page: Page) -> None:
    embed_site.publish(with_status(PlatformStatus.OUTAGE), base_document()[1])
    errors: list[str] = []
    widget_page.on("pageerror", lambda error: errors.append(str(error)))
    fetched = requests_for(widget_page)
    widget_page.goto(embed_site.url + "embed.html")
    assert "Service outage" in text_of(widget_page)
    # Moved, as React, Vue and Turbo do: no error, still showing, still refreshing.
    widget_page.evaluate("document.body.appendChild(document.querySelector('platform-status'))")
    before = len(fetched)
    widget_page.clock.run_for(61_000)
    widget_page.wait_for_timeout(300)
    assert len(fetched) > before
    assert "Service outage" in text_of(widget_page)
    # Removed: it stops polling.
    widget_page.evaluate("window.__embed = document.querySelector('platform-status'); window.__embed.remove()")
    after_removal = len(fetched)
    widget_page.clock.run_for(5 * 61_000)
    widget_page.wait_for_timeout(300)
    assert len(fetched) == after_removal
    # Added again, with the data changed meanwhile: it resumes and shows the new status.
    embed_site.replace_status_json(with_status(PlatformStatus.DEGRADED))
    widget_page.evaluate("document.querySelector('main').appendChild(window.__embed)")
    widget_page.wait_for_function(
        "document.querySelector('platform-status').getAttribute('data-status') === 'degraded'"
    )
    assert "Minor degradation" in text_of(widget_page)
    assert errors == []


def test_the_embed_is_themed_by_custom_properties_and_parts(embed_site: Site, widget_page: Page) -> None:
    embed_site.publish(with_status(PlatformStatus.OUTAGE), base_document()[1])
    widget_page.goto(embed_site.url + "embed.html")
    text_of(widget_page)
    widget_page.add_style_tag(
        content="platform-status{--platform-status-outage:#ff00ff;--platform-status-background:#000000}"
        "platform-status::part(headline){text-transform:uppercase}"
    )
    styles = widget_page.evaluate(
        "(() => { const root = document.querySelector('platform-status').shadowRoot;"
        " const box = getComputedStyle(root.querySelector('[part=box]'));"
        " const headline = getComputedStyle(root.querySelector('[part=headline]'));"
        " return [headline.color, box.backgroundColor, headline.textTransform]; })()"
    )
    assert styles == ["rgb(255, 0, 255)", "rgb(0, 0, 0)", "uppercase"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_embeds_default_colours_pass_axe(embed_site: Site, browser: Browser, scheme: str) -> None:
    for status in PlatformStatus:
        embed_site.publish(with_status(status, incidents=[], maintenances=[]), base_document()[1])
        context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light")
        page = context.new_page()
        page.clock.install(time=FRESH)
        page.goto(embed_site.url + "embed.html")
        text_of(page)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert [(v["id"], status.value) for v in result["violations"]] == []
        context.close()


def test_cross_origin_needs_cors_and_says_so(embed_site: Site, browser: Browser) -> None:
    """The embed on one origin, status.json on another (another port of 127.0.0.1): with the bucket's CORS
    rule (scripts/setup_bucket.py) it reads it, without it says unknown and why."""
    embed_site.publish(with_status(PlatformStatus.OUTAGE), base_document()[1])
    other = Site(embed_site.root, cors="*")
    plain = Site(embed_site.root)
    for origin_server, expected in ((other, "Service outage"), (plain, "Status unknown")):
        page_html = EMBED.replace(b'src="status.json"', f'src="{origin_server.url}status.json"'.encode())
        (embed_site.root / "cross.html").write_bytes(page_html)
        context = browser.new_context()
        page = context.new_page()
        page.clock.install(time=FRESH)
        messages = console_of(page)
        page.goto(embed_site.url + "cross.html")
        assert expected in text_of(page)
        if expected == "Status unknown":
            assert any("no CORS header for this site" in message for message in messages)
        context.close()
