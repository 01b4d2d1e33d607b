"""The scheduled trigger of status/publish, through the DigitalOcean API.

`doctl serverless deploy` creates it from project.yml, but `--remote-build` leaves every trigger out (the
deployer does not deploy triggers from a remote build), and a publisher with no trigger never runs. This finds
it, and creates it as project.yml describes it (the API call the deployer itself makes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

TRIGGER_NAME = "publish-every-10-minutes"
TRIGGER_FUNCTION = "status/publish"
TRIGGER_CRON = "*/10 * * * *"
TIMEOUT_SECONDS = 10.0


class TriggerApiError(Exception):
    """The API could not be asked; the message names no token."""


@dataclass(frozen=True)
class Trigger:
    name: str
    function: str
    enabled: bool
    cron: str | None


def _call(method: str, url: str, token: str, body: dict[str, Any] | None = None) -> Any:
    try:
        response = requests.request(
            method, url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT_SECONDS
        )
    except requests.exceptions.RequestException as error:
        raise TriggerApiError(f"the DigitalOcean API did not answer ({type(error).__name__})") from None
    if response.status_code in (401, 403):
        raise TriggerApiError(f"the DigitalOcean API refused DO_API_TOKEN (HTTP {response.status_code})")
    if response.status_code == 404:
        raise TriggerApiError("the DigitalOcean API knows no such namespace (FUNCTIONS_NAMESPACE)")
    if not 200 <= response.status_code < 300:
        raise TriggerApiError(f"the DigitalOcean API answered HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise TriggerApiError("the DigitalOcean API answered something that is not JSON") from None


def triggers_url(api_url: str, namespace: str) -> str:
    return f"{api_url.rstrip('/')}/v2/functions/namespaces/{namespace}/triggers"


def publish_triggers(api_url: str, token: str, namespace: str) -> list[Trigger]:
    """The namespace's triggers that call status/publish."""
    body = _call("GET", triggers_url(api_url, namespace), token)
    items = body.get("triggers") if isinstance(body, dict) else None
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        function = str(item.get("function", ""))
        if function.strip("/").endswith(TRIGGER_FUNCTION):
            details = item.get("scheduled_details") or {}
            found.append(
                Trigger(str(item.get("name", "")), function, bool(item.get("is_enabled")), details.get("cron"))
            )
    return found


def create_publish_trigger(api_url: str, token: str, namespace: str) -> None:
    _call(
        "POST",
        triggers_url(api_url, namespace),
        token,
        {
            "name": TRIGGER_NAME,
            "function": TRIGGER_FUNCTION,
            "type": "SCHEDULED",
            "is_enabled": True,
            "scheduled_details": {"cron": TRIGGER_CRON, "body": {}},
        },
    )
