"""Text loses exactly the characters XML cannot hold: C0 controls removed, non-characters replaced."""

from __future__ import annotations

from lxml import etree

from oretrace.xmltext import REPLACEMENT, xml_safe, xml_safe_value


def test_it_removes_c0_control_characters():
    assert xml_safe("Zzyzx\x01 Unlisted Refinery") == "Zzyzx Unlisted Refinery"
    assert xml_safe("".join(map(chr, range(0x20))) + "A") == "\t\n\rA"


def test_it_keeps_tab_line_feed_and_carriage_return():
    assert xml_safe("Line 1\r\nLine 2\tend") == "Line 1\r\nLine 2\tend"


def test_it_replaces_non_characters_and_lone_surrogates_so_a_reader_sees_something_was_there():
    assert xml_safe("a\ufffeb\uffffc\ud800d") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}d"


def test_it_leaves_every_other_character_alone():
    text = "云南锡业股份有限公司 Ünïcödé \u00a0\u200b\x7f\x85 €"
    assert xml_safe(text) is text


def test_what_it_returns_is_accepted_by_an_xml_library():
    element = etree.Element("t")
    element.text = xml_safe("".join(map(chr, range(0x40))) + "\ufffe\uffff")
    assert etree.tostring(element).startswith(b"<t>\t\n&#13; !")


def test_values_other_than_text_pass_through():
    assert [xml_safe_value(v) for v in (3, None, 2.5, "a\x02b")] == [3, None, 2.5, "ab"]
