"""Every API endpoint, with every method the schema lists, for every role: anonymous people get 401,
a token of an account without a role 403, viewers read and never write (403), analysts and admins
read and write."""

from __future__ import annotations

import re

import pytest
from api_data import api_world, client_with_token
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from oretrace.web.accounts.tokens import ApiToken
from oretrace.web.suppliers.models import Contact, Supplier, SupplierPart

pytestmark = pytest.mark.django_db

# The documentation pages are HTML for a person, served from the same permission as the schema.
DOCUMENTATION = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/docs/redoc/"}


def operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation of the API's schema; the deletions last, so that every
    other operation finds its object."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        ((method.upper(), path) for path, ops in schema["paths"].items() for method in ops),
        key=lambda op: (op[0] == "DELETE", op),
    )


def filled(path: str, world: dict) -> str:
    """The path with an object of the world for each parameter."""
    path = re.sub(r"^/api/v1/([a-z-]+)/\{id\}/", lambda m: f"/api/v1/{m[1]}/{world['ids'][m[1]]}/", path)
    return path.replace("{document}/{fmt}", "cmr/html")


def ids_of(world: dict) -> dict[str, int]:
    return {
        "campaigns": world["campaign"].pk,
        "requests": world["requests"][0].pk,
        "submissions": world["submission"].pk,
        "suppliers": Supplier.objects.get(key="V001").pk,
        "contacts": Contact.objects.filter(supplier__key="V001").first().pk,
        "parts": SupplierPart.objects.get(supplier__key="V001").part_id,
        "supplier-parts": SupplierPart.objects.get(supplier__key="V001").pk,
        "declarations": world["declaration"].pk,
        "evidence-packages": world["package"].pk,
    }


def api_urls_in_resolver() -> set[str]:
    """Every address under /api/v1/, written as the schema writes paths ("/api/v1/parts/{id}/")."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and prefix.startswith("api/v1/"):
                yield "/" + prefix + str(p.pattern)

    def as_schema_path(url: str) -> str:
        url = url.replace("^", "").replace("$", "")
        url = re.sub(r"\(\?P<pk>[^)]*\)|<int:pk>", "{id}", url)
        return re.sub(r"<slug:(\w+)>", r"{\1}", url)

    return {as_schema_path(url) for url in walk(get_resolver().url_patterns)}


def test_the_schema_lists_every_api_address_but_the_documentation():
    # The last address answers every other path under /api/v1/ with a 404 problem (test_api_problems.py).
    assert {path for _, path in operations()} == api_urls_in_resolver() - DOCUMENTATION - {"/api/v1/.*"}


@pytest.fixture
def world():
    world = api_world()
    nobody = get_user_model().objects.create_user("nora", "nora@acme.example", "a-long-test-password")
    world["tokens"]["no role"] = ApiToken.issue(nobody, "tests", by=nobody)[1]
    world["tokens"]["anonymous"] = None
    world["ids"] = ids_of(world)
    return world


def expected(role: str, method: str) -> set[int]:
    if role == "anonymous":
        return {401}
    if role == "no role":
        return {403}
    if method in ("GET", "HEAD") or role in ("analyst", "admin"):
        return set(range(200, 300)) | {400}  # a write with an empty body is answered with its problems
    return {403}


@pytest.mark.parametrize("role", ["anonymous", "no role", "viewer", "analyst", "admin"])
def test_every_endpoint_answers_each_role_as_its_role_allows(world, role):
    client = client_with_token(world["tokens"][role])
    answers = {}
    for method, template in operations():
        path = filled(template, world)
        response = getattr(client, method.lower())(path, {} if method != "GET" else None, format="json")
        answers[(method, template)] = response.status_code
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", (method, path)
            assert response.json()["status"] == response.status_code
    wrong = {op: status for op, status in answers.items() if status not in expected(role, op[0])}
    assert wrong == {}
    if role == "anonymous":
        assert all(
            client.get(filled(t, world))["WWW-Authenticate"] == 'Bearer realm="api"'
            for m, t in operations()
            if m == "GET"
        )


@pytest.mark.parametrize("path", sorted(DOCUMENTATION))
def test_the_schema_and_the_documentation_answer_staff_only(world, path):
    assert client_with_token(None).get(path).status_code == 401
    assert client_with_token(world["tokens"]["no role"]).get(path).status_code == 403
    assert client_with_token(world["tokens"]["viewer"]).get(path).status_code == 200
