"""Every API error as an RFC 9457 problem: ``application/problem+json`` with type, title, status and a
detail written for the person reading it; invalid input also lists each field's problem in ``errors``.

A plain HTTP error is ``about:blank`` titled with the status's phrase, as RFC 9457 section 4.2.1 says;
invalid input has its own type, so that a client can tell it from any other 400.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

logger = logging.getLogger(__name__)
CONTENT_TYPE = "application/problem+json"
INVALID_INPUT = "urn:oretrace:problem:invalid-input"


def problem(status: int, detail: str, *, type_: str = "about:blank", title: str = "", **more) -> Response:
    body = {"type": type_, "title": title or HTTPStatus(status).phrase, "status": status, "detail": detail}
    return Response(body | more, status=status, content_type=CONTENT_TYPE)


def problem_response(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if response is None:
        # A fault of ours, not of the request: logged with its traceback, answered without it.
        logger.error("API error in %s", context.get("view").__class__.__name__, exc_info=exc)
        return problem(
            500, "oretrace could not answer this request; the error is logged for the administrator."
        )
    request = context.get("request")
    instance = {"instance": request.get_full_path()} if request is not None else {}
    if isinstance(exc, exceptions.ValidationError):
        errors = list(field_errors(response.data))
        shown = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        answer = problem(
            response.status_code,
            shown or "The request's data is not valid.",
            type_=INVALID_INPUT,
            title="Invalid input",
            errors=errors,
            **instance,
        )
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        answer = problem(response.status_code, str(detail), **instance)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            answer[header] = response[header]
    return answer


def field_errors(data, path: str = ""):
    """{field, message} for each message in DRF's nested error data; ``field`` is a dotted path
    ("rows.3.supplier_key"), empty for a problem with the request as a whole."""
    if isinstance(data, dict):
        for key, value in data.items():
            name = "" if key == "non_field_errors" else str(key)
            yield from field_errors(value, f"{path}.{name}".strip(".") if name else path)
    elif isinstance(data, list):
        if all(isinstance(item, str) for item in data):
            for message in data:
                yield {"field": path, "message": str(message)}
        else:
            for index, item in enumerate(data):
                if item:
                    yield from field_errors(item, f"{path}.{index}".strip("."))
    else:
        yield {"field": path, "message": str(data)}


class NoSuchEndpoint(APIView):
    """Any other address under /api/v1/: a problem naming the documentation, not the web's 404 page."""

    schema = None  # not an endpoint

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound(
            f"There is no API endpoint {request.path}; the endpoints are listed at /api/v1/docs/."
        )
