"""The template's own words: its Declaration's text in each of its languages, and its country list.

RMI's templates (CMRT 6.x, EMRT, CRT, AMRT) carry a hidden sheet "L": one row per translated cell
("DeclarationB25", "Declaration", "B25", then the text in English, Chinese, Japanese, …). Excel shows
the column of the language picked in Declaration!D3. A form that asks the template's questions in the
browser shows the same text, so a supplier reads exactly what the file says.
"""

from __future__ import annotations

from collections.abc import Mapping

from oretrace.rmi.opening import open_workbook

LABEL_SHEET = "L"
COUNTRY_SHEET = "C"  # "COUNTRY CODE LIST", "FULL NAME": the list behind the country drop-downs
# The words of the L sheet's header that name each language, and the language code they are for.
LANGUAGE_HEADERS = {
    "english": "en",
    "chinese": "zh-hans",
    "japanese": "ja",
    "korean": "ko",
    "français": "fr",
    "português": "pt",
    "deutsch": "de",
    "español": "es",
    "italiano": "it",
    "türkçe": "tr",
}
FALLBACK_LANGUAGE = "en"

Labels = Mapping[str, Mapping[str, str]]  # "Declaration!B25" -> language code -> text


def template_labels(data: bytes, *, name: str = "template") -> dict[str, dict[str, str]]:
    """Every translated cell of the template: "Sheet!B25" -> {"en": …, "zh-hans": …}. Empty when the
    template has no L sheet (CMRT 1.00)."""
    opened = open_workbook(data, name=name, sheets=[LABEL_SHEET])
    if LABEL_SHEET not in opened.book.sheet_names:
        return {}
    rows = opened.book.get_sheet_by_name(LABEL_SHEET).to_python()
    if not rows:
        return {}
    languages = {index: _language(header) for index, header in enumerate(rows[0])}
    labels: dict[str, dict[str, str]] = {}
    for row in rows[1:]:
        if len(row) < 3 or not row[1] or not row[2]:
            continue
        texts = {
            code: _tidy(row[index])
            for index, code in languages.items()
            if code and index < len(row) and _tidy(row[index])
        }
        if texts:
            labels[f"{row[1]}!{row[2]}"] = texts
    return labels


def template_countries(data: bytes, *, name: str = "template") -> tuple[str, ...]:
    """The full names of the template's country list ("CONGO, DEMOCRATIC REPUBLIC OF THE"), the values
    its Smelter List and Mine List country drop-downs accept; empty when it has no such sheet."""
    opened = open_workbook(data, name=name, sheets=[COUNTRY_SHEET])
    if COUNTRY_SHEET not in opened.book.sheet_names:
        return ()
    rows = opened.book.get_sheet_by_name(COUNTRY_SHEET).to_python()
    names = (_tidy(row[1]) for row in rows[1:] if len(row) > 1)
    return tuple(n for n in names if n)


def label(labels: Labels, sheet: str, address: str, language: str) -> str | None:
    """The text of one cell in ``language`` ("zh-hans", "en"), else in English; None when the template
    does not translate that cell."""
    texts = labels.get(f"{sheet}!{address}")
    if not texts:
        return None
    return texts.get(language.lower()) or texts.get(FALLBACK_LANGUAGE)


def _language(header) -> str | None:
    words = str(header or "").casefold().split()
    return next((code for word, code in LANGUAGE_HEADERS.items() if word in words), None)


def _tidy(value) -> str:
    """One line, as the form shows it: the cells wrap their text with line breaks and pad with spaces."""
    return " ".join(str(value or "").split())
