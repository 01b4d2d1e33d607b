"""The override's private objects: the current override, and the audit trail (one object per change).

A state object that does not validate, or that a newer version of this project wrote, is refused, never
overwritten: the caller gets a StoreError and writes nothing.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from platform_status.override.rules import OVERRIDE_STATE_SCHEMA_VERSION, Override, OverrideEvent, OverrideState
from platform_status.store import ObjectMeta, ObjectStore, StoreError
from platform_status.timeutil import UtcDatetime

OVERRIDE_KEY = "override.json"
AUDIT_PREFIX = "audit/"
PRIVATE_JSON = ObjectMeta("application/json; charset=utf-8", "no-store", public=False)


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    at: UtcDatetime
    action: Literal["set", "update", "clear"]
    author: str
    request_id: str
    caller: str  # x-forwarded-for, as the platform passed it
    before: Override | None
    after: Override | None


RECENT_KEPT = 50


def read_override(store: ObjectStore, state_prefix: str) -> Override | None:
    return read_override_state(store, state_prefix).override


def read_override_state(store: ObjectStore, state_prefix: str) -> OverrideState:
    body = store.get(state_prefix + OVERRIDE_KEY)
    if body is None:
        return OverrideState(override=None)
    try:
        version = json.loads(body).get("state_schema_version")
    except (ValueError, AttributeError):
        raise StoreError(f"{OVERRIDE_KEY} is not valid JSON; left as it is") from None
    if isinstance(version, int) and version > OVERRIDE_STATE_SCHEMA_VERSION:
        raise StoreError(f"{OVERRIDE_KEY} has schema version {version}, newer than this code; left as it is")
    try:
        return OverrideState.model_validate_json(body)
    except ValidationError:
        raise StoreError(f"{OVERRIDE_KEY} does not validate; left as it is") from None


def write_override(store: ObjectStore, state_prefix: str, previous: OverrideState, entry: AuditEntry) -> None:
    """The new current override, with the change added to the public list of recent changes."""
    after = entry.after
    event = OverrideEvent(
        at=entry.at,
        action=entry.action,
        status=after.status if after else None,
        message=after.message if after else "",
        until=after.until if after else None,
    )
    state = OverrideState(override=after, recent=[*previous.recent, event][-RECENT_KEPT:])
    store.put(state_prefix + OVERRIDE_KEY, state.model_dump_json(indent=2).encode(), PRIVATE_JSON)


def write_audit(store: ObjectStore, state_prefix: str, entry: AuditEntry) -> str:
    """A new object per change; the key (time, then a random part) is never reused, so never overwritten."""
    key = f"{state_prefix}{AUDIT_PREFIX}{entry.at:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:12]}.json"
    store.put(key, entry.model_dump_json(indent=2).encode(), PRIVATE_JSON)
    return key


def read_audit(store: ObjectStore, state_prefix: str, limit: int) -> list[AuditEntry]:
    """The newest `limit` entries, newest first. An entry that does not validate is skipped, not fatal."""
    keys = store.list_keys(state_prefix + AUDIT_PREFIX)
    entries = []
    for key in reversed(keys[-limit:]):
        body = store.get(key)
        if body is None:
            continue
        try:
            entries.append(AuditEntry.model_validate_json(body))
        except ValidationError:
            continue
    return entries


def audit_action(before: Override | None, after: Override | None, now: datetime) -> Literal["set", "update", "clear"]:
    if after is None:
        return "clear"
    if before is not None and before.active(now) and before.since == after.since:
        return "update"
    return "set"
