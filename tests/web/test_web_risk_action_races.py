"""Editing a risk action is race-free: two people saving the edit form of the same action at once, both
from the page as it was, save one edit; the other is refused and nothing of it is written, and an edit
never undoes an Annex X risk category set meanwhile."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from staff_data import campaign_with_suppliers, make_user

from oretrace.web.accounts.models import Role
from oretrace.web.audit.models import AuditEntry
from oretrace.web.risk.models import RiskAction, StaleEdit


def _run(*targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _action(by) -> RiskAction:
    campaign, _ = campaign_with_suppliers(1)
    return RiskAction.open_for(
        campaign,
        by=by,
        subject_kind="smelter",
        subject_key="CID900001",
        subject_label="Demo Tantalum Smelter 01",
        flag_code="smelter-non-conformant",
        what="Ask the suppliers naming Demo Tantalum Smelter 01 to move off it",
        owner=by,
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_action_at_once_save_one_edit_and_the_other_is_refused():
    alice = make_user("alice", Role.ADMIN)
    bob = make_user("bob", Role.ANALYST)
    action = _action(bob)
    seen = action.edit_version()
    start = threading.Barrier(3)
    outcomes: dict[str, str] = {}

    def edit(who, **values) -> None:
        try:
            mine = RiskAction.objects.get(pk=action.pk)
            start.wait()
            mine.change(who, seen_version=seen, **values)
            outcomes[who.username] = "saved"
        except StaleEdit:
            outcomes[who.username] = "refused"
        except BaseException as error:
            outcomes[who.username] = repr(error)
        finally:
            connection.close()

    def categorise() -> None:
        try:
            mine = RiskAction.objects.get(pk=action.pk)
            start.wait()
            outcomes["category"] = str(mine.set_annex_x_category(alice, "child-labour", was=""))
        except BaseException as error:
            outcomes["category"] = repr(error)
        finally:
            connection.close()

    _run(
        lambda: edit(alice, status="done", what="Moved off the smelter"),
        lambda: edit(bob, due_date=dt.date(2027, 1, 31), owner_role="Buyer"),
        categorise,
    )
    assert sorted([outcomes["alice"], outcomes["bob"]]) == ["refused", "saved"], outcomes
    assert outcomes["category"] == "True", outcomes
    action.refresh_from_db()
    assert action.annex_x_category == "child-labour"
    if outcomes["alice"] == "saved":
        assert (action.status, action.what, action.owner_role) == ("done", "Moved off the smelter", "")
        assert action.closed_at is not None
    else:
        assert (action.status, action.due_date, action.owner_role) == ("open", dt.date(2027, 1, 31), "Buyer")
        assert action.closed_at is None
    assert AuditEntry.objects.filter(action="risk.action_changed").count() == 2  # one edit, one category
