"""Untrusted text made safe for every public file: one rule, used where text enters and where it is shown.

Text from outside (Kuma's status page group names, operators' messages and titles) reaches HTML, XML (the
Atom feed), JSON and SVG. Escaping is each renderer's job; what no escaping can fix is removed here:
- control characters (XML 1.0 forbids them outright: a feed holding one is not a feed at all);
- the noncharacters U+FDD0-U+FDEF and the last two code points of every plane, U+FFFE and U+FFFF among
  them (XML forbids those too);
- lone surrogates (not text: they cannot even be encoded as UTF-8);
- bidirectional controls, which make text display differently from what it says.
Line breaks survive only where a message may have them.
"""

from __future__ import annotations

import re
import unicodedata

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACING_CONTROLS = frozenset("\t\n\r\x0b\x0c\x85")


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _kept(character: str, keep_newlines: bool) -> bool:
    if character == "\n":
        return keep_newlines
    if character in _BIDI_CONTROLS or _is_noncharacter(ord(character)):
        return False
    return unicodedata.category(character) not in ("Cc", "Cs")


def clean_text(value: str, *, keep_newlines: bool = False) -> str:
    """The text without what no renderer can show safely, trimmed. In a one-line text a tab or a line break
    becomes a space, so words stay apart. A message (`keep_newlines`) keeps its indentation as typed: only
    blank lines before it and spaces after it go."""
    value = value.replace("\r\n", "\n")
    kept = "".join(
        character if _kept(character, keep_newlines) else " " if character in _SPACING_CONTROLS else ""
        for character in value
    )
    if keep_newlines:
        return re.sub(r"^(?:[ ]*\n)+", "", kept).rstrip()
    return re.sub(r" {2,}", " ", kept).strip()


def clean_name(value: str, *, max_length: int = 100) -> str:
    """A public name (a component): one line, cleaned, at most `max_length` characters."""
    return clean_text(value)[:max_length].strip()
