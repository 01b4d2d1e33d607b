"""project.yml, .env.example and the settings agree, and project.yml keeps the deployer's rules (the deployer
itself reads them in tests/integration/test_deployer.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from platform_status.config import DEPLOY_REQUIRED, Settings
from platform_status.operations.trigger import TRIGGER_CRON, TRIGGER_NAME

ROOT = Path(__file__).resolve().parents[2]
PROJECT = (ROOT / "project.yml").read_text()
EXAMPLE = (ROOT / ".env.example").read_text()
EXAMPLE_NAMES = re.findall(r"^([A-Z0-9_]+)=", EXAMPLE, re.MULTILINE)
# Read by the command line, not by the functions' settings.
COMMAND_LINE_ONLY = {"OVERRIDE_URL", "OVERRIDE_WEB_SECURE"}


def _parsed() -> dict[str, Any]:
    text = re.sub(r"\$\{([A-Z0-9_]+)\}", r"\1", PROJECT.replace("${<.env}", "{}"))
    project: dict[str, Any] = yaml.safe_load(text)
    return project


def test_project_yml_follows_the_deployers_rules() -> None:
    assert "\t" not in PROJECT
    for line in PROJECT.splitlines():
        if "#" in line:
            assert "${" not in line.split("#", 1)[1], f"a dollar-brace in a comment is substituted too: {line}"
    (package,) = _parsed()["packages"]
    assert package["name"] == "status"
    functions = {f["name"]: f for f in package["functions"]}
    assert functions["publish"]["web"] is False
    (trigger,) = functions["publish"]["triggers"]
    assert (trigger["name"], trigger["sourceDetails"]["cron"]) == (TRIGGER_NAME, TRIGGER_CRON)
    assert functions["override"]["web"] == "raw"
    assert all(f["runtime"] == "python:3.11" for f in functions.values())
    assert all(set(f["limits"]) <= {"timeout", "memory", "logs"} for f in functions.values())


def test_the_environment_is_env_as_a_whole_and_web_secure_stays_unquoted() -> None:
    assert re.search(r"^    environment: \$\{<\.env\}$", PROJECT, re.MULTILINE)
    # Quoted, .env's `false` would become the secret "false".
    assert re.search(r"^        webSecure: \$\{OVERRIDE_WEB_SECURE\}$", PROJECT, re.MULTILINE)
    assert set(re.findall(r"\$\{([^}]+)\}", PROJECT)) == {"<.env", "OVERRIDE_WEB_SECURE"}


def test_env_example_names_every_setting_once_and_marks_what_is_required() -> None:
    settings = {name.upper() for name in Settings.model_fields}
    # Settings that are not for operators to set (tests and local use) need not be listed.
    internal = {"KUMA_TIMEOUT_SECONDS", "KUMA_RETRIES", "STATUS_OUT_DIR", "STATUS_STATE_DIR", "DO_API_URL"}
    internal |= {"RUN_BUDGET_SECONDS"}
    assert len(EXAMPLE_NAMES) == len(set(EXAMPLE_NAMES))
    assert set(EXAMPLE_NAMES) - COMMAND_LINE_ONLY <= settings
    assert settings - internal <= set(EXAMPLE_NAMES), settings - internal - set(EXAMPLE_NAMES)
    for name in DEPLOY_REQUIRED:
        comment = EXAMPLE.split(f"\n{name}=")[0].rsplit("\n# ---", 1)[-1]
        assert "REQUIRED" in comment, f"{name} is required: .env.example says so above it"
