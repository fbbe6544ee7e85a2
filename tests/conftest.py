from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import PROJECT  # noqa: E402

# No timed assertions: hypothesis' default deadline (200 ms per example) fails property tests on
# a loaded machine although every example is right. Examples are judged by their result only.
settings.register_profile("rus", deadline=None)
settings.load_profile("rus")


@pytest.fixture
def project_root() -> Path:
    return PROJECT
