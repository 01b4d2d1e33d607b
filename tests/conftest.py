"""Fixtures: local stand-ins for Spaces (moto's server) and Uptime Kuma on 127.0.0.1; Playwright driving
Debian's chromium, and a site served from 127.0.0.1 for the browser tests."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from kuma_standin import KumaResponses, KumaStandin
from pages import CHROMIUM, CHROMIUM_ARGS, FRESH, Site
from spaces_standin import SpacesStandin
from support import TEST_API_KEY

ROOT = Path(__file__).resolve().parent.parent
# What running the tools may leave in a checkout: caches and installs, never output or state.
TOOL_LEFTOVERS = (".venv/", ".cache/", ".pytest_cache/", ".hypothesis/", ".mypy_cache/", ".ruff_cache/")


def _checkout_entries() -> set[str]:
    listing = subprocess.run(
        ["git", "status", "--porcelain", "--ignored"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    entries = {line[3:] for line in listing.splitlines()}
    return {
        entry
        for entry in entries
        if not entry.startswith(TOOL_LEFTOVERS)
        and "node_modules/" not in entry
        and "__pycache__/" not in entry
        and not entry.endswith(".egg-info/")
    }


@pytest.fixture(scope="session", autouse=True)
def tests_leave_the_checkout_as_they_found_it() -> Iterator[None]:
    """No test writes output or state into the checkout (a later `platform-status` run would read it as real)."""
    before = _checkout_entries()
    yield
    written = sorted(_checkout_entries() - before)
    assert not written, f"the tests wrote into the checkout: {written}"


@pytest.fixture(autouse=True)
def environment_restored() -> Iterator[None]:
    """The command line loads .env files into os.environ: whatever a test adds there leaves with it."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def spaces_server() -> Iterator[SpacesStandin]:
    server = SpacesStandin().start()
    yield server
    server.stop()


@pytest.fixture
def stack_env(spaces_server: SpacesStandin, kuma_server: KumaStandin) -> dict[str, str]:
    """The variables of a publisher on the local stand-ins, with a fresh backups and status bucket."""
    suffix = uuid.uuid4().hex[:8]
    env = spaces_server.environment(f"backups-{suffix}", f"status-{suffix}") | {
        "UPTIME_KUMA_METRICS_URL": kuma_server.url,
        "UPTIME_KUMA_API_KEY": TEST_API_KEY,
        "UPTIME_KUMA_STATUS_PAGE": "test-status",
    }
    for bucket in (env["SPACES_BUCKET"], env["STATUS_BUCKET"]):
        spaces_server.client().create_bucket(Bucket=bucket)
    return env


@pytest.fixture
def kuma_server() -> Iterator[KumaStandin]:
    server = KumaStandin(KumaResponses.recorded(api_key=TEST_API_KEY)).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: apt-get install chromium (.ci/run does)"
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    served = Site(tmp_path)
    yield served
    served.server.shutdown()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.clock.install(time=FRESH)
    yield page
    context.close()
