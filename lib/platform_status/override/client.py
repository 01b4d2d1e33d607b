"""The command line's side of the override API: calls the deployed status/override function."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

from platform_status.config import ConfigError

_DURATION = re.compile(r"^\s*([0-9]+)\s*([mhd]?)\s*$")
_MINUTES = {"": 1, "m": 1, "h": 60, "d": 24 * 60}
MAX_TTL_MINUTES = 7 * 24 * 60


def parse_ttl_minutes(text: str, *, most: int = MAX_TTL_MINUTES) -> int:
    """'30m', '2h', '3d' or plain minutes, from 1 minute to `most` (7 days); an error speaks in the unit typed."""
    match = _DURATION.match(text.lower())
    if not match:
        raise ValueError(f"--ttl {text}: use a number with m, h or d (e.g. 30m, 2h, 3d)")
    count, unit = int(match.group(1)), match.group(2)
    per_unit = _MINUTES[unit]
    if count < 1:
        raise ValueError(f"--ttl {text}: at least 1{unit or 'm'}")
    if count * per_unit > most:
        in_days = "" if unit == "d" else f" ({most // (24 * 60)} days)"
        raise ValueError(f"--ttl {text}: at most {most // per_unit}{unit or 'm'}{in_days}")
    return count * per_unit


@dataclass(frozen=True)
class OverrideClient:
    url: str
    token: str
    web_secure: str | None = None
    timeout: float = 15.0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> OverrideClient:
        env = os.environ if environ is None else environ
        problems = [
            f"{name}: required for the override commands"
            for name in ("OVERRIDE_URL", "OVERRIDE_TOKEN")
            if not env.get(name)
        ]
        if problems:
            raise ConfigError(problems)
        web_secure = env.get("OVERRIDE_WEB_SECURE", "")
        # "false" is how .env says "no webSecure" (project.yml passes it to the deployer as is).
        return cls(
            env["OVERRIDE_URL"].rstrip("/"),
            env["OVERRIDE_TOKEN"],
            web_secure or None if web_secure != "false" else None,
        )

    def call(self, method: str, path: str = "", body: dict[str, Any] | None = None, **params: str) -> tuple[int, Any]:
        """One request to the API (docs/override-api.yaml): (HTTP status, the JSON answer)."""
        headers = {"Authorization": f"Bearer {self.token}"}
        if self.web_secure:
            headers["X-Require-Whisk-Auth"] = self.web_secure
        response = requests.request(
            method, self.url + path, json=body, headers=headers, params=params or None, timeout=self.timeout
        )
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {"error": f"HTTP {response.status_code}, not JSON"}

    def show(self) -> tuple[int, Any]:
        return self.call("GET")

    def set(
        self, status: str, message: str, author: str, ttl_minutes: int | None, expires_at: str | None
    ) -> tuple[int, Any]:
        body: dict[str, Any] = {"status": status, "message": message, "author": author}
        if expires_at:
            body["expires_at"] = expires_at
        elif ttl_minutes is not None:
            body["ttl_minutes"] = ttl_minutes
        return self.call("PUT", body=body)

    def clear(self, author: str) -> tuple[int, Any]:
        return self.call("DELETE", body={"author": author})

    def log(self, limit: int) -> tuple[int, Any]:
        return self.call("GET", "/log", limit=str(limit))


def describe_view(view: Mapping[str, Any]) -> str:
    lines = [f"effective status: {view['effective_status']} (computed: {view['computed_status']})"]
    override = view.get("override")
    if override:
        lines.append(f"override: {override['status']} since {override['since']} until {override['until']}")
        lines.append(f"  by {override['author']}: {override['message'] or '(no message)'}")
    else:
        lines.append("override: none")
    if view.get("published") is True:
        lines.append(f"status.json republished; CDN: {view.get('cdn_purge')}")
    elif view.get("published") is False:
        lines.append(f"stored, NOT yet published ({view.get('publish_error')}); the next scheduled run publishes it")
    return "\n".join(lines)


def describe_log(body: Mapping[str, Any]) -> str:
    lines = []
    for entry in body.get("entries", []):
        after = entry.get("after") or {}
        what = f"{after.get('status')} until {after.get('until')}: {after.get('message')}" if after else "cleared"
        lines.append(f"{entry['at']}  {entry['action']:<6} by {entry['author']} from {entry['caller'] or '?'}  {what}")
    return "\n".join(lines) or "no changes recorded"
