"""What a run publishes, as objects: each public file's bytes with its content type, cache lifetime and
whether it is stored compressed; and the digests that let a run leave alone what has not changed.

Cache lifetimes: the live files as status.json (`STATUS_CACHE_MAX_AGE`, 60 s), the schema an hour, a finished
day's file a year (it never changes). Compressed: the page and the history index, tens of kilobytes of text
each; status.json stays plain, as the smallest file and the one every kind of client reads.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError

from platform_status.config import Settings
from platform_status.document import StatusDocument, status_json_schema_bytes
from platform_status.history.public import IMMUTABLE, INDEX_KEY, HistoryIndex, day_key, history_day
from platform_status.history.state import HistoryState
from platform_status.incidents.public import timeline
from platform_status.run.errors import PublishError
from platform_status.store import ObjectMeta

if TYPE_CHECKING:
    from platform_status.run.announcements import Announcements

STATUS_KEY = "status.json"
SCHEMA_KEY = "status.schema.json"
JSON_TYPE = "application/json; charset=utf-8"
COMPRESSED = frozenset({"index.html", INDEX_KEY})


@dataclass(frozen=True)
class Output:
    key: str
    body: bytes
    meta: ObjectMeta

    @property
    def digest(self) -> str:
        """Of the bytes and of how they are served: a new cache lifetime is a change too."""
        meta = self.meta
        head = f"{meta.content_type}|{meta.cache_control}|{meta.public}|{meta.compress}|".encode()
        return hashlib.sha256(head + self.body).hexdigest()


def live(settings: Settings, key: str, content_type: str) -> ObjectMeta:
    cache = f"public, max-age={settings.status_cache_max_age}"
    return ObjectMeta(content_type, cache, public=True, compress=key in COMPRESSED)


def status_output(settings: Settings, effective: StatusDocument) -> Output:
    return Output(STATUS_KEY, effective.to_json_bytes(), live(settings, STATUS_KEY, JSON_TYPE))


def validated(document: StatusDocument) -> bytes:
    body = document.to_json_bytes()
    try:
        StatusDocument.model_validate_json(body)
    except ValidationError as error:
        raise PublishError(
            f"status.json does not validate against its schema: {error.error_count()} error(s)"
        ) from None
    return body


def prepare_site() -> None:
    """Import what renders the site and compile its templates: a run does this while the sources answer."""
    import platform_status.site.files  # noqa: F401, PLC0415 - only when writing: Jinja2, the feed library
    from platform_status.site.templating import load_templates  # noqa: PLC0415

    load_templates()


def site_outputs(
    settings: Settings,
    effective: StatusDocument,
    index: HistoryIndex | None,
    announcements: Announcements,
    now: datetime,
) -> list[Output]:
    """Everything public beside status.json that is built from it (and the history index, and the schema)."""
    from platform_status.site.files import site_files  # noqa: PLC0415 - Jinja2 and the feed: only when writing

    page_url = str(settings.status_page_url) if settings.status_page_url else ""
    files = site_files(
        effective,
        index,
        timeline(announcements.book, now),
        announcements.override.recent,
        page_name=settings.status_page_name,
        page_url=page_url,
        now=now,
    )
    outputs = [Output(item.key, item.body, live(settings, item.key, item.content_type)) for item in files]
    if index is not None:
        outputs.append(
            Output(INDEX_KEY, (index.model_dump_json() + "\n").encode(), live(settings, INDEX_KEY, JSON_TYPE))
        )
    outputs.append(
        Output(SCHEMA_KEY, status_json_schema_bytes(), ObjectMeta(JSON_TYPE, "public, max-age=3600", public=True))
    )
    return outputs


def day_outputs(state: HistoryState, days: list[date]) -> list[Output]:
    """The public file of each finished day: written once, cached a year."""
    meta = ObjectMeta(JSON_TYPE, IMMUTABLE, public=True)
    return [Output(day_key(day), (history_day(state, day).model_dump_json() + "\n").encode(), meta) for day in days]


def changed(outputs: list[Output], digests: dict[str, str], salt: str) -> list[Output]:
    """The outputs whose digest (under this salt: run/publish.py's override fingerprint) is not the one
    remembered: the others' bytes are out there already."""
    return [output for output in outputs if digests.get(output.key) != f"{salt}:{output.digest}"]
