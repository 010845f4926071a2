"""State changes are race-free: an upload racing an analyst's accept, the supplier opening its link during
its own upload, a decline during an upload. Each move is made on the row as it is now, conditional on
the state and the file read, so no move is made from a stale copy.

The first tests replay each interleaving step by step; the last runs suppliers and analysts in threads
against the real database (SQLite and PostgreSQL in CI) and checks the invariants the races broke.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.web.campaigns import reference
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import InvalidTransition, ReportedSmelter, Request, State
from oretrace.web.demo import build_cmrt


@pytest.fixture
def world(db):
    _alice, bob, _ = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    _campaign, requests = campaign_with_suppliers(5)
    for req in requests:
        req.transition(State.SENT, bob)
    return bob, requests


def test_an_accept_of_the_file_shown_is_refused_when_a_newer_one_arrived(world):
    bob, (req, *_) = world
    first = submitted(req)
    shown = Request.objects.get(pk=req.pk)  # the analyst's page, showing version 1
    second, _ = store_file(req, cmrt_bytes(D17="+86 1"), "v2.xlsx", "supplier via link")
    with pytest.raises(InvalidTransition, match="A newer file arrived"):
        shown.transition(State.ACCEPTED, bob, expected_file=first.pk)
    req.refresh_from_db()
    assert (req.state, req.latest_submission_id) == (State.SUBMITTED, second.pk)


def test_a_move_from_a_stale_copy_never_writes_back_what_it_read(world):
    bob, (req, *_) = world
    stale = Request.objects.get(pk=req.pk)  # read before the upload
    submission = submitted(req)
    stale.transition(State.SUBMITTED, bob, "a second, staff-side look")  # allowed: submitted → submitted
    req.refresh_from_db()
    assert req.latest_submission_id == submission.pk and req.responded_at is not None


def test_opening_the_link_during_the_suppliers_own_upload_leaves_the_upload_in_place(world):
    _, (req, *_) = world
    opened_late = Request.objects.get(pk=req.pk)  # the page view started before the upload finished
    submission = submitted(req)
    opened_late.mark_opened()
    req.refresh_from_db()
    assert (req.state, req.latest_submission_id) == (State.SUBMITTED, submission.pk)
    assert req.responded_at is not None and req.opened_at is None


def test_a_decline_and_an_upload_do_not_mix(world):
    _bob, (req, *_) = world
    declining = Request.objects.get(pk=req.pk)
    submission = submitted(req)  # the upload won
    declining.decline(
        name="Li", title="QA", statement="No 3TG", by="supplier via link"
    )  # submitted → declined
    req.refresh_from_db()
    assert (req.state, req.decline_statement) == (State.DECLINED, "No 3TG")
    assert req.latest_submission_id == submission.pk
    assert not ReportedSmelter.objects.filter(request=req, current=True).exists()


@pytest.mark.django_db(transaction=True)
def test_suppliers_uploading_while_analysts_accept_never_leave_an_unreviewed_file_accepted(settings):
    """Five supplier/analyst pairs for a few seconds: every accepted request is accepted on its latest file,
    every latest file is the highest version, and only the latest file's smelters are current."""
    settings.MAX_VERSIONS_PER_REQUEST = 10_000  # every upload of the race is stored
    _alice, bob, _ = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    _, requests = campaign_with_suppliers(5)
    for req in requests:
        req.transition(State.SENT, bob)
    files = [cmrt_bytes(D17=f"+86 {n}") for n in range(4)]
    stop = time.monotonic() + 4
    failures: list[BaseException] = []

    def supplier(pk: int) -> None:
        n = 0
        try:
            while time.monotonic() < stop:
                req = Request.objects.select_related("campaign__reporting_year", "supplier").get(pk=pk)
                req.mark_opened()
                store_file(req, files[n % len(files)], f"v{n}.xlsx", "supplier via link")
                n += 1
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    def analyst(pk: int) -> None:
        try:
            while time.monotonic() < stop:
                req = Request.objects.get(pk=pk)
                seen = req.latest_submission_id
                try:
                    req.transition(State.ACCEPTED, bob, f"file {seen}", expected_file=seen)
                except InvalidTransition:
                    continue  # a newer file, or not accepted yet: look again
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=role, args=(r.pk,)) for r in requests for role in (supplier, analyst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    accepts = 0
    for req in Request.objects.all():
        latest = req.submissions.order_by("-version").first()
        assert req.latest_submission_id == latest.pk, req
        current = set(
            ReportedSmelter.objects.filter(request=req, current=True).values_list("submission_id", flat=True)
        )
        assert current == {latest.pk}, req
        assert req.responded_at is not None and req.state != State.OPENED
        if req.state == State.ACCEPTED:
            last_accept = req.events.filter(to_state=State.ACCEPTED).order_by("-id").first()
            assert last_accept.note == f"file {latest.pk}", req
        accepts += req.events.filter(to_state=State.ACCEPTED).count()
    assert accepts > 0  # the analysts did accept, the race was run
