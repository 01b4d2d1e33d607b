"""Whatever Uptime Kuma sends, a run ends within its budget and every public file it writes is read by its
own kind of reader: generated group names, monitor names, numbers and beat times, through the whole publish
over HTTP (hypothesis)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuma_bodies import Monitor, responses
from kuma_standin import KumaStandin
from platform_status.config import load_settings
from platform_status.document import StatusDocument
from platform_status.run.publish import publish
from public_files import parse_each, public_files

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC).replace(microsecond=0)
BUDGET_SECONDS = 10.0

any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.sampled_from(["NaN", "+Inf", "-Inf", "1e309"]),
)
beat_times = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)),
    st.integers(min_value=-3 * 24 * 60, max_value=60).map(lambda minutes: NOW + timedelta(minutes=minutes)),
)
monitors = st.builds(
    Monitor,
    id=st.integers(min_value=1, max_value=50),
    name=any_text,
    status=st.sampled_from(["up", "down", "pending", "maintenance"]),
    ratio_1d=numbers,
    beats=st.lists(st.tuples(st.sampled_from(["up", "down", "pending", "maintenance"]), beat_times), max_size=6),
    uptime_24h=st.one_of(numbers.filter(lambda n: not isinstance(n, str)), st.none(), any_text),
)
groups = st.lists(st.tuples(any_text, st.lists(monitors, min_size=1, max_size=3)), min_size=1, max_size=3)


@pytest.fixture(scope="module")
def kuma() -> Iterator[KumaStandin]:
    server = KumaStandin(responses([("Web", [Monitor(1, "a")])])).start()
    yield server
    server.stop()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(first=groups, second=groups)
def test_any_kuma_answer_ends_in_valid_public_files_within_the_budget(
    kuma: KumaStandin, first: list[tuple[str, list[Monitor]]], second: list[tuple[str, list[Monitor]]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings_ = load_settings(
            {
                "UPTIME_KUMA_METRICS_URL": kuma.url,
                "UPTIME_KUMA_STATUS_PAGE": "test-status",
                "STATUS_OUT_DIR": f"{folder}/public",
                "STATUS_STATE_DIR": f"{folder}/state",
                "KUMA_RETRIES": "0",
            }
        )
        for at, answer in ((NOW, first), (NOW + timedelta(minutes=10), second)):  # two runs: the history too
            kuma.responses = responses(answer)
            started = time.monotonic()
            outcome = publish(settings_, now=at, budget_seconds=BUDGET_SECONDS)
            assert time.monotonic() - started < BUDGET_SECONDS + 2
            files = public_files(Path(folder) / "public")
            parse_each(files)
            StatusDocument.model_validate_json(files["status.json"])
            assert outcome.document.platform_status.value in (
                "operational",
                "degraded",
                "outage",
                "maintenance",
                "unknown",
            )
