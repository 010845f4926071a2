"""Text that XML can hold: what supplier text loses before it is stored or written.

XML 1.0 (section 2.2, "Char") allows TAB, LF and CR and every character from U+0020 on, except the
surrogates U+D800-U+DFFF and the non-characters U+FFFE and U+FFFF. XLSX, DOCX and the EDGAR HTML are
XML or read like it, and openpyxl and python-docx refuse such a character rather than write it: one
U+0001 in a supplier's smelter name (Excel writes it as ``_x0001_``, and the reader decodes that) made
every download of a campaign fail.

What ``xml_safe`` does, so that nothing is dropped silently without a rule saying so:
- C0 control characters other than TAB, LF and CR (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F) are
  removed. They carry no meaning a reader could see in a cell, a form or a report: they come from
  binary junk pasted into Excel, or from a program that wrote ``_x0001_`` for a character it could not
  show.
- Lone surrogates and U+FFFE and U+FFFF become U+FFFD, the replacement character, so that a reader
  sees that something stood there.
Everything else is kept as it was, DEL and the C1 controls included (XML 1.0 allows them).
"""

from __future__ import annotations

import re

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (C0 controls removed, the rest replaced)."""
    # Nearly all text is printable, and str.isprintable() is one C loop: the reader pays for the
    # regular expression only on the rare cell with a line break or a control character in it.
    if text.isprintable() or not _NOT_IN_XML.search(text):
        return text
    return _NOT_IN_XML.sub(_replacement, text)


def _replacement(match: re.Match) -> str:
    return "" if match.group() < "\x20" else REPLACEMENT


def xml_safe_value(value):
    """A cell's value with ``xml_safe`` applied when it is text; any other value as it is."""
    return xml_safe(value) if isinstance(value, str) else value
