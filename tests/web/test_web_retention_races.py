"""Legal holds, the purge and erasure are race-free: admins releasing a hold at once release it once; a
hold placed while the purge runs either comes after the answer's deletion or keeps the answer; a hold
placed while a contact is erased either comes after the erasure or refuses it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from retention_data import old_campaign
from staff_data import make_user

from oretrace.web.accounts.models import Role
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Request
from oretrace.web.retention.erasure import ErasureRefused, erase_contact
from oretrace.web.retention.models import LegalHold
from oretrace.web.retention.purge import purge_answer
from oretrace.web.suppliers.models import Contact


def _run(*targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_admins_releasing_a_hold_at_once_release_it_once():
    alice = make_user("alice", Role.ADMIN)
    campaign, _ = old_campaign(1)
    hold = LegalHold.place(campaign, "Dispute.", alice)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def release() -> None:
        try:
            mine = LegalHold.objects.get(pk=hold.pk)
            start.wait()
            outcomes.append("released" if mine.release(alice) else "refused")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    _run(*(release for _ in range(4)))
    assert sorted(outcomes) == ["refused", "refused", "refused", "released"], outcomes
    assert AuditEntry.objects.filter(action="retention.hold_released").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_hold_placed_while_the_purge_runs_keeps_the_answer_or_comes_after_its_deletion():
    alice = make_user("alice", Role.ADMIN)
    _campaign, requests = old_campaign(3)
    for request in requests:  # one race per supplier, each held in its own round
        start = threading.Barrier(2)
        errors: list[str] = []

        def delete(request=request, start=start, errors=errors) -> None:
            try:
                start.wait()
                purge_answer(request.pk, "expired")
            except BaseException as error:
                errors.append(repr(error))
            finally:
                connection.close()

        def hold(request=request, start=start, errors=errors) -> None:
            try:
                start.wait()
                LegalHold.place(request.supplier, "Customs inquiry.", alice)
            except BaseException as error:
                errors.append(repr(error))
            finally:
                connection.close()

        _run(delete, hold)
        assert errors == []
        placed = AuditEntry.objects.get(
            action="retention.hold_placed", object_label__endswith=str(request.supplier)
        )
        purged = AuditEntry.objects.filter(action="retention.purged", object_id=str(request.pk)).first()
        if Request.objects.filter(pk=request.pk).exists():
            assert purged is None
        else:
            assert purged.pk < placed.pk  # deleted before the hold existed: never under it


@pytest.mark.django_db(transaction=True)
def test_an_erasure_racing_a_hold_on_the_supplier_comes_before_it_or_is_refused():
    alice = make_user("alice", Role.ADMIN)
    _campaign, requests = old_campaign(3)
    for request in requests:
        contact = request.supplier.contacts.get(is_primary=True)
        start = threading.Barrier(2)
        outcomes: list[str] = []

        def erase(contact=contact, start=start, outcomes=outcomes) -> None:
            try:
                start.wait()
                erase_contact(contact.pk, alice)
                outcomes.append("erased")
            except ErasureRefused:
                outcomes.append("refused")
            except BaseException as error:
                outcomes.append(repr(error))
            finally:
                connection.close()

        def hold(request=request, start=start, outcomes=outcomes) -> None:
            try:
                start.wait()
                LegalHold.place(request.supplier, "Dispute.", alice)
            except BaseException as error:
                outcomes.append(repr(error))
            finally:
                connection.close()

        _run(erase, hold)
        assert outcomes in (["erased"], ["refused"]), outcomes
        placed = AuditEntry.objects.get(
            action="retention.hold_placed", object_label__endswith=str(request.supplier)
        )
        erased = AuditEntry.objects.filter(action="contact.erased", object_id=str(contact.pk)).first()
        if outcomes == ["erased"]:
            assert erased.pk < placed.pk  # erased before the hold existed: never under it
        else:
            assert erased is None and Contact.objects.get(pk=contact.pk).email == contact.email
