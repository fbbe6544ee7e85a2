"""One real report build shared by every end-to-end test that only reads it back."""

from __future__ import annotations

import pytest

from rus_analysis.build.pipeline import BuildResult, build_report
from support import PROJECT, copy_project

E2E_YEAR = 2024


@pytest.fixture(scope="session")
def built_report(tmp_path_factory) -> tuple:
    """``(project root, BuildResult)`` of the built-in renderer's report for 2024, built once per
    session in a throwaway copy of the project. Tests that change the copy must restore it and
    must leave ``_output/2024`` as it was (a failed build does)."""
    root = copy_project(PROJECT, tmp_path_factory.mktemp("projekt"))
    result: BuildResult = build_report(root, E2E_YEAR, engine="inbyggd")
    return root, result
