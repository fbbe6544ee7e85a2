from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
# CI clones the project with ../shared beside it; the raw sources are read, never committed.
SHARED_SOURCES = PROJECT.parent / "shared" / "sources"


@pytest.fixture
def project_root() -> Path:
    return PROJECT
