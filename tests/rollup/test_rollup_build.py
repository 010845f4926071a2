"""The roll-up: many supplier files into one smelter list, supplier summary and findings."""

from __future__ import annotations

import datetime as dt

from builders import build_cmrt6
from oretrace.rmi.model import LookupEntry
from oretrace.rollup.analyse import AnalysisSettings, analyse_file, analyse_many, template_files
from oretrace.rollup.compute import build_rollup
from oretrace.rollup.countries import CountryList
from oretrace.smelters import (
    AuditStatus,
    StatusHistory,
    StatusList,
    StatusRecord,
    reference_from_lookup,
    reference_from_template,
)
from samples import CENTRAL_GLASS, HONEYWELL, LEGACY, PKG, SK, TEMPLATES, shared_file

REFERENCE = reference_from_lookup(
    [
        LookupEntry(
            "Tungsten", "Xiamen Tungsten Co., Ltd.", "Xiamen Tungsten Co., Ltd.", "CHINA", "CID002082"
        ),
        LookupEntry("Tin", "Alpha", "Alpha", "UNITED STATES OF AMERICA", "CID000292"),
        LookupEntry("Gold", "Kigali Gold Refinery", "Kigali Gold Refinery", "RWANDA", "CID004000"),
    ],
    release="test list",
)


def _statuses(*records: tuple[str, AuditStatus]) -> StatusHistory:
    rows = tuple(
        StatusRecord(
            smelter_id=cid,
            metal=None,
            name=None,
            country=None,
            status=status,
            raw_status=str(status),
            source="test status list",
            as_of=dt.date(2025, 6, 1),
        )
        for cid, status in records
    )
    return StatusHistory(
        (
            StatusList(
                name="test status list", as_of=dt.date(2025, 6, 1), records=rows, columns={}, encoding=None
            ),
        )
    )


def test_it_consolidates_smelters_named_by_several_suppliers(tmp_path):
    first = build_cmrt6(
        tmp_path / "a.xlsx",
        company={"name": "Alpha Parts"},
        smelters=[
            {
                "metal": "Tungsten",
                "lookup_name": "Xiamen Tungsten Co., Ltd.",
                "smelter_id": "CID002082",
                "country": "CHINA",
            },
            {
                "metal": "Gold",
                "lookup_name": "Smelter not listed",
                "name": "Kigali Gold Refinery",
                "country": "RWANDA",
            },
        ],
    )
    second = build_cmrt6(
        tmp_path / "b.xlsx",
        company={"name": "Beta Boards"},
        smelters=[
            {
                "metal": "Tungsten",
                "lookup_name": "Xiamen Tungsten Co., Ltd.",
                "smelter_id": "CID002082",
                "country": "CHINA",
            },
            {
                "metal": "Tin",
                "lookup_name": "Smelter not listed",
                "name": "Mystery Tin Works",
                "country": "BOLIVIA",
            },
        ],
    )
    settings = AnalysisSettings(
        reference=REFERENCE, statuses=_statuses(("CID002082", AuditStatus.CONFORMANT))
    )
    rollup = build_rollup(
        analyse_many([first, second], settings), statuses=settings.statuses, as_of=dt.date(2025, 12, 31)
    )

    assert [(s.metal, s.smelter_id, s.audit_status, s.suppliers) for s in rollup.smelters] == [
        ("Gold", "CID004000", None, ("Alpha Parts",)),
        ("Tungsten", "CID002082", "Conformant", ("Alpha Parts", "Beta Boards")),
    ]
    kigali = rollup.smelters_for("Gold")[0]
    assert (kigali.covered_country, kigali.cahra) == (True, True)
    assert [(u.metal, u.name, u.suppliers) for u in rollup.unidentified] == [
        ("Tin", "Mystery Tin Works", ("Beta Boards",))
    ]
    assert rollup.status_counts("Tungsten") == {"Conformant": 1}
    assert [s.company_name for s in rollup.suppliers] == ["Alpha Parts", "Beta Boards"]


