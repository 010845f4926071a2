"""The reader on workbooks built in the test (tests/builders.py): runs without ../shared."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from builders import build_amrt13, build_cmrt3, build_cmrt6, build_emrt2
from oretrace.errors import UnsupportedVersion
from oretrace.rmi import TemplateKind, read_template
from oretrace.rmi.layouts import QUESTION_TOPICS, layout_for


def test_it_reads_a_cmrt6_company_block_answers_and_lists(tmp_path):
    path = build_cmrt6(
        tmp_path / "cmrt6.xlsx",
        company={"name": "Acme Metals", "declaration_scope": "B. Product (or List of Products)"}
        | {"contact_email": "ana@example.com", "effective_date": dt.date(2024, 5, 10)},
        answers={"Q1": "Yes", "Q3": {"Gold": "Unknown"}, "Q6": 1},
        company_answers={"A": "Yes", "B": "Yes", "H": "Yes, with the SEC"},
        policy_url="https://acme.example/policy",
        smelters=[
            {"metal": "Tungsten", "lookup_name": "Xiamen Tungsten Co., Ltd.", "country": "CHINA"}
            | {"smelter_id": "CID002082", "id_source": "RMI"},
            {
                "metal": "Gold",
                "lookup_name": "Smelter not listed",
                "name": "Mystery Refinery",
                "country": "PERU",
            },
        ],
        products=[("P-100", "Widget", "main product")],
        checker_total=3,
    )
    response = read_template(path)
    assert (response.kind, response.version) == (TemplateKind.CMRT, "6.4")
    assert response.company.name.value == "Acme Metals"
    assert response.company.name.ref == "Declaration!D8"
    assert response.scope == "B"
    assert response.effective_date == dt.date(2024, 5, 10)
    assert response.answer("Tin", "Q1") == "Yes"
    assert response.answer("Gold", "Q3") == "Unknown"
    assert response.answer("Tin", "Q3") is None
    # the number 1 is how CMRT 6.01-6.22 store "100%"
    assert response.answer("Tungsten", "Q6") == "100%"
    assert response.company_questions["H"].value == "Yes, with the SEC"
    assert response.policy_url.value == "https://acme.example/policy"
    assert [(s.row, s.metal, s.smelter_id) for s in response.smelters] == [
        (5, "Tungsten", "CID002082"),
        (6, "Gold", None),
    ]
    assert response.smelters[1].display_name == "Mystery Refinery"
    assert [(p.row, p.number, p.name, p.comments) for p in response.products] == [
        (6, "P-100", "Widget", "main product")
    ]
    assert len(response.lookup) == 4
    assert response.checker_cached == 3


def test_it_reads_every_cmrt6_revision_with_the_same_map(tmp_path):
    for version in ("6.01", "6.1", "6.22", "6.31", "6.5"):
        path = build_cmrt6(tmp_path / f"{version}.xlsx", revision=f"Revision {version}\nMay 1, 2025")
        assert read_template(path).version == version


def test_it_reads_a_cmrt3_with_the_covered_countries_and_response_rate_questions(tmp_path):
    path = build_cmrt3(
        tmp_path / "cmrt3.xlsx",
        company={"name": "Old Supplier", "declaration_scope": "A. Company"},
        answers={"Q3": {"Tin": "Yes"}, "Q5": "No, but greater than 75% "},
        company_answers={"J": "No"},
        policy_url="http://old.example",
        smelters=[{"metal": "Tin", "lookup_name": "Alpha Metals", "name": "Alpha", "country": "USA"}],
        standard_names=[("Gold", "Aida Chemical Industries Co. Ltd.", "JAPAN", "1JPN072", "CID000019")],
    )
    response = read_template(path)
    layout = layout_for(response.kind, response.version)
    assert response.version == "3.01"
    assert layout.question_by_topic("covered_countries").id == "Q3"
    assert response.answer("Tin", "Q3") == "Yes"
    # the trailing space of RMI's own list value does not matter
    assert response.answer("Gold", "Q5") == "No, but greater than 75%"
    assert response.company_questions["J"].value == "No"
    assert response.policy_url.ref == "Declaration!G71"
    assert response.smelters[0].name == "Alpha"
    [entry] = response.lookup
    assert (entry.smelter_id, entry.old_smelter_id, entry.standard_name) == (
        "CID000019",
        "1JPN072",
        "Aida Chemical Industries Co. Ltd.",
    )


def test_it_reads_a_cmrt5_whose_structure_matches_the_derived_map(tmp_path):
    path = build_cmrt3(
        tmp_path / "cmrt512.xlsx",
        revision="Revision 5.12\nApril 26, 2019",
        company_letters="ABCDEFGHI",
        answers={"Q5": "Greater than 90%"},
        company_answers={"I": "Yes, with the SEC"},
    )
    response = read_template(path)
    assert response.version == "5.12"
    assert response.answer("Gold", "Q5") == "Greater than 90%"
    assert response.company_questions["I"].value == "Yes, with the SEC"
    assert set(response.company_questions) == set("ABCDEFGHI")


def test_it_reads_a_cmrt4_shaped_like_the_3x_declaration(tmp_path):
    path = build_cmrt3(tmp_path / "cmrt401.xlsx", revision="Revision 4.01b", company_answers={"J": "Yes"})
    response = read_template(path)
    assert response.version == "4.01b"
    assert response.company_questions["J"].value == "Yes"


def test_it_refuses_a_cmrt5_whose_declaration_has_a_tenth_company_question(tmp_path):
    path = build_cmrt3(tmp_path / "bad512.xlsx", revision="Revision 5.12\nApril 26, 2019")
    with pytest.raises(UnsupportedVersion, match="B87 holds company question J"):
        read_template(path)


def test_it_refuses_a_6x_shaped_workbook_that_calls_itself_5_12(tmp_path):
    path = build_cmrt6(tmp_path / "six-as-five.xlsx", revision="Revision 5.12\nApril 26, 2019")
    with pytest.raises(UnsupportedVersion) as raised:
        read_template(path)
    message = str(raised.value)
    assert "B67 holds a question after Q7" in message
    assert "B69 should start with 'A.'" in message
    assert "derived its layout from RMI's revision notes" in message


def test_it_refuses_a_cmrt4_with_blank_question_labels(tmp_path):
    path = build_cmrt3(tmp_path / "blank401.xlsx", revision="Revision 4.01")
    book = load_workbook(path)
    book["Declaration"]["B37"] = None
    book.save(path)
    with pytest.raises(UnsupportedVersion, match="B37 should hold question 3 but is empty"):
        read_template(path)


def test_it_catches_a_row_inserted_into_a_verified_6x_declaration(tmp_path):
    path = build_cmrt6(tmp_path / "moved.xlsx")
    book = load_workbook(path)
    book["Declaration"].insert_rows(30)
    book.save(path)
    with pytest.raises(UnsupportedVersion, match="question 2 is in row 32, not in row 31"):
        read_template(path)


def test_it_reads_a_6x_file_whose_labels_have_no_cached_values(tmp_path):
    path = build_cmrt6(tmp_path / "uncached.xlsx", answers={"Q1": "No"})
    book = load_workbook(path)
    for row in range(20, 95):
        book["Declaration"][f"B{row}"] = None
    book.save(path)
    assert read_template(path).answer("Gold", "Q1") == "No"


def test_it_maps_emrt2_picked_minerals_to_rows_in_alphabetical_order(tmp_path):
    path = build_emrt2(
        tmp_path / "emrt21.xlsx",
        picked=("Nickel", "Cobalt", "Mica"),
        company={"name": "Battery Co", "effective_date": dt.date(2025, 11, 1)},
        answers={"Q1": {"Cobalt": "Yes", "Mica": "No", "Nickel": "Not declaring"}, "Q5": "Did not survey"},
        company_answers={
            "A": "Yes",
            "C": {"Cobalt": "Yes, when more processors are validated", "Nickel": "No"},
        },
        mines=[{"metal": "Cobalt", "mine_name": "Mine One", "country": "CONGO"}],
        products=[("R-1", "Cell", "REQ-9", "Customer cell", "note")],
    )
    response = read_template(path)
    assert (response.kind, response.version) == (TemplateKind.EMRT, "2.1")
    assert response.minerals == ("Cobalt", "Mica", "Nickel")
    assert response.company.name.value == "Battery Co"
    assert response.company.effective_date.ref == "Declaration!D26"
    assert response.answers["Nickel"]["Q1"].answer.ref == "Declaration!D32"
    assert response.answer("Nickel", "Q1") == "Not declaring"
    assert response.answer("Mica", "Q1") == "No"
    assert response.answer("Cobalt", "Q5") == "Did not survey"
    assert response.company_questions["C:Cobalt"].value == "Yes, when more processors are validated"
    assert response.company_questions["C:Nickel"].answer.ref == "Declaration!D122"
    assert response.company_questions["A"].value == "Yes"
    assert [(m.row, m.metal, m.mine_name, m.country) for m in response.mines] == [
        (5, "Cobalt", "Mine One", "CONGO")
    ]
    [product] = response.products
    assert (product.number, product.requester_number, product.requester_name, product.comments) == (
        "R-1",
        "REQ-9",
        "Customer cell",
        "note",
    )
    assert response.notes == ()


def test_it_orders_emrt2_minerals_itself_when_the_labels_were_not_cached(tmp_path):
    path = build_emrt2(
        tmp_path / "emrt-uncached.xlsx",
        picked=("Lithium", "Copper"),
        answers={"Q2": {"Copper": "Yes", "Lithium": "No"}},
        cache_labels=False,
    )
    response = read_template(path)
    assert response.minerals == ("Copper", "Lithium")
    assert response.answer("Copper", "Q2") == "Yes"
    assert response.answer("Lithium", "Q2") == "No"


def test_it_reads_emrt20_products_without_requester_columns(tmp_path):
    path = build_emrt2(
        tmp_path / "emrt20.xlsx", revision="Revision 2.0\nApril 25, 2025", products=[("R-1", "Cell", "c")]
    )
    [product] = read_template(path).products
    assert (product.number, product.name, product.comments, product.requester_number) == (
        "R-1",
        "Cell",
        "c",
        None,
    )


def test_it_reads_amrt13_with_an_other_mineral_in_its_alphabetical_place(tmp_path):
    path = build_amrt13(
        tmp_path / "amrt13.xlsx",
        picked=("Zinc", "Silver"),
        other=("Tellurium",),
        company={"name": "Alloy Ltd", "contact_name": "Kim"},
        answers={"Q1": {"Silver": "Yes", "Tellurium": "Unknown", "Zinc": "No"}, "Q2": 1},
    )
    response = read_template(path)
    assert (response.kind, response.version) == (TemplateKind.AMRT, "1.3")
    assert response.minerals == ("Silver", "Tellurium", "Zinc")
    assert response.company.contact_name.ref == "Declaration!D20"
    assert response.answer("Tellurium", "Q1") == "Unknown"
    assert response.answers["Zinc"]["Q1"].answer.ref == "Declaration!D33"
    assert response.answer("Zinc", "Q2") == "100%"
    assert response.company_questions == {}


def test_every_question_topic_in_every_layout_is_a_named_topic():
    from oretrace.rmi.layouts import COMPANY_TOPICS, LAYOUTS

    layout_for(TemplateKind.CMRT, "6.4")  # loads every family
    for layout in LAYOUTS.values():
        assert {q.topic for q in layout.questions} <= set(QUESTION_TOPICS), layout.family
        assert {q.topic for q in layout.company_questions} <= set(COMPANY_TOPICS), layout.family
    assert layout_for(TemplateKind.CMRT, "2.03a").question_by_topic("supplier_response_rate").id == "Q4"
    assert layout_for(TemplateKind.EMRT, "1.3").question_by_topic("supplier_response_rate").id == "Q5"
    assert layout_for(TemplateKind.CRT, "2.2").question_by_topic("supplier_response_rate").id == "Q4"


@pytest.mark.parametrize("with_lookup", [True, False])
def test_a_smelter_row_with_only_its_id_is_filled_from_the_files_own_look_up(tmp_path, with_lookup):
    # Files saved by programs that do not calculate have the ID in column A and no cached results;
    # the roll-up's read (with_lookup=False) still finds the file's own look-up for them.
    path = build_cmrt6(tmp_path / "ids-only.xlsx", smelters=[{"id_input": "CID002082"}])
    response = read_template(path, with_lookup=with_lookup)
    [row] = response.smelters
    assert (row.metal, row.smelter_id, row.country) == ("Tungsten", "CID002082", "CHINA")
    assert any("taken from the file's own Smelter Look-up" in note for note in response.notes)
    assert len(response.lookup) == 4


def test_it_keeps_the_amrt13_mineral_picks_so_an_unnamed_other_is_not_lost(tmp_path):
    path = build_amrt13(tmp_path / "amrt13.xlsx", picked=("Zinc",), other=("Tellurium", ""))
    response = read_template(path)
    assert response.minerals == ("Tellurium", "Zinc")
    picks = [(p.pick.ref, p.pick.value, p.other_name.value) for p in response.mineral_picks if p.pick.value]
    assert picks == [
        ("Declaration!D12", "Zinc", None),
        ("Declaration!E12", "Other [specify below]", "Tellurium"),
        ("Declaration!G12", "Other [specify below]", None),
    ]
    assert [p.is_other for p in response.mineral_picks[:3]] == [False, True, True]


def test_control_characters_in_a_suppliers_cells_are_dropped_and_line_breaks_kept(tmp_path):
    # openpyxl writes "_x0001_" as it is, and Excel's escape makes the reader decode it to U+0001, the
    # way a supplier's file carries a control character; XLSX and DOCX writers cannot hold one.
    path = build_cmrt6(
        tmp_path / "control.xlsx",
        company={"name": "Acme_x0002_ Metals", "address": "1 Main St\nSuite 2\tWest"},
        answers={"Q1": "Yes_x0003_", "Q2": {"Tin": "_x0007_"}},
        smelters=[
            {
                "metal": "Gold",
                "lookup_name": "Smelter not listed",
                "name": "Zzyzx_x0001_ Unlisted Refinery",
                "country": "_x001F_PERU",
            }
        ],
        products=[("P-1_x0008_", "Widget\r\nblue", None)],
    )
    response = read_template(path)
    assert response.company.name.value == "Acme Metals"
    assert response.company.address.value == "1 Main St\nSuite 2\tWest"
    assert response.answer("Tin", "Q1") == "Yes"  # a valid answer once the junk is gone
    assert response.answer("Tin", "Q2") is None  # nothing but a control character is blank
    [smelter] = response.smelters
    assert (smelter.name, smelter.country) == ("Zzyzx Unlisted Refinery", "PERU")
    assert [(p.number, p.name) for p in response.products] == [("P-1", "Widget\r\nblue")]
