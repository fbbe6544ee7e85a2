from __future__ import annotations

import importlib.util

import pytest

from support import PROJECT


@pytest.fixture(scope="session")
def facit_script():
    """scripts/uppdatera_facit.py: the same functions write the facit and check it."""
    spec = importlib.util.spec_from_file_location("uppdatera_facit", PROJECT / "scripts" / "uppdatera_facit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
