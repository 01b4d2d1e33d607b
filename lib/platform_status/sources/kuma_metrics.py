"""Kuma's /metrics (Prometheus text format), read line by line keeping only the samples this project uses.

Kuma's /metrics carries about thirty families of process and Node.js metrics beside the five per-monitor
ones read here. Lines of other families are recognised by their name and skipped unparsed, and every kept
sample is folded into its monitor's record at once, so a 50 MB body is never held, split or turned into
objects as a whole. The output equals what prometheus_client's parser gives on every recorded response
(tests/unit/test_kuma_metrics.py holds them equal).

Monitors are keyed `id:<monitor_id>` (Kuma 2.x) or `name:<monitor_name>` (1.23, which has no id label);
two 1.23 monitors with one name are told apart by their other labels (`name:<name>@<digest>`), never merged.
A value that cannot be right (an uptime ratio outside 0..1, NaN, a negative count) is left out and counted.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from platform_status.monitors import KUMA_STATE_CODES, MonitorState
from platform_status.sources.kuma_format import KumaFormatError

MONITOR_FAMILIES = frozenset(
    {
        "monitor_status",
        "monitor_uptime_ratio",
        "monitor_response_time",
        "monitor_cert_is_valid",
        "monitor_cert_days_remaining",
    }
)
OTHER_FAMILIES = frozenset({"process_start_time_seconds", "app_version"})
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
# The labels that tell two 1.23 monitors with one name apart (Kuma 1.23 has no monitor_id label).
_IDENTITY_LABELS = ("monitor_type", "monitor_url", "monitor_hostname", "monitor_port")


@dataclass
class MetricsMonitor:
    key: str
    name: str
    state: MonitorState | None = None
    uptime_ratios: dict[str, float] = field(default_factory=dict)  # window ("1d", "30d", "365d") -> ratio
    response_time_ms: float | None = None
    cert_valid: bool | None = None
    cert_days_remaining: float | None = None


class MetricsReading(Mapping[str, MetricsMonitor]):
    """The monitors that have a monitor_status series, by key, and what /metrics says of Kuma itself."""

    def __init__(
        self,
        monitors: dict[str, MetricsMonitor],
        *,
        version: str | None = None,
        started_at: datetime | None = None,
        ignored: Counter[str] | None = None,
    ) -> None:
        self._monitors = monitors
        self.version = version  # app_version's version label, e.g. "2.5.3" or "1.23.17"
        self.started_at = started_at  # process_start_time_seconds: when this Kuma process started
        self.ignored = ignored if ignored is not None else Counter()

    def __getitem__(self, key: str) -> MetricsMonitor:
        return self._monitors[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._monitors)

    def __len__(self) -> int:
        return len(self._monitors)

    def __eq__(self, other: object) -> bool:
        return dict(self._monitors) == (dict(other) if isinstance(other, Mapping) else other)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by content


def monitor_key(monitor_id: int | str | None, name: str) -> str:
    return f"id:{monitor_id}" if monitor_id not in (None, "") else f"name:{name}"


_ESCAPES = {"\\": "\\", '"': '"', "n": "\n"}


def _labels(text: str, start: int) -> tuple[dict[str, str], int]:
    """The label set from `{` at `start`; returns it and the index after `}`. Values may hold escaped
    quotes, backslashes and line breaks, as the format allows."""
    labels: dict[str, str] = {}
    index = start + 1
    length = len(text)
    while True:
        while index < length and text[index] in " \t,":
            index += 1
        if index < length and text[index] == "}":
            return labels, index + 1
        match = _NAME.match(text, index)
        if not match or text[match.end() : match.end() + 2] != '="':
            raise KumaFormatError("/metrics has a malformed label set")
        name, index = match.group(), match.end() + 2
        value: list[str] = []
        while True:
            quote = text.find('"', index)
            slash = text.find("\\", index)
            if quote < 0:
                raise KumaFormatError("/metrics has an unterminated label value")
            if 0 <= slash < quote:
                value.append(text[index:slash])
                value.append(_ESCAPES.get(text[slash + 1 : slash + 2], "\\" + text[slash + 1 : slash + 2]))
                index = slash + 2
                continue
            value.append(text[index:quote])
            index = quote + 1
            break
        labels[name] = "".join(value)


def _number(token: str) -> float:
    try:
        return float(token)
    except ValueError:
        raise KumaFormatError(f"/metrics has a value that is not a number ({token[:20]!r})") from None


class _Collector:
    """Folds each kept sample into its monitor's record as the lines go by."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], MetricsMonitor] = {}
        self.identities: dict[str, set[tuple[str, ...]]] = {}  # 1.23: name -> the label sets seen with it
        self.version: str | None = None
        self.started_at: datetime | None = None
        self.ignored: Counter[str] = Counter()
        self.any_metric = False

    def _entry(self, labels: dict[str, str]) -> MetricsMonitor:
        name = labels.get("monitor_name", "")
        monitor_id = labels.get("monitor_id")
        if monitor_id:
            identity: tuple[str, ...] = ("id", monitor_id)
        else:
            identity = ("name", name, *(labels.get(label, "") for label in _IDENTITY_LABELS))
            self.identities.setdefault(name, set()).add(identity)
        found = self.entries.get(identity)
        if found is None:
            found = self.entries[identity] = MetricsMonitor(key=monitor_key(monitor_id, name), name=name)
        return found

    def sample(self, family: str, labels: dict[str, str], value: float) -> None:
        if family == "process_start_time_seconds":
            if math.isfinite(value) and 0 < value < 1e11:
                self.started_at = datetime.fromtimestamp(value, UTC)
            return
        if family == "app_version":
            self.version = labels.get("version") or self.version
            return
        entry = self._entry(labels)
        if family == "monitor_status":
            if not math.isfinite(value) or value != int(value) or int(value) not in KUMA_STATE_CODES:
                raise KumaFormatError(f"/metrics has monitor_status {value}, not one of 0, 1, 2, 3")
            entry.state = KUMA_STATE_CODES[int(value)]
        elif family == "monitor_uptime_ratio":
            if "window" not in labels:
                return
            if not 0 <= value <= 1:  # NaN fails this too
                self.ignored["uptime ratio outside 0..1"] += 1
                return
            entry.uptime_ratios[labels["window"]] = value
        elif family == "monitor_response_time":
            # Kuma reports -1 for "no ping"; NaN or infinity is no figure either.
            entry.response_time_ms = value if math.isfinite(value) and value >= 0 else None
        elif family == "monitor_cert_is_valid":
            entry.cert_valid = value == 1
        elif family == "monitor_cert_days_remaining" and math.isfinite(value):
            entry.cert_days_remaining = value

    def reading(self) -> MetricsReading:
        duplicated = {name for name, identities in self.identities.items() if len(identities) > 1}
        monitors: dict[str, MetricsMonitor] = {}
        for identity, entry in self.entries.items():
            if entry.state is None:
                continue  # only monitor_status says a monitor exists; the other families add detail
            if identity[0] == "name" and entry.name in duplicated:
                digest = hashlib.sha256("\x00".join(identity).encode()).hexdigest()[:8]
                entry.key = f"name:{entry.name}@{digest}"
            monitors[entry.key] = entry
        return MetricsReading(monitors, version=self.version, started_at=self.started_at, ignored=self.ignored)


