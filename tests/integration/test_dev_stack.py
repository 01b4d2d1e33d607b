"""`make dev` as a newcomer runs it: a taken port named with the way round it, a .env.dev that a shell, the
command line and the deployer read alike, and the local page where it says it is."""

from __future__ import annotations

import io
import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from dotenv import dotenv_values

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


def test_make_dev_with_a_port_taken_names_it_and_how_to_choose_another(taken_port: int) -> None:
    completed = subprocess.run(
        ["make", "--no-print-directory", "dev", f"KUMA_PORT={free_port()}", f"SPACES_PORT={free_port()}",
         f"OVERRIDE_PORT={taken_port}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode != 0
    assert f"port {taken_port} (status/override) is taken" in completed.stderr
    assert "make dev OVERRIDE_PORT=<port>" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_the_dev_stack_writes_an_env_file_a_shell_reads_serves_the_page_and_runs_the_runbooks_block(
    tmp_path: Path,
) -> None:
    env_file = tmp_path / ".env.dev"
    ports = [free_port() for _ in range(3)]
    dev = subprocess.Popen(
        [sys.executable, "scripts/dev.py", "--kuma-port", str(ports[0]), "--spaces-port", str(ports[1]),
         "--override-port", str(ports[2]), "--env-out", str(env_file)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        said = ""
        assert dev.stdout is not None
        deadline = time.monotonic() + 60
        while "Ctrl-C stops everything." not in said and time.monotonic() < deadline:
            said += dev.stdout.readline()
        assert env_file.is_file(), said
        from_python = dotenv_values(env_file, interpolate=False)
        assert from_python["STATUS_PAGE_NAME"] == "Platform status (local)"
        shell = subprocess.run(
            ["bash", "-c", f"set -a; . {env_file}; set +a; env"], capture_output=True, text=True, check=True
        ).stdout
        from_shell = dotenv_values(stream=io.StringIO(shell), interpolate=False)
        assert {name: from_shell[name] for name in from_python} == from_python
        published = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "platform-status"), "--env-file", str(env_file), "publish"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert published.returncode == 0, published.stdout + published.stderr
        page = re.search(r"open the page: (\S+)", said)
        assert page, said
        answer = requests.get(page.group(1), timeout=10)
        assert answer.status_code == 200
        assert "Platform status (local)" in answer.text
        # The runbook's "Trying it locally" block, as pasted, against this stack.
        runbook = (ROOT / "docs" / "override.md").read_text()
        block = runbook.split("## Trying it locally", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
        workdir = tmp_path / "checkout"
        workdir.mkdir()
        (workdir / ".venv").symlink_to(ROOT / ".venv")
        (workdir / ".env.dev").write_text(env_file.read_text())
        pasted = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", block], cwd=workdir, capture_output=True, text=True, timeout=300,
            check=False,
        )  # fmt: skip
        assert pasted.returncode == 0, pasted.stdout + pasted.stderr
        listed = json.loads(pasted.stdout.strip().splitlines()[-1])  # the curl at the end
        assert [(i["title"], i["stage"]) for i in listed["incidents"]] == [("Slow logins", "resolved")]
    finally:
        dev.send_signal(signal.SIGINT)
        dev.wait(30)
    assert not env_file.exists()  # Ctrl-C takes it away with the stack
