"""Our /metrics reader (it keeps only the samples used, line by line) against the reference parser,
prometheus_client's: the same monitors and figures on every recorded response, and on generated ones."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families

from platform_status.sources.kuma_metrics import MONITOR_FAMILIES, parse_metrics
from support import FIXTURES

RECORDED = sorted(path for path in FIXTURES.rglob("*.txt") if path.read_text().startswith("# HELP"))
Figures = tuple[object, ...]


def reference(text: str) -> dict[str, list[Figures]]:
    """What prometheus_client's parser says, in the same terms: per monitor name, each monitor's figures."""
    monitors: dict[tuple[str, ...], dict[str, object]] = {}
    for family in text_string_to_metric_families(text):
        if family.name not in MONITOR_FAMILIES:
            continue
        for sample in family.samples:
            labels = sample.labels
            identity: tuple[str, ...] = (labels.get("monitor_id", ""), labels.get("monitor_name", ""))
            if not labels.get("monitor_id"):
                identity += tuple(
                    labels.get(k, "") for k in ("monitor_type", "monitor_url", "monitor_hostname", "monitor_port")
                )
            entry = monitors.setdefault(identity, {"name": labels.get("monitor_name", ""), "ratios": {}})
            value = sample.value
            if family.name == "monitor_status":
                entry["state"] = int(value)
            elif family.name == "monitor_uptime_ratio" and "window" in labels and 0 <= value <= 1:
                entry["ratios"][labels["window"]] = value  # type: ignore[index]
            elif family.name == "monitor_response_time":
                entry["response"] = value if math.isfinite(value) and value >= 0 else None
            elif family.name == "monitor_cert_is_valid":
                entry["cert_valid"] = value == 1
            elif family.name == "monitor_cert_days_remaining" and math.isfinite(value):
                entry["cert_days"] = value
    by_name: dict[str, list[Figures]] = {}
    for entry in monitors.values():
        if "state" in entry:
            figures = (
                entry["state"],
                entry["ratios"],
                entry.get("response"),
                entry.get("cert_valid"),
                entry.get("cert_days"),
            )
            by_name.setdefault(str(entry["name"]), []).append(figures)
    return {name: sorted(found, key=repr) for name, found in by_name.items()}


def ours(text: str) -> dict[str, list[Figures]]:
    codes = {"down": 0, "up": 1, "pending": 2, "maintenance": 3}
    by_name: dict[str, list[Figures]] = {}
    for monitor in parse_metrics(text).values():
        state = codes[monitor.state.value] if monitor.state else None
        figures = (
            state,
            monitor.uptime_ratios,
            monitor.response_time_ms,
            monitor.cert_valid,
            monitor.cert_days_remaining,
        )
        by_name.setdefault(monitor.name, []).append(figures)
    return {name: sorted(found, key=repr) for name, found in by_name.items()}


def test_every_recording_is_covered() -> None:
    folders = {path.parent.name for path in RECORDED}
    assert {
        "uptime-kuma-2.5.3",
        "uptime-kuma-1.23.17",
        "uptime-kuma-2.5.3-restart",
        "metrics-steps",
        "before",
    } <= folders


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: str(Path(p).relative_to(FIXTURES)))
def test_the_same_as_prometheus_clients_parser_on_every_recorded_response(path: Path) -> None:
    text = path.read_text()
    assert ours(text) == reference(text)


def test_the_restart_steps_list_one_more_monitor_each() -> None:
    steps = sorted((FIXTURES / "uptime-kuma-2.5.3-restart" / "metrics-steps").glob("*.txt"))
    assert [len(parse_metrics(path.read_text())) for path in steps] == [0, 1, 2, 3, 4, 5, 6]
    assert all(parse_metrics(path.read_text()).started_at is not None for path in steps)


label_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)


@settings(max_examples=150, deadline=None)
@given(
    monitors=st.lists(
        st.tuples(
            label_text,
            st.sampled_from([0, 1, 2, 3]),
            st.floats(allow_nan=True, allow_infinity=True),
            st.floats(min_value=-5, max_value=5000),
        ),
        max_size=6,
    )
)
def test_the_same_as_prometheus_clients_parser_on_generated_labels_and_values(
    monitors: list[tuple[str, int, float, float]],
) -> None:
    def escaped(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    lines = ["# TYPE monitor_status gauge"]
    for number, (name, state, ratio, response) in enumerate(monitors, start=1):
        labels = f'monitor_id="{number}",monitor_name="{escaped(name)}",monitor_type="http"'
        lines += [
            f"monitor_status{{{labels}}} {state}",
            f'monitor_uptime_ratio{{{labels},window="1d"}} {ratio}',
            f"monitor_response_time{{{labels}}} {response}",
        ]
    lines.append("process_start_time_seconds 1795893149")
    text = "\n".join(lines) + "\n"
    assert ours(text) == reference(text)
