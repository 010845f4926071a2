"""Request size limits, checked before anything reads a byte of the body.

Django reads a POST's body when something first asks for ``request.POST`` (the CSRF check does, for
every form, logged in or not) and spools uploaded files to disk as it reads. Without a limit a 1 GB
POST to the login page, or to a supplier link that does not exist, is written to /tmp in full before
any view runs. This middleware answers from the request's headers alone:

- ``Content-Length`` above the address's limit: 413, a page saying how much was sent and what is
  accepted; the body is never read.
- a body without a length (``Transfer-Encoding: chunked``): 411. Django reads no body without a
  ``Content-Length`` (WSGI gives it no end), so such a form would arrive empty; saying so is clearer.
- otherwise the body is read through a stream that stops at the limit, whatever a later reader does.

The upload pages accept twice ``MAX_UPLOAD_BYTES`` and the form around the file: a file somewhat too
large reaches its page, which explains the limit where the file was chosen (in the supplier's
language on the portal); anything larger is refused unread. Every other address accepts
``DATA_UPLOAD_MAX_MEMORY_SIZE``.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream, WSGIRequest
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation

# The views that take a file (every form with enctype="multipart/form-data"), by URL name.
UPLOAD_VIEWS = frozenset(
    {
        "portal:upload",
        "request_upload",
        "supplier_import",
        "campaign_new",
        "campaign_edit",
        "reference",
        "risk_action_evidence",
        "risk_cahra",
        "report_products",
        "customer_parts",
        "customer_templates",
        "customer_sent_file",
    }
)
# The public grievance pages take a few small attachments (GRIEVANCE_MAX_FILES of GRIEVANCE_MAX_FILE_BYTES):
# their bound is those files and the form, far below the supplier upload pages'.
GRIEVANCE_VIEWS = frozenset({"concern_report", "concern_case"})
# The API's bulk upsert takes up to api.upsert.MAX_ROWS rows of an ERP export in one JSON body.
API_BULK_VIEWS = frozenset({"api-supplier-upsert"})
API_BULK_BYTES = 16 * 1024 * 1024
# The rest of an upload form: the CSRF token, the other fields, the multipart boundaries.
FORM_OVERHEAD = 1024 * 1024
METHODS_WITH_A_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


def is_upload(path: str) -> bool:
    return _view_name(path) in UPLOAD_VIEWS | GRIEVANCE_VIEWS


def grievance_limit() -> int:
    return settings.GRIEVANCE_MAX_FILES * settings.GRIEVANCE_MAX_FILE_BYTES + FORM_OVERHEAD


def upload_limit(path: str, *, upload: bool | None = None) -> int:
    """The largest body, in bytes, the address ``path`` accepts."""
    if _view_name(path) in GRIEVANCE_VIEWS:
        return grievance_limit()
    if _view_name(path) in API_BULK_VIEWS:
        return API_BULK_BYTES
    if is_upload(path) if upload is None else upload:
        return 2 * settings.MAX_UPLOAD_BYTES + FORM_OVERHEAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if request.method in METHODS_WITH_A_BODY and meta.get("HTTP_TRANSFER_ENCODING"):
            return refusal(request, 411, length_required=True)
        raw = meta.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            return refusal(request, 400, bad_length=True)
        upload = is_upload(request.path_info)
        limit = upload_limit(request.path_info, upload=upload)
        if length > limit:
            per_file = (
                settings.GRIEVANCE_MAX_FILE_BYTES
                if _view_name(request.path_info) in GRIEVANCE_VIEWS
                else settings.MAX_UPLOAD_BYTES
            )
            return refusal(request, 413, size=length, limit=limit, upload=upload, per_file=per_file)
        if isinstance(request, WSGIRequest):
            # Django already reads no more than Content-Length; this keeps the bound here, in one place.
            request._stream = LimitedStream(request.environ["wsgi.input"], min(length, limit))
        return self.get_response(request)


def refusal(
    request, status: int, *, size: int = 0, limit: int = 0, upload: bool = False, per_file: int = 0, **what
) -> HttpResponse:
    """A short page in the reader's language (the language middleware has not run yet); for the API, an
    RFC 9457 problem."""
    megabytes = 1024 * 1024
    if request.path_info.startswith("/api/"):
        return api_refusal(status, size=size / megabytes, limit=limit / megabytes)
    with translation.override(translation.get_language_from_request(request)):
        page = render_to_string(
            "request_refused.html",
            {
                "status": status,
                "upload": upload,
                "size_mb": f"{size / megabytes:.1f}",
                "limit_mb": f"{limit / megabytes:.1f}",
                "upload_limit_mb": f"{(per_file or settings.MAX_UPLOAD_BYTES) / megabytes:g}",
                "LANGUAGE_CODE": translation.get_language(),
                **what,
            },
        )
    return HttpResponse(page, status=status)


def api_refusal(status: int, *, size: float, limit: float) -> HttpResponse:
    detail = {
        411: "Send the body with a Content-Length header; a chunked body is not read.",
        413: f"The body is {size:.1f} MB; this address accepts at most {limit:.1f} MB. Send fewer rows at a time.",
    }.get(status, "The Content-Length header is not a number.")
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")
