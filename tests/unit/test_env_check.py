"""`platform-status check-env`: a .env the deployer and the command line read alike, complete and valid.
(That the deployer reads accepted lines as written is shown with the deployer itself in
tests/integration/test_deployer.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from platform_status.cli import main as cli
from platform_status.config import DEPLOY_REQUIRED
from platform_status.operations.env_check import check_env_file, check_env_text, read_env_text

ROOT = Path(__file__).resolve().parents[2]

COMPLETE = """\
UPTIME_KUMA_METRICS_URL=https://uptime.acme.test
UPTIME_KUMA_API_KEY=uk1_key
SPACES_ACCESS_KEY=DO00KEY
SPACES_SECRET_KEY=secret
SPACES_ENDPOINT=https://fra1.digitaloceanspaces.com
SPACES_BUCKET=acme-backups
STATUS_BUCKET=acme-status
OVERRIDE_TOKEN=override-token-of-at-least-32-characters
OVERRIDE_WEB_SECURE=false
"""


def test_a_complete_env_is_ready() -> None:
    check = check_env_text(COMPLETE)
    assert check.problems == []
    assert check.values["SPACES_BUCKET"] == "acme-backups"


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("STATUS_PAGE_NAME=Acme#1", "cuts an unquoted value at #"),
        ("STATUS_PAGE_NAME=Acme #1 status", "a # after a space starts a comment"),
        ('BACKUP_POLICY="Nightly \\"full\\" backups"', "put the value in single quotes"),
        ('BACKUP_POLICY="C:\\\\backups"', "put the value in single quotes"),
        ("BACKUP_POLICY='a \\\\ b'", "inside single quotes"),
        ("BACKUP_POLICY=`backquoted`", "backquotes"),
        ("BACKUP_POLICY='never closed", "cannot be read"),
    ],
)
def test_a_line_the_deployer_would_read_differently_is_refused_by_name(line: str, says: str) -> None:
    check = check_env_text(COMPLETE + line + "\n")
    assert len(check.problems) == 1, check.problems
    assert check.problems[0].startswith(("STATUS_PAGE_NAME:", "BACKUP_POLICY:"))
    assert says in check.problems[0]


@pytest.mark.parametrize(
    "line",
    [
        "STATUS_PAGE_NAME='Acme #1 \"hosting\" C:\\path'",
        'STATUS_PAGE_NAME="It\'s Acme #1"',
        'BACKUP_POLICY="Line one\\nline two"',
        "STATUS_PAGE_NAME=It's plain",
        "STATUS_PAGE_NAME=",
        "export STATUS_PAGE_NAME=Acme",
    ],
)
def test_what_both_readers_agree_on_passes(line: str) -> None:
    assert check_env_text(COMPLETE + line + "\n").problems == []


def test_every_missing_required_variable_is_named_and_no_value_is_echoed() -> None:
    check = check_env_text("SPACES_SECRET_KEY=\nOVERRIDE_TOKEN=short-secret-token\n")
    named = {problem.split(":")[0] for problem in check.problems}
    assert {"UPTIME_KUMA_METRICS_URL", "UPTIME_KUMA_API_KEY", "SPACES_SECRET_KEY", "STATUS_BUCKET"} <= named
    assert any(problem.startswith("OVERRIDE_TOKEN:") for problem in check.problems)
    assert "short-secret-token" not in " ".join(check.problems)


def test_the_example_values_are_not_deployable() -> None:
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    problems = check_env_text(example).problems
    assert "OVERRIDE_TOKEN: required" in problems
    # An example from a comment pasted as it is is still refused.
    pasted = example.replace("\nSPACES_BUCKET=\n", "\nSPACES_BUCKET=example-backups\n")
    assert "SPACES_BUCKET: still the value of .env.example" in check_env_text(pasted).problems
    # ...but every line of it is readable alike by both readers.
    assert read_env_text(example).problems == []


@pytest.mark.parametrize(
    ("value", "ok"),
    [("false", True), ("a-Web_secure-secret-0123", True), ("", False), ("true", False), ("1234567890123456789", False)],
)
def test_web_secure_is_false_or_a_secret_that_stays_a_yaml_string(value: str, ok: bool) -> None:
    text = COMPLETE.replace("OVERRIDE_WEB_SECURE=false", f"OVERRIDE_WEB_SECURE={value}")
    assert check_env_text(text).ok is ok


def test_a_variable_set_twice_is_a_problem() -> None:
    check = read_env_text("STATUS_PAGE_NAME=a\nSTATUS_PAGE_NAME=b\n")
    assert check.problems == ["STATUS_PAGE_NAME: set twice (lines 1 and 2)"]


def test_the_command_exits_0_when_ready_and_1_with_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(COMPLETE)
    assert cli(["check-env"]) == 0
    assert "ready to deploy" in capsys.readouterr().out
    (tmp_path / ".env").write_text(COMPLETE + "STATUS_PAGE_NAME=Acme#1\n")
    assert cli(["check-env"]) == 1
    assert "PROBLEM  STATUS_PAGE_NAME:" in capsys.readouterr().out
    assert check_env_file(tmp_path / "missing.env").problems[0].endswith("(cp .env.example .env, then fill it in)")


def test_env_example_leaves_every_required_value_to_the_user() -> None:
    example = check_env_text((ROOT / ".env.example").read_text())
    assert all(not example.values.get(name) for name in DEPLOY_REQUIRED)
    assert {f"{name}: required" for name in DEPLOY_REQUIRED} <= set(example.problems)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.0.0.2"])
def test_a_configuration_pointing_at_this_machine_is_not_ready_to_deploy(host: str) -> None:
    text = COMPLETE.replace("https://fra1.digitaloceanspaces.com", f"http://{host}:4566\nSPACES_REGION=us-east-1")
    problems = check_env_text(text).problems
    assert any(p.startswith("SPACES_ENDPOINT:") and "cannot reach it" in p for p in problems), problems


def test_check_env_on_another_file_says_the_functions_get_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "staging.env").write_text(COMPLETE)
    assert cli(["--env-file", "staging.env", "check-env"]) == 0
    said = capsys.readouterr().out
    assert "cp staging.env .env && doctl serverless deploy . --env .env" in said
    assert "--env staging.env" not in said
