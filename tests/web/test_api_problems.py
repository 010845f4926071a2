"""Whatever goes wrong, the API answers with an RFC 9457 problem a person can read: an address that is
no endpoint, a method an endpoint does not take, and a fault of ours (logged, never shown)."""

from __future__ import annotations

import logging

import pytest
from api_data import client_with_token
from staff_data import staff

from oretrace.web.accounts.tokens import ApiToken
from oretrace.web.suppliers.models import Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst():
    _, bob, _ = staff()
    return client_with_token(ApiToken.issue(bob, "tests", by=bob)[1])


def test_an_address_that_is_no_endpoint_names_the_documentation(analyst):
    missing = analyst.get("/api/v1/vendors/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "There is no API endpoint /api/v1/vendors/; the endpoints are listed at /api/v1/docs/.",
        "instance": "/api/v1/vendors/",
    }
    assert client_with_token(None).get("/api/v1/vendors/").status_code == 401


def test_a_method_an_endpoint_does_not_take_says_which_it_does(analyst):
    supplier = Supplier.objects.create(key="V-1", name="Tianma")
    refused = analyst.delete(f"/api/v1/suppliers/{supplier.pk}/")
    assert refused.status_code == 405
    assert refused.json()["detail"] == 'Method "DELETE" not allowed.'
    assert "DELETE" not in refused["Allow"] and "PATCH" in refused["Allow"]
    assert Supplier.objects.filter(pk=supplier.pk).exists()


def test_a_fault_of_ours_is_logged_and_answered_without_its_traceback(analyst, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away at /var/lib/secret/path")

    monkeypatch.setattr("oretrace.web.api.suppliers.SupplierViewSet.get_queryset", broken)
    with caplog.at_level(logging.ERROR, logger="oretrace.web.api.problems"):
        answer = analyst.get("/api/v1/suppliers/")
    assert answer.status_code == 500
    assert answer.json()["detail"] == (
        "oretrace could not answer this request; the error is logged for the administrator."
    )
    assert "secret" not in answer.content.decode()
    assert "the database went away" in caplog.text
