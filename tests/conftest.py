"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples import CMRT_DIR, SHARED, SKIP_REASON


@pytest.fixture
def shared_dir() -> Path:
    if not CMRT_DIR.exists():
        pytest.skip(SKIP_REASON)
    return SHARED
