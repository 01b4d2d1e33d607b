"""The status page in a real headless Chromium (Debian's package) driven by Playwright, served from 127.0.0.1."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Page

from pages import (
    AXE,
    FRESH,
    SCREENSHOTS,
    Site,
    announced,
    base_document,
    incident_book,
    varied_history,
    with_components,
    with_override,
    with_status,
)
from platform_status.rules.status import PlatformStatus

pytestmark = pytest.mark.browser


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two CSS rgb() colours."""

    def luminance(css: str) -> float:
        red, green, blue = (int(part) / 255 for part in css.removeprefix("rgb(").rstrip(")").split(",")[:3])
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


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
    # A banner filled with the status colour, its words white on it at 4.5:1 or better, light and dark alike.
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        background, colour = page.eval_on_selector(
            "#overall", "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
        )
        assert colour == "rgb(255, 255, 255)"
        assert contrast(background, colour) >= 4.5, (scheme, background)


def test_the_page_is_complete_without_javascript(site: Site, browser: Browser) -> None:
    document, _ = base_document()
    effective, public = announced(document, incident_book())
    effective = effective.model_copy(update={"override": with_override("Database maintenance tonight").override})
    site.publish(effective, varied_history(effective), public)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url)
    assert page.inner_text("#headline") == "Service outage"
    assert page.inner_text("#override-message") == "Database maintenance tonight"
    assert "Services" in page.inner_text(".comp")
    # The bars are drawn (as runs of days), and each row says its 90 days in words.
    assert page.locator(".bars").count() == 1 + len(document.components)
    assert page.locator(".strip > *").count() > page.locator(".bars").count()
    assert page.locator(".bars .sr").first.text_content() == (
        "All systems, last 90 days: 74 operational, 8 no data, 5 degraded, 2 outage, 1 maintenance "
        "(days, by worst status); lowest 50.00% on 28 Nov."
    )
    # Incidents, maintenance and past incidents are there in full.
    assert "Database connections failing" in page.inner_text("#announced")
    assert "A failed disk; failing over." in page.inner_text("#announced")
    assert "Database upgrade" in page.inner_text("#announced")
    assert "Slow logins" in page.inner_text("#past")
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
    effective, public = announced(with_status(PlatformStatus.OUTAGE), incident_book())
    effective = effective.model_copy(update={"override": with_override("A notice").override})
    site.publish(effective, varied_history(effective), public)
    page.emulate_media(color_scheme="light" if scheme == "light" else "dark")
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    page.focus(".bars .strip [tabindex='0']")  # with a day's label showing
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]]
    assert violations == []


def tab_stops(page: Page, limit: int = 400) -> list[str]:
    """Every element Tab reaches, in order, as 'bars:<row>' for a day bar or its tag and link otherwise."""
    stops: list[str] = []
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(limit):
        page.keyboard.press("Tab")
        what = page.evaluate(
            "(() => { const e = document.activeElement; if (!e || e === document.body) return null;"
            " const row = e.closest('.bars');"
            " if (row) return 'bars:' + [...document.querySelectorAll('.bars')].indexOf(row);"
            " return e.tagName + ':' + (e.getAttribute('href') || e.textContent || '').slice(0, 40); })()"
        )
        if what is None or what in stops:  # back at the start: every stop seen
            break
        stops.append(what)
    return stops


def test_one_tab_stop_per_row_and_arrow_keys_move_day_by_day(site: Site, page: Page) -> None:
    document, _ = base_document()
    effective, public = announced(with_status(PlatformStatus.OUTAGE), incident_book())
    site.publish(effective, varied_history(effective), public)
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    assert sum(stop.startswith("bars:") for stop in tab_stops(page)) == 1 + len(document.components)  # not 90 per row

    page.focus(".bars .strip [tabindex='0']")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "28 Nov: 50.00% up, outage at worst, 1 disruption, incident: Database connections failing"
    )
    page.keyboard.press("ArrowLeft")
    yesterday = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert yesterday == "27 Nov: 100.00% up"
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "31 Aug: no data"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("28 Nov:")
    # The label shows beside the bar it describes, not at the row's left edge.
    page.keyboard.press("ArrowLeft")
    for _ in range(40):
        page.keyboard.press("ArrowLeft")
    box = page.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect(); return [r.left, r.right]; })()"
    )
    tip = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e, '::after');"
        " return [s.content, s.position]; })()"
    )
    assert tip[0].strip('"').startswith(page.evaluate("document.activeElement.getAttribute('aria-label')")[:6])
    assert box[0] > 200  # the day is well into the row: its label is drawn from it (left:50% of the day)


