"""Every public file a run wrote, read back and parsed with real parsers, as its readers would."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import html5lib

PRIVATE = ("_state/",)


def public_files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def parse_each(files: dict[str, bytes]) -> None:
    """Raises on the first file its own kind of reader would refuse."""
    for key, body in files.items():
        text = body.decode("utf-8")  # every public file is UTF-8
        if key.endswith(".json"):
            json.loads(text)
        elif key.endswith(".html"):
            html5lib.HTMLParser(strict=True).parse(body)
        elif key.endswith(".svg"):
            ET.fromstring(body)
        elif key.endswith(".atom"):
            ET.fromstring(body)  # XML 1.0: a control character or U+FFFE is fatal here
            feed = feedparser.parse(body)
            assert not feed.bozo, f"{key}: {feed.get('bozo_exception')}"
