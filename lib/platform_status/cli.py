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
from platform_status.incidents.commands import add_commands as add_incident_commands
from platform_status.observations import SOURCES
from platform_status.operations.doctor import diagnose, healthy
from platform_status.operations.env_check import check_env_file
from platform_status.operations.trigger import (
    TRIGGER_NAME,
    TriggerApiError,
    create_publish_trigger,
    publish_triggers,
)
from platform_status.override.client import OverrideClient, describe_log, describe_view, parse_ttl_minutes
from platform_status.reporting import describe_document
from platform_status.run.errors import PublishError
from platform_status.run.outcome import PublishOutcome
from platform_status.run.publish import publish
from platform_status.spaces import make_s3_client
from platform_status.timeutil import utc_now
from platform_status.watch.check import check, parse_max_age

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


def _describe(outcome: PublishOutcome) -> str:
    lines = describe_document(outcome.document)
    reports = outcome.observations.reports()
    for source in SOURCES:
        report = reports[source.key]
        reason = f": {report.reason}" if report.reason else ""
        lines.append(f"source {source.label}: {report.status} in {report.latency_ms} ms{reason}")
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
        if args.out is not None and settings.spaces_configured:
            print(
                f"note: with --out the override and the incidents are read from {settings.status_bucket}; the "
                f"history is this folder's own ({settings.status_state_dir}), and nothing is written to the bucket"
            )
    return EXIT_FAILED if outcome.problems else EXIT_OK


def _schema(_: argparse.Namespace) -> int:
    sys.stdout.write(status_json_schema_bytes().decode())
    return EXIT_OK


def _override(args: argparse.Namespace) -> int:
    ttl = parse_ttl_minutes(args.ttl) if args.action == "set" and args.ttl else None  # before any request
    client = OverrideClient.from_environment()
    author = args.author or os.environ.get("OVERRIDE_AUTHOR") or getpass.getuser()
    if args.action == "set":
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


def _check_env(args: argparse.Namespace) -> int:
    result = check_env_file(args.env_file)
    for problem in result.problems:
        print(f"PROBLEM  {problem}")
    if result.ok and args.env_file.name != ".env":
        # The deployer reads .env beside project.yml whatever --env names (project.yml): say how to deploy these.
        print(f"ok       {args.env_file}: ready to deploy once it is the project's .env (the functions get .env")
        print("         beside project.yml, whatever --env names):")
        print(f"         cp {args.env_file} .env && doctl serverless deploy . --env .env")
        return EXIT_OK
    if result.ok:
        print(f"ok       {args.env_file}: ready to deploy (doctl serverless deploy . --env {args.env_file})")
        return EXIT_OK
    print(f"{len(result.problems)} problem(s) in {args.env_file}: fix them before deploying")
    return EXIT_FAILED


def _doctor(_: argparse.Namespace) -> int:
    settings = load_settings()
    s3_client = make_s3_client(settings) if settings.spaces_configured else None
    findings = diagnose(settings, now=utc_now(), s3_client=s3_client)
    for finding in findings:
        print(finding.line())
    return EXIT_OK if healthy(findings) else EXIT_FAILED


def _trigger(args: argparse.Namespace) -> int:
    settings = load_settings(require_kuma=False)
    if settings.do_api_token is None or settings.functions_namespace is None:
        raise ConfigError(["DO_API_TOKEN, FUNCTIONS_NAMESPACE: both are needed to reach the trigger"])
    api, token, namespace = (
        str(settings.do_api_url),
        settings.do_api_token.get_secret_value(),
        settings.functions_namespace,
    )
    try:
        found = publish_triggers(api, token, namespace)
        if args.create and not found:
            create_publish_trigger(api, token, namespace)
            print(f"created {TRIGGER_NAME}: status/publish every 10 minutes")
            found = publish_triggers(api, token, namespace)
    except TriggerApiError as error:
        print(f"platform-status: {error}", file=sys.stderr)
        return EXIT_FAILED
    for trigger in found:
        state = "enabled" if trigger.enabled else "DISABLED"
        print(f"{trigger.name}: {trigger.function}, {trigger.cron or 'no schedule'}, {state}")
    if not found:
        print("no trigger calls status/publish: platform-status trigger --create", file=sys.stderr)
    return EXIT_OK if any(trigger.enabled for trigger in found) else EXIT_FAILED


def _check(args: argparse.Namespace) -> int:
    code, line = check(args.url, parse_max_age(args.max_age), utc_now(), args.timeout)
    print(line)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="platform-status", description=__doc__)
    parser.add_argument(
        "--env-file",
        type=Path,
        default=Path(".env"),
        help="variables to read first (default .env; make dev writes .env.dev)",
    )
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

    add_incident_commands(commands)

    fresh = commands.add_parser(
        "check", help="is the public status.json fresh and valid? exit 0 yes, 1 stale or invalid, 2 unreachable"
    )
    fresh.add_argument(
        "--url", required=True, help="the public status.json, e.g. https://status.example.com/status.json"
    )
    fresh.add_argument("--max-age", default="20m", help="older than this is stale (default 20m)")
    fresh.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for an answer")
    fresh.set_defaults(handler=_check)

    env_check = commands.add_parser(
        "check-env", help="check .env before deploying: complete, valid, and read by the deployer as written"
    )
    env_check.set_defaults(handler=_check_env)

    doctor = commands.add_parser(
        "doctor", help="the status system's own health, one line per item; exit 0 healthy, 1 otherwise"
    )
    doctor.set_defaults(handler=_doctor)

    trigger = commands.add_parser(
        "trigger", help="show status/publish's scheduled trigger (DO_API_TOKEN, FUNCTIONS_NAMESPACE); --create it"
    )
    trigger.add_argument("--create", action="store_true", help="create it when missing (after --remote-build)")
    trigger.set_defaults(handler=_trigger)

    schema = commands.add_parser("schema", help="print the JSON Schema of status.json")
    schema.set_defaults(handler=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Only the command line reads .env; the functions get real variables from project.yml.
    # interpolate=False: the deployer gives the functions .env without expanding ${...}; read it the same way.
    if args.handler is not _check_env:  # check-env reads the file itself, as the deployer will
        load_dotenv(args.env_file, override=False, interpolate=False)
    try:
        code: int = args.handler(args)
    except ConfigError as error:
        print(f"platform-status: {error}", file=sys.stderr)
        if not args.env_file.exists() and Path(".env.dev").exists():
            print(
                f"platform-status: there is no {args.env_file} here; the local stack (make dev) wrote .env.dev: "
                f"run it as platform-status --env-file .env.dev {args.command} ...",
                file=sys.stderr,
            )
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
