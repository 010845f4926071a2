"""What a reporter may attach: a few small documents and pictures, checked by their first bytes.

The form is public, so a file's name and the type the browser claims are not trusted: a file is kept
only when its content starts as its kind does (a PDF with "%PDF-", a PNG with its signature, ...), and
it is served to staff only as a download, never shown inline.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# kind -> (suffixes, content type, how the content starts)
KINDS = {
    "PDF": ((".pdf",), "application/pdf", (b"%PDF-",)),
    "PNG": ((".png",), "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "JPEG": ((".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",)),
    "text": ((".txt",), "text/plain", ()),
}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    data: bytes


def accepted_kinds() -> str:
    return ", ".join(suffix for suffixes, _type, _starts in KINDS.values() for suffix in suffixes)


def check_files(uploads) -> tuple[list[CheckedFile], list[str]]:
    """The files that may be kept, or the problems with them in the reader's language."""
    uploads = [u for u in uploads if u is not None]
    problems: list[str] = []
    if len(uploads) > settings.GRIEVANCE_MAX_FILES:
        problems.append(
            _("You attached %(count)d files; up to %(limit)d are accepted.")
            % {"count": len(uploads), "limit": settings.GRIEVANCE_MAX_FILES}
        )
        return [], problems
    checked = []
    for upload in uploads:
        name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
        if upload.size > settings.GRIEVANCE_MAX_FILE_BYTES:
            problems.append(
                _("%(name)s is %(size)s; files of up to %(limit)s are accepted.")
                % {
                    "name": name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.GRIEVANCE_MAX_FILE_BYTES),
                }
            )
            continue
        data = upload.read()
        kind = _kind_of(name, data)
        if kind is None:
            problems.append(
                _("%(name)s is not a file we accept; please attach %(kinds)s files.")
                % {"name": name, "kinds": accepted_kinds()}
            )
            continue
        if not data:
            problems.append(_("%(name)s is empty.") % {"name": name})
            continue
        checked.append(CheckedFile(name, KINDS[kind][1], data))
    return checked, problems


def _kind_of(name: str, data: bytes) -> str | None:
    lower = name.lower()
    for kind, (suffixes, _type, starts) in KINDS.items():
        if not lower.endswith(suffixes):
            continue
        if kind == "text":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return None
            return kind
        return kind if data.startswith(starts) else None
    return None
