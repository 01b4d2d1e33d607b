"""Where the last run's backups listing split into pages, kept privately so the next run lists the ranges
between them at once (sources/backups.py) instead of one page after another.

The keys name tenants: private state only. Losing or misreading this object costs time, never correctness:
a run without it lists page after page, as before.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError

from platform_status.run.last_run import PRIVATE_JSON
from platform_status.run.outputs import Output
from platform_status.run.targets import Targets
from platform_status.sources.backups import BackupListing
from platform_status.store import StoreError

SPLITS_STATE = "backups-listing.json"


class ListingSplits(BaseModel):
    model_config = ConfigDict(extra="ignore")

    schema_version: int = 1
    split_after: list[str]


def read_splits(targets: Targets) -> list[str]:
    """The last run's split keys; none when there are none or they cannot be read (then: page after page)."""
    try:
        body = targets.state.get(targets.state_prefix + SPLITS_STATE)
        return ListingSplits.model_validate_json(body).split_after if body else []
    except (StoreError, ValidationError):
        return []


def splits_output(targets: Targets, read: list[str], listing: BackupListing | None) -> Output | None:
    """This run's split keys, when they moved (they move when backups are added or removed, not every run)."""
    if listing is None or listing.split_after == read:
        return None
    body = ListingSplits(split_after=listing.split_after).model_dump_json().encode()
    return Output(targets.state_prefix + SPLITS_STATE, body, PRIVATE_JSON)
