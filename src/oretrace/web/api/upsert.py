"""Bulk upsert from an ERP export: rows in the shape of the web's supplier import, through its rules.

Each row is what one line of an ERP or BOM export gives (a supplier, its contacts, one part it
supplies), under the import's field names (suppliers.imports.FIELDS). The rows are checked and written
by the same functions as a file imported on the Suppliers page: the supplier number and the part number
are the keys, a re-sent row updates and never duplicates, and a problem keeps out what the import
keeps out (the row, a contact, or the part link), said per row in ``problems``. ``dry_run`` checks and
writes nothing, like the import's preview.
"""

from __future__ import annotations

import json

from django.db import IntegrityError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from oretrace.smelters.tables import Table
from oretrace.web.suppliers import imports

MAX_ROWS = 5000  # a bound on one request; a larger export is sent in several


def _row_serializer() -> type[serializers.Serializer]:
    fields = {
        name: serializers.CharField(required=name in imports.REQUIRED, allow_blank=True, help_text=label)
        for name, (label, _headers) in imports.FIELDS.items()
    }
    return type("UpsertRow", (serializers.Serializer,), fields)


UpsertRow = _row_serializer()


class UpsertRequest(serializers.Serializer):
    rows = UpsertRow(many=True, allow_empty=False, max_length=MAX_ROWS)
    dry_run = serializers.BooleanField(default=False, help_text="Check the rows and write nothing.")

    def validate_rows(self, rows):
        unknown = sorted(
            {key for row in self.initial_data.get("rows", ()) if isinstance(row, dict) for key in row}
            - set(imports.FIELDS)
        )
        if unknown:
            raise serializers.ValidationError(
                f"Unknown field(s) {', '.join(unknown)}; the fields are: {', '.join(imports.FIELDS)}."
            )
        return rows


class RowProblem(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's position in ``rows``, counted from 1.")
    field = serializers.CharField()
    message = serializers.CharField()
    consequence = serializers.CharField(help_text="row skipped, contact left out, or part link left out")


class UpsertResult(serializers.Serializer):
    dry_run = serializers.BooleanField()
    summary = serializers.CharField(help_text="What the import did, in the words of the Suppliers page.")
    rows = serializers.IntegerField()
    imported = serializers.IntegerField()
    imported_in_part = serializers.IntegerField()
    skipped = serializers.IntegerField()
    suppliers_created = serializers.IntegerField(allow_null=True)
    suppliers_updated = serializers.IntegerField(allow_null=True)
    contacts_created = serializers.IntegerField(allow_null=True)
    contacts_updated = serializers.IntegerField(allow_null=True)
    contacts_left_out = serializers.IntegerField(allow_null=True)
    part_links_added = serializers.IntegerField(allow_null=True)
    part_links_left_out = serializers.IntegerField(allow_null=True)
    problems = RowProblem(many=True)


class BulkJSONParser(BaseParser):
    """JSON read from the request's stream, which the size limit bounds (request_limits.API_BULK_BYTES).

    DRF's JSONParser reads ``request.body``, which Django caps at DATA_UPLOAD_MAX_MEMORY_SIZE (1 MB):
    a few thousand rows of an export are more.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return json.loads(stream.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ParseError(f"The body is not JSON: {error}") from None


def checked_rows(rows: list[dict[str, str]]) -> list[imports.Row]:
    names = tuple(imports.FIELDS)
    table = Table(
        name="API",
        headers=names,
        rows=tuple(tuple(row.get(name, "") for name in names) for row in rows),
        header_row=0,  # so that row numbers count from 1, as the rows' positions
        encoding="utf-8",
    )
    return imports.check_rows(table, {name: index for index, name in enumerate(names)})


class SupplierUpsert(APIView):
    parser_classes = [BulkJSONParser]

    @extend_schema(
        request=UpsertRequest,
        responses={200: UpsertResult},
        summary="Create or update suppliers, contacts, parts and part links from ERP rows",
        description=__doc__,
    )
    def post(self, request):
        given = UpsertRequest(data=request.data)
        given.is_valid(raise_exception=True)
        rows = checked_rows(given.validated_data["rows"])
        plan = imports.Plan.of(rows)
        result = {
            "dry_run": given.validated_data["dry_run"],
            "summary": str(plan),
            "rows": plan.rows,
            "imported": plan.imported,
            "imported_in_part": plan.in_part,
            "skipped": plan.skipped,
            "problems": [
                {"row": row.number, "field": p.field, "message": p.message, "consequence": p.consequence}
                for row in rows
                for p in row.problems
            ],
        }
        counts = dict.fromkeys(
            (
                "suppliers_created",
                "suppliers_updated",
                "contacts_created",
                "contacts_updated",
                "contacts_left_out",
                "part_links_added",
                "part_links_left_out",
            )
        )
        if not result["dry_run"]:
            try:
                summary = imports.apply_rows(rows, request.user, "API upsert")
            except IntegrityError:
                # Another upsert created one of these suppliers or contacts meanwhile; nothing was written.
                raise serializers.ValidationError(
                    "Another upsert wrote some of these suppliers at the same moment; nothing was written. "
                    "Send the rows again."
                ) from None
            counts = {
                "suppliers_created": summary.suppliers_created,
                "suppliers_updated": summary.suppliers_updated,
                "contacts_created": summary.contacts_created,
                "contacts_updated": summary.contacts_updated,
                "contacts_left_out": summary.contacts_left_out,
                "part_links_added": summary.parts_linked,
                "part_links_left_out": summary.part_links_left_out,
            }
            result["summary"] = str(summary)
        return Response(result | counts)
