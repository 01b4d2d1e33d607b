"""A local stand-in for Uptime Kuma on 127.0.0.1: replays recorded responses, or serves synthetic ones.

Used by the demo, the integration tests and the benchmark. It checks the API key on /metrics the way Kuma
does (HTTP Basic, empty user name, key as password) and counts the requests it answers.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from local_server import LocalServer

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
KUMA_TIME = "%Y-%m-%d %H:%M:%S.%f"
RECORDED_2_5_3 = FIXTURES / "uptime-kuma-2.5.3"
RECORDED_1_23 = FIXTURES / "uptime-kuma-1.23.17"

NOT_FOUND_PAGE = b'{"status":"fail","msg":"Status Page Not Found"}'


@dataclass
class KumaResponses:
    """What the stand-in answers. `slug` names the one status page it knows."""

    metrics: bytes
    status_page: bytes
    heartbeat: bytes
    slug: str = "test-status"
    api_key: str | None = None
    requests: Counter[str] = field(default_factory=Counter)
    # Paths that are accepted and never answered; and what an unknown status page slug gets: Kuma 2.x
    # answers 404, Kuma 1.23 never answers at all (tests/fixtures/uptime-kuma-1.23.17/NOTES.md).
    hang: frozenset[str] = frozenset()
    unknown_slug: str = "404"  # or "hang"

    @classmethod
    def recorded(cls, folder: Path = RECORDED_2_5_3, api_key: str | None = None) -> KumaResponses:
        return cls(
            metrics=(folder / "metrics.txt").read_bytes(),
            status_page=(folder / "status-page.json").read_bytes(),
            heartbeat=(folder / "heartbeat.json").read_bytes(),
            api_key=api_key,
        )

    def shifted_to(self, now: datetime) -> KumaResponses:
        """The recorded beats moved so the newest is `now` (Kuma writes UTC without a zone): a replay that
        reads as today's rather than as the day it was recorded. Only the times move."""
        document = json.loads(self.heartbeat)
        beats = [beat for listed in document.get("heartbeatList", {}).values() for beat in listed]
        if not beats:
            return self

        def utc(text: str) -> datetime:
            return datetime.strptime(text, KUMA_TIME).replace(tzinfo=UTC)

        delta = now - max(utc(beat["time"]) for beat in beats)
        for beat in beats:
            beat["time"] = (utc(beat["time"]) + delta).strftime(KUMA_TIME)[:-3]
        return replace(self, heartbeat=json.dumps(document).encode())


def _labels(monitor_id: int, name: str) -> str:
    # The same label set Kuma 2.5.3 writes.
    return (
        f'monitor_id="{monitor_id}",monitor_name="{name}",monitor_type="http",'
        f'monitor_url="http://127.0.0.1:18081/{monitor_id}",monitor_hostname="null",monitor_port="null"'
    )


