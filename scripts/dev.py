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
import signal
import sys
import threading
from pathlib import Path

from demo import ROOT, load_handler, start_local_stack
from functions_adapter import FunctionServer

ENV_FILE = ROOT / ".env.dev"
DEV_OVERRIDE_TOKEN = "dev-override-token-for-the-local-stand-ins"  # noqa: S105 - reaches 127.0.0.1 only


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kuma-port", type=int, default=3001)
    parser.add_argument("--spaces-port", type=int, default=4566)
    parser.add_argument("--override-port", type=int, default=8080)
    args = parser.parse_args()
    try:
        stack = start_local_stack(args.kuma_port, args.spaces_port)
    except OSError as error:
        print(f"dev: a port is taken ({error.strerror}): pick others with --kuma-port/--spaces-port", file=sys.stderr)
        return 1
    env = stack.env | {
        "OVERRIDE_TOKEN": DEV_OVERRIDE_TOKEN,
        "OVERRIDE_URL": f"http://127.0.0.1:{args.override_port}",
        "OVERRIDE_WEB_SECURE": "false",
        "STATUS_PAGE_NAME": "Platform status (local)",
    }
    os.environ.update(env)  # what the override function reads, as the platform's environment
    override = FunctionServer(load_handler("override"), args.override_port).start()
    ENV_FILE.write_text("".join(f"{name}={value}\n" for name, value in env.items()))
    print(f"status/override on {override.url}")
    print(f"\nWrote {ENV_FILE.relative_to(ROOT)}. In another terminal, from {Path.cwd()}:")
    print("  .venv/bin/platform-status --env-file .env.dev publish")
    print('  .venv/bin/platform-status --env-file .env.dev incident open --title "Test" --impact outage --message "Hi"')
    print('  .venv/bin/platform-status --env-file .env.dev override set --status outage --message "Testing" --ttl 30m')
    print("  .venv/bin/platform-status --env-file .env.dev doctor")
    print("  .venv/bin/python scripts/setup_bucket.py --env-file .env.dev --origin http://localhost:3000")
    print("Ctrl-C stops everything.")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a kill cleans up as Ctrl-C does
    try:
        threading.Event().wait()  # the servers run in their threads; Ctrl-C ends the wait
    except KeyboardInterrupt:
        pass
    finally:
        override.stop()
        stack.stop()
        ENV_FILE.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
