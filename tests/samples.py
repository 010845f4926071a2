"""Where RMI's sample files are (beside the checkout, never committed), and skipping cleanly without them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# RMI's templates and the real supplier files live beside the checkout and are never committed.
SHARED = Path(os.environ.get("ORETRACE_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
CMRT_DIR = SHARED / "cmrt"
FILLED = CMRT_DIR / "filled"
TEMPLATES = CMRT_DIR / "templates"
LEGACY = CMRT_DIR / "legacy"
REFERENCE = SHARED / "reference"

SKIP_REASON = f"RMI sample files not found at {SHARED} (set ORETRACE_SHARED to their folder)"

CENTRAL_GLASS = FILLED / "RMI_CMRT_6.4_20240426_CG20240510_基佳giga.xlsx"
SK = FILLED / "RMI_CMRT_6.4_20240509_WF6__SK.xlsx"
HONEYWELL = FILLED / "RMI_CMRT_6.4_HEM_Honeywell_r1__4__更新版本.xlsx"
PKG = FILLED / "RMI_CMRT_6.4_PKG_DE00_20240710.xlsx"


def shared_file(path: Path) -> Path:
    """The path, or a skip with a clear reason when ../shared is absent."""
    if not path.exists():
        pytest.skip(SKIP_REASON)
    return path