def synthetic(monitors: int, down: int = 0, groups: int = 10, api_key: str | None = None) -> KumaResponses:
    """Kuma 2.5.3-shaped responses for `monitors` monitors, the first `down` of them DOWN."""
    now = datetime.now(UTC).replace(tzinfo=None)
    status_lines = ["# HELP monitor_status Monitor Status", "# TYPE monitor_status gauge"]
    ratio_lines = ["# HELP monitor_uptime_ratio Uptime ratio", "# TYPE monitor_uptime_ratio gauge"]
    time_lines = [
        "# HELP monitor_response_time Monitor Response Time (ms)",
        "# TYPE monitor_response_time gauge",
    ]
    beats: dict[str, list[dict[str, object]]] = {}
    uptime: dict[str, float] = {}
    for monitor_id in range(1, monitors + 1):
        labels = _labels(monitor_id, f"Monitor {monitor_id}")
        is_down = monitor_id <= down
        status_lines.append(f"monitor_status{{{labels}}} {0 if is_down else 1}")
        for window in ("1d", "30d", "365d"):
            ratio_lines.append(f'monitor_uptime_ratio{{{labels},window="{window}"}} {0.98 if is_down else 1}')
        time_lines.append(f"monitor_response_time{{{labels}}} {-1 if is_down else 12}")
        beats[str(monitor_id)] = [
            {
                "status": 0 if is_down else 1,
                "time": (now - timedelta(seconds=20 * (99 - i))).strftime("%Y-%m-%d %H:%M:%S.000"),
                "msg": "",
                "ping": None if is_down else 12,
            }
            for i in range(100)
        ]
        uptime[f"{monitor_id}_24"] = 0.98 if is_down else 1
    per_group = max(1, -(-monitors // groups))
    group_list = [
        {
            "id": g + 1,
            "name": f"Group {g + 1}",
            "weight": g + 1,
            "monitorList": [
                {"id": m, "name": f"Monitor {m}", "type": "http"}
                for m in range(g * per_group + 1, min(monitors, (g + 1) * per_group) + 1)
            ],
        }
        for g in range(groups)
        if g * per_group < monitors
    ]
    page = {
        "config": {"slug": "test-status"},
        "incidents": [],
        "publicGroupList": group_list,
        "maintenanceList": [],
    }
    metrics = "\n".join([*status_lines, "", *ratio_lines, "", *time_lines, "", 'app_version{version="2.5.3"} 1', ""])
    return KumaResponses(
        metrics=metrics.encode(),
        status_page=json.dumps(page).encode(),
        heartbeat=json.dumps({"heartbeatList": beats, "uptimeList": uptime}).encode(),
        api_key=api_key,
    )


class _Handler(BaseHTTPRequestHandler):
    server: KumaStandin

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests and the demo print what matters

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        key = self.server.responses.api_key
        if key is None:
            return True
        expected = "Basic " + base64.b64encode(f":{key}".encode()).decode()
        return self.headers.get("Authorization") == expected

    def _hang(self) -> None:
        self.server.stopping.wait(120)  # holds the connection open, as Kuma does, until the test is over

    def do_GET(self) -> None:
        responses = self.server.responses
        path = self.path.split("?", 1)[0]
        responses.requests[path] += 1
        json_type = "application/json; charset=utf-8"
        if path in responses.hang:
            self._hang()
            return
        if path == "/metrics":
            if not self._authorised():
                self._send(401, b"", "text/html; charset=utf-8", {"WWW-Authenticate": "Basic"})
                return
            self._send(200, responses.metrics, "text/plain; version=0.0.4; charset=utf-8")
        elif path == f"/api/status-page/heartbeat/{responses.slug}":
            self._send(200, responses.heartbeat, json_type)
        elif path.startswith("/api/status-page/heartbeat/"):
            self._send(200, b'{"heartbeatList":{},"uptimeList":{}}', json_type)  # as Kuma does
        elif path == f"/api/status-page/{responses.slug}":
            self._send(200, responses.status_page, json_type)
        elif path.startswith("/api/status-page/") and responses.unknown_slug == "hang":
            self._hang()
        elif path.startswith("/api/status-page/"):
            self._send(404, NOT_FOUND_PAGE, json_type)
        else:
            self._send(404, b"Not Found", "text/plain")


class KumaStandin(LocalServer):
    def __init__(self, responses: KumaResponses, port: int = 0) -> None:
        super().__init__(_Handler, port, "kuma-standin")
        self.responses = responses
        self.stopping = threading.Event()

    def stop(self) -> None:
        self.stopping.set()
        super().stop()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Serve recorded Uptime Kuma responses on 127.0.0.1")
    parser.add_argument("--port", type=int, default=3001)
    parser.add_argument("--api-key")
    args = parser.parse_args()
    server = KumaStandin(KumaResponses.recorded(api_key=args.api_key), args.port)
    print(f"Uptime Kuma stand-in on {server.url} (status page slug test-status)")
    server.serve_forever()