def parse_metrics_lines(lines: Iterable[str]) -> MetricsReading:
    """Read the exposition line by line. Raises KumaFormatError for text that is not Prometheus text."""
    collector = _Collector()
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _NAME.match(line)
        if not match:
            raise KumaFormatError(f"/metrics is not Prometheus text ({line[:40]!r})")
        family, end = match.group(), match.end()
        collector.any_metric = True
        if family not in MONITOR_FAMILIES and family not in OTHER_FAMILIES:
            if end < len(line) and line[end] not in " \t{":
                raise KumaFormatError(f"/metrics is not Prometheus text ({line[:40]!r})")
            continue  # a family this project does not read: its labels are never parsed
        labels: dict[str, str] = {}
        if end < len(line) and line[end] == "{":
            labels, end = _labels(line, end)
        tokens = line[end:].split()
        if not tokens or len(tokens) > 2:
            raise KumaFormatError(f"/metrics has a sample without a value ({family})")
        collector.sample(family, labels, _number(tokens[0]))
    if not collector.any_metric:
        raise KumaFormatError("/metrics returned no metrics at all")
    return collector.reading()


def parse_metrics(text: str) -> MetricsReading:
    # Only "\n" ends a line in this format: str.splitlines() would also split inside a label value at
    # U+0085 or U+2028, which the format allows there.
    return parse_metrics_lines(text.split("\n"))
