"""``oretrace customers answer``: a customer's part list answered from a folder of supplier files, read as
``oretrace report`` reads them, in the template version the customer asked for."""

from __future__ import annotations

from oretrace.cli import app
from oretrace.rmi import read_template
from test_cli_report import project, runner  # noqa: F401  (the fixture: three CMRTs and the settings)

THEIR_LIST = (
    "Customer part number,Supplier part number,Description\n"
    "BC-1,P-ALPHA,Sensor board\n"
    "BC-2,P-BETA,Display\n"
    "BC-3,P-GAMMA,Lens\n"
)
METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
OUR_LINKS = "Part number,Supplier\nP-ALPHA,Alpha Parts\nP-BETA,Beta Boards\nP-GAMMA,Gamma Glass\n"


def answer(folder, *extra):
    out = folder / "answers" / "bigco.xlsx"
    args = [
        "customers",
        "answer",
        str(folder / "suppliers"),
        "--settings",
        str(folder / "oretrace.toml"),
        "--blank",
        str(folder / "rmi" / "RMI_CMRT_6.4.xlsx"),
        "-o",
        str(out),
    ]
    return runner.invoke(app, [*args, *extra]), out


def test_three_part_numbers_get_a_product_level_cmrt_that_reads_back_exactly(project):  # noqa: F811
    (project / "theirs.csv").write_text(THEIR_LIST, encoding="utf-8")
    (project / "links.csv").write_text(OUR_LINKS, encoding="utf-8")
    result, out = answer(
        project, "--parts", str(project / "theirs.csv"), "--links", str(project / "links.csv")
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}: our CMRT for 3 part numbers, in RMI_CMRT_6.4.xlsx" in result.output
    assert "Q1" in result.output and "Why" in result.output  # the derivation shown, as by `oretrace report`
    back = read_template(out.read_bytes())
    assert back.scope == "B"
    assert [(p.number, p.name, p.comments) for p in back.products] == [
        ("BC-1", "Sensor board", "Our part number P-ALPHA"),
        ("BC-2", "Display", "Our part number P-BETA"),
        ("BC-3", "Lens", "Our part number P-GAMMA"),
    ]
    # Beta Boards uses all four metals, Alpha Parts tin and tungsten, Gamma Glass none.
    assert {metal: back.answers[metal]["Q1"].value for metal in METALS} == dict.fromkeys(METALS, "Yes")
    assert sorted((s.metal, s.smelter_id) for s in back.smelters) == [
        ("Tin", "CID000292"),
        ("Tungsten", "CID002082"),
    ]
    assert back.company.name.value == "Norland Instruments, Inc."


def test_a_part_of_a_supplier_without_3tg_is_declared_without_and_a_bad_row_is_named(project):  # noqa: F811
    (project / "links.csv").write_text(OUR_LINKS, encoding="utf-8")
    (project / "theirs.csv").write_text(
        "Customer part number,Supplier part number\nBC-3,P-GAMMA\n,P-NONE\n", encoding="utf-8"
    )
    result, out = answer(
        project, "--parts", str(project / "theirs.csv"), "--links", str(project / "links.csv")
    )
    assert result.exit_code == 0, result.output
    assert "Left out: Row 3: no part number" in result.output
    back = read_template(out.read_bytes())
    assert [p.number for p in back.products] == ["BC-3"]
    assert {metal: back.answers[metal]["Q1"].value for metal in METALS} == dict.fromkeys(METALS, "No")
    assert back.smelters == ()  # Gamma Glass uses no 3TG


def test_without_a_part_list_it_is_the_company_level_answer(project):  # noqa: F811
    result, out = answer(project)
    assert result.exit_code == 0, result.output
    assert "our CMRT at company level" in result.output
    back = read_template(out.read_bytes())
    assert back.scope == "A" and back.products == ()


def test_a_part_list_without_our_links_or_a_links_file_of_no_use_is_named(project):  # noqa: F811
    (project / "theirs.csv").write_text(THEIR_LIST, encoding="utf-8")
    result, out = answer(project, "--parts", str(project / "theirs.csv"))
    assert result.exit_code == 2
    assert "--parts needs --links" in result.output
    (project / "links.csv").write_text("Supplier,Country\nAlpha Parts,US\n", encoding="utf-8")
    result, out = answer(
        project, "--parts", str(project / "theirs.csv"), "--links", str(project / "links.csv")
    )
    assert result.exit_code == 2
    assert "a part number and a supplier column" in result.output
    assert not out.exists()
