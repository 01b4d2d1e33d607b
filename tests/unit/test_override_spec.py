"""docs/override-api.yaml and the handler, held to each other."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

from platform_status.incidents.model import (
    MAX_MESSAGE_CHARS as MAX_UPDATE_CHARS,
)
from platform_status.incidents.model import (
    MAX_TITLE_CHARS,
    Cancel,
    OpenIncident,
    ScheduleMaintenance,
    UpdateIncident,
    UpdateMaintenance,
)
from platform_status.override.api import OverrideApi, match_route
from platform_status.override.http import HttpResponse
from platform_status.override.rules import MAX_MESSAGE_CHARS, MAX_TTL, ClearRequest, OverrideRequest, OverrideStatus
from platform_status.override.web_event import HttpRequest
from platform_status.run.last_run import LAST_RUN_STATE
from platform_status.run.targets import targets_for
from platform_status.store import ObjectMeta
from support import last_run_bytes, make_settings

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "override-api.yaml"
TOKEN = "spec-test-token-0123456789abcdefghijklmnop"


@pytest.fixture(scope="module")
def spec() -> Any:
    return yaml.safe_load(SPEC_PATH.read_text())


def test_the_spec_is_valid_openapi_3_1(spec: Any) -> None:
    validate(spec)


def test_request_schemas_match_the_models(spec: Any) -> None:
    schemas = spec["components"]["schemas"]
    put = schemas["OverrideRequest"]
    assert set(put["properties"]) == set(OverrideRequest.model_fields)
    assert set(put["required"]) == {name for name, f in OverrideRequest.model_fields.items() if f.is_required()}
    assert put["properties"]["status"]["enum"] == [status.value for status in OverrideStatus]
    assert put["properties"]["message"]["maxLength"] == MAX_MESSAGE_CHARS
    assert put["properties"]["ttl_minutes"]["maximum"] == MAX_TTL.total_seconds() // 60
    assert put["additionalProperties"] is False
    assert set(schemas["ClearRequest"]["properties"]) == set(ClearRequest.model_fields)


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("OpenIncident", OpenIncident),
        ("UpdateIncident", UpdateIncident),
        ("ScheduleMaintenance", ScheduleMaintenance),
        ("UpdateMaintenance", UpdateMaintenance),
        ("CancelMaintenance", Cancel),
    ],
)
def test_incident_request_schemas_match_the_models(spec: Any, name: str, model: Any) -> None:
    schema = spec["components"]["schemas"][name]
    assert set(schema["properties"]) == set(model.model_fields)
    assert set(schema.get("required", [])) == {n for n, f in model.model_fields.items() if f.is_required()}
    assert schema["additionalProperties"] is False


def test_incident_limits_match_the_models(spec: Any) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["Title"]["maxLength"] == MAX_TITLE_CHARS
    assert schemas["Message"]["maxLength"] == MAX_UPDATE_CHARS
    assert schemas["Impact"]["enum"] == ["degraded", "outage"]
    assert schemas["Stage"]["enum"] == ["investigating", "identified", "monitoring", "resolved"]


def _incident_calls(auth: dict[str, str]) -> list[tuple[str, str, dict[str, str], bytes, str]]:
    opening = {"title": "Database down", "impact": "outage", "message": "Looking", "author": "a"}
    window = {"title": "Upgrade", "starts_at": "2026-11-29T10:00:00Z", "ends_at": "2026-11-29T11:00:00Z", "author": "a"}
    update = json.dumps({"stage": "identified", "message": "Found it", "author": "a"}).encode()
    return [
        ("GET", "/incidents", auth, b"", ""),
        ("POST", "/incidents", auth, json.dumps(opening).encode(), ""),
        ("POST", "/incidents", auth, json.dumps(opening | {"components": ["Nope"]}).encode(), ""),
        ("POST", "/incidents", auth, b"{oops", ""),
        ("POST", "/incidents", auth, b"x" * 17000, ""),
        ("GET", "/incidents/{first}", auth, b"", ""),
        ("GET", "/incidents/missing", auth, b"", ""),
        ("POST", "/incidents/{first}/updates", auth, update, ""),
        ("POST", "/incidents/{first}/updates", auth, update, ""),  # the third update within the hour
        ("POST", "/incidents/{first}/updates", auth, update, ""),  # a flood (FLOOD_UPDATES is 3 here): 429
        ("POST", "/incidents/missing/updates", auth, update, ""),
        ("POST", "/incidents/{first}/updates", auth, b'{"stage": "done"}', ""),
        ("POST", "/incidents/{first}/updates", auth, b"{oops", ""),
        ("POST", "/incidents/{first}/updates", auth, b"x" * 17000, ""),
        ("POST", "/incidents/{first}/updates", auth, update.replace(b"identified", b"resolved"), ""),
        ("POST", "/incidents/{first}/updates", auth, update, ""),  # closed: 409
        ("GET", "/maintenances", auth, b"", ""),
        ("POST", "/maintenances", auth, json.dumps(window).encode(), ""),
        ("POST", "/maintenances", auth, json.dumps(window | {"ends_at": "2026-11-29T09:00:00Z"}).encode(), ""),
        ("POST", "/maintenances", auth, b"[", ""),
        ("POST", "/maintenances", auth, b"x" * 17000, ""),
        ("GET", "/maintenances/{window}", auth, b"", ""),
        ("GET", "/maintenances/missing", auth, b"", ""),
        ("POST", "/maintenances/{window}/updates", auth, b'{"message": "On time", "author": "a"}', ""),
        ("POST", "/maintenances/missing/updates", auth, b'{"message": "On time", "author": "a"}', ""),
        ("POST", "/maintenances/{window}/updates", auth, b'{"message": ""}', ""),
        ("POST", "/maintenances/{window}/updates", auth, b"{", ""),
        ("POST", "/maintenances/{window}/updates", auth, b"x" * 17000, ""),
        ("DELETE", "/maintenances/{window}", auth, b'{"author": 5}', ""),
        ("DELETE", "/maintenances/{window}", auth, b"{", ""),
        ("DELETE", "/maintenances/{window}", auth, b"x" * 17000, ""),
        ("DELETE", "/maintenances/missing", auth, b"", ""),
        ("DELETE", "/maintenances/{window}", auth, b'{"author": "b"}', ""),
        ("DELETE", "/maintenances/{window}", auth, b"", ""),  # cancelled already: 409
        ("POST", "/maintenances/{window}/updates", auth, b'{"message": "Late", "author": "a"}', ""),  # 409
        *(
            (method, path, {}, b"", "")
            for method, path in [
                ("GET", "/incidents"),
                ("POST", "/incidents"),
                ("GET", "/incidents/x"),
                ("POST", "/incidents/x/updates"),
                ("GET", "/maintenances"),
                ("POST", "/maintenances"),
                ("GET", "/maintenances/x"),
                ("DELETE", "/maintenances/x"),
                ("POST", "/maintenances/x/updates"),
            ]
        ),
    ]


def exercise(api: OverrideApi) -> list[tuple[str, str, HttpResponse]]:
    auth = {"authorization": f"Bearer {TOKEN}"}
    valid = json.dumps({"status": "outage", "author": "a", "message": "m", "ttl_minutes": 30}).encode()
    calls = [
        ("GET", "", auth, b"", ""),
        ("PUT", "", auth, valid, ""),
        ("PUT", "", auth, b"{oops", ""),
        ("PUT", "", auth, b'{"status": "nope", "author": "a"}', ""),
        ("PUT", "", auth, b'{"author": "' + b"a" * 17000 + b'"}', ""),
        ("PUT", "", {}, valid, ""),
        ("GET", "", {"authorization": "Bearer wrong"}, b"", ""),
        ("GET", "/log", auth, b"", "limit=5"),
        ("GET", "/log", auth, b"", "limit=0"),
        ("GET", "/log", {}, b"", ""),
        ("DELETE", "", auth, b'{"author": "b"}', ""),
        ("DELETE", "", auth, b"[1]", ""),
        ("DELETE", "", auth, b"{broken", ""),
        ("DELETE", "", auth, b"x" * 17000, ""),
        ("DELETE", "", {}, b"", ""),
        *_incident_calls(auth),
    ]
    results = []
    made: dict[str, str] = {}
    for method, template, headers, body, query in calls:
        path = template.format(**made) if "{" in template else template
        response = api.handle(HttpRequest(method, path, headers, body, query))
        if response.status == 201 and "incident" in response.body:
            made.setdefault("first", response.body["incident"]["id"])
        if response.status == 201 and "maintenance" in response.body:
            made.setdefault("window", response.body["maintenance"]["id"])
        matched = match_route(path)
        results.append((method, matched[0].template if matched else path, response))
    return results


def test_every_response_is_documented_and_matches_its_schema(
    spec: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("platform_status.incidents.changes.FLOOD_UPDATES", 3)  # 120 in production
    settings = make_settings(status_out_dir=str(tmp_path / "public"), status_state_dir=str(tmp_path / "state"))
    targets = targets_for(settings, None, None)
    targets.state.put(LAST_RUN_STATE, last_run_bytes(), ObjectMeta("x"))
    exercised: set[tuple[str, str, str]] = set()
    clock = lambda: datetime(2026, 11, 29, 9, 0, tzinfo=UTC)  # noqa: E731 - before the maintenance window
    for method, path, response in exercise(OverrideApi(settings, targets, TOKEN, clock=clock)):
        documented = spec["paths"][path][method.lower()]["responses"]
        code = str(response.status)
        assert code in documented, f"{method} {path} answered {code}, which the spec does not list"
        entry = documented[code]
        if "$ref" in entry:
            entry = spec["components"]["responses"][entry["$ref"].rsplit("/", 1)[1]]
        schema = entry["content"]["application/json"]["schema"] | {"components": spec["components"]}
        jsonschema.validate(response.body, schema)
        exercised.add((method, path, code))
    # Every documented answer but the storage-failure ones was produced by the handler.
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if method == "parameters":
                continue
            for code in operation["responses"]:
                if code not in ("202", "503"):
                    assert (method.upper(), path, code) in exercised, f"{method.upper()} {path} {code} never produced"
