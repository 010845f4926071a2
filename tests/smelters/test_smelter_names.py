"""Name keys and ID normalisation: the comparisons every identification rests on."""

from __future__ import annotations

import pytest

from oretrace.smelters.names import canonical_metal, name_key, normalise_cid, parse_v2_id


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Xiamen Tungsten Co., Ltd.", "xiamen tungsten"),
        ("XIAMEN TUNGSTEN CO LTD", "xiamen tungsten"),
        ("Refinaria São João Ltda.", "refinaria sao joao"),
        ("Example S.p.A.", "example"),
        ("Example GmbH & Co. KG", "example"),
        ("Example Pty Ltd", "example"),
        ("Example Public Company Limited", "example"),
        ("Nippon Mining & Metals Corporation", "nippon mining and metals"),
        ("Jiangxi Example Smelting Company", "jiangxi example smelting"),
    ],
)
def test_it_folds_case_accents_punctuation_and_legal_forms(typed, key):
    assert name_key(typed) == key


def test_it_keeps_a_name_made_only_of_legal_words_rather_than_emptying_it():
    assert name_key("Limited") == "limited"


@pytest.mark.parametrize(
    ("typed", "cid"),
    [
        ("CID002763", "CID002763"),
        ("cid002763 ", "CID002763"),
        ("CID2763", "CID002763"),
        ("CID 002763", "CID002763"),
        ("\uffa0CID002307", "CID002307"),
        ("ID000157", "CID000157"),
        ("CID0027631", None),
        ("ID157", None),
        ("Unknown", None),
        ("", None),
        (None, None),
    ],
)
def test_it_normalises_a_cid_only_when_unambiguous(typed, cid):
    assert normalise_cid(typed) == cid


def test_it_reads_the_metal_digit_of_an_old_v2_id():
    assert parse_v2_id(" 1jpn072") == ("Gold", "JPN", "1JPN072")
    assert parse_v2_id("2BRA063")[0] == "Tin"
    assert parse_v2_id("3CHN001")[0] == "Tantalum"
    assert parse_v2_id("4JPN020")[0] == "Tungsten"
    assert parse_v2_id("5JPN020") is None


def test_it_names_metals_as_the_template_does():
    assert [canonical_metal(v) for v in ("gold ", "TIN", "Au", "wolfram", "cobalt", None)] == [
        "Gold",
        "Tin",
        "Gold",
        "Tungsten",
        "Cobalt",
        None,
    ]
