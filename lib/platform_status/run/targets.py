"""Where a run's public files and private state go: Spaces when configured, a local directory otherwise."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from platform_status.config import Settings
from platform_status.store import LocalStore, ObjectStore, S3Store

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


@dataclass(frozen=True)
class Targets:
    public: ObjectStore
    state: ObjectStore
    state_prefix: str
    # Where the operators' announcements (the override, the incident log) are read, when not from `state`: a
    # run with --out reads the bucket's, so the files show the incidents opened, while its history and
    # everything it writes stay local (the scheduled run's own records of the bucket stay true).
    announcements: ObjectStore | None = None
    announcements_prefix: str = ""

    def announcement_source(self) -> tuple[ObjectStore, str]:
        if self.announcements is None:
            return self.state, self.state_prefix
        return self.announcements, self.announcements_prefix


def targets_for(settings: Settings, s3_client: S3Client | None, out_dir: Path | None) -> Targets:
    """Spaces when configured; a local directory otherwise, or when the operator asks for --out."""
    bucket = S3Store(s3_client, settings.status_bucket) if s3_client and settings.status_bucket else None
    if out_dir is not None or bucket is None:
        public_dir = out_dir or settings.status_out_dir
        local = Targets(LocalStore(public_dir), LocalStore(settings.status_state_dir), "")
        if bucket is None:
            return local
        return replace(local, announcements=bucket, announcements_prefix=settings.status_state_prefix)
    return Targets(bucket, bucket, settings.status_state_prefix)