def test_a_day_with_an_incident_links_to_it(site: Site, page: Page) -> None:
    effective, public = announced(with_status(PlatformStatus.OUTAGE), incident_book())
    site.publish(effective, varied_history(effective), public)
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    link = page.locator(".bars a[href='#incident-inc0000000']").first
    label = link.get_attribute("aria-label") or ""
    assert label.startswith("25 Nov: ") and label.endswith("incident: Slow logins")
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#incident-inc0000000"
    assert page.locator("#past #incident-inc0000000").is_visible()


def test_incidents_and_maintenance_are_shown_with_their_timelines(site: Site, page: Page) -> None:
    calm = with_status(PlatformStatus.OPERATIONAL)
    calm = calm.model_copy(
        update={"components": [c.model_copy(update={"status": PlatformStatus.OPERATIONAL}) for c in calm.components]}
    )
    effective, public = announced(calm, incident_book())
    site.publish(effective, varied_history(effective), public)
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    # The headline and the components agree: the open outage sets both, the checks' status stays visible.
    assert page.inner_text("#headline") == "Service outage"
    assert page.inner_text("#computed") == "Automatic checks: Operational"
    services = page.locator(".comp > li[data-name='Services']")
    assert services.locator(".st-words").inner_text() == "Outage"
    assert services.locator(".why").inner_text() == "Incident: Database connections failing"
    incident = page.locator("#incident-inc0000001")
    text = incident.inner_text()
    assert "Outage · Identified · Affects Services" in text
    updates = incident.locator(".upd li").all_inner_texts()
    assert updates[0].startswith("Identified 28 Nov 2026, 18:43 UTC")
    assert updates[1].startswith("Investigating 28 Nov 2026, 18:13 UTC")
    assert "alice" not in page.content() and "bob" not in page.content()  # authors stay private
    maintenance = page.locator("#maintenance-mnt0000001").inner_text()
    assert "Scheduled · 29 Nov 2026, 19:13 UTC to 29 Nov 2026, 20:13 UTC · Affects Other" in maintenance
    # Maintenance under way is at the top with the incidents; what is to come has a section of its own.
    top = page.locator("section[aria-labelledby='h-incidents']")
    assert top.locator("h2").inner_text() == "Incidents and maintenance"
    assert top.locator("#maintenance-kuma-1").count() == 1 and top.locator("#maintenance-mnt0000001").count() == 0
    upcoming = page.locator("section[aria-labelledby='h-maintenance']")
    assert upcoming.locator("h2").inner_text() == "Upcoming maintenance"
    assert upcoming.locator("#maintenance-mnt0000001").count() == 1
    past = page.locator("#past").inner_text()
    assert "Slow logins" in past and "lasted 2 hours" in past
    assert page.locator("#past h3.day").all_inner_texts() == ["25 November 2026"]  # grouped by day
    lines = page.locator("p.line").all_inner_texts()  # backups and infrastructure, one line each
    assert lines[0].startswith("Backups: on schedule. Every client has a backup at least as recent as")
    assert lines[1].startswith("Infrastructure: Dedicated droplet per client")


