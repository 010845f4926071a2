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
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.web.campaigns import reference
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import InvalidTransition, ReportedSmelter, Request, State
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.outbox.reminders import ReminderRefused, remind_now


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


@pytest.mark.django_db(transaction=True)
def test_analysts_clicking_remind_now_at_once_queue_one_reminder():
    """Four analysts press "Remind now" on the same request at the same moment: one reminder is queued
    and counted, the others are refused."""
    _alice, bob, _ = staff()
    _, (req,) = campaign_with_suppliers(1)
    req.transition(State.SENT, bob)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def click() -> None:
        try:
            mine = Request.objects.get(pk=req.pk)
            start.wait()
            remind_now(mine, bob)
            outcomes.append("queued")
        except ReminderRefused:
            outcomes.append("refused")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["queued", "refused", "refused", "refused"]
    req.refresh_from_db()
    assert req.reminders_sent == 1
    assert OutboundEmail.objects.filter(request=req, template="reminder").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_reply_arriving_while_an_analyst_marks_the_request_handled_stays_in_the_queue():
    """The supplier replies while the analyst, looking at the previous reply, marks the request handled:
    whichever commits first, the newer reply is never hidden from the queue."""
    _alice, bob, _ = staff()
    _, (req,) = campaign_with_suppliers(1)
    req.transition(State.SENT, bob)
    submitted(req)
    req.request_follow_up(by=bob, findings=[], message="Which smelters source the tin?")
    Request.objects.get(pk=req.pk).record_reply(message="First answer.", author_label="supplier via link")
    for _round in range(5):
        assert _reply_while_marked_handled(req.pk, bob) == []
        assert Request.objects.get(pk=req.pk).waiting_for_us  # the newest reply is never marked handled


def _reply_while_marked_handled(pk: int, by) -> list[BaseException]:
    """One round: the supplier replies as the analyst marks handled the reply on its page."""
    seen = Request.objects.get(pk=pk).supplier_acted_at  # the analyst's page
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def reply() -> None:
        try:
            mine = Request.objects.get(pk=pk)
            start.wait()
            mine.record_reply(message="Another answer.", author_label="supplier via link")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def handle() -> None:
        try:
            mine = Request.objects.get(pk=pk)
            start.wait()
            mine.mark_handled(by, seen=seen)
        except InvalidTransition:
            pass  # the newer reply was there first: refused, as it should be
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reply), threading.Thread(target=handle)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
