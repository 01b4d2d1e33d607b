"""One JSON line per run on stdout, which DigitalOcean keeps as the activation log and can forward."""

from __future__ import annotations

import json
import sys
from typing import Any


def log_run(function: str, summary: dict[str, Any]) -> None:
    # Summaries are built to hold no secret; nothing else is logged.
    sys.stdout.write(json.dumps({"function": function, **summary}, separators=(",", ":"), default=str) + "\n")
    sys.stdout.flush()