def test_an_unreadable_file_is_listed_and_the_run_goes_on(tmp_path):
    good = build_cmrt6(tmp_path / "good.xlsx", company={"name": "Good Co"})
    bad = tmp_path / "photo.xlsx"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a workbook")
    rollup = build_rollup(analyse_many([good, bad], AnalysisSettings(reference=REFERENCE)))
    assert [(s.file_name, s.read_error) for s in rollup.suppliers] == [
        ("good.xlsx", None),
        ("photo.xlsx", "not-a-spreadsheet"),
    ]


def test_a_cahra_list_flags_facilities_outside_the_covered_countries(tmp_path):
    path = build_cmrt6(
        tmp_path / "a.xlsx",
        smelters=[
            {
                "metal": "Tin",
                "lookup_name": "Alpha",
                "smelter_id": "CID000292",
                "country": "UNITED STATES OF AMERICA",
            },
        ],
    )
    analyses = [analyse_file(path, AnalysisSettings(reference=REFERENCE))]
    flagged = build_rollup(analyses, cahra=CountryList(["United States of America"])).smelters[0]
    assert (flagged.covered_country, flagged.cahra) == (False, True)


def test_template_files_expands_folders_and_skips_office_lock_files(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.xlsx", "sub/a.xls", "~$b.xlsx", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.relative_to(tmp_path).as_posix() for p in template_files([tmp_path])] == ["b.xlsx", "sub/a.xls"]


def test_the_four_real_files_roll_up_against_the_6_4_reference():
    files = [shared_file(p) for p in (CENTRAL_GLASS, SK, HONEYWELL, PKG)]
    settings = AnalysisSettings(
        reference=reference_from_template(shared_file(TEMPLATES / "RMI_CMRT_6.4.xlsx"))
    )
    rollup = build_rollup(analyse_many(files, settings, workers=1))
    # By supplier name: Central Glass, Honeywell, the PKG file (its company block is blank), SK.
    assert [s.checker_missing for s in rollup.suppliers] == [0, 2, 8, 1]
    assert rollup.unidentified == ()
    xiamen = next(s for s in rollup.smelters if s.smelter_id == "CID002082")
    assert xiamen.suppliers == ("Central Glass Co., Ltd.", "Honeywell International", "SK specialty Co., Ltd")
    # PKG's company block is empty, so its smelters are credited to the file.
    assert any("RMI_CMRT_6.4_PKG_DE00_20240710.xlsx" in s.suppliers for s in rollup.smelters)
    assert {s.metal for s in rollup.smelters} == {"Gold", "Tantalum", "Tin", "Tungsten"}


def test_a_legacy_jpeg_in_the_folder_is_reported_not_fatal():
    rollup = build_rollup(analyse_many([shared_file(LEGACY / "invalid_cmrt.xls")], AnalysisSettings()))
    assert rollup.suppliers[0].read_error == "not-a-spreadsheet"


def test_names_recorded_as_not_a_smelter_leave_the_unidentified_names(tmp_path):
    from oretrace.smelters import Exclusion

    path = build_cmrt6(
        tmp_path / "a.xlsx",
        company={"name": "Alpha Parts"},
        smelters=[
            {
                "metal": "Gold",
                "lookup_name": "Smelter not listed",
                "name": "Acme Trading Co.",
                "country": "CHINA",
            },
            {
                "metal": "Gold",
                "lookup_name": "Smelter not listed",
                "name": "Zyx Bullion Works",
                "country": "CHINA",
            },
        ],
    )
    plain = build_rollup([analyse_file(path, AnalysisSettings(reference=REFERENCE))])
    assert {u.name for u in plain.unidentified} == {"Acme Trading Co.", "Zyx Bullion Works"}
    settings = AnalysisSettings(reference=REFERENCE, excluded={"ACME TRADING CO": Exclusion.NOT_A_SMELTER})
    rollup = build_rollup([analyse_file(path, settings)])
    assert [u.name for u in rollup.unidentified] == ["Zyx Bullion Works"]
    assert [(u.name, u.reason) for u in rollup.excluded] == [
        ("Acme Trading Co.", '"Acme Trading Co." is not a smelter, as an analyst recorded.')
    ]
    assert not rollup.smelters
