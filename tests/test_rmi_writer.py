"""Filling in our own CMRT: the imported template stays intact, and we read back what we wrote."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from builders import build_cmrt6
from libreoffice import recalculated_copy
from oretrace.errors import BadInput, UnsupportedVersion
from oretrace.rmi import read_template
from oretrace.rmi.patching import CellWrite, patch_workbook
from oretrace.rmi.writer import (
    CompanyDeclaration,
    DeclaredProduct,
    DeclaredSmelter,
    write_declaration,
)
from samples import LEGACY, TEMPLATES, shared_file

METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
CMRT6_TEMPLATES = ["RMI_CMRT_6.01.xlsx", "RMI_CMRT_6.1.xlsx", "RMI_CMRT_6.22.xlsx", "RMI_CMRT_6.31.xlsx"]
CMRT6_TEMPLATES += ["RMI_CMRT_6.4.xlsx", "RMI_CMRT_6.5.xlsx"]


def acme_declaration(**overrides) -> CompanyDeclaration:
    fields = dict(
        company=dict(
            name="Acme Devices Inc.",
            declaration_scope="B",
            unique_id="123456789",
            unique_id_authority="DUNS",
            address="1 Main Street, Springfield",
            contact_name="Jane Roe",
            contact_email="jane.roe@acme.example",
            contact_phone="+1 555 0100",
            authorizer_name="John Doe",
            authorizer_title="VP Compliance",
            authorizer_email="john.doe@acme.example",
            authorizer_phone="+1 555 0101",
            effective_date=dt.date(2026, 5, 1),
        ),
        answers={
            metal: {
                "Q1": "Yes",
                "Q2": "Yes",
                "Q3": "Unknown",
                "Q4": "Unknown",
                "Q5": "No",
                "Q6": "Greater than 90%",
                "Q7": "No",
                "Q8": "Yes",
            }
            for metal in METALS
        },
        answer_comments={"Gold": {"Q7": "Two gold refiners are still being identified."}},
        company_questions={
            "A": "Yes",
            "B": "Yes",
            "C": "Yes",
            "D": "Yes",
            "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
            "F": "Yes",
            "G": "Yes",
            "H": "Yes, with the SEC",
        },
        policy_url="https://acme.example/responsible-minerals-policy",
        smelters=(
            DeclaredSmelter("Tungsten", "CID002082"),
            DeclaredSmelter("Gold", "CID002763"),
            DeclaredSmelter("Tin", None, "Yunnan Example Tin Works", "China"),
            DeclaredSmelter("Tantalum", "CID001076"),
        ),
        products=(
            DeclaredProduct("ACME-100", "Widget"),
            DeclaredProduct("ACME-200", "Gadget", "=not a formula"),
        ),
    )
    fields.update(overrides)
    return CompanyDeclaration(**fields)


@pytest.mark.parametrize("template_name", CMRT6_TEMPLATES)
def test_it_reads_back_exactly_what_it_wrote(template_name):
    template = shared_file(TEMPLATES / template_name).read_bytes()
    written = read_template(write_declaration(template, acme_declaration()))

    assert written.company.name.value == "Acme Devices Inc."
    assert written.scope == "B"
    assert written.effective_date == dt.date(2026, 5, 1)
    assert written.company.contact_phone.value == "+1 555 0100"
    assert written.language == "English"
    assert {metal: written.answers[metal]["Q6"].value for metal in METALS} == dict.fromkeys(
        METALS, "Greater than 90%"
    )
    assert written.answers["Gold"]["Q7"].comment.value == "Two gold refiners are still being identified."
    assert written.company_questions["H"].value == "Yes, with the SEC"
    assert written.policy_url.value == "https://acme.example/responsible-minerals-policy"
    assert [(p.number, p.name, p.comments) for p in written.products] == [
        ("ACME-100", "Widget", None),
        ("ACME-200", "Gadget", "=not a formula"),
    ]
    smelters = [
        (s.row, s.metal, s.lookup_name, s.name, s.country, s.smelter_id) for s in written.smelters[:3]
    ]
    assert smelters[0][1:] == ("Tungsten", "Xiamen Tungsten Co., Ltd.", None, "CHINA", "CID002082")
    assert smelters[2] == (7, "Tin", "Smelter not listed", "Yunnan Example Tin Works", "CHINA", None)


def test_it_changes_only_the_sheets_it_writes_to():
    template = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    written = write_declaration(template, acme_declaration())
    before, after = zipfile.ZipFile(io.BytesIO(template)), zipfile.ZipFile(io.BytesIO(written))
    assert before.namelist() == after.namelist()
    changed = {name for name in before.namelist() if before.read(name) != after.read(name)}
    # Declaration, Smelter List, Product List and the workbook (recalculate on open) only.
    assert changed == {
        "xl/workbook.xml",
        "xl/worksheets/sheet4.xml",
        "xl/worksheets/sheet5.xml",
        "xl/worksheets/sheet7.xml",
    }
    for name in changed - {"xl/workbook.xml"}:
        for element in ("dataValidation ", "conditionalFormatting ", "<f>", "mergeCell "):
            assert before.read(name).decode().count(element) == after.read(name).decode().count(element), (
                element
            )
    assert re.search(rb'<sheet name="L" sheetId="\d+" state="hidden"', after.read("xl/workbook.xml"))
    assert b'fullCalcOnLoad="1"' in after.read("xl/workbook.xml")


def test_it_refuses_an_answer_outside_the_dropdown():
    template = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    answers = {metal: {"Q1": "Maybe"} for metal in METALS}
    with pytest.raises(BadInput, match="Q1 for Tantalum: 'Maybe' is not one of Yes, No"):
        write_declaration(template, acme_declaration(answers=answers))


def test_it_needs_a_name_and_country_for_a_smelter_outside_the_look_up():
    template = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    with pytest.raises(BadInput, match="needs a name and a country"):
        write_declaration(template, acme_declaration(smelters=(DeclaredSmelter("Gold", "CID999999"),)))


def test_it_refuses_more_products_than_the_templates_product_list_holds():
    template = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    products = tuple(DeclaredProduct(f"P-{n}") for n in range(2001))
    with pytest.raises(BadInput, match="The template holds 2000 Product List rows; 2001 were given"):
        write_declaration(template, acme_declaration(products=products))


def test_a_cmrt_declaration_is_not_written_into_an_emrt():
    template = shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx").read_bytes()
    with pytest.raises(BadInput, match=r"derived for the CMRT, but .* is the EMRT template"):
        write_declaration(template, acme_declaration())


def test_it_fills_no_template_older_than_cmrt_6():
    template = shared_file(LEGACY / "3.01__3.01_-_green.xlsx").read_bytes()
    with pytest.raises(UnsupportedVersion, match=r"fills in the CMRT 6\.x, EMRT"):
        write_declaration(template, acme_declaration())


def test_libreoffice_checker_shows_no_missing_fields_after_recalculation(tmp_path):
    template = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    scope_a = acme_declaration(company={**acme_declaration().company, "declaration_scope": "A"}, products=())
    path = tmp_path / "acme-cmrt.xlsx"
    path.write_bytes(write_declaration(template, scope_a))
    recalculated = read_template(recalculated_copy(path, tmp_path))
    assert recalculated.checker_cached == 0
    assert recalculated.company.name.value == "Acme Devices Inc."
    assert [s.smelter_id for s in recalculated.smelters[:2]] == ["CID002082", "CID002763"]


def test_text_with_characters_xml_cannot_hold_is_written_without_them(tmp_path):
    # Our company name and a supplier's smelter name come from the database, where rows stored before
    # the forms and the reader cleaned such text may still hold a control character.
    template = build_cmrt6(tmp_path / "blank.xlsx").read_bytes()
    written = patch_workbook(
        template,
        [
            CellWrite("Declaration", "D8", "Acme\x01 Devices Inc."),
            CellWrite("Declaration", "D14", "1 Main Street\nSpringfield\x0b"),
            CellWrite("Smelter List", "D5", "Yunnan\x02 Example Tin Works"),
        ],
    )
    response = read_template(written)
    assert response.company.name.raw == "Acme Devices Inc."
    assert response.company.address.raw == "1 Main Street\nSpringfield"
    assert response.smelters[0].raw["D"] == "Yunnan Example Tin Works"
