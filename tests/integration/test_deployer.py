"""project.yml and .env as DigitalOcean's deployer reads them (its library, pinned in tools/deployer): what
`doctl serverless deploy . --env .env` would accept, and what each function's environment would hold."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values

from package_function import ROOT, copy_project, env_from_example, run_deployer
from platform_status.config import DEPLOY_REQUIRED, DEPLOYED_WITH, ConfigError, load_settings
from platform_status.operations.env_check import check_env_text

pytestmark = pytest.mark.packaging

EXAMPLE = (ROOT / ".env.example").read_text()
# What a user fills in, as the README says: the required secrets and names, nothing else.
FILLED = {
    "UPTIME_KUMA_METRICS_URL": "https://uptime.acme.test",
    "UPTIME_KUMA_API_KEY": "kuma-api-key-for-the-deployer-test",
    "SPACES_ACCESS_KEY": "spaces-access-key-for-the-test",
    "SPACES_SECRET_KEY": "secret-key-for-the-deployer-test",
    "SPACES_ENDPOINT": "https://fra1.digitaloceanspaces.com",
    "SPACES_BUCKET": "acme-backups",
    "STATUS_BUCKET": "acme-status",
    "OVERRIDE_TOKEN": "override-token-for-the-deployer-test-0123456789",
}


def read_project(tmp_path: Path, env_text: str) -> dict[str, Any]:
    project = copy_project(tmp_path)
    (project / ".env").write_text(env_text)
    return run_deployer("read", project, project / ".env")


def test_what_fills_the_required_lines_covers_every_required_variable() -> None:
    assert set(FILLED) == set(DEPLOY_REQUIRED)


def test_the_env_the_readme_tells_users_to_make_deploys(tmp_path: Path) -> None:
    env_text = env_from_example(EXAMPLE, FILLED)
    assert check_env_text(env_text).ok, check_env_text(env_text).problems
    answer = read_project(tmp_path, env_text)
    assert answer["error"] is None, answer["error"]
    assert answer["unresolved"] == []
    functions = answer["functions"]
    assert set(functions) == {"status/publish", "status/override"}
    publish, override = functions["status/publish"], functions["status/override"]
    assert publish["runtime"] == override["runtime"] == "python:3.11"
    assert publish["web"] is False
    assert override["web"] == "raw"
    assert override["webSecure"] is False  # .env.example's "false": no second secret, not the secret "false"
    (trigger,) = publish["triggers"]
    assert trigger["name"] == "publish-every-10-minutes"
    assert trigger["sourceDetails"]["cron"] == "*/10 * * * *"
    # Each function gets .env as the command line reads it: every variable, the empty ones empty.
    expected = {name: value or "" for name, value in dotenv_values(stream=io.StringIO(env_text)).items()}
    for environment in (publish["environment"], override["environment"]):
        deployed_with = json.loads(environment.pop(DEPLOYED_WITH))
        assert environment == expected
        assert deployed_with == {name: expected[name] for name in deployed_with}  # the same file: runs
        assert set(FILLED) <= set(deployed_with)
    assert all(publish["environment"][name] == value for name, value in FILLED.items())
    assert publish["environment"]["UPTIME_KUMA_STATUS_PAGE"] == ""


def test_a_web_secure_secret_in_env_protects_the_override_function(tmp_path: Path) -> None:
    env_text = env_from_example(EXAMPLE, FILLED | {"OVERRIDE_WEB_SECURE": "wEb-Secure_0123456789abcdef"})
    assert check_env_text(env_text).ok
    answer = read_project(tmp_path, env_text)
    assert answer["error"] is None
    assert answer["functions"]["status/override"]["webSecure"] == "wEb-Secure_0123456789abcdef"
    assert answer["functions"]["status/publish"]["webSecure"] is None


def test_without_env_the_deployer_refuses_and_the_runbook_quotes_what_it_says(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    answer = run_deployer("read", project, project / ".env")
    assert answer["error"]
    said = answer["error"].replace(str(project), "...")
    assert said == "The specified environment file '.../.env' does not exist"
    assert f"`{said}`" in (ROOT / "docs" / "runbook.md").read_text()


# Free texts a user may well write (BACKUP_POLICY, STATUS_PAGE_NAME): quotes, backslashes, #.
TRICKY = [
    "Acme #1 hosting",
    'Nightly "full" backups',
    "It's nightly",
    r"Backups to \\nas\share",
    r"C:\new\path",
    "50% off # not a comment",
    "Ünïcødé — status ✓",
    "ends with a backslash\\",
    "both ' and \" quotes",
]


def _written(value: str, quoting: str) -> str:
    if quoting == "double":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if quoting == "single":
        return "'" + value + "'"
    return value


def test_a_free_text_reaches_the_function_unchanged_or_check_env_refuses_it(tmp_path: Path) -> None:
    """Each value written the natural way for each quoting: check-env either refuses the line before any
    deploy, or the deployer hands the function exactly the value, as the command line reads it too."""
    accepted: set[str] = set()
    for quoting in ("double", "single", "none"):
        lines = {f"TEXT_{index}": _written(value, quoting) for index, value in enumerate(TRICKY)}
        env_text = env_from_example(EXAMPLE, FILLED) + "".join(f"{name}={text}\n" for name, text in lines.items())
        check = check_env_text(env_text)
        refused = {name for name in lines if any(problem.startswith(f"{name}:") for problem in check.problems)}
        answer = read_project(tmp_path / quoting, env_text)
        assert answer["error"] is None
        environment = answer["functions"]["status/publish"]["environment"]
        command_line = dotenv_values(stream=io.StringIO(env_text), interpolate=False)
        for index, value in enumerate(TRICKY):
            name = f"TEXT_{index}"
            if name not in refused:
                assert environment.get(name) == value, (quoting, value, environment.get(name))
                assert command_line.get(name) == value, (quoting, value, command_line.get(name))
                accepted.add(value)
    # Every text has a way through: some quoting that check-env accepts and that arrives unchanged.
    assert accepted == set(TRICKY)


def _settings_problems(environment: dict[str, str]) -> list[str]:
    try:
        load_settings(environment)
    except ConfigError as error:
        return error.problems
    return []


def test_a_deploy_naming_another_env_file_leaves_functions_that_refuse_to_run_and_say_why(tmp_path: Path) -> None:
    """`--env staging.env` feeds only the substitutions; the environment is .env beside project.yml. The
    functions see the difference and refuse to run on values that file did not hold, naming the variable."""
    project = copy_project(tmp_path)
    (project / ".env").write_text(env_from_example(EXAMPLE, FILLED))
    (project / "staging.env").write_text(env_from_example(EXAMPLE, FILLED | {"STATUS_BUCKET": "acme-staging"}))
    answer = run_deployer("read", project, project / "staging.env")
    assert answer["error"] is None
    for function in ("status/publish", "status/override"):
        environment = answer["functions"][function]["environment"]
        assert environment["STATUS_BUCKET"] == "acme-status"  # .env's, whatever --env named
        (problem,) = _settings_problems(environment)
        assert problem.startswith("STATUS_BUCKET: the deploy's --env file")
        assert "acme-staging" not in problem and "acme-status" not in problem  # names, never values
    # The same project deployed with --env .env runs.
    answer = run_deployer("read", project, project / ".env")
    assert _settings_problems(answer["functions"]["status/publish"]["environment"]) == []


def test_a_web_secure_secret_exported_in_the_shell_is_refused_not_deployed_silently(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / ".env").write_text(env_from_example(EXAMPLE, FILLED))
    shell = dict(os.environ, OVERRIDE_WEB_SECURE="from-the-shell-0123456789")
    answer = run_deployer("read", project, project / ".env", env=shell)
    override = answer["functions"]["status/override"]
    assert override["webSecure"] == "from-the-shell-0123456789"  # what the deployer does with it...
    (problem,) = _settings_problems(override["environment"])  # ...is seen by the functions
    assert problem.startswith("OVERRIDE_WEB_SECURE:")
    # And the local build (the default deploy) stops before anything is deployed, saying what to do.
    build = subprocess.run(
        ["/bin/bash", "build.sh"],
        cwd=project / "packages" / "status" / "override",
        env=shell,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 1
    assert "OVERRIDE_WEB_SECURE is set in your shell and differs from .env" in build.stderr
    assert "unset OVERRIDE_WEB_SECURE" in build.stderr
    assert not (project / "packages" / "status" / "override" / "virtualenv").exists()
