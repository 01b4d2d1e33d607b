"""Local stand-ins to try the commands by hand (make dev): Spaces, Uptime Kuma and the override function.

Starts, on 127.0.0.1 and until Ctrl-C: moto's S3 server seeded with the demo's tenants, the Uptime Kuma
stand-in replaying recorded Kuma 2.5.3 answers, and status/override served as DigitalOcean serves a web
function. Writes .env.dev with every variable that points at them; in another terminal:

    .venv/bin/platform-status --env-file .env.dev publish
    .venv/bin/platform-status --env-file .env.dev incident open --title "Test" --impact outage --message "Hi"
    .venv/bin/platform-status --env-file .env.dev override set --status outage --message "Testing" --ttl 30m
    .venv/bin/python scripts/setup_bucket.py --env-file .env.dev --origin http://localhost:3000
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import socket
import sys
import threading
from pathlib import Path

from demo import ROOT, load_handler, start_local_stack
from functions_adapter import FunctionServer

ENV_FILE = ROOT / ".env.dev"
DEV_OVERRIDE_TOKEN = "dev-override-token-for-the-local-stand-ins"  # noqa: S105 - reaches 127.0.0.1 only


# Each port, its flag and the make variable that sets it: `make dev KUMA_PORT=3002 SPACES_PORT=4567 ...`.
PORTS = {
    "kuma": ("the Uptime Kuma stand-in", "KUMA_PORT", 3001),
    "spaces": ("the Spaces stand-in (moto)", "SPACES_PORT", 4566),
    "override": ("status/override", "OVERRIDE_PORT", 8080),
}


def taken_ports(ports: dict[str, int]) -> list[str]:
    """A sentence for each port something else already listens on: which, for what, and how to move it."""
    taken = []
    for name, port in ports.items():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                what, variable, _ = PORTS[name]
                taken.append(
                    f"dev: port {port} ({what}) is taken: choose another with `make dev {variable}=<port>` "
                    f"(or --{name}-port <port>)"
                )
    return taken


def env_file_text(env: dict[str, str]) -> str:
    """Read alike by python-dotenv, the deployer's dotenv and a shell (`set -a; . ./.env.dev; set +a`)."""
    return "".join(f"{name}={shlex.quote(value)}\n" for name, value in env.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, (what, variable, default) in PORTS.items():
        parser.add_argument(f"--{name}-port", type=int, default=default, help=f"{what} (make dev {variable}=...)")
    parser.add_argument("--env-out", type=Path, default=ENV_FILE, help="where to write the variables (.env.dev)")
    args = parser.parse_args()
    env_file: Path = args.env_out
    ports = {name: getattr(args, f"{name}_port") for name in PORTS}
    problems = taken_ports(ports)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    stack = start_local_stack(ports["kuma"], ports["spaces"])
    env = stack.env | {
        "OVERRIDE_TOKEN": DEV_OVERRIDE_TOKEN,
        "OVERRIDE_URL": f"http://127.0.0.1:{ports['override']}",
        "OVERRIDE_WEB_SECURE": "false",
        "STATUS_PAGE_NAME": "Platform status (local)",
    }
    os.environ.update(env)  # what the override function reads, as the platform's environment
    override = FunctionServer(load_handler("override"), ports["override"]).start()
    env_file.write_text(env_file_text(env))
    page = f"{stack.spaces.endpoint}/{env['STATUS_BUCKET']}/index.html"
    print(f"status/override on {override.url}")
    print(f"\nWrote {env_file}. In another terminal, from {ROOT}:")
    print("  .venv/bin/platform-status --env-file .env.dev publish")
    print(f"  then open the page: {page}")
    print('  .venv/bin/platform-status --env-file .env.dev incident open --title "Test" --impact outage --message "Hi"')
    print('  .venv/bin/platform-status --env-file .env.dev override set --status outage --message "Testing" --ttl 30m')
    print("  .venv/bin/platform-status --env-file .env.dev doctor")
    print("  .venv/bin/python scripts/setup_bucket.py --env-file .env.dev --origin http://localhost:3000")
    print("  set -a; . ./.env.dev; set +a   # the variables in your shell, for curl (docs/override.md)")
    print("Ctrl-C stops everything.")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a kill cleans up as Ctrl-C does
    try:
        threading.Event().wait()  # the servers run in their threads; Ctrl-C ends the wait
    except KeyboardInterrupt:
        pass
    finally:
        override.stop()
        stack.stop()
        env_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
