"""The online form is accessible (issue #14 A: "works on a phone-width screen; keyboard accessible, WCAG 2.1
AA for the form, checked with a browser test").

Every step the form's own step list links to (so a step added later is covered without editing this
test), the smelter search's results, the forms showing their errors, the request's page and the page
after submitting are checked with axe-core's WCAG 2.0/2.1 A and AA rules at desktop (1280 px) and phone
(390 px) width, in English and in Chinese, empty and filled in: for the CMRT, and for the EMRT with its
mineral picks and Mine List. Each page is photographed into ORETRACE_SCREENSHOTS when set. A second test
answers questions, picks a smelter from the search results and moves on with the keyboard alone, the focus
visible on every element it reaches.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from a11y import axe_violations, invisible_focus, sideways_overflow
from django.conf import settings
from supplier_requests import make_campaign, make_supplier, sent_request
from test_web_e2e_browser import browser, demo  # noqa: F401  (fixtures)

from online_answers import COMPANY, complete_answers, complete_emrt_answers
from oretrace.online import declaration_to_dict
from oretrace.web.portal.models import OnlineDraft
from samples import TEMPLATES, shared_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


# The templates walked: the CMRT in English and Chinese at both widths; the EMRT, whose form adds the
# mineral picks and the Mine List step, in English on the desktop and Chinese on the phone.
WALKS = {
    "CMRT": {
        "file": "RMI_CMRT_6.5.xlsx",
        "campaign": {},
        "answers": complete_answers,
        "viewers": [("en", DESKTOP), ("zh-hans", DESKTOP), ("en", PHONE), ("zh-hans", PHONE)],
    },
    "EMRT": {
        "file": "RMI_EMRT_2.1.xlsx",
        "campaign": {"template_kind": "EMRT", "minimum_version": "2.1", "minerals": ["Cobalt", "Mica"]},
        "answers": complete_emrt_answers,
        "viewers": [("en", DESKTOP), ("zh-hans", PHONE)],
    },
}


def _request_with_online_form(kind: str = "CMRT"):
    walk = WALKS[kind]
    campaign = make_campaign(**walk["campaign"])
    campaign.store_blank_template(shared_file(TEMPLATES / walk["file"]).read_bytes(), walk["file"])
    campaign.save(update_fields=["blank_template_sha256", "blank_template_name"])
    request = sent_request(campaign, make_supplier("harbin", COMPANY["name"]))
    return request, request.issue_link()


def _viewers(browser, demo, kind: str):  # noqa: F811
    """(name, page) for each way the form is looked at: a language at a width."""
    viewers = []
    for language, viewport in WALKS[kind]["viewers"]:
        context = browser.new_context(viewport=viewport, locale="en-US")
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": demo.url}])
        width = "phone" if viewport == PHONE else "desktop"
        viewers.append((f"{kind}-{language}-{width}", context.new_page()))
    return viewers


class Inspection:
    """Each page looked at: photographed, checked by axe and for sideways scrolling."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.problems: list[str] = []
        self.pages = 0

    def look(self, page, name: str) -> None:
        if self.folder:  # photographs are for a person to look at; they take time, so only when asked
            page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)
        self.problems += axe_violations(page, name)
        self.problems += sideways_overflow(page, name)
        self.pages += 1


def _step_links(page) -> list[tuple[str, str]]:
    """(slug, address) of each step in the form's own step list."""
    addresses = page.locator("nav.stepnav a").evaluate_all("links => links.map(a => a.href)")
    return [(re.search(r"/online/([^/]+)/", a).group(1), a) for a in addresses]


def _states_of(slug: str, page, address: str):
    """The states of a step worth checking besides the page as it opens: (name, action) pairs."""
    if slug == "products":
        return [("errors", lambda: _add_empty(page, address, "form:has(input[value=add])"))]
    if slug == "mines":
        return [("errors", lambda: _add_empty(page, address, "form[action='#add-mine']"))]
    if slug == "smelters":
        return [
            # "in" is in many names of every list (Mining, Refining, Inc.): a page of results.
            ("search", lambda: page.goto(f"{address}?q=in#find")),
            ("no-match", lambda: page.goto(f"{address}?q=Nothing+like+it#find")),
            ("live-search", lambda: _type_search(page, address)),
            ("unlisted-errors", lambda: _add_empty(page, address, "form[action='#unlisted']")),
        ]
    return []


def _type_search(page, address: str) -> None:
    page.goto(address)
    page.fill("#q", "in")
    page.wait_for_selector("#results ul.results li")


def _add_empty(page, address: str, form: str) -> None:
    """The form sent empty, past the browser's own check of required fields: the server's errors."""
    page.goto(address)
    page.eval_on_selector(form, "f => { f.noValidate = true; }")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(f"{form} .errorlist")
    # Each field in error is marked so, and a screen reader reads its error with it.
    described = page.eval_on_selector_all(
        f"{form} [aria-invalid=true]",
        """fields => fields.map(f => (f.getAttribute('aria-describedby') || '').split(/\\s+/)
            .map(id => (document.getElementById(id) || {}).textContent || '').join(' '))""",
    )
    assert described and all(text and text.strip() for text in described), (page.url, described)


