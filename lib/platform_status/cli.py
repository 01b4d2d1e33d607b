"""The `platform-status` command: the same code the functions run, from an operator's terminal."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

import requests
from dotenv import load_dotenv

from platform_status.config import ConfigError, load_settings
from platform_status.document import status_json_schema_bytes
from platform_status.override.client import OverrideClient, describe_log, describe_view, parse_ttl_minutes
from platform_status.publish import PublishError, PublishOutcome, publish
from platform_status.timeutil import utc_now
from platform_status.watch.check import check, parse_max_age

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


def _describe(outcome: PublishOutcome) -> str:
    doc = outcome.document
    uptime = f"{doc.uptime.last_24h:.2f} %" if doc.uptime.last_24h is not None else "unknown"
    counts = doc.backups.tenants
    lines = [
        f"platform status: {doc.platform_status.value}",
        f"monitors: {doc.monitors.total} counted, {doc.monitors.down} down, {doc.monitors.pending} pending, "
        f"{doc.monitors.maintenance} in maintenance; 24 h uptime {uptime}",
        f"backups: {doc.backups.last_backup_status.value} ({counts.success} of {counts.total} tenants on time, "
        f"{counts.warning} late, {counts.failed} failed)",
    ]
    for name, report in (
        ("uptime_kuma", outcome.observations.kuma_report),
        ("backups", outcome.observations.backups_report),
    ):
        reason = f": {report.reason}" if report.reason else ""
        lines.append(f"source {name}: {report.status} in {report.latency_ms} ms{reason}")
    if outcome.dry_run:
        lines.append("dry run: nothing written")
    else:
        for key, size in outcome.written.items():
            where = f"{outcome.state_target} (private)" if key in outcome.private_keys else outcome.target
            lines.append(f"wrote {key} ({size} bytes) to {where}")
    lines += [f"problem: {problem}" for problem in outcome.problems]
    return "\n".join(lines)


def _publish(args: argparse.Namespace) -> int:
    settings = load_settings()
    outcome = publish(settings, dry_run=args.dry_run, out_dir=args.out)
    if args.json:
        print(json.dumps(outcome.summary() | {"document": outcome.document.model_dump(mode="json")}, indent=2))
    else:
        if args.dry_run:
            print(outcome.document.to_json_bytes().decode())
        print(_describe(outcome))
    return EXIT_FAILED if outcome.problems else EXIT_OK


def _schema(_: argparse.Namespace) -> int:
    sys.stdout.write(status_json_schema_bytes().decode())
    return EXIT_OK


def _override(args: argparse.Namespace) -> int:
    client = OverrideClient.from_environment()
    author = args.author or os.environ.get("OVERRIDE_AUTHOR") or getpass.getuser()
    if args.action == "set":
        ttl = parse_ttl_minutes(args.ttl) if args.ttl else None
        status, body = client.set(args.status, args.message, author, ttl, args.until)
    elif args.action == "clear":
        status, body = client.clear(author)
    elif args.action == "log":
        status, body = client.log(args.limit)
    else:
        status, body = client.show()
    if status >= 400:
        fields = "".join(f"\n  {item['field']}: {item['message']}" for item in body.get("fields", []))
        print(f"platform-status: HTTP {status}: {body.get('error')}{fields}", file=sys.stderr)
        return EXIT_FAILED
    print(describe_log(body) if args.action == "log" else describe_view(body))
    return EXIT_OK if body.get("published") is not False else EXIT_FAILED


def _check(args: argparse.Namespace) -> int:
    code, line = check(args.url, parse_max_age(args.max_age), utc_now(), args.timeout)
    print(line)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="platform-status", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("publish", help="collect, decide and publish status.json once")
    run.add_argument("--dry-run", action="store_true", help="build and print the document, write nothing")
    run.add_argument("--out", type=Path, help="write the public files to this directory instead of Spaces")
    run.add_argument("--json", action="store_true", help="print the run summary and document as JSON")
    run.set_defaults(handler=_publish)

    override = commands.add_parser(
        "override", help="set, show or clear the manual status (calls OVERRIDE_URL with OVERRIDE_TOKEN)"
    )
    actions = override.add_subparsers(dest="action", required=True)
    put = actions.add_parser("set", help="set or replace the override; it ends by itself")
    put.add_argument("--status", required=True, choices=["operational", "degraded", "outage", "maintenance"])
    put.add_argument("--message", default="", help="plain text shown to customers, at most 500 characters")
    expiry = put.add_mutually_exclusive_group()
    expiry.add_argument("--ttl", help="how long it lasts: 90m, 2h, 1d (default 2h, at most 7d)")
    expiry.add_argument("--until", help="when it ends, RFC 3339 (e.g. 2026-11-28T22:00:00Z)")
    put.add_argument("--author", help="who sets it (default: OVERRIDE_AUTHOR or your user name)")
    clear = actions.add_parser("clear", help="end the override now")
    clear.add_argument("--author", help="who clears it")
    actions.add_parser("show", help="the override, the computed and the effective status")
    log = actions.add_parser("log", help="the audit trail, newest first")
    log.add_argument("--limit", type=int, default=20)
    for parser_ in (actions.choices["show"], log):
        parser_.set_defaults(author=None)
    override.set_defaults(handler=_override)

    fresh = commands.add_parser(
        "check", help="is the public status.json fresh and valid? exit 0 yes, 1 stale or invalid, 2 unreachable"
    )
    fresh.add_argument(
        "--url", required=True, help="the public status.json, e.g. https://status.example.com/status.json"
    )
    fresh.add_argument("--max-age", default="20m", help="older than this is stale (default 20m)")
    fresh.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for an answer")
    fresh.set_defaults(handler=_check)

    schema = commands.add_parser("schema", help="print the JSON Schema of status.json")
    schema.set_defaults(handler=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Only the command line reads .env; the functions get real variables from project.yml.
    load_dotenv(Path.cwd() / ".env", override=False)
    try:
        code: int = args.handler(args)
    except ConfigError as error:
        print(f"platform-status: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except (PublishError, ValueError) as error:
        print(f"platform-status: {error}", file=sys.stderr)
        return EXIT_FAILED
    except requests.exceptions.RequestException as error:
        print(f"platform-status: could not reach the override function ({type(error).__name__})", file=sys.stderr)
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
