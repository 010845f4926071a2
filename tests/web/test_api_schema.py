"""The API's OpenAPI 3 schema validates, documents every error as an RFC 9457 problem, and its
documentation pages work without a network (their scripts come with the installed package)."""

from __future__ import annotations

import json

import pytest
from api_data import client_with_token
from openapi_spec_validator import validate
from staff_data import PASSWORD, staff

from oretrace.web.accounts.tokens import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_token():
    _, _, vera = staff()
    return ApiToken.issue(vera, "tests", by=vera)[1]


def test_the_served_schema_is_a_valid_openapi_3_document(viewer_token):
    response = client_with_token(viewer_token).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)  # raises OpenAPIValidationError naming the first problem
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token, made on the API tokens page or with `manage api_token`.",
    }


def test_every_operation_documents_its_problems_as_rfc_9457(viewer_token):
    schema = json.loads(client_with_token(viewer_token).get("/api/v1/schema/?format=json").content)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"]["401"]["content"] == problem, (method, path)
            assert operation["responses"]["403"]["content"] == problem, (method, path)
    upsert = schema["paths"]["/api/v1/suppliers/upsert/"]["post"]
    assert upsert["responses"]["400"]["content"] == problem
    assert set(schema["components"]["schemas"]["UpsertRowRequest"]["properties"]) >= {
        "supplier_key",
        "supplier_name",
        "contact_email",
        "part_number",
    }


def test_the_documentation_page_loads_its_scripts_from_this_server(client):
    staff()
    client.login(username="vera", password=PASSWORD)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert (
        client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200
    )
