"""Our EMRT's and CRT's company questions are kept on the one organisation row: two analysts saving them
at once, one for the EMRT and one for the CRT, both keep theirs (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from oretrace.web.suppliers.models import Organisation


def _at_once(actions) -> list[str]:
    start = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action) -> None:
        try:
            start.wait()
            action()
            outcomes.append("saved")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_the_emrts_and_the_crts_answers_saved_at_once_are_both_kept():
    Organisation.objects.create(name="Acme", kind_company_answers={"EMRT": {"A": "No"}})
    for round_number in range(5):
        emrt = {"A": "Yes", "E": "No"} if round_number % 2 else {"A": "No"}
        crt = {"B": "Yes", "D": "Yes", "F": str(round_number)}

        outcomes = _at_once(
            [
                lambda emrt=emrt: Organisation.replace_kind_company_answers("EMRT", emrt),
                lambda crt=crt: Organisation.replace_kind_company_answers("CRT", crt),
            ]
        )

        assert outcomes == ["saved", "saved"]
        assert Organisation.objects.get().kind_company_answers == {"EMRT": emrt, "CRT": crt}


@pytest.mark.django_db
def test_saving_one_kinds_answers_returns_those_it_replaced_and_leaves_the_other_kind():
    Organisation.objects.create(name="Acme", kind_company_answers={"EMRT": {"A": "No"}, "CRT": {"B": "Yes"}})
    assert Organisation.replace_kind_company_answers("CRT", {"B": "No"}) == {"B": "Yes"}
    assert Organisation.objects.get().kind_company_answers == {"EMRT": {"A": "No"}, "CRT": {"B": "No"}}
