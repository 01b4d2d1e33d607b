"""badge.svg: a shields-style badge of the effective status, with its words (never colour alone)."""

from __future__ import annotations

from datetime import datetime

from platform_status.document import StatusDocument
from platform_status.rules.status import PlatformStatus
from platform_status.site.templating import template_environment
from platform_status.site.wording import WORDING

CHAR_WIDTH = 7  # Verdana 11 px, roughly: shields.io's badges are sized the same way


def render_badge(document: StatusDocument, now: datetime, label: str = "status") -> bytes:
    status = PlatformStatus.UNKNOWN if now > document.stale_after else document.platform_status
    value = WORDING[status].short.lower()
    label_width, value_width = 10 + CHAR_WIDTH * len(label), 10 + CHAR_WIDTH * len(value)
    svg = (
        template_environment()
        .get_template("badge.svg.j2")
        .render(
            label=label,
            value=value,
            colour=WORDING[status].badge_colour,
            label_width=label_width,
            value_width=value_width,
            width=label_width + value_width,
        )
    )
    return svg.encode("utf-8")
