"""A file from another company than the supplier asked: an error on the request page, a banner at its top,
and plain words to the supplier in the portal (review.identity, rule company-not-the-supplier)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted
from supplier_requests import make_campaign, make_supplier, sent_request

from oretrace.web.campaigns.models import State, Submission
from samples import CENTRAL_GLASS, HONEYWELL, PKG, SK, shared_file

pytestmark = pytest.mark.django_db

CODE = "company-not-the-supplier"
SK_HYNIX = {"company": "SK hynix Inc.", "D16": "kim@skhynix.example", "D20": "lee@skhynix.example"}


def _file(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


@pytest.fixture
def bob_and_request(client):
    _, bob, _ = staff()
    client.force_login(bob)
    _campaign, requests = campaign_with_suppliers(1)
    req = requests[0]
    req.transition(State.SENT, bob)
    return bob, req


def test_the_suppliers_own_file_raises_no_identity_finding(client, bob_and_request):
    _, req = bob_and_request
    submission = submitted(req)
    assert CODE not in [f["code"] for f in submission.findings]
    page = client.get(reverse("request", args=[req.pk])).content.decode()
    assert 'id="identity"' not in page


def test_another_companys_file_uploaded_by_staff_is_an_error_under_a_banner(client, bob_and_request):
    _, req = bob_and_request
    client.post(
        reverse("request_upload", args=[req.pk]), {"file": _file(cmrt_bytes(**SK_HYNIX), "CMRT.xlsx")}
    )
    submission = Submission.objects.get()
    [finding] = [f for f in submission.findings if f["code"] == CODE]
    assert (finding["severity"], finding["sheet"], finding["cell"]) == ("error", "Declaration", "D8")
    assert "(skhynix.example) is not the supplier's" in finding["message"]
    page = client.get(reverse("request", args=[req.pk])).content.decode()
    assert '<div class="banner error" role="alert" id="identity">' in page
    assert "<b>This file is from SK hynix Inc., not Supplier 0.</b>" in page
    # The banner comes before the findings table, at the top of the page.
    assert page.index('id="identity"') < page.index("<h2>Findings")


def test_a_renamed_supplier_is_recognised_by_its_mail_domain(client, bob_and_request):
    _, req = bob_and_request
    # A new company name, but the people are still at tianma.example, the supplier's own domain.
    submission = submitted(req, data=cmrt_bytes(company="Everbright Holdings Ltd."))
    assert CODE not in [f["code"] for f in submission.findings]


def test_the_portal_tells_the_supplier_in_plain_words_after_upload(client):
    req = sent_request(make_campaign(), make_supplier("zhenhua", "Shenzhen Zhenhua Electronics Co., Ltd."))
    token = req.issue_link()
    response = client.post(
        reverse("portal:upload", kwargs={"token": token}),
        {"file": _file(cmrt_bytes(**SK_HYNIX), "CMRT.xlsx")},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain and response.status_code == 200
    assert (
        "The file you uploaded names SK hynix Inc. as the company. "
        "We asked Shenzhen Zhenhua Electronics Co., Ltd. for its own declaration." in page
    )
    assert "Please upload the declaration of Shenzhen Zhenhua Electronics Co., Ltd. itself." in page


def test_the_portal_says_it_in_chinese_to_a_chinese_reader(client):
    req = sent_request(
        make_campaign(),
        make_supplier("zhenhua", "Shenzhen Zhenhua Electronics Co., Ltd.", language="zh-hans"),
    )
    token = req.issue_link()
    response = client.post(
        reverse("portal:upload", kwargs={"token": token}),
        {"file": _file(cmrt_bytes(**SK_HYNIX), "CMRT.xlsx")},
        follow=True,
    )
    assert "您上传的文件中填写的公司是 SK hynix Inc.，而我们请 Shenzhen Zhenhua" in response.content.decode()


def test_the_real_cmrts_uploaded_for_the_wrong_supplier_are_flagged(client, bob_and_request):
    for path in (CENTRAL_GLASS, SK, HONEYWELL, PKG):
        shared_file(path)
    _, req = bob_and_request
    errors_on_d8 = {}
    for path in (CENTRAL_GLASS, SK, HONEYWELL, PKG):
        client.post(reverse("request_upload", args=[req.pk]), {"file": _file(path.read_bytes(), path.name)})
        submission = req.submissions.order_by("-version").first()
        assert submission.filename == path.name
        errors_on_d8[path.name] = sorted(
            f["code"] for f in submission.findings if f["cell"] == "D8" and f["severity"] == "error"
        )
    assert errors_on_d8 == {
        CENTRAL_GLASS.name: [CODE],
        SK.name: [CODE],
        HONEYWELL.name: [CODE],
        # Its company block is blank: the template's Checker already counts the name as missing.
        PKG.name: ["required-field-missing"],
    }
    page = client.get(reverse("request", args=[req.pk])).content.decode()
    assert "This file is from" not in page  # the latest, PKG's, names no company
