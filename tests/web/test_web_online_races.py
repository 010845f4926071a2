"""The online draft's saves are race-free: two tabs saving the same version save once, the other is
told; two tabs submitting the same version store one file."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from supplier_requests import make_campaign, make_supplier, sent_request

from online_answers import complete_answers
from oretrace.online import declaration_to_dict
from oretrace.web.portal.models import OnlineDraft


def _run(*targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_tabs_saving_the_same_draft_version_at_once_save_one_of_them():
    request = sent_request(make_campaign(), make_supplier("harbin", "Harbin Small Parts Co., Ltd."))
    draft = OnlineDraft.objects.create(request=request, answers={})
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def save(number: int):
        def run() -> None:
            try:
                mine = OnlineDraft.objects.get(pk=draft.pk)
                start.wait()
                answers = {"company": {"name": f"Tab {number}"}}
                outcomes.append(
                    f"saved {number}" if mine.save_answers(answers, edited_version=1) else "refused"
                )
            except BaseException as error:
                outcomes.append(repr(error))
            finally:
                connection.close()

        return run

    _run(*(save(n) for n in range(4)))
    winners = [o for o in outcomes if o.startswith("saved")]
    assert len(winners) == 1 and outcomes.count("refused") == 3, outcomes
    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.answers["company"]["name"] == f"Tab {winners[0].split()[1]}"


@pytest.mark.django_db(transaction=True)
def test_tabs_submitting_the_same_draft_version_at_once_claim_it_once():
    request = sent_request(make_campaign(), make_supplier("harbin", "Harbin Small Parts Co., Ltd."))
    draft = OnlineDraft.objects.create(request=request, answers=declaration_to_dict(complete_answers()))
    start = threading.Barrier(3)
    outcomes: list[bool] = []

    def claim() -> None:
        try:
            mine = OnlineDraft.objects.get(pk=draft.pk)
            start.wait()
            outcomes.append(mine.claim_for_submit(edited_version=1))
        finally:
            connection.close()

    _run(claim, claim, claim)
    assert sorted(outcomes) == [False, False, True]
