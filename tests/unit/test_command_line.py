"""The command line as an operator meets it: durations in the unit typed, files a web server can read."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from platform_status.cli import main
from platform_status.override.client import OverrideClient, parse_ttl_minutes
from platform_status.store import LocalStore, ObjectMeta


@pytest.mark.parametrize(("text", "minutes"), [("30m", 30), ("2h", 120), ("3d", 4320), ("90", 90), (" 7D ", 10080)])
def test_ttl_takes_minutes_hours_and_days(text: str, minutes: int) -> None:
    assert parse_ttl_minutes(text) == minutes


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("8d", "--ttl 8d: at most 7d"),
        ("169h", "--ttl 169h: at most 168h (7 days)"),
        ("10081m", "--ttl 10081m: at most 10080m (7 days)"),
        ("0h", "--ttl 0h: at least 1h"),
        ("2 weeks", "--ttl 2 weeks: use a number with m, h or d"),
    ],
)
def test_a_ttl_out_of_range_is_refused_in_the_unit_typed(text: str, says: str) -> None:
    with pytest.raises(ValueError, match="^" + says.replace("(", r"\(").replace(")", r"\)")):
        parse_ttl_minutes(text)


def test_web_secure_false_in_env_sends_no_header() -> None:
    env = {"OVERRIDE_URL": "http://127.0.0.1:9/", "OVERRIDE_TOKEN": "t" * 40}
    assert OverrideClient.from_environment(env | {"OVERRIDE_WEB_SECURE": "false"}).web_secure is None
    assert OverrideClient.from_environment(env | {"OVERRIDE_WEB_SECURE": ""}).web_secure is None
    assert OverrideClient.from_environment(env | {"OVERRIDE_WEB_SECURE": "s3cret-s3cret-s3cret"}).web_secure


def test_public_files_written_locally_are_readable_by_a_web_server_and_state_is_not(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put("status.json", b"{}", ObjectMeta("application/json", public=True))
    store.put("_state/last-run.json", b"{}", ObjectMeta("application/json", public=False))
    assert stat.S_IMODE((tmp_path / "status.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "_state" / "last-run.json").stat().st_mode) == 0o600


def test_a_command_run_where_only_env_dev_exists_points_at_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("OVERRIDE_URL", "OVERRIDE_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env.dev").write_text("OVERRIDE_URL='http://127.0.0.1:8080'\n")
    assert main(["incident", "list"]) != 0
    said = capsys.readouterr().err
    assert "OVERRIDE_URL" in said
    assert "run it as platform-status --env-file .env.dev incident ..." in said
