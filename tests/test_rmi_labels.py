"""The template's own words: its hidden "L" sheet's text per cell and language, and its country list."""

from __future__ import annotations

from oretrace.rmi.labels import label, template_countries, template_labels
from samples import LEGACY, TEMPLATES, shared_file


def _bytes(path) -> bytes:
    return shared_file(path).read_bytes()


def test_a_declaration_cell_reads_in_english_and_chinese_as_one_line():
    labels = template_labels(_bytes(TEMPLATES / "RMI_CMRT_6.5.xlsx"))
    assert label(labels, "Declaration", "B25", "en").startswith("1) Is any 3TG intentionally added")
    assert (
        label(labels, "Declaration", "B25", "zh-hans")
        == "1) 是否在产品或生产流程中有意添加或使用任何 3TG？(*)"
    )
    # A cell's text wraps with line breaks in the sheet; the form shows it as one line.
    assert all("\n" not in text for texts in labels.values() for text in texts.values())


def test_a_language_the_template_lacks_falls_back_to_english_and_an_untranslated_cell_to_none():
    labels = template_labels(_bytes(TEMPLATES / "RMI_CRT_2.2.xlsx"))
    assert label(labels, "Declaration", "B25", "sw") == label(labels, "Declaration", "B25", "en")
    assert label(labels, "Declaration", "Z999", "en") is None


def test_a_template_without_the_label_sheet_has_no_labels():
    assert template_labels(_bytes(LEGACY / "1.00__1.00_-_empty.xlsx")) == {}


def test_the_country_list_is_the_templates_own_full_names():
    countries = template_countries(_bytes(TEMPLATES / "RMI_EMRT_2.1.xlsx"))
    assert "CONGO, DEMOCRATIC REPUBLIC OF THE" in countries
    assert "CHINA" in countries and len(countries) > 240
    assert "FULL NAME" not in countries
