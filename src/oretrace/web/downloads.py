"""Every download the app serves, named one way.

A file name in Content-Disposition must be ASCII in a quoted string; anything else goes in RFC 5987's
``filename*=utf-8''…`` (RFC 6266), which is what Django's FileResponse writes through
``content_disposition_header``. Writing ``filename="{name}"`` by hand sent a supplier's 证据.pdf as an
RFC 2047 ``=?utf-8?b?…?=`` word that browsers do not decode. Names are people's uploads (evidence, supplier
files, templates), so control characters are dropped first: they mean nothing in a file name, and a line
break would not even be a valid header.
"""

from __future__ import annotations

import mimetypes
import unicodedata
from typing import IO

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def attachment(content: bytes | IO[bytes], filename: str, content_type: str | None = None) -> HttpResponse:
    """A download of ``content`` (bytes, or an open binary file that is streamed) named ``filename``.

    The content type is guessed from the name unless given.
    """
    name = download_name(filename)
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def download_name(filename: str) -> str:
    """The name without control characters (and without a path); "download" when nothing is left."""
    name = "".join(c for c in str(filename) if unicodedata.category(c) != "Cc")
    return name.replace("/", "_").replace("\\", "_").strip() or "download"
