"""The auditors' evidence package: its layout, a manifest that checks out, tampering found, stable bytes."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import load_workbook

from oretrace.errors import BadInput
from oretrace.evidence import NamedFile, SupplierFile, build_evidence_package, verify_evidence_package
from oretrace.grievances import GrievanceCase
from oretrace.refdata import ListKind, read_list
from oretrace.refdata.screening import DISMISSED, SUPPLIER, Subject, decide, screen
from oretrace.rollup.model import FindingRow
from published_lists import OFAC_SDN_XML
from reports.factories import make_rollup

ALPHA = b"PK\x03\x04 pretend this is Alpha's CMRT \x00\xff"
BETA = "Beta Boards CMRT 6.5 (corrected).xlsx"
THREAD = {
    "supplier": "Beta Boards",
    "subject": "Q7 answered No for gold",
    "status": "resolved",
    "messages": [
        {
            "sent_at": dt.datetime(2026, 2, 3, 10, 0),
            "from": "analyst@norland.example",
            "to": "compliance@beta.example",
            "body": "Your CMRT answers Q7 No for gold. Which refiners are missing?",
        },
        {
            "sent_at": dt.datetime(2026, 2, 5, 8, 30),
            "from": "compliance@beta.example",
            "body": "All identified now; corrected file attached.",
            "attachments": ["beta-corrected.xlsx"],
        },
    ],
}
RISKS = [
    {
        "Risk": "Non-conformant tin smelter",
        "Owner": "J. Doe",
        "Due": dt.date(2026, 6, 30),
        "Status": "open",
        "Action": "Ask Supplier 001 Ltd to move off CID200012",
    },
    {"Risk": "No response", "Owner": "K. Lee", "Status": "escalated", "Escalated to": "VP Procurement"},
]


def build(target, tmp_path, **changes):
    beta = tmp_path / BETA
    if not beta.exists():
        beta.write_bytes(b"Beta's corrected workbook bytes")
    values = dict(
        supplier_files=[
            ("alpha.xlsx", ALPHA, {"supplier": "Alpha Parts", "received": dt.date(2026, 1, 20)}),
            SupplierFile(BETA, beta, {"supplier": "Beta Boards", "request": "R-17"}),
            ("../../etc/alpha.xlsx", b"a second file with the same name", {"supplier": "Alpha Parts"}),
        ],
        follow_up_threads=[THREAD],
        reference_data=[
            ("RMI_CMRT_6.5.xlsx", b"blank template bytes", "reference list (Smelter Look-up)"),
            NamedFile("rmap-2026-01-15.csv", b"Facility ID,Assessment Status\nCID000001,Conformant\n"),
        ],
        rollup=make_rollup(),
        risk_register=RISKS,
        declaration_files=[("company-cmrt.xlsx", b"our cmrt")],
        report_files=[("conflict-minerals-report.htm", b"<html>report</html>")],
        organisation="Norland Instruments, Inc.",
        year=2025,
    )
    values.update(changes)
    return build_evidence_package(target, **values)


def test_the_layout_puts_each_kind_of_evidence_in_its_folder(tmp_path):
    path = tmp_path / "evidence.zip"
    package = build(path, tmp_path)
    names = zipfile.ZipFile(path).namelist()
    assert names == [
        "README.txt",
        "suppliers/alpha.xlsx",
        f"suppliers/{BETA}",
        "suppliers/alpha (2).xlsx",
        "suppliers/index.csv",
        "review/findings.xlsx",
        "review/findings.csv",
        "follow-ups/001-q7-answered-no-for-gold.txt",
        "follow-ups/threads.json",
        "reference-data/RMI_CMRT_6.5.xlsx",
        "reference-data/rmap-2026-01-15.csv",
        "rollup/rollup.xlsx",
        "rollup/rollup.json",
        "risk/register.xlsx",
        "risk/register.csv",
        "declaration/company-cmrt.xlsx",
        "report/conflict-minerals-report.htm",
        "manifest.csv",
        "manifest.json",
        "SHA256SUMS",
    ]
    assert package.paths() == names[:-3]


def test_supplier_files_are_kept_byte_for_byte_and_indexed(tmp_path):
    path = tmp_path / "evidence.zip"
    build(path, tmp_path)
    archive = zipfile.ZipFile(path)
    assert archive.read("suppliers/alpha.xlsx") == ALPHA
    assert archive.read(f"suppliers/{BETA}") == (tmp_path / BETA).read_bytes()
    index = list(csv.DictReader(io.StringIO(archive.read("suppliers/index.csv").decode("utf-8-sig"))))
    assert index[0] == {
        "File in package": "suppliers/alpha.xlsx",
        "Name as received": "alpha.xlsx",
        "Size": str(len(ALPHA)),
        "SHA-256": hashlib.sha256(ALPHA).hexdigest(),
        "supplier": "Alpha Parts",
        "received": "2026-01-20",
        "request": "",
    }
    assert index[2]["Name as received"] == "../../etc/alpha.xlsx"
    assert index[2]["File in package"] == "suppliers/alpha (2).xlsx"


def test_every_file_is_in_the_manifest_with_its_sha256_and_size(tmp_path):
    path = tmp_path / "evidence.zip"
    build(path, tmp_path)
    archive = zipfile.ZipFile(path)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "oretrace evidence package 1"
    assert manifest["organisation"] == "Norland Instruments, Inc."
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.csv", "manifest.json", "SHA256SUMS"}
    for name, entry in listed.items():
        data = archive.read(name)
        assert (entry["size"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert [(r["path"], int(r["size"]), r["sha256"]) for r in rows] == [
        (f["path"], f["size"], f["sha256"]) for f in manifest["files"]
    ]
    sums = archive.read("SHA256SUMS").decode().splitlines()
    assert sums[1] == f"{hashlib.sha256(ALPHA).hexdigest()}  suppliers/alpha.xlsx"
    assert verify_evidence_package(path) == []


def test_the_tables_open_with_the_data_in_them(tmp_path):
    path = tmp_path / "evidence.zip"
    build(path, tmp_path)
    archive = zipfile.ZipFile(path)
    findings = load_workbook(io.BytesIO(archive.read("review/findings.xlsx")))["Findings"]
    assert [c.value for c in findings[2]][:4] == [
        "supplier-001.xlsx",
        "Supplier 001 Ltd",
        "error",
        "q1-missing",
    ]
    register = load_workbook(io.BytesIO(archive.read("risk/register.xlsx"))).active
    assert [c.value for c in register[1]] == ["Risk", "Owner", "Due", "Status", "Action", "Escalated to"]
    assert register["F3"].value == "VP Procurement"
    rollup = load_workbook(io.BytesIO(archive.read("rollup/rollup.xlsx")))
    assert rollup.sheetnames == ["Suppliers", "Findings", "Smelters", "Unidentified", "Mines", "Origins"]
    assert rollup["Smelters"].max_row == 46  # 45 facilities and the header
    thread = archive.read("follow-ups/001-q7-answered-no-for-gold.txt").decode()
    assert "Subject: Q7 answered No for gold" in thread
    assert (
        "Sent at: 2026-02-05T08:30:00\nFrom: compliance@beta.example\nAttachments: beta-corrected.xlsx"
        in thread
    )
    assert "All identified now; corrected file attached." in thread
    readme = archive.read("README.txt").decode()
    assert "sha256sum -c SHA256SUMS" in readme
    assert "suppliers/      Every supplier file exactly as received, byte for byte" in readme
    assert "(4 files)" in readme


def test_a_changed_file_is_reported(tmp_path):
    path = tmp_path / "evidence.zip"
    build(path, tmp_path)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "suppliers/alpha.xlsx":
                data = data.replace(b"Alpha", b"Alpha!")
            target.writestr(info, data)
    problems = verify_evidence_package(tampered)
    assert len(problems) == 2
    assert problems[0] == f"suppliers/alpha.xlsx: {len(ALPHA) + 1} bytes, the manifest says {len(ALPHA)}"
    assert problems[1].startswith("suppliers/alpha.xlsx: SHA-256 ")
    assert problems[1].endswith(f"does not match the manifest's {hashlib.sha256(ALPHA).hexdigest()}")


def test_a_removed_or_added_file_is_reported(tmp_path):
    path = tmp_path / "evidence.zip"
    build(path, tmp_path)
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for info in source.infolist():
            if info.filename != "risk/register.csv":
                target.writestr(info, source.read(info.filename))
        target.writestr("suppliers/late-addition.xlsx", b"slipped in")
    assert verify_evidence_package(changed) == [
        "risk/register.csv: listed in the manifest but missing from the package",
        "suppliers/late-addition.xlsx: in the package but not in the manifest",
    ]
    assert verify_evidence_package(b"not a zip")[0].startswith("not a readable ZIP file")


def test_the_same_inputs_give_the_same_bytes(tmp_path, monkeypatch):
    first, second = io.BytesIO(), io.BytesIO()
    build(first, tmp_path)
    time.sleep(1.1)  # openpyxl stamps the second into each workbook it saves
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)  # and zipfile the time into each entry
    build(second, tmp_path)
    assert first.getvalue() == second.getvalue()


def test_the_creation_time_is_recorded_and_used_for_every_entry(tmp_path):
    path = tmp_path / "evidence.zip"
    build(path, tmp_path, created=dt.datetime(2026, 3, 2, 9, 30, 15))
    archive = zipfile.ZipFile(path)
    assert {info.date_time for info in archive.infolist()} == {(2026, 3, 2, 9, 30, 14)}
    assert json.loads(archive.read("manifest.json"))["created"] == "2026-03-02T09:30:15"
    assert "Created:        2026-03-02 09:30:15" in archive.read("README.txt").decode()


def test_the_unpacked_package_checks_out_with_sha256sum(tmp_path):
    sha256sum = shutil.which("sha256sum")
    if sha256sum is None:
        pytest.skip("the sha256sum tool (GNU coreutils) is not installed")
    path = tmp_path / "evidence.zip"
    build(path, tmp_path)
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(path).extractall(unpacked)
    result = subprocess.run([sha256sum, "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == 17


def test_the_evidence_of_corrective_actions_is_filed_beside_the_register(tmp_path):
    letter = tmp_path / "letter to Supplier 001.pdf"
    letter.write_bytes(b"%PDF-1.4 our letter")
    path = tmp_path / "evidence.zip"
    build(
        path,
        tmp_path,
        risk_evidence=[
            NamedFile("action-3-1-audit report.pdf", b"%PDF-1.4 audit", "evidence for risk action 3"),
            ("action-3-2-" + letter.name, letter),
        ],
    )
    archive = zipfile.ZipFile(path)
    names = archive.namelist()
    assert names[names.index("risk/register.csv") + 1 :][:2] == [
        "risk/evidence/action-3-1-audit report.pdf",
        "risk/evidence/action-3-2-letter to Supplier 001.pdf",
    ]
    assert archive.read("risk/evidence/action-3-2-letter to Supplier 001.pdf") == b"%PDF-1.4 our letter"
    listed = {f["path"]: f["description"] for f in json.loads(archive.read("manifest.json"))["files"]}
    assert listed["risk/evidence/action-3-1-audit report.pdf"] == "evidence for risk action 3"
    readme = archive.read("README.txt").decode()
    assert "and the evidence kept for them (evidence/). (4 files)" in readme
    assert verify_evidence_package(path) == []


def test_names_with_characters_xml_cannot_hold_still_make_a_package_that_verifies(tmp_path):
    # Rows stored before the reader cleaned supplier text: the workbooks drop the character, the package
    # is still built and checks out.
    finding = FindingRow(
        "zzyzx.xlsx", "Zzyzx\x01 Metals", "smelter-not-identified", "warning", "Gold", "Smelter List",
        "row 5", "The gold smelter 'Zzyzx\x01 Unlisted Refinery' has no Smelter Identification.", None,
    )  # fmt: skip
    path = tmp_path / "evidence.zip"
    build(
        path,
        tmp_path,
        findings=[finding],
        risk_register=[{"Risk": "Unlisted\x02 refinery", "Owner": "J. Doe\x1f"}],
    )
    assert verify_evidence_package(path) == []
    archive = zipfile.ZipFile(path)
    findings = load_workbook(io.BytesIO(archive.read("review/findings.xlsx"))).active
    cells = [cell for row in findings.iter_rows(min_row=2, values_only=True) for cell in row]
    assert "Zzyzx Metals" in cells
    assert "The gold smelter 'Zzyzx Unlisted Refinery' has no Smelter Identification." in cells
    register = load_workbook(io.BytesIO(archive.read("risk/register.xlsx"))).active
    assert list(register.iter_rows(min_row=2, values_only=True)) == [("Unlisted refinery", "J. Doe")]


def test_a_large_package_is_written_in_bounded_memory(tmp_path):
    # Three 20 MB supplier files that do not compress (like the XLSX files suppliers send): the package
    # is over 60 MB, and the build holds a chunk of a file at a time, never a whole member.
    block = os.urandom(1 << 20)
    files = []
    for number in range(3):
        path = tmp_path / f"supplier-{number}.xlsx"
        with path.open("wb") as out:
            for _ in range(20):
                out.write(block)
        files.append((path.name, path, {"supplier": f"Supplier {number}"}))
    target = tmp_path / "evidence.zip"
    tracemalloc.start()
    try:
        package = build_evidence_package(target, supplier_files=files, organisation="Norland")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert target.stat().st_size > 60 * (1 << 20)
    # Measured: 1.2 MB (a 256 KiB chunk as read, as compressed, zlib's state, the manifest).
    assert peak < 2 * (1 << 20), f"{peak / (1 << 20):.1f} MB traced at the peak"
    listed = {e.path: (e.size, e.sha256) for e in package.entries}
    digest = hashlib.sha256(block * 20).hexdigest()
    assert listed["suppliers/supplier-1.xlsx"] == (20 * (1 << 20), digest)
    assert verify_evidence_package(target) == []


def test_the_progress_is_reported_member_by_member(tmp_path):
    calls = []
    path = tmp_path / "evidence.zip"
    build(path, tmp_path, progress=lambda done, total: calls.append((done, total)))
    members = len(zipfile.ZipFile(path).namelist())
    assert members == 20
    assert calls == [(done, 20) for done in range(1, 21)]


def test_a_file_that_cannot_be_read_leaves_no_package_behind(tmp_path):
    path = tmp_path / "out" / "evidence.zip"
    path.parent.mkdir()
    path.write_bytes(b"the package built yesterday")
    with pytest.raises(BadInput) as failed:
        build(path, tmp_path, report_files=[("conflict-minerals-report.htm", tmp_path / "gone.htm")])
    assert failed.value.message.startswith("conflict-minerals-report.htm: cannot be read")
    # The package written before stays as it was, and nothing half-written is left beside it.
    assert path.read_bytes() == b"the package built yesterday"
    assert [p.name for p in path.parent.iterdir()] == ["evidence.zip"]


def test_a_file_read_in_chunks_gives_the_same_bytes_as_the_same_content_given_whole(tmp_path):
    content = os.urandom(3 * (1 << 20) + 17)
    on_disk = tmp_path / "big.xlsx"
    on_disk.write_bytes(content)
    from_path, from_bytes = io.BytesIO(), io.BytesIO()
    build_evidence_package(from_path, supplier_files=[("big.xlsx", on_disk)])
    build_evidence_package(from_bytes, supplier_files=[("big.xlsx", content)])
    assert from_path.getvalue() == from_bytes.getvalue()
    assert zipfile.ZipFile(from_path).read("suppliers/big.xlsx") == content


def test_the_grievance_register_is_filed_without_reporters_personal_data(tmp_path):
    path = tmp_path / "evidence.zip"
    cases = [
        GrievanceCase(
            "G-2025-ABC123",
            dt.date(2025, 3, 1),
            category="human_rights",
            severity="high",
            closed_on=dt.date(2025, 3, 15),
            outcome="The supplier moved to a conformant smelter.",
            suppliers=("Alpha Parts",),
        )
    ]
    build(path, tmp_path, grievance_cases=cases)
    archive = zipfile.ZipFile(path)
    names = archive.namelist()
    assert names.index("grievances/register.csv") == names.index("risk/register.csv") - 2
    assert archive.read("grievances/register.csv").decode("utf-8-sig").splitlines() == [
        "reference,received,category,severity,country,suppliers,smelters,closed,days to close,outcome",
        "G-2025-ABC123,2025-03-01,serious human rights abuses,high,,Alpha Parts,,2025-03-15,14,"
        "The supplier moved to a conformant smelter.",
    ]
    assert "grievances/" in archive.read("README.txt").decode()
    assert verify_evidence_package(path) == []


def test_an_empty_grievance_register_is_filed_when_one_is_kept(tmp_path):
    path = tmp_path / "evidence.zip"
    build(path, tmp_path, grievance_cases=[])
    assert zipfile.ZipFile(path).read("grievances/register.csv").decode("utf-8-sig").startswith("reference,")
    build(tmp_path / "none.zip", tmp_path)
    assert "grievances/register.csv" not in zipfile.ZipFile(tmp_path / "none.zip").namelist()


def test_confirmed_and_dismissed_screening_hits_are_filed_as_screening_csv(tmp_path):
    listed = read_list(OFAC_SDN_XML, kind=ListKind.OFAC_SDN, name="sdn.xml", today=dt.date(2025, 12, 5))
    (hit,) = screen([Subject(SUPPLIER, "Aero-Caribbean", key="Aero-Caribbean")], [listed])
    decision = decide(
        hit, DISMISSED, "A parts shop in Miami, not the airline", by="alice", on=dt.date(2025, 12, 6)
    )
    path = tmp_path / "evidence.zip"
    build(path, tmp_path, screening_decisions=[decision])
    archive = zipfile.ZipFile(path)
    rows = list(csv.DictReader(io.StringIO(archive.read("risk/screening.csv").decode("utf-8-sig"))))
    assert [
        (r["verdict"], r["subject"], r["list_kind"], r["entry_key"], r["matched_name"], r["reason"])
        for r in rows
    ] == [
        (
            "dismissed",
            "Aero-Caribbean",
            "ofac-sdn",
            "36",
            "AERO-CARIBBEAN",
            "A parts shop in Miami, not the airline",
        )
    ]
    assert verify_evidence_package(path) == []


def test_no_screening_csv_without_screening_decisions(tmp_path):
    path = tmp_path / "evidence.zip"
    build(path, tmp_path)
    assert "risk/screening.csv" not in zipfile.ZipFile(path).namelist()
