"""The private record of the last scheduled run: its inputs and the computed document (no override).

The override function republishes from it, and `doctor` reads when the last run was and how it went.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, ValidationError

from platform_status.assemble import build_document
from platform_status.config import Settings
from platform_status.document import StatusDocument
from platform_status.observations import Observations
from platform_status.run.errors import PublishError
from platform_status.run.targets import Targets
from platform_status.sources.report import SourceReport
from platform_status.store import ObjectMeta, StoreError

LAST_RUN_STATE = "last-run.json"
LAST_RUN_SCHEMA_VERSION = 2  # `problems` was added with a default: older readers ignore it
PRIVATE_JSON = ObjectMeta("application/json; charset=utf-8", "no-store", public=False)


class LastRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    state_schema_version: int = LAST_RUN_SCHEMA_VERSION
    observations: Observations
    document: StatusDocument
    problems: list[str] = []  # what went wrong after status.json was out, as the run's summary said


def read_last_run(targets: Targets) -> LastRun | None:
    """The last scheduled run's record; None before the first run (or after an upgrade of its format)."""
    try:
        body = targets.state.get(targets.state_prefix + LAST_RUN_STATE)
    except StoreError as error:
        raise PublishError(f"the last run's state could not be read: {error}") from None
    if body is None:
        return None
    try:
        return LastRun.model_validate_json(body)
    except ValidationError:
        raise PublishError(f"{LAST_RUN_STATE} does not validate; left as it is") from None


def no_run_yet(settings: Settings, now: datetime) -> StatusDocument:
    report = SourceReport(status="unavailable", observed_at=now, latency_ms=0, reason="no publish run yet")
    observations = Observations(checked_at=now, kuma_report=report, kuma=None, backups_report=report, backups=None)
    return build_document(observations, settings)
