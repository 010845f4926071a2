"""What the OpenAPI schema says beyond the views: every error is an RFC 9457 problem, and a campaign's
smelters and risk ratings come in pages like every other list."""

from __future__ import annotations

from rest_framework import serializers

from oretrace.web.api.problems import CONTENT_TYPE

PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem: what went wrong, for the person reading it.",
    "properties": {
        "type": {"type": "string", "description": "about:blank, or urn:oretrace:problem:invalid-input"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Invalid input only: each field's problem (a dotted path, empty for the whole).",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
ERRORS = {
    "400": "Invalid input: the problem lists each field's problem.",
    "401": "No token, or a token that is unknown, revoked, or whose owner is deactivated.",
    "403": "The token's owner's role may not do this (a viewer reads and never writes).",
    "404": "No such object.",
}


def add_problem_responses(result, generator, request, public):
    """Postprocessing hook (SPECTACULAR_SETTINGS): the Problem schema and the error answers of each
    operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = ["401", "403"]
            if method in ("post", "put", "patch") or method == "get":
                codes.insert(0, "400")
            if "{" in path:
                codes.append("404")
            for code in codes:
                operation["responses"].setdefault(code, {"description": ERRORS[code], "content": reference})
    return result


def paged(name: str, item: serializers.Serializer) -> serializers.Serializer:
    """The schema of one page of ``item``s, as the API's pagination (api.pagination.Pages) gives it."""
    fields = {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": type(item)(many=True) if isinstance(item, serializers.Serializer) else item,
    }
    return type(name, (serializers.Serializer,), fields)()
