"""`platform-status incident ...` and `platform-status maintenance ...`: the incident routes of the operators'
API (docs/override-api.yaml) from a terminal, through the same client as `platform-status override`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from platform_status.incidents.model import MAX_INCIDENT_TTL, MAX_MAINTENANCE_LENGTH
from platform_status.override.client import OverrideClient, parse_ttl_minutes
from platform_status.timeutil import format_utc

EXIT_OK, EXIT_FAILED = 0, 1


def _author(args: argparse.Namespace) -> str:
    return args.author or os.environ.get("OVERRIDE_AUTHOR") or getpass.getuser()


def _published(body: Mapping[str, Any]) -> str:
    if body.get("published") is True:
        return f"published at once; CDN: {body.get('cdn_purge')}"
    if body.get("published") is False:
        return f"stored, NOT yet published ({body.get('publish_error')}); the next scheduled run publishes it"
    return ""


def describe_incident(incident: Mapping[str, Any]) -> str:
    affects = ", ".join(incident["components"]) or "all systems"
    state = "open" if incident["open"] else f"closed {incident['resolved_at']}"
    lines = [f"{incident['id']}  {incident['impact']:<8} {incident['stage']:<13} {state}  {incident['title']}"]
    lines.append(f"  affects {affects}")
    lines += [f"  {u['at']}  {u['stage']:<13} by {u['author']}: {u['message']}" for u in incident["updates"]]
    return "\n".join(lines)


def describe_maintenance(maintenance: Mapping[str, Any]) -> str:
    affects = ", ".join(maintenance["components"]) or "all systems"
    lines = [
        f"{maintenance['id']}  {maintenance['status']:<11} {maintenance['starts_at']} to {maintenance['ends_at']}"
        f"  {maintenance['title']}",
        f"  affects {affects}" + (f": {maintenance['message']}" if maintenance["message"] else ""),
    ]
    lines += [f"  {u['at']}  by {u['author']}: {u['message']}" for u in maintenance["updates"]]
    return "\n".join(lines)


def _print(status: int, body: Mapping[str, Any]) -> int:
    if status >= 400:
        fields = "".join(f"\n  {item['field']}: {item['message']}" for item in body.get("fields", []))
        print(f"platform-status: HTTP {status}: {body.get('error')}{fields}", file=sys.stderr)
        return EXIT_FAILED
    if "incidents" in body:
        print("\n".join(describe_incident(i) for i in body["incidents"]) or "no open or recent incidents")
    elif "maintenances" in body:
        print("\n".join(describe_maintenance(m) for m in body["maintenances"]) or "no maintenance scheduled")
    elif "incident" in body:
        print(describe_incident(body["incident"]))
    else:
        print(describe_maintenance(body["maintenance"]))
    if _published(body):
        print(_published(body))
    return EXIT_OK if body.get("published") is not False else EXIT_FAILED


def _time(text: str) -> str:
    """RFC 3339 as typed, or `now`; checked here so a typo fails before any request."""
    if text == "now":
        return format_utc(datetime.now(UTC))
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text}: use RFC 3339, e.g. 2026-12-02T22:00:00Z") from None
    if moment.tzinfo is None:
        raise ValueError(f"{text}: give a time zone, e.g. 2026-12-02T22:00:00Z")
    return format_utc(moment)


def incident(args: argparse.Namespace) -> int:
    ttl = parse_ttl_minutes(args.ttl, most=int(MAX_INCIDENT_TTL.total_seconds() // 60)) if args.ttl else None
    client = OverrideClient.from_environment()
    if args.action == "open":
        body: dict[str, Any] = {
            "title": args.title,
            "impact": args.impact,
            "components": args.component or [],
            "stage": args.stage,
            "message": args.message,
            "author": _author(args),
        }
        if ttl is not None:
            body["ttl_minutes"] = ttl
        return _print(*client.call("POST", "/incidents", body))
    if args.action in ("update", "resolve"):
        stage = "resolved" if args.action == "resolve" else args.stage
        message = args.message or "This incident has been resolved."
        update = {"stage": stage, "message": message, "author": _author(args)}
        return _print(*client.call("POST", f"/incidents/{args.id}/updates", update))
    if args.action == "show":
        return _print(*client.call("GET", f"/incidents/{args.id}"))
    return _print(*client.call("GET", "/incidents"))


def maintenance(args: argparse.Namespace) -> int:
    client = OverrideClient.from_environment()
    if args.action == "schedule":
        starts = _time(args.start)
        if args.duration:
            length = timedelta(
                minutes=parse_ttl_minutes(args.duration, most=int(MAX_MAINTENANCE_LENGTH.total_seconds() // 60))
            )
            ends = format_utc(datetime.fromisoformat(starts.replace("Z", "+00:00")) + length)
        else:
            ends = _time(args.end)
        body = {
            "title": args.title,
            "message": args.message,
            "components": args.component or [],
            "starts_at": starts,
            "ends_at": ends,
            "author": _author(args),
        }
        return _print(*client.call("POST", "/maintenances", body))
    if args.action == "update":
        note = {"message": args.message, "author": _author(args)}
        return _print(*client.call("POST", f"/maintenances/{args.id}/updates", note))
    if args.action == "cancel":
        cancel = {"author": _author(args)} | ({"message": args.message} if args.message else {})
        return _print(*client.call("DELETE", f"/maintenances/{args.id}", cancel))
    return _print(*client.call("GET", "/maintenances"))


def add_commands(commands: Any) -> None:
    """The `incident` and `maintenance` commands, on the main parser's subparsers."""
    author = argparse.ArgumentParser(add_help=False)
    author.add_argument("--author", help="who does it (default: OVERRIDE_AUTHOR or your user name)")
    component = argparse.ArgumentParser(add_help=False)
    component.add_argument(
        "--component", action="append", help="an affected component, by its public name (repeat; none: all)"
    )

    parser = commands.add_parser("incident", help="open, update, resolve and list incidents (OVERRIDE_URL)")
    actions = parser.add_subparsers(dest="action", required=True)
    opening = actions.add_parser("open", parents=[author, component], help="open an incident; published at once")
    opening.add_argument("--title", required=True, help="plain text, at most 120 characters")
    opening.add_argument("--impact", required=True, choices=["degraded", "outage"])
    opening.add_argument("--stage", default="investigating", choices=["investigating", "identified", "monitoring"])
    opening.add_argument("--message", required=True, help="the first update, plain text")
    opening.add_argument("--ttl", help="close it by itself after this long (30m, 2h, 3d); default: open until resolved")
    update = actions.add_parser("update", parents=[author], help="post an update")
    update.add_argument("id")
    update.add_argument("--stage", required=True, choices=["investigating", "identified", "monitoring", "resolved"])
    update.add_argument("--message", required=True)
    resolve = actions.add_parser("resolve", parents=[author], help="resolve (close) an incident")
    resolve.add_argument("id")
    resolve.add_argument("--message", help='default: "This incident has been resolved."')
    show = actions.add_parser("show", help="one incident with its timeline")
    show.add_argument("id")
    actions.add_parser("list", help="open incidents, and those closed in the last 7 days")
    parser.set_defaults(handler=incident, ttl=None)

    parser = commands.add_parser("maintenance", help="schedule, update, list and cancel maintenance (OVERRIDE_URL)")
    actions = parser.add_subparsers(dest="action", required=True)
    schedule = actions.add_parser("schedule", parents=[author, component], help="announce a maintenance window")
    schedule.add_argument("--title", required=True)
    schedule.add_argument("--message", default="", help="what happens and what customers may notice")
    schedule.add_argument("--start", required=True, help="RFC 3339 (2026-12-02T22:00:00Z) or now")
    length = schedule.add_mutually_exclusive_group(required=True)
    length.add_argument("--end", help="RFC 3339")
    length.add_argument("--duration", help="how long: 30m, 2h (at most 14d)")
    note = actions.add_parser("update", parents=[author], help="post an update to an upcoming or running one")
    note.add_argument("id")
    note.add_argument("--message", required=True)
    cancel = actions.add_parser("cancel", parents=[author], help="cancel an upcoming or running one")
    cancel.add_argument("id")
    cancel.add_argument("--message", default="", help="why, shown to customers with the cancellation")
    actions.add_parser("list", help="upcoming, in progress, and over in the last 7 days")
    parser.set_defaults(handler=maintenance)
