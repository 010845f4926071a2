"""The actions on a facility status change are race-free: analysts clicking at the same moment ask the
supplier once, open one corrective action, mark the change handled once; two workers checking the same
day keep each change once. Threads against the real database (SQLite, and PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, staff, submitted

from oretrace.refdata import ListKind
from oretrace.web.campaigns import reference, status_changes
from oretrace.web.campaigns.models import (
    FacilityStatusChange,
    FollowUp,
    InvalidTransition,
    StatusChangeRequest,
)
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.risk.models import RiskAction

HEADER = "Smelter ID,Metal,Standard Smelter Name,Assessment Status,Last Audit Date,Audit Cycle\n"
CLICKS = 4


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def suspension(transactional_db):
    """Supplier 0's file names CID900001, conformant in spring and suspended by a notice ten days ago."""
    _alice, bob, _ = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    _, requests = campaign_with_suppliers(1)
    submitted(requests[0])
    conformant = HEADER + "CID900001,Tantalum,Demo Tantalum Smelter 01,Conformant,2025-03-04,3 years\n"
    reference.apply_status_list(conformant.encode(), "spring.csv", _days_ago(200), bob)
    notice = b"Facility ID,Facility Name\nCID900001,Demo Tantalum Smelter 01\n"
    reference.apply_status_list(notice, "notice.csv", _days_ago(10), bob, kind=ListKind.RMI_SUSPENDED)
    return bob, FacilityStatusChange.objects.get()


def _all_at_once(act: Callable[[], object]) -> list[str]:
    start = threading.Barrier(CLICKS)
    outcomes: list[str] = []

    def click() -> None:
        try:
            start.wait()
            act()
            outcomes.append("done")
        except InvalidTransition:
            outcomes.append("refused")
        except BaseException as error:  # anything else is a bug the test must show
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def _link(change) -> StatusChangeRequest:
    return StatusChangeRequest.objects.select_related("change", "request__supplier", "request__campaign").get(
        change=change
    )


@pytest.mark.django_db(transaction=True)
def test_analysts_asking_the_supplier_at_once_send_one_e_mail(suspension):
    bob, change = suspension
    assert _all_at_once(lambda: status_changes.follow_up(_link(change), bob)) == ["done"] + ["refused"] * 3
    assert OutboundEmail.objects.filter(template="facility-status").count() == 1
    assert FollowUp.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_analysts_opening_a_corrective_action_at_once_open_one(suspension):
    bob, change = suspension
    assert _all_at_once(lambda: status_changes.open_action(_link(change), bob)) == ["done"] + ["refused"] * 3
    assert RiskAction.objects.count() == 1
    assert _link(change).action_id == RiskAction.objects.get().pk


@pytest.mark.django_db(transaction=True)
def test_analysts_marking_a_change_handled_at_once_mark_it_once(suspension):
    bob, change = suspension
    assert (
        _all_at_once(lambda: FacilityStatusChange.objects.get(pk=change.pk).mark_handled(bob))
        == ["done"] + ["refused"] * 3
    )


@pytest.mark.django_db(transaction=True)
def test_workers_checking_the_same_day_at_once_keep_each_change_once(transactional_db):
    _alice, bob, _ = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    _, requests = campaign_with_suppliers(1)
    submitted(requests[0])
    lapsing = HEADER + f"CID900001,Tantalum,Demo Tantalum Smelter 01,Conformant,{_days_ago(368)},1 year\n"
    reference.apply_status_list(lapsing.encode(), "rmap.csv", _days_ago(300), bob)
    assert _all_at_once(status_changes.check_lapses) == ["done"] * CLICKS
    assert FacilityStatusChange.objects.filter(kind="lapsed").count() == 1
    assert StatusChangeRequest.objects.count() == 1
