"""project.yml, .env.example and the settings agree, and project.yml keeps the deployer's rules."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from platform_status.config import Settings

ROOT = Path(__file__).resolve().parents[2]
PROJECT = (ROOT / "project.yml").read_text()
TEMPLATED = set(re.findall(r"\$\{([A-Z0-9_]+)\}", PROJECT))


def test_project_yml_follows_the_deployers_rules() -> None:
    assert "\t" not in PROJECT
    for line in PROJECT.splitlines():
        if "#" in line:
            assert "${" not in line.split("#", 1)[1], f"a ${{...}} in a comment is templated too: {line}"
    project = yaml.safe_load(re.sub(r"\$\{([A-Z0-9_]+)\}", r"\1", PROJECT))
    (package,) = project["packages"]
    assert package["name"] == "status"
    functions = {f["name"]: f for f in package["functions"]}
    assert functions["publish"]["web"] is False
    assert functions["publish"]["triggers"][0]["sourceDetails"]["cron"] == "*/10 * * * *"
    assert functions["override"]["web"] == "raw"
    assert all(f["runtime"] == "python:3.11" for f in functions.values())
    assert all(set(f["limits"]) <= {"timeout", "memory", "logs"} for f in functions.values())


def test_every_templated_value_is_quoted() -> None:
    for line in PROJECT.splitlines():
        if "${" in line:
            assert re.search(r': "\$\{[A-Z0-9_]+\}"$', line), line


def test_every_variable_is_a_setting_and_in_env_example() -> None:
    example = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    settings = {name.upper() for name in Settings.model_fields}
    assert settings >= TEMPLATED, TEMPLATED - settings
    assert example >= TEMPLATED, TEMPLATED - example