def _walk(viewers, token: str, demo, inspection: Inspection, state: str, *, every_state: bool) -> None:  # noqa: F811
    """Each step the step list links to, by each viewer. With ``every_state`` also the request's page (the
    way in), the start page, and the states of a step beyond its first view (search results, errors)."""
    for viewer, page in viewers:
        if every_state:
            page.goto(f"{demo.url}/p/{token}/")  # the request, where the supplier finds the form
            inspection.look(page, f"request-{viewer}")
            page.goto(f"{demo.url}/p/{token}/online/")
            inspection.look(page, f"{state}-start-{viewer}")
        page.goto(f"{demo.url}/p/{token}/online/company/")
        titles = set()
        for slug, address in _step_links(page):
            page.goto(address)
            titles.add(page.title())
            inspection.look(page, f"{state}-{slug}-{viewer}")
            for name, action in _states_of(slug, page, address) if every_state else []:
                action()
                inspection.look(page, f"{state}-{slug}-{name}-{viewer}")
        # Each step's title names the step (WCAG 2.4.2): a screen reader's first words on the page.
        assert len(titles) == len(_step_links(page)), titles


@pytest.mark.parametrize("kind", WALKS)
def test_every_step_of_the_online_form_meets_wcag_21_aa_at_desktop_and_phone_width(
    demo,  # noqa: F811
    browser,  # noqa: F811
    kind,
):
    folder = Path(os.environ["ORETRACE_SCREENSHOTS"]) if os.environ.get("ORETRACE_SCREENSHOTS") else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    inspection = Inspection(folder)
    request, token = _request_with_online_form(kind)
    viewers = _viewers(browser, demo, kind)
    first = viewers[0][1]
    first.goto(f"{demo.url}/p/{token}/online/")
    inspection.look(first, f"new-start-{viewers[0][0]}")  # before any answer is saved
    first.click("button:has-text('Start')")
    first.wait_for_url(re.compile(r"/online/company/"))
    steps = len(_step_links(first))
    assert steps >= 7

    _walk(viewers, token, demo, inspection, "empty", every_state=True)
    draft = OnlineDraft.objects.get(request=request)
    answers = WALKS[kind]["answers"]()
    assert draft.save_answers(declaration_to_dict(answers), edited_version=draft.version)
    _walk(viewers, token, demo, inspection, "filled", every_state=False)

    first.goto(f"{demo.url}/p/{token}/online/review/")
    first.click("button:has-text('Submit your answers')")
    first.wait_for_url("**/files/1/")
    for viewer, page in viewers:
        page.goto(first.url)
        inspection.look(page, f"submitted-{viewer}")

    assert inspection.problems == [], "\n".join(inspection.problems)
    # The request, the start page, every step twice and at least the smelter search's states, each viewer.
    assert inspection.pages > len(viewers) * (2 + 2 * steps + 4)


def _tab_to(page, selector: str, *, backwards: bool = False, limit: int = 120) -> list[str]:
    """Press Tab (Shift+Tab) until an element matching ``selector`` has the focus, checking that every
    element reached shows the focus; the problems found."""
    problems = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        problem = invisible_focus(page, page.url)
        if problem:
            problems.append(problem)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return problems
    raise AssertionError(f"{selector} cannot be reached with the Tab key on {page.url}")


def test_a_supplier_answers_picks_a_smelter_and_moves_on_with_the_keyboard_alone(
    demo,  # noqa: F811
    browser,  # noqa: F811
):
    request, token = _request_with_online_form()
    page = browser.new_context(viewport=PHONE, locale="en-US").new_page()
    page.goto(f"{demo.url}/p/{token}/online/")
    problems = _tab_to(page, "button[type=submit]:not([name=language])")
    page.keyboard.press("Enter")  # "Start", from an empty form (the radio button checked by default)
    page.wait_for_url(re.compile(r"/online/company/"))

    # The minerals step, reached through the step list: Enter on its link.
    problems += _tab_to(page, "nav.stepnav a[href$='/minerals/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/online/minerals/"))
    # Question 1 for gold: the arrow keys choose the answer.
    problems += _tab_to(page, "#id_Q1__Gold")
    page.keyboard.press("ArrowDown")  # (not answered) → Yes
    page.keyboard.press("ArrowDown")  # → No
    assert page.eval_on_selector("#id_Q1__Gold", "e => e.value") == "No"
    # Shift+Tab back to tin's question 1 (tin comes before gold, as in the template), answered Yes;
    # the live check then asks for tin's question 2.
    problems += _tab_to(page, "#id_Q1__Tin", backwards=True)
    page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#id_Q1__Tin", "e => e.value") == "Yes"
    # The live check has run, and a screen reader is told its counts.
    page.wait_for_function("document.getElementById('check-status').textContent.startsWith('Check updated:')")
    problems += _tab_to(page, "button[name=go]:not([value=minerals])")
    page.keyboard.press("Space")  # "Save and continue"
    page.wait_for_url(re.compile(r"/online/questions/"))
    assert OnlineDraft.objects.get(request=request).answers["answers"] == {
        "Tin": {"Q1": "Yes"},
        "Gold": {"Q1": "No"},
    }

    # The smelters step, by its link in the step list; search by typing, Tab into the results, Enter on "Add".
    problems += _tab_to(page, "nav.stepnav a[href$='/smelters/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/online/smelters/"))
    problems += _tab_to(page, "#metal")
    page.keyboard.type("Tin")  # a closed select takes the typed option
    problems += _tab_to(page, "#q", backwards=True)
    page.keyboard.type("Alpha Assembly")
    page.wait_for_selector("#results ul.results :text('CID000292')")
    # A screen reader hears how many were found, not the whole list read out on every key.
    assert page.inner_text("#results-status") == "Smelters found: 1"
    problems += _tab_to(page, "#results ul.results button")
    page.keyboard.press("Enter")
    page.wait_for_selector("td:text('CID000292')")
    assert [s["smelter_id"] for s in OnlineDraft.objects.get(request=request).answers["smelters"]] == [
        "CID000292"
    ]
    # Then on to the next step by its "Continue" link.
    problems += _tab_to(page, "a.button[href$='/products/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/online/products/"))

    assert problems == [], "\n".join(problems)
