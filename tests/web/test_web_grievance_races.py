"""A grievance case's state changes are race-free: analysts closing it at the same moment close it once,
with one outcome and one audit entry; a reporter's message racing the close either lands before it
or is refused, never added to a closed case."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from staff_data import staff

from oretrace.web.audit.models import AuditEntry
from oretrace.web.grievances.models import Case, CaseClosed, Message


def _run(*targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_analysts_closing_a_case_at_once_close_it_once():
    _alice, bob, _ = staff()
    case, _secret = Case.receive(concern="Children dig at the mine.")
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def close(number: int):
        def run() -> None:
            try:
                mine = Case.objects.get(pk=case.pk)
                start.wait()
                outcomes.append(f"closed {number}" if mine.close(bob, f"Outcome {number}") else "refused")
            except BaseException as error:
                outcomes.append(repr(error))
            finally:
                connection.close()

        return run

    _run(*(close(n) for n in range(4)))
    winners = [o for o in outcomes if o.startswith("closed")]
    assert len(winners) == 1 and outcomes.count("refused") == 3, outcomes
    case.refresh_from_db()
    assert case.is_closed and case.outcome == f"Outcome {winners[0].split()[1]}"
    assert AuditEntry.objects.filter(action="grievance.closed", object_id=str(case.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_reporters_message_racing_the_close_is_never_added_to_a_closed_case():
    _alice, bob, _ = staff()
    for _round in range(3):
        case, _secret = Case.receive(concern="Children dig at the mine.")
        start = threading.Barrier(2)
        outcomes: list[str] = []

        def write(case=case, start=start, outcomes=outcomes) -> None:
            try:
                start.wait()
                Case.objects.get(pk=case.pk).add_reporter_message("One more thing.")
                outcomes.append("written")
            except CaseClosed:
                outcomes.append("refused")
            finally:
                connection.close()

        def close(case=case, start=start) -> None:
            try:
                start.wait()
                Case.objects.get(pk=case.pk).close(bob, "Handled.")
            finally:
                connection.close()

        _run(write, close)
        case.refresh_from_db()
        assert case.is_closed
        last = case.messages.filter(kind=Message.Kind.REPORTER).order_by("-at", "-id").first()
        if outcomes == ["written"]:
            assert last.text == "One more thing." and last.at <= case.closed_at
        else:
            assert outcomes == ["refused"] and case.messages.count() == 1
