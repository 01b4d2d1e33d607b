"""The `platform-status` command: the same code the functions run, from an operator's terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dotenv import load_dotenv

from platform_status.config import ConfigError, load_settings
from platform_status.document import status_json_schema_bytes
from platform_status.publish import PublishError, PublishOutcome, publish

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
        lines += [f"wrote {key} ({size} bytes) to {outcome.target}" for key, size in outcome.written.items()]
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="platform-status", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("publish", help="collect, decide and publish status.json once")
    run.add_argument("--dry-run", action="store_true", help="build and print the document, write nothing")
    run.add_argument("--out", type=Path, help="write the public files to this directory instead of Spaces")
    run.add_argument("--json", action="store_true", help="print the run summary and document as JSON")
    run.set_defaults(handler=_publish)

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
    except PublishError as error:
        print(f"platform-status: {error}", file=sys.stderr)
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
