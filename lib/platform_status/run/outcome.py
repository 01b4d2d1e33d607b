"""What one publish run did: the document, where it wrote, what it left alone and why; and the short summary
the function returns and logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from platform_status.document import StatusDocument
from platform_status.observations import Observations


@dataclass
class PublishOutcome:
    document: StatusDocument
    observations: Observations
    target: str
    dry_run: bool
    duration_ms: int
    history: str = "not read"
    written: dict[str, int] = field(default_factory=dict)  # key -> bytes
    unchanged: list[str] = field(default_factory=list)  # public files left as they were: same bytes
    problems: list[str] = field(default_factory=list)
    state_target: str = ""
    private_keys: set[str] = field(default_factory=set)  # which of `written` are private state
    notes: list[str] = field(default_factory=list)  # what the run left out of its data, and why
    timings_ms: dict[str, int] = field(default_factory=dict)  # where the run's time went, phase by phase
    skipped_entries: list[str] = field(default_factory=list)  # incident log entries that could not be read

    def summary(self) -> dict[str, Any]:
        """The short summary the function returns and logs: no secrets, no tenant or monitor names."""
        obs = self.observations
        return {
            "ok": not self.problems,
            "status": self.document.platform_status.value,
            "dry_run": self.dry_run,
            "duration_ms": self.duration_ms,
            "sources": {
                key: report.model_dump(mode="json", exclude={"observed_at"}) for key, report in obs.reports().items()
            },
            "history": self.history,
            "target": self.target,
            "written": self.written,
            "unchanged": len(self.unchanged),
            "timings_ms": self.timings_ms,
            "notes": self.notes,
            "skipped_entries": self.skipped_entries,
            "problems": self.problems,
        }
