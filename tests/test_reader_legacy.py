"""The reader on the CFSI/EICC CMRT 1.00-3.01 fixtures in ../shared/cmrt/legacy: concrete values.

Each version comes as ``empty``, ``green`` (clean), ``high_risk`` and ``validation_needed``; the last
two differ from green in specific answers, asserted here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from oretrace.errors import NotASpreadsheet
from oretrace.rmi import TemplateKind, read_template
from oretrace.rmi.layouts import layout_for
from samples import LEGACY, shared_file

VERSIONS_2 = ("2.00", "2.01", "2.02", "2.03", "2.03a")
# The Standard Smelter Names sheet grew with every release.
LOOKUP_SIZES = {"2.00": 151, "2.01": 164, "2.02": 185, "2.03": 197, "2.03a": 198, "3.01": 217}
SMELTERS = [
    (5, "Gold", "Allgemeine Gold- & Silberscheideanstalt", "Allgemeine Gold", "GERMANY"),
    (6, "Tin", "Alpha Metals", "Alpha Metal", "UNITED STATES"),
    (7, "Tantalum", "Cabot Supermetals", "Cabot Supermetals", "UNITED STATES"),
    (8, "Tungsten", "Ganzhou Huaxing Tungsten", "Ganzhou Huaxing Tungsten", "CHINA"),
]


def legacy(version: str, variant: str):
    name = f"{version}__{version}_-_{variant}.xlsx"
    if version == "2.03a" and variant == "empty":
        name = "2.03a__2.03a_-_empty_.xlsx"
    if version == "3.01" and variant == "empty":
        name = "3.01__3.01_-_empty.xls"
    return read_template(shared_file(LEGACY / name))


@pytest.mark.parametrize("version", [*VERSIONS_2, "3.01"])
def test_it_reads_the_green_fixture_of_each_version(version):
    response = legacy(version, "green")
    assert (response.kind, response.version) == (TemplateKind.CMRT, version)
    assert response.company.name.value == "Green Status Pro"
    assert response.scope == "A"
    assert response.effective_date == dt.date(2014, 5, 31)
    assert response.company.unique_id.value == "A999666333000"
    assert response.company.authorizer_email.value == "leo.denevi@greenstatuspro.com"
    assert [(s.row, s.metal, s.lookup_name, s.name, s.country) for s in response.smelters] == SMELTERS
    assert {m: len(response.smelters_for(m)) for m in response.minerals} == {
        "Tantalum": 1,
        "Tin": 1,
        "Gold": 1,
        "Tungsten": 1,
    }
    [product] = response.products
    # 2.03 and 3.01 keep the fixture author's trailing newlines; the values are stripped
    assert (product.number, product.name) == ("ABCDEFG12345678", "Tool")
    assert product.row == (275 if version == "2.03a" else 6)
    # the 2.01 fixture has no URL beside "policy publicly available: Yes"
    assert response.policy_url.value == (None if version == "2.01" else "http://company/policy")
    assert len(response.lookup) == LOOKUP_SIZES[version]


@pytest.mark.parametrize("version", VERSIONS_2)
def test_it_reads_the_2x_answers_and_company_questions(version):
    response = legacy(version, "green")
    assert response.answer("Tin", "Q1") == "Yes"
    assert response.answer("Gold", "Q2") == "Uncertain or Unknown"
    assert response.answer("Tin", "Q4") == "No but > 75%"
    assert response.answer("Tantalum", "Q5") == "Yes all smelters have been provided"
    assert response.answer("Tin", "Q5") == "No"
    # 2.03a's green fixture says all gold smelters are validated; the earlier ones say no
    assert response.answer("Gold", "Q6") == ("Yes" if version == "2.03a" else "No")
    assert response.company_questions["H"].value == "Yes (documentation review only)"
    assert response.company_questions["I"].comment.value == "We run GSP"
    # the notes say A-I; every 2.x fixture has J at D77
    assert response.company_questions["J"].answer.ref == "Declaration!D77"
    assert response.company_questions["J"].value == "Yes"


def test_it_reads_the_one_2x_representative_as_both_contact_and_authorizer():
    company = legacy("2.03", "green").company
    assert company.contact_name.ref == company.authorizer_name.ref == "Declaration!D14"
    assert company.contact_name.value == "Leo de Nevi"
    assert company.authorizer_title.value == "Chief Technology Officer"
    assert company.address.value == "100 F Street, NE, Washington, DC 20549"
    assert company.unique_id_authority.ref == ""


def test_it_reads_the_202_fixture_whose_address_was_typed_one_row_low():
    company = legacy("2.02", "green").company
    assert company.address.value is None
    assert company.authorizer_name.value == "100 F Street, NE, Washington, DC 20549"


def test_it_keeps_the_v2_smelter_id_typed_outside_the_200_columns():
    tungsten = legacy("2.00", "green").smelters_for("Tungsten")[0]
    assert tungsten.id_input == "4CHN005"
    assert tungsten.smelter_id is None


def test_it_reads_the_2x_standard_smelter_names_with_v2_ids_and_aliases():
    first = legacy("2.00", "green").lookup[0]
    # 2.00 writes "Gold (Au)"; the metal is read as the mineral it names
    assert first.metal == "Gold"
    assert first.smelter_id == "1DEU001"
    assert first.standard_name == "Allgemeine Gold- und Silberscheideanstalt A.G."
    assert first.known_aliases == "Allgemeine Gold,Allgemeine Gold- & Silberscheideanstalt,Allgemeine"
    assert legacy("2.03a", "green").lookup[0].smelter_id == "1JPN072"


@pytest.mark.parametrize(
    ("version", "changed"),
    [
        ("2.00", {("Gold", "Q2"): "Yes"}),
        (
            "2.01",
            {
                ("Tantalum", "Q2"): "Yes",
                ("Tin", "Q2"): "Yes",
                ("Gold", "Q2"): "Yes",
                ("Tungsten", "Q2"): "Yes",
            },
        ),
        ("2.02", {("Tantalum", "Q2"): "Yes"}),
        ("2.03", {("Tantalum", "Q2"): "Yes"}),
        ("2.03a", {("Tantalum", "Q2"): "Yes"}),
    ],
)
def test_it_reads_what_makes_a_2x_fixture_high_risk(version, changed):
    green, risky = legacy(version, "green"), legacy(version, "high_risk")
    for (metal, question), value in changed.items():
        assert risky.answer(metal, question) == value
        assert green.answer(metal, question) != value
    layout = layout_for(TemplateKind.CMRT, version)
    assert {q for _, q in changed} == {layout.question_by_topic("covered_countries").id}
    assert risky.company_questions["I"].comment.value is None
    assert risky.products == ()


@pytest.mark.parametrize("version", VERSIONS_2)
def test_it_reads_what_a_2x_fixture_needing_validation_left_out(version):
    response = legacy(version, "validation_needed")
    assert response.company.name.value is None
    assert response.company.name.ref == "Declaration!D8"
    if version == "2.00":
        # 2.00 kept the scope but lost two Q1 answers
        assert response.scope == "A"
        assert response.answer("Tantalum", "Q1") is None
        assert response.answer("Gold", "Q1") is None
        assert response.answer("Tin", "Q1") == "Yes"
    else:
        assert response.scope is None
        assert response.answer("Tantalum", "Q1") == "Yes"


def test_it_reads_what_makes_the_301_fixture_high_risk():
    green, risky = legacy("3.01", "green"), legacy("3.01", "high_risk")
    assert [green.answer(m, "Q3") for m in green.minerals] == ["No", "No", "Unknown", "No"]
    assert [risky.answer(m, "Q3") for m in risky.minerals] == ["Yes", "Yes", "Yes", "Yes"]
    assert [risky.answer(m, "Q4") for m in risky.minerals] == ["No", "No", "No", "No"]
    assert risky.answer("Tin", "Q5") == "No, but greater than 75%"
    assert risky.answers["Tin"]["Q5"].answer.raw == "No, but greater than 75% "
    assert green.answer("Tin", "Q5") == "Yes, 100%"
    assert (green.checker_cached, risky.checker_cached) == (1, 1)


def test_it_reads_the_301_fixture_needing_validation():
    response = legacy("3.01", "validation_needed")
    assert response.company.name.value is None
    assert response.scope is None
    assert [response.answer(m, "Q4") for m in response.minerals] == ["No", "No", "No", "No"]
    assert response.answer("Tin", "Q5") == "No, but greater than 75%"
    assert response.answer("Gold", "Q3") == "Unknown"
    assert response.checker_cached == 3


def test_it_reads_the_301_company_block_and_questions_at_the_6x_rows():
    response = legacy("3.01", "green")
    company = response.company
    assert (company.contact_name.ref, company.contact_name.value) == ("Declaration!D15", "Leo de Nevi")
    assert company.unique_id_authority.value == "Database"
    assert company.authorizer_phone.value == "(555) 555-1234"
    assert response.answers["Gold"]["Q7"].answer.ref == "Declaration!D64"
    assert response.company_questions["I"].comment.value == "We use GSP"
    assert response.company_questions["J"].answer.ref == "Declaration!D87"
    assert response.policy_url.ref == "Declaration!G71"


def test_it_reads_the_301_standard_smelter_names_with_old_and_new_ids():
    lookup = legacy("3.01", "green").lookup
    assert (lookup[0].metal, lookup[0].old_smelter_id, lookup[0].smelter_id) == (
        "Gold",
        "1JPN072",
        "CID000019",
    )
    assert lookup[-1].standard_name == "Zhuzhou Cemented Carbide Group Co Ltd"
    assert {e.metal for e in lookup} == {"Gold", "Tin", "Tantalum", "Tungsten"}


@pytest.mark.parametrize(("version", "checker"), [("2.02", 40), ("2.03", 40), ("2.03a", 40), ("3.01", 48)])
def test_it_decrypts_and_reads_the_empty_fixtures(version, checker):
    response = legacy(version, "empty")
    assert response.encrypted
    assert response.version == version
    assert response.company.name.value is None
    assert response.smelters == ()
    assert response.checker_cached == checker
    assert len(response.lookup) == LOOKUP_SIZES[version]


@pytest.mark.parametrize("version", ["2.00", "2.01"])
def test_it_reads_the_unencrypted_empty_2x_fixtures(version):
    response = legacy(version, "empty")
    assert not response.encrypted
    assert response.smelters == ()
    assert all(answer.value is None for answer in response.company_questions.values())


def test_it_reads_the_empty_100_template():
    response = legacy("1.00", "empty")
    assert (response.kind, response.version) == (TemplateKind.CMRT, "1.00")
    assert response.revision_text == "1.   July 18th 2011"
    assert response.company.name.ref == "Declaration!D7"
    assert response.company.contact_email.ref == "Declaration!D15"
    assert response.company.effective_date.raw == (None, None, None)
    assert response.company.declaration_scope.ref == ""  # 1.00 has no scope field
    assert set(response.answers["Gold"]) == {"Q1", "Q2", "Q3", "Q4", "Q5"}
    assert response.answers["Tungsten"]["Q5"].answer.ref == "Declaration!D47"
    assert sorted(response.company_questions) == list("ABCDEFGHIJK")
    assert response.company_questions["K"].answer.ref == "Declaration!D71"
    assert response.smelters == ()
    assert response.checker_cached is None


def test_it_reads_the_100_date_from_its_day_month_and_year_cells(tmp_path):
    book = load_workbook(shared_file(LEGACY / "1.00__1.00_-_empty.xlsx"))
    sheet = book["Declaration"]
    sheet["D7"], sheet["E17"], sheet["H17"], sheet["J17"] = "Early Adopter", 5, "September", 2011
    sheet["D20"], sheet["D53"] = "Yes", "No"
    book["Smelter and Mine List"]["B6"] = "Tin (Sn)"
    book["Smelter and Mine List"]["F6"] = "Jalan 1, Pangkal Pinang, Indonesia"
    book["Smelter and Mine List"]["T6"] = "Solder"
    book.save(tmp_path / "filled-1.00.xlsx")
    response = read_template(tmp_path / "filled-1.00.xlsx")
    assert response.company.name.value == "Early Adopter"
    assert response.effective_date == dt.date(2011, 9, 5)
    assert response.answer("Tantalum", "Q1") == "Yes"
    assert response.company_questions["B"].value == "No"
    [smelter] = response.smelters
    assert (smelter.row, smelter.metal, smelter.location) == (6, "Tin", "Jalan 1, Pangkal Pinang, Indonesia")
    assert smelter.raw["T"] == "Solder"


def test_it_refuses_the_jpeg_named_like_a_cmrt():
    with pytest.raises(NotASpreadsheet, match="JPEG"):
        read_template(shared_file(LEGACY / "invalid_cmrt.xls"))
