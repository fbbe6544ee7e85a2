from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import PROJECT  # noqa: E402


@pytest.fixture
def project_root() -> Path:
    return PROJECT
