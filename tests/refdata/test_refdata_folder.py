"""The import folder: each file declares its kind by a sidecar or its name, and is imported once."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from oretrace.errors import BadInput
from oretrace.refdata import ListKind, dropped_files, sha256_of
from oretrace.smelters import AuditStatus
from published_lists import OFAC_SDN_XML, RMI_CONFORMANT_CSV


def test_a_file_named_after_its_kind_declares_the_kind_and_the_day(tmp_path):
    (tmp_path / "rmi-conformant_2025-11-01.csv").write_bytes(RMI_CONFORMANT_CSV)
    (found,) = dropped_files(tmp_path)
    assert (found.kind, found.as_of, found.status, found.problem) == (
        ListKind.RMI_CONFORMANT,
        dt.date(2025, 11, 1),
        None,
        None,
    )
    assert found.sha256 == sha256_of(RMI_CONFORMANT_CSV)


def test_a_sidecar_declares_kind_status_and_day(tmp_path):
    (tmp_path / "export.csv").write_bytes(RMI_CONFORMANT_CSV)
    (tmp_path / "export.csv.json").write_text(
        json.dumps({"kind": "rmi-eligible", "status": "Active", "as_of": "2025-10-01"})
    )
    (found,) = dropped_files(tmp_path)
    assert (found.kind, found.status, found.as_of) == (
        ListKind.RMI_ELIGIBLE,
        AuditStatus.ACTIVE,
        dt.date(2025, 10, 1),
    )


def test_files_imported_before_partial_downloads_and_hidden_files_are_left_alone(tmp_path):
    (tmp_path / "ofac-sdn.xml").write_bytes(OFAC_SDN_XML)
    (tmp_path / "eu-sanctions.xml.part").write_bytes(b"<export")
    (tmp_path / ".rmi-active.csv").write_bytes(RMI_CONFORMANT_CSV)
    assert dropped_files(tmp_path, {sha256_of(OFAC_SDN_XML)}) == []


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"list.csv": b"x"}, "Neither a sidecar list.csv.json nor the file's name says which list it is."),
        ({"l.csv": b"x", "l.csv.json": b"{"}, "l.csv.json is not JSON"),
        ({"l.csv": b"x", "l.csv.json": b'{"kind": "gold"}'}, '"gold" is not a kind of reference list'),
        (
            {"l.csv": b"x", "l.csv.json": b'{"kind": "rmi-active", "status": "Great"}'},
            '"Great" is not an audit',
        ),
        ({"ofac-sdn_2025-13-01.xml": b"x"}, '"2025-13-01" is not a day written YYYY-MM-DD'),
    ],
)
def test_a_file_that_does_not_say_what_it_is_gets_a_problem_not_an_error(tmp_path, files, problem):
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (found,) = dropped_files(tmp_path)
    assert found.kind is None or found.problem
    assert problem in found.problem


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(BadInput, match="is not a folder"):
        dropped_files(tmp_path / "absent")
