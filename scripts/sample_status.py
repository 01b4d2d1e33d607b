"""Write web/test/status.sample.json: the document the publisher builds from the recorded Uptime Kuma 2.5.3
responses (with its first history step), which the web kit's Vitest tests read. `make schema` runs it."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "web" / "test" / "status.sample.json"
sys.path.insert(0, str(ROOT / "tests"))

from platform_status.assemble import build_document  # noqa: E402
from platform_status.history.advance import HistoryRules, advance  # noqa: E402
from platform_status.history.state import HistoryState  # noqa: E402
from platform_status.rules.backups import BackupStatus  # noqa: E402
from support import RECORDED_AT, make_settings, observe, recorded_snapshot  # noqa: E402


def sample_document_bytes() -> bytes:
    observations = observe(recorded_snapshot())
    advanced = advance(HistoryState(), observations.kuma, BackupStatus.SUCCESS, RECORDED_AT, HistoryRules())
    return build_document(observations, make_settings(), advanced).to_json_bytes()


if __name__ == "__main__":
    SAMPLE.write_bytes(sample_document_bytes())
    print(f"wrote {SAMPLE.relative_to(ROOT)}")
