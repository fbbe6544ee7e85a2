"""The end-to-end tests read back the session's one real build (``built_report`` in tests/conftest.py)."""

from __future__ import annotations

from support import E2E_YEAR  # noqa: F401  (the year of the shared build, for the tests here)
