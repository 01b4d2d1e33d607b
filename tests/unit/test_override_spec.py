"""docs/override-api.yaml and the handler, held to each other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

from platform_status.override.api import HttpResponse, OverrideApi
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
    ]
    results = []
    for method, path, headers, body, query in calls:
        response = api.handle(HttpRequest(method, path, headers, body, query))
        results.append((method, path or "/", response))
    return results


def test_every_response_is_documented_and_matches_its_schema(spec: Any, tmp_path: Path) -> None:
    settings = make_settings(status_out_dir=str(tmp_path / "public"), status_state_dir=str(tmp_path / "state"))
    targets = targets_for(settings, None, None)
    targets.state.put(LAST_RUN_STATE, last_run_bytes(), ObjectMeta("x"))
    exercised: set[tuple[str, str, str]] = set()
    for method, path, response in exercise(OverrideApi(settings, targets, TOKEN)):
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
            for code in operation["responses"]:
                if code not in ("202", "503"):
                    assert (method.upper(), path, code) in exercised, f"{method.upper()} {path} {code} never produced"
