"""A local HTTP server on 127.0.0.1 that records every request and answers what a test sets up: it stands
in for the notification service (Apprise json://), the Uptime Kuma push monitor, the DigitalOcean API (CDN
purge, triggers) and any file a check fetches."""

from __future__ import annotations

import json
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from local_server import LocalServer


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # with the query string
    headers: dict[str, str]
    body: Any  # parsed JSON, or None


class _Handler(BaseHTTPRequestHandler):
    server: RecordingServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        self.server.received.append(Recorded(self.command, self.path, dict(self.headers.items()), body))
        status, payload = self.server.answers.get((self.command, self.path.split("?")[0]), self.server.default)
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 - http.server's names


class RecordingServer(LocalServer):
    def __init__(self) -> None:
        super().__init__(_Handler, 0, "recording-server")
        self.received: list[Recorded] = []
        # (method, path without query) -> (status, body); anything else gets `default`.
        self.answers: dict[tuple[str, str], tuple[int, bytes]] = {}
        self.default: tuple[int, bytes] = (200, b'{"ok": true}')

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://")

    def answer(self, method: str, path: str, status: int, body: Any) -> None:
        self.answers[(method, path)] = (status, body if isinstance(body, bytes) else json.dumps(body).encode())

    def requests_to(self, method: str, prefix: str = "/") -> list[Recorded]:
        return [item for item in self.received if item.method == method and item.path.startswith(prefix)]