def test_incident_text_with_markup_stays_inert(site: Site, page: Page) -> None:
    title = '<img src=x onerror="window.__pwned=1">Down'
    message = "<script>window.__pwned = 2</script>"
    effective, public = announced(with_status(PlatformStatus.OUTAGE), incident_book(title, message))
    site.publish(effective, varied_history(effective), public)
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    assert page.locator("#incident-inc0000001 h3").inner_text() == title
    assert message in page.locator("#incident-inc0000001").inner_text()
    assert page.locator("#announced img, #announced script").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_under_600_px_the_bars_show_the_last_30_days(site: Site, browser: Browser) -> None:
    effective, public = announced(with_status(PlatformStatus.OUTAGE), incident_book())
    site.publish(effective, varied_history(effective), public)
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.clock.install(time=FRESH)
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('.bars')[0].querySelectorAll('.strip > *'))"
        ".filter(e => e.offsetParent !== null).length"
    )
    assert shown == 30
    page.focus(".bars .strip [tabindex='0']")
    for _ in range(40):
        page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("30 Oct:")  # stops at 30
    width = page.evaluate("document.querySelector('.strip').getBoundingClientRect().width")
    assert width / 30 >= 8  # bars stay readable: at least 8 px each
    context.close()


def test_dates_read_the_same_with_and_without_javascript(site: Site, browser: Browser) -> None:
    effective, public = announced(with_status(PlatformStatus.OUTAGE), incident_book())
    site.publish(effective, varied_history(effective), public)
    texts = []
    for script in (False, True):
        context = browser.new_context(java_script_enabled=script)
        page = context.new_page()
        page.clock.install(time=FRESH)
        page.goto(site.url)
        if script:
            page.wait_for_function("document.getElementById('ago').textContent !== ''")
        texts.append((page.inner_text("#checked"), page.inner_text("#stale-time"), page.inner_text("#uptime")))
        context.close()
    assert texts[0] == texts[1]
    assert texts[0][0] == "28 Nov 2026, 19:13 UTC"


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


def test_with_10_components_the_page_stays_under_30_kb(site: Site, page: Page) -> None:
    """Realistic bars (a gap, degraded days, outages, a maintenance day), two incidents, a maintenance."""
    effective, public = announced(with_components(10), incident_book())
    site.publish(effective, varied_history(effective), public)
    sizes: dict[str, int] = {}
    page.on("response", lambda response: sizes.__setitem__(response.url.removeprefix(site.url), len(response.body())))
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    assert set(sizes) == {"", "status.json"}  # no other request: the favicon is inline, the bars are in the page
    assert sizes[""] < 30 * 1024
    assert sum(stop.startswith("bars:") for stop in tab_stops(page)) == 11  # one per row


def test_screenshots_at_1280_and_375(site: Site, browser: Browser) -> None:
    effective, public = announced(with_status(PlatformStatus.OUTAGE), incident_book())
    effective = effective.model_copy(
        update={"override": with_override("Logins are slow for some customers; we are on it.").override}
    )
    site.publish(effective, varied_history(effective), public)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.clock.install(time=FRESH)
        page.goto(site.url)
        page.wait_for_function("document.getElementById('ago').textContent !== ''")
        page.focus(".comp .bars .strip [tabindex='0']")
        page.keyboard.press("ArrowLeft")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        path = SCREENSHOTS / f"status-page-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        context.close()


def test_monitoring_announcements_from_kuma_are_shown_as_such(site: Site, page: Page) -> None:
    site.publish(with_status(PlatformStatus.OUTAGE), base_document()[1])  # the recording pins both
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    incident = page.locator("#incident-kuma-1").inner_text()
    assert "Seeded incident" in incident and "Notice" in incident and "From monitoring" in incident
    assert "Changes no status" in incident and "Affects" not in incident  # a notice changes no status
    maintenance = page.locator("#maintenance-kuma-1").inner_text()
    assert "Seeded maintenance" in maintenance and "In progress" in maintenance and "Affects Other" in maintenance


