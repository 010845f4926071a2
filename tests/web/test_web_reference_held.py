"""The reference data an upload is checked against, held per process (campaigns.reference.held_reference):
built once for the same rows, and never served once the rows changed, whoever changed them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from fictional_template import build_cmrt
from staff_data import audit_statuses, campaign_with_suppliers, staff, submitted

from oretrace.web.campaigns import intake, reference
from oretrace.web.campaigns.models import Facility, ReportedSmelter, SmelterStatus, State

pytestmark = pytest.mark.django_db

UNLISTED = "Shandong Gold Refinery (local)"  # a Gold row of staff_data.cmrt_bytes no facility is called


@pytest.fixture
def requests():
    _campaign, made = campaign_with_suppliers(4)
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    for req in made:
        req.transition(State.SENT, "test")
    return made


def unlisted_row(submission) -> ReportedSmelter:
    return ReportedSmelter.objects.get(submission=submission, reported_name=UNLISTED)


def test_it_builds_the_identifier_once_for_the_same_reference_data(requests):
    first = reference.analysis_settings(requests[0].campaign)
    submitted(requests[0])
    assert reference.analysis_settings(requests[0].campaign).identifier() is first.identifier()
    assert intake.identifier() is first.identifier()


def test_a_facility_renamed_by_any_writer_is_used_by_the_next_upload(requests):
    assert unlisted_row(submitted(requests[0])).status == SmelterStatus.UNIDENTIFIED
    # A plain UPDATE, as another process or a future import might write it: nothing tells the cache.
    Facility.objects.filter(smelter_id="CID900014").update(name=UNLISTED)
    assert unlisted_row(submitted(requests[1])).smelter_id == "CID900014"


def test_a_reference_list_loaded_afterwards_is_used_by_the_next_upload(requests):
    Facility.objects.filter(smelter_id="CID900014").update(name=UNLISTED)
    assert unlisted_row(submitted(requests[0])).smelter_id == "CID900014"
    # The template's list loaded again names the facility as RMI does: the name is no longer known.
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    assert unlisted_row(submitted(requests[1])).status == SmelterStatus.UNIDENTIFIED


def test_a_name_confirmed_afterwards_is_used_by_the_next_upload(requests):
    submitted(requests[0])
    _alias, outcome = intake.confirm_alias(metal="Gold", name=UNLISTED, smelter_id="CID900014", by="test")
    assert outcome.now_identified == 1
    assert unlisted_row(submitted(requests[1])).smelter_id == "CID900014"


def test_a_load_rolled_back_is_not_served(requests):
    held = reference.held_reference()
    with pytest.raises(RuntimeError), transaction.atomic():
        Facility.objects.filter(smelter_id="CID900014").update(name=UNLISTED)
        assert reference.held_reference() is not held  # built inside the transaction, for its rows
        raise RuntimeError("the load failed")
    assert reference.held_reference().reference == held.reference
    assert unlisted_row(submitted(requests[0])).status == SmelterStatus.UNIDENTIFIED


def test_an_uploads_queries_do_not_grow_with_the_status_lists_imported(requests):
    admin = staff()[0]
    audit_statuses(admin, {"CID900001": "Conformant"})
    submitted(requests[0])  # the held reference built
    from django.db import connection

    with CaptureQueriesContext(connection) as one_list:
        submitted(requests[1])
    for day in (2, 3, 4):
        audit_statuses(admin, {"CID900001": "Conformant", "CID900007": "Active"}, dt.date(2026, 2, day))
    with CaptureQueriesContext(connection) as four_lists:
        submitted(requests[2])
    assert len(four_lists.captured_queries) == len(one_list.captured_queries)
    assert not any("auditstatusrecord" in q["sql"] for q in four_lists.captured_queries)


def test_a_v2_table_imported_afterwards_is_used_by_the_next_upload(requests, shared_dir):
    submitted(requests[0])
    assert reference.v2_table() is None
    data = (shared_dir / "reference" / "cfsi2014_v2_to_v3_translation_data.csv").read_bytes()
    translated = reference.import_v2_table(data, "cfsi2014_v2_to_v3_translation_data.csv", "test")
    held = reference.held_reference()
    assert len(held.v2) == translated
    assert held.identifier.v2 is held.v2
