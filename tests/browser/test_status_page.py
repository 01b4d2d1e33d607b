"""The status page in a real headless Chromium (Debian's package) driven by Playwright, served from 127.0.0.1."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Page

from pages import AXE, FRESH, SCREENSHOTS, Site, base_document, with_override, with_status
from platform_status.rules.status import PlatformStatus

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (PlatformStatus.OPERATIONAL, "All systems operational"),
        (PlatformStatus.DEGRADED, "Minor degradation"),
        (PlatformStatus.OUTAGE, "Service outage"),
        (PlatformStatus.UNKNOWN, "Status unknown"),
        (PlatformStatus.MAINTENANCE, "Scheduled maintenance in progress"),
    ],
)
def test_each_status_shows_its_words(site: Site, page: Page, status: PlatformStatus, words: str) -> None:
    site.publish(with_status(status), base_document()[1])
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")  # status.json was read
    assert page.inner_text("#headline") == words
    assert page.is_hidden("#stale")
    assert words in page.title()


def test_the_page_is_complete_without_javascript(site: Site, browser: Browser) -> None:
    site.publish(with_override("Database maintenance tonight"), base_document()[1])
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url)
    assert page.inner_text("#headline") == "Service outage"
    assert page.inner_text("#override-message") == "Database maintenance tonight"
    assert "Services" in page.inner_text(".comp")
    assert page.locator(".bars li").count() == 3 * 90
    context.close()


def test_an_active_override_shows_the_operators_message_and_the_computed_status(site: Site, page: Page) -> None:
    site.publish(with_override("We are investigating slow logins.", PlatformStatus.DEGRADED), base_document()[1])
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    assert page.inner_text("#headline") == "Minor degradation"
    assert page.inner_text("#override-message") == "We are investigating slow logins."
    assert page.inner_text("#computed") == "Automatic checks: Outage"


def test_data_past_stale_after_switches_to_out_of_date(site: Site, browser: Browser) -> None:
    document = with_override("Everything is fine", PlatformStatus.OPERATIONAL)
    site.publish(document, base_document()[1])
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=document.stale_after + timedelta(minutes=1))
    page.goto(site.url)
    page.wait_for_function("!document.getElementById('stale').hidden")
    assert page.inner_text("#headline") == "Status unknown"
    assert page.is_hidden("#override")  # an old message is not shown as current
    assert "out of date" in page.inner_text("#stale")
    context.close()


def test_a_new_status_json_is_picked_up_without_a_reload(site: Site, page: Page) -> None:
    site.publish(with_status(PlatformStatus.OPERATIONAL), base_document()[1])
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    page.evaluate("window.__same_page = true")
    site.replace_status_json(with_status(PlatformStatus.OUTAGE))
    page.clock.run_for(61_000)
    page.wait_for_function("document.getElementById('headline').textContent === 'Service outage'")
    assert page.evaluate("window.__same_page") is True


def test_an_override_message_with_markup_stays_inert_text(site: Site, page: Page) -> None:
    message = "<script>window.__pwned = 1</script><img src=x onerror=\"alert('xss')\">"
    site.publish(with_override(message), base_document()[1])
    dialogs: list[str] = []
    requests: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    page.clock.run_for(61_000)  # and after a refresh, when the script writes the message itself
    page.wait_for_timeout(200)
    assert page.inner_text("#override-message") == message
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#override img").count() == 0
    assert dialogs == []
    assert not any(url.rstrip("/").endswith("/x") for url in requests)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violations(site: Site, page: Page, scheme: str) -> None:
    assert AXE.exists(), "axe-core is missing: npm ci --prefix tests/browser (make test does)"
    site.publish(with_override("A notice"), base_document()[1])
    page.emulate_media(color_scheme="light" if scheme == "light" else "dark")
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]
    assert violations == []


def test_daily_bars_are_named_and_reached_by_keyboard(site: Site, page: Page) -> None:
    site.publish(with_status(PlatformStatus.OUTAGE), base_document()[1])
    page.goto(site.url)
    for _ in range(5):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label')")
        if label and "%" in label:
            break
    assert page.evaluate("document.activeElement.closest('.bars') !== null")
    assert "no data" in page.evaluate("document.querySelector('.bars li').getAttribute('aria-label')")
    last = page.evaluate("Array.from(document.querySelectorAll('.bars')[0].children).pop().getAttribute('aria-label')")
    assert last == "28 Nov: 50.00 % up, outage at worst, 1 incident"


def test_usable_at_320_px_wide(site: Site, browser: Browser) -> None:
    site.publish(with_override("A long message " * 20), base_document()[1])
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.clock.install(time=FRESH)
    page.goto(site.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_no_external_requests_and_under_30_kb(site: Site, page: Page) -> None:
    site.publish(with_override("A notice"), base_document()[1])
    responses: list[tuple[str, int]] = []
    page.on("response", lambda response: responses.append((response.url, len(response.body()))))
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    assert all(url.startswith(site.url) for url, _ in responses)
    assert sum(size for _, size in responses) < 30 * 1024


def test_screenshots_at_1280_and_375(site: Site, browser: Browser) -> None:
    site.publish(with_override("Logins are slow for some customers; we are on it."), base_document()[1])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.clock.install(time=FRESH)
        page.goto(site.url)
        page.wait_for_function("document.getElementById('ago').textContent !== ''")
        path = SCREENSHOTS / f"status-page-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        context.close()


def test_the_badge_says_the_status_in_words(site: Site, page: Page) -> None:
    site.publish(with_status(PlatformStatus.DEGRADED), base_document()[1])
    page.goto(site.url + "badge.svg")
    assert "status: degraded" in page.evaluate("document.querySelector('title').textContent")


def test_statuspage_summary_is_served_as_json(site: Site, page: Page) -> None:
    site.publish(with_override("Investigating"), base_document()[1])
    response = page.goto(site.url + "api/v2/summary.json")
    assert response is not None
    summary = json.loads(response.body())
    assert summary["status"]["indicator"] == "major"
    assert summary["incidents"][0]["incident_updates"][0]["body"] == "Investigating"
