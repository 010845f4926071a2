"""Accessibility checks a browser test can run on any page: axe-core's WCAG 2.0 and 2.1 A and AA rules
(axe-playwright-python bundles axe-core), a visible keyboard focus, and no sideways scrolling.

Each returns the problems found as readable lines, so a test can gather them over many pages and fail
once, naming every rule, element and page.
"""

from __future__ import annotations

from page_checks import wider_than_the_screen

# axe-core's tags for WCAG 2.0 and 2.1, levels A and AA: the level the issue asks of the form.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# WCAG 2.2's "Target Size (Minimum)" (2.5.8, AA): 24 px targets. Not in 2.1 AA, but a supplier
# answers the form on a phone, so it is checked with the rest.
EXTRA_RULES = {"target-size": {"enabled": True}}


def axe_violations(page, where: str) -> list[str]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it is now: one line per rule and element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_21_AA},
            "rules": EXTRA_RULES,
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{where} ({page.url}): {rule['id']} [{rule['impact']}] {rule['help']}: "
        f"{' '.join(node['target'])} {node['html'][:160]}"
        for rule in results.response["violations"]
        for node in rule["nodes"]
    ]


# The focused element's outline and shadow, and the same of a copy of it put beside it (the copy is
# styled by the same rules but is not focused): a focus style that changes neither is not visible.
FOCUS_STYLES = """() => {
    const focused = document.activeElement;
    if (!focused || focused === document.body) return null;
    const ring = s => [s.outlineStyle === "none" ? "none" : s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor, s.boxShadow];
    const copy = focused.cloneNode(true);
    // Without its id and name: a copy of a checked radio button would uncheck the original.
    copy.removeAttribute("id");
    copy.removeAttribute("name");
    focused.after(copy);
    const unfocused = ring(getComputedStyle(copy));
    copy.remove();
    const name = focused.tagName.toLowerCase() + (focused.id ? "#" + focused.id : "") + " " + (focused.textContent || focused.name || "").trim().slice(0, 40);
    return {name: name, focused: ring(getComputedStyle(focused)), unfocused: unfocused};
}"""


def invisible_focus(page, where: str) -> str | None:
    """None when the element that has the keyboard focus shows it; otherwise what is wrong."""
    styles = page.evaluate(FOCUS_STYLES)
    if styles is None:
        return f"{where}: nothing has the focus"
    (outline, shadow), unfocused = styles["focused"], styles["unfocused"]
    if (outline == "none" and shadow == "none") or styles["focused"] == unfocused:
        return f"{where}: the focus on {styles['name']} is not visible (outline {outline}, shadow {shadow})"
    return None


def sideways_overflow(page, where: str) -> list[str]:
    """Elements that stick out of the viewport on the right (outside a box meant to scroll sideways)."""
    return [
        f"{where} ({page.url}): wider than the screen: {element}" for element in wider_than_the_screen(page)
    ]
