"""The override's rules, pure: validation, expiry, replacing, and how it changes the document."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from platform_status.assemble import build_document
from platform_status.document import StatusDocument
from platform_status.override.rules import (
    Override,
    OverrideRequest,
    OverrideStatus,
    clean_text,
    replace_override,
)
from platform_status.rules.effective import effective_document
from platform_status.rules.status import PlatformStatus
from support import make_settings, observe, recorded_snapshot

NOW = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)


def request(**fields: object) -> OverrideRequest:
    # As the API validates a body: from JSON.
    return OverrideRequest.model_validate_json(json.dumps({"status": "outage", "author": "alice"} | fields))


def test_default_ttl_is_two_hours() -> None:
    assert request().expiry(NOW) == NOW + timedelta(hours=2)


def test_ttl_and_expires_at() -> None:
    assert request(ttl_minutes=30).expiry(NOW) == NOW + timedelta(minutes=30)
    assert request(expires_at="2026-11-28T23:00:00Z").expiry(NOW) == datetime(2026, 11, 28, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"expires_at": "2026-11-28T19:00:00Z"}, "past"),
        ({"expires_at": "2026-12-06T00:00:00Z"}, "7 days"),
    ],
)
def test_expiry_in_the_past_or_past_the_cap_is_refused(fields: dict[str, object], where: str) -> None:
    with pytest.raises(ValueError, match=where):
        request(**fields).expiry(NOW)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "broken"},
        {"ttl_minutes": 0},
        {"ttl_minutes": 7 * 24 * 60 + 1},
        {"ttl_minutes": "120"},  # wrong type: strict
        {"expires_at": "2026-11-28T23:00:00"},  # no time zone
        {"expires_at": "2026-11-28T23:00:00Z", "ttl_minutes": 10},  # both
        {"message": "x" * 501},
        {"author": ""},
        {"author": "\x00\x01"},  # nothing left after cleaning
        {"colour": "red"},  # unknown field
    ],
)
def test_invalid_requests_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        request(**fields)


def test_control_characters_are_removed_and_do_not_count_toward_the_length() -> None:
    cleaned = request(message="We are\x07 on it\x1b[31m \u202eevil\u202c" + "\x00" * 600)
    assert cleaned.message == "We are on it[31m evil"
    # A message keeps its indentation as typed; blank lines before it and spaces after it go.
    assert clean_text("  line one\nline two\r\n ") == "  line one\nline two"
    assert clean_text("\n \n    code\n") == "    code"


def test_html_is_kept_as_text_for_the_renderer_to_escape() -> None:
    assert request(message="<script>alert(1)</script>").message == "<script>alert(1)</script>"


def test_updating_an_ongoing_override_keeps_its_start() -> None:
    first = replace_override(None, request(message="investigating"), NOW)
    later = NOW + timedelta(minutes=20)
    second = replace_override(first, request(message="identified"), later)
    assert second.since == NOW
    assert second.updated_at == later
    assert second.until == later + timedelta(hours=2)
    third = replace_override(second, request(status="degraded"), later)
    assert third.since == later  # a different status is a new override


def base_document() -> StatusDocument:
    return build_document(observe(recorded_snapshot()), make_settings())


def test_active_override_sets_the_effective_status_and_keeps_the_computed_one() -> None:
    document = base_document()
    override = Override(
        status=OverrideStatus.MAINTENANCE,
        message="Planned upgrade",
        author="alice",
        since=NOW - timedelta(minutes=5),
        until=NOW + timedelta(hours=1),
        updated_at=NOW,
    )
    effective = effective_document(document, override, [], [], NOW)
    assert effective.platform_status == PlatformStatus.MAINTENANCE
    assert effective.computed_status == PlatformStatus.OUTAGE
    assert effective.override is not None
    assert effective.override.message == "Planned upgrade"
    assert "alice" not in effective.model_dump_json()  # the author stays private


def test_an_expired_override_no_longer_applies() -> None:
    document = base_document()
    override = Override(
        status=OverrideStatus.OPERATIONAL,
        message="",
        author="alice",
        since=NOW - timedelta(hours=3),
        until=NOW - timedelta(seconds=1),
        updated_at=NOW - timedelta(hours=3),
    )
    effective = effective_document(document, override, [], [], NOW)
    assert effective.platform_status == PlatformStatus.OUTAGE
    assert effective.override is None


def test_a_run_that_started_before_the_override_was_set_still_applies_it() -> None:
    document = base_document()
    override = Override(
        status=OverrideStatus.MAINTENANCE, message="Upgrading", author="alice",
        since=NOW, until=NOW + timedelta(hours=1), updated_at=NOW,
    )  # fmt: skip
    run_started = NOW - timedelta(seconds=20)
    effective = effective_document(document, override, [], [], run_started)
    assert effective.platform_status == PlatformStatus.MAINTENANCE
    assert effective.override is not None
