"""status.json built from observations: the guide's contract, additions, and the guide's flaws kept out."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError
from sample_status import sample_document_bytes

from platform_status.assemble import build_document
from platform_status.document import StatusDocument, status_json_schema_bytes
from platform_status.monitors import KumaSnapshot, MonitorSnapshot, MonitorState
from platform_status.sources.backups import TenantBackups
from support import RECORDED_AT, fresh_backups, make_settings, observe, recorded_snapshot

ROOT = Path(__file__).resolve().parents[2]


def monitors(*states: MonitorState, uptime: float) -> KumaSnapshot:
    return KumaSnapshot(
        observed_at=RECORDED_AT,
        monitors=[
            MonitorSnapshot(key=f"id:{i}", name=f"m{i}", state=state, uptime_24h=uptime)
            for i, state in enumerate(states)
        ],
        components=[],
    )


def test_recorded_kuma_gives_the_expected_document() -> None:
    document = build_document(observe(recorded_snapshot()), make_settings())
    assert document.platform_status == "outage"  # 3 of the 5 counted non-maintenance monitors are down
    assert document.uptime.last_24h == 50.0  # mean of 1, 0, 0, 1, 0.5; maintenance and paused left out
    assert document.uptime.last_7d is None  # no history yet: never an invented value
    assert [(c.name, c.status, c.uptime_24h) for c in document.components] == [
        ("Services", "outage", 50.0),
        ("Other", "maintenance", None),
    ]
    assert document.monitors.model_dump() == {
        "total": 6,
        "up": 2,
        "down": 3,
        "pending": 0,
        "maintenance": 1,
        "flapping": 0,
    }


def test_guide_contract_fields_keep_their_names_and_formats() -> None:
    body = json.loads(build_document(observe(recorded_snapshot()), make_settings()).to_json_bytes())
    assert body["updated_at"] == "2026-11-28T19:13:46Z"
    assert set(body["uptime"]) >= {"last_24h", "last_7d"}
    assert set(body["backups"]) >= {"policy", "last_successful_backup", "last_backup_status"}
    assert body["backups"]["policy"] == "Nightly backups, 7-day retention, off-site object storage."
    assert body["infrastructure"] == {
        "model": "Dedicated droplet per client + managed database cluster.",
        "regions": ["nyc3"],
        "notes": "All sites behind managed HTTPS and monitored 24/7.",
    }
    assert body["backups"]["last_successful_backup"].endswith("Z")


def test_stale_after_is_two_schedule_periods_plus_the_cache_lifetime() -> None:
    document = build_document(observe(recorded_snapshot()), make_settings())
    assert document.stale_after - document.updated_at == timedelta(minutes=21)


def test_nothing_private_reaches_the_document() -> None:
    body = build_document(observe(recorded_snapshot(), fresh_backups("acme-corp")), make_settings()).to_json_bytes()
    text = body.decode()
    for private in (
        "127.0.0.1",
        "18081",
        "OK service",
        "Failing service",
        "Closed port",
        "acme-corp",
        "could not",
    ):
        assert private not in text


# --- regressions: the flaws of the guide's sketches must not come back ---


def test_flaw_unreachable_kuma_is_unknown_not_100_percent() -> None:
    document = build_document(observe(None), make_settings())
    assert document.platform_status == "unknown"
    assert document.uptime.last_24h is None
    assert document.sources.uptime_kuma.status == "unavailable"


def test_flaw_uptime_is_kumas_24h_ratio_not_the_share_of_monitors_up_now() -> None:
    # All monitors are up right now but were down a tenth of the day: 24 h uptime is 90 %, not 100 %.
    document = build_document(observe(monitors(MonitorState.UP, MonitorState.UP, uptime=0.9)), make_settings())
    assert document.uptime.last_24h == 90.0
    assert document.platform_status == "operational"


def test_flaw_a_total_outage_now_is_an_outage_even_at_996_percent() -> None:
    snapshot = monitors(MonitorState.DOWN, MonitorState.DOWN, MonitorState.DOWN, uptime=0.996)
    document = build_document(observe(snapshot), make_settings())
    assert document.uptime.last_24h == 99.6
    assert document.platform_status == "outage"


def test_flaw_one_stale_tenant_is_not_hidden_behind_fresh_ones() -> None:
    listing = fresh_backups(*(f"t{i}" for i in range(50)))
    stale = listing.tenants | {"stale": TenantBackups(newest_good=RECORDED_AT - timedelta(days=3), objects=8)}
    document = build_document(
        observe(monitors(MonitorState.UP, uptime=1), listing.model_copy(update={"tenants": stale})),
        make_settings(),
    )
    assert document.backups.last_backup_status == "failed"
    assert document.backups.last_successful_backup == RECORDED_AT - timedelta(days=3)
    assert document.backups.tenants.failed == 1
    assert document.platform_status == "degraded"


def test_flaw_times_are_aware_utc_and_naive_times_are_refused() -> None:
    document = build_document(observe(recorded_snapshot()), make_settings())
    assert document.updated_at.utcoffset() == timedelta(0)
    raw = json.loads(document.to_json_bytes())
    raw["updated_at"] = "2026-11-28T19:13:46"  # naive, as datetime.utcnow().isoformat() wrote it
    with pytest.raises(ValidationError, match="time zone"):
        StatusDocument.model_validate(raw)


def test_flaw_the_live_cache_fits_the_freshness_goal() -> None:
    settings = make_settings()
    # A reader sees data at most one schedule period plus the cache lifetime old: within 15 minutes.
    assert settings.schedule_minutes * 60 + settings.status_cache_max_age <= 15 * 60


def test_committed_schema_matches_the_model() -> None:
    committed = (ROOT / "docs" / "status.schema.json").read_bytes()
    assert committed == status_json_schema_bytes(), "run `make schema` and commit docs/status.schema.json"


def test_document_validates_against_the_generated_schema() -> None:
    body = json.loads(build_document(observe(recorded_snapshot()), make_settings()).to_json_bytes())
    jsonschema.validate(body, json.loads(status_json_schema_bytes()))
    body["platform_status"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, json.loads(status_json_schema_bytes()))


def test_the_web_kits_sample_document_is_what_the_publisher_writes() -> None:
    # web/test/status.sample.json is what the Vitest tests read: `make schema` rewrites it.
    committed = (ROOT / "web" / "test" / "status.sample.json").read_bytes()
    StatusDocument.model_validate_json(committed)
    assert committed == sample_document_bytes(), "run `make schema` and commit web/test/status.sample.json"
