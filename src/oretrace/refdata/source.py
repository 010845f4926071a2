"""Reading a published file safely: its bytes (size-limited) and, for XML, a parser that fetches nothing.

Sanctions lists are large (the EU and UK XML files are tens of megabytes), far larger than any
facility list, so they have their own limit. The XML parser resolves no entities, loads no DTD and
opens no network connection: the file came from a download folder, not from a trusted publisher's
server at the moment of reading.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from oretrace.errors import BadInput, short_reason
from oretrace.smelters import tables

MAX_LIST_BYTES = 200 * 1024 * 1024


def load_bytes(source: str | Path | bytes, name: str | None = None) -> tuple[bytes, str]:
    """The file's bytes and the name to report it by; BadInput when it cannot be read."""
    return tables.load_bytes(source, name, MAX_LIST_BYTES, "no published list is that large")


def looks_like_xml(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def parse_xml(data: bytes, name: str, *, expected: str) -> etree._Element:
    """The root element; BadInput (with the parser's reason) for a file that is not well-formed XML."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadInput(
            f"The file is not well-formed XML ({short_reason(exc)}); expected {expected}.", file=name
        ) from None


def local(tag: object) -> str:
    """An element's name without its namespace ("{http://…}sdnEntry" -> "sdnEntry")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child_text(element: etree._Element, name: str) -> str | None:
    """The stripped text of the first child named ``name`` (any namespace), or None."""
    for child in element:
        if local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child.tag) == name]


def descendants(element: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in element.iter() if local(e.tag) == name]
