"""status/publish: run by the schedule every 10 minutes, or by hand with `doctl serverless functions invoke`.

A thin adapter: parse the event, run the library's publish, shape the result.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from platform_status.config import ConfigError, load_settings
from platform_status.run.scheduled import run_scheduled
from platform_status.runlog import log_run

# Leave this much of the function's timeout for writing and returning after the sources are read.
SAFETY_MARGIN_SECONDS = 8.0


class PublishEvent(BaseModel):
    # The scheduler sends its withBody ({}); doctl's -p values arrive as strings ("true"), which pydantic reads.
    model_config = ConfigDict(extra="ignore")

    dry_run: bool = False


class Context(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


def main(event: dict[str, Any], context: Context | None = None) -> dict[str, Any]:
    try:
        request = PublishEvent.model_validate(event or {})
    except ValidationError as error:
        problem = error.errors(include_input=False, include_url=False)[0]
        return {"error": f"invalid event: {'.'.join(map(str, problem['loc']))}: {problem['msg']}"}

    budget = None
    if context is not None:
        budget = max(1.0, context.get_remaining_time_in_millis() / 1000 - SAFETY_MARGIN_SECONDS)
    try:
        settings = load_settings()
    except ConfigError as error:
        log_run("status/publish", {"ok": False, "error": str(error)})
        # A result with "error" marks the activation as failed, so the failure shows in doctl and alerts.
        return {"error": str(error)}

    try:
        summary = run_scheduled(settings, dry_run=request.dry_run, budget_seconds=budget)
    except Exception as error:  # run_scheduled reports its own failures; this is for the unforeseen
        summary = {"ok": False, "error": f"the run failed unexpectedly ({type(error).__name__})"}
    log_run("status/publish", {key: value for key, value in summary.items() if key != "document"})
    return summary
