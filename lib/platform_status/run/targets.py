"""Where a run's public files and private state go: Spaces when configured, a local directory otherwise."""

from __future__ import annotations

from dataclasses import dataclass
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


def targets_for(settings: Settings, s3_client: S3Client | None, out_dir: Path | None) -> Targets:
    """Spaces when configured; a local directory otherwise, or when the operator asks for --out."""
    if out_dir is not None or s3_client is None or settings.status_bucket is None:
        public_dir = out_dir or settings.status_out_dir
        return Targets(LocalStore(public_dir), LocalStore(settings.status_state_dir), "")
    store = S3Store(s3_client, settings.status_bucket)
    return Targets(store, store, settings.status_state_prefix)