def test_a_page_left_open_quotes_the_last_check_when_it_goes_stale(site: Site, page: Page) -> None:
    first = with_status(PlatformStatus.OPERATIONAL)
    site.publish(first, base_document()[1])
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    later = first.updated_at + timedelta(minutes=10)
    site.replace_status_json(
        first.model_copy(update={"updated_at": later, "stale_after": later + timedelta(minutes=21)})
    )
    page.clock.run_for(61_000)
    page.wait_for_function("document.getElementById('checked').textContent.endsWith('19:23 UTC')")
    page.clock.fast_forward(120 * 60_000)  # no new data since: well past stale_after
    page.clock.run_for(61_000)
    page.wait_for_function("!document.getElementById('stale').hidden")
    assert page.inner_text("#stale-time") == page.inner_text("#checked") == "28 Nov 2026, 19:23 UTC"
    assert page.inner_text("#headline") == "Status unknown"
    assert page.inner_text("#ago") == " (2 hours ago)"  # hours past 90 minutes


def test_a_new_incident_appears_without_a_reload(site: Site, page: Page) -> None:
    document = with_status(PlatformStatus.OPERATIONAL)
    site.publish(document, base_document()[1])
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    page.evaluate("window.__same_page = true")
    effective, public = announced(document, incident_book())
    site.publish(effective, base_document()[1], public)  # what the override function writes
    page.clock.run_for(61_000)
    page.wait_for_function("document.getElementById('incident-inc0000001') !== null")
    assert page.inner_text("#headline") == "Service outage"
    assert "Slow logins" in page.inner_text("#past")
    assert page.evaluate("window.__same_page") is True


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


def test_kumas_pinned_notice_is_shown_as_kuma_renders_its_markdown_and_nothing_runs(site: Site, page: Page) -> None:
    notice = (
        "Logins are **slow**; see [the details](https://example.com/post).\n\n"
        "<script>window.__ran = true</script> <img src=x onerror='window.__ran=true'>\n\n"
        "[click](javascript:window.__ran=true) ![tracker](https://tracker.example/pixel.png)"
    )
    document = with_status(PlatformStatus.DEGRADED)
    (kuma_incident,) = [i for i in document.incidents if i.source == "monitoring"]
    update = kuma_incident.updates[0].model_copy(update={"message": notice})
    incidents = [kuma_incident.model_copy(update={"updates": [update]})]
    site.publish(document.model_copy(update={"incidents": incidents}), base_document()[1])
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site.url)
    page.wait_for_function("document.getElementById('ago').textContent !== ''")
    shown = page.locator("#incident-kuma-1")
    assert shown.locator("strong", has_text="slow").count() == 1
    assert shown.locator("a[href='https://example.com/post']").inner_text() == "the details"
    assert shown.locator("script, img, a[href^='javascript']").count() == 0
    text = shown.inner_text()
    assert "<script>" in text  # raw HTML is shown as the text it is
    assert page.evaluate("window.__ran === undefined")
    assert not [url for url in requested if "tracker.example" in url]


def test_times_read_in_the_visitors_time_zone_where_the_script_runs(site: Site, browser: Browser) -> None:
    effective, public = announced(with_status(PlatformStatus.OUTAGE), incident_book())
    site.publish(effective, varied_history(effective), public)
    seen = {}
    for script in (False, True):
        context = browser.new_context(java_script_enabled=script, timezone_id="Europe/Berlin")
        page = context.new_page()
        page.clock.install(time=FRESH)
        page.goto(site.url)
        if script:
            page.wait_for_function("document.getElementById('ago').textContent !== ''")
        seen[script] = (
            page.inner_text("#checked"),
            page.locator("#incident-inc0000001 time").first.inner_text(),
            page.get_attribute("#checked", "datetime"),
        )
        context.close()
    assert seen[False][:2] == ("28 Nov 2026, 19:13 UTC", "28 Nov 2026, 18:13 UTC")  # no script: UTC
    assert seen[True][:2] == ("28 Nov 2026, 20:13 CET", "28 Nov 2026, 19:13 CET")
    assert seen[True][2] == seen[False][2] == "2026-11-28T19:13:46Z"  # the machine-readable time stays UTC
