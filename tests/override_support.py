"""The override function's tests: local state directories holding a scheduled run's record, and
DigitalOcean-shaped raw web events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platform_status.run.outputs import STATUS_KEY

TOKEN = "override-token-for-the-tests-0123456789abcdef"
INTEGRATION_TOKEN = "integration-override-token-0123456789abcdef"


@dataclass
class Dirs:
    public: Path
    state: Path

    def snapshot(self) -> dict[str, bytes]:
        return {
            str(path): path.read_bytes()
            for root in (self.public, self.state)
            for path in root.rglob("*")
            if path.is_file()
        }

    def status(self) -> Any:
        return json.loads((self.public / "status.json").read_text())

    def audit(self) -> list[Any]:
        return [json.loads(p.read_text()) for p in sorted((self.state / "audit").glob("*.json"))]


def event(
    method: str,
    body: Any = None,
    *,
    token: str | None = TOKEN,
    path: str = "",
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    text = raw.decode() if raw is not None else ("" if body is None else json.dumps(body))
    all_headers = {"x-forwarded-for": "203.0.113.7", "x-request-id": "req-123"} | (headers or {})
    if token is not None:
        all_headers["authorization"] = f"Bearer {token}"
    return {
        "http": {
            "method": method,
            "headers": all_headers,
            "path": path,
            "queryString": "",
            "body": text,
            "isBase64Encoded": False,
        }
    }


SET_OUTAGE = {"status": "maintenance", "message": "Database upgrade", "author": "alice", "ttl_minutes": 60}


def status_json(spaces_server: Any, environment: dict[str, str]) -> Any:
    """status.json as moto's server holds it (`spaces_server`: the SpacesStandin)."""
    body = spaces_server.client().get_object(Bucket=environment["STATUS_BUCKET"], Key=STATUS_KEY)["Body"].read()
    return json.loads(body)
