"""LibreOffice as a real Excel client in tests: open a workbook, recalculate everything, save it.

LibreOffice recalculates an .xlsx on load only when its profile says so (OOXMLRecalcMode 0 =
always), so each run gets its own profile with that setting (templates.md §2.1).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip(
            "LibreOffice is not installed (Debian package libreoffice-calc-nogui; .ci/run installs it)"
        )
    return found


def recalculated_copy(workbook: Path, work_dir: Path) -> Path:
    """A copy of ``workbook`` that LibreOffice opened, recalculated and saved as .xlsx."""
    profile = work_dir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
    out_dir = work_dir / "recalculated"
    out_dir.mkdir(exist_ok=True)
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out_dir),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return out_dir / workbook.with_suffix(".xlsx").name
