"""Uptime Kuma's pinned notice is Markdown (Kuma renders it with marked and DOMPurify): shown on the page as
Kuma shows it, bold and links included, and nothing that could run or load anything.

markdown-it-py with the CommonMark rules, raw HTML off (a tag in the notice is shown as text), its link
check on (javascript:, vbscript:, file: and data: links are left as text), and images off: the page makes no
request to anyone else, and a notice must not make it. Operators' own messages are plain text, as typed.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


def notice_html(text: str) -> Markup:
    """The notice as safe HTML for the page."""
    return Markup(_parser().render(text))  # noqa: S704 - raw HTML is off and links are checked: nothing unescaped
