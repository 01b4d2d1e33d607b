"""Real Next.js apps for the site kit's tests: a committed example (web/examples/<name>) copied to
.cache/site-kit/<name>, the kit copied in by web/scripts/install-kit.mjs exactly as web/README.md says,
`npm ci` from the example's lockfile, `next build`, and `next start` on 127.0.0.1.

A build is reused while the example, the kit and the lockfile are unchanged (their digest is kept beside it).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "web" / "examples"
BUILDS = ROOT / ".cache" / "site-kit"
KIT_INPUTS = [ROOT / "web" / "src", ROOT / "web" / "app", ROOT / "web" / "scripts" / "install-kit.mjs"]
QUIET = {"NEXT_TELEMETRY_DISABLED": "1", "NO_UPDATE_NOTIFIER": "1", "npm_config_update_notifier": "false"}


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


@dataclass
class BuiltApp:
    name: str
    folder: Path
    build_seconds: float  # npm ci + next build; 0 when reused
    reused: bool


def build(name: str) -> BuiltApp:
    template = EXAMPLES / name
    folder = BUILDS / name
    digest = _digest([template, *KIT_INPUTS])
    stamp = folder / ".kit-digest"
    if stamp.exists() and stamp.read_text() == digest and (folder / ".next" / "BUILD_ID").exists():
        return BuiltApp(name, folder, 0.0, reused=True)
    started = time.monotonic()
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(template, folder)
    env = os.environ | QUIET
    env.pop("NEXT_PUBLIC_STATUS_JSON_URL", None)  # built without a URL: the URL comes at run time
    env.pop("STATUS_JSON_URL", None)
    steps = [
        ["node", str(ROOT / "web" / "scripts" / "install-kit.mjs"), str(folder)],
        ["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"],
        ["npx", "next", "build"],
    ]
    for step in steps:
        done = subprocess.run(step, cwd=folder, env=env, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(step)} failed in {folder}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    stamp.write_text(digest)
    return BuiltApp(name, folder, time.monotonic() - started, reused=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunningApp:
    """`next start` on 127.0.0.1, its output kept in a log file the tests read."""

    def __init__(self, app: BuiltApp, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        environment = {k: v for k, v in os.environ.items() if "STATUS_JSON_URL" not in k} | QUIET | env
        self._out = log.open("w")
        self.process = subprocess.Popen(
            ["npx", "next", "start", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=app.folder,
            env=environment,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/_not-found", timeout=2)
                return  # answering
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"next start did not answer: {log.read_text()[-2000:]}")

    def output(self) -> str:
        self._out.flush()
        return self.log.read_text()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._out.close()
