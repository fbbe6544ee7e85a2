from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Scripts loaded as modules (uppdatera_facit, kommentera_pr) import scripts/_environment.py, which
# Python finds beside a script only when the script is run.
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "scripts"))
from support import E2E_YEAR, PROJECT, copy_project  # noqa: E402

# No timed assertions: hypothesis' default deadline (200 ms per example) fails property tests on
# a loaded machine although every example is right. Examples are judged by their result only.
settings.register_profile("rus", deadline=None)
settings.load_profile("rus")


SESSION_BUILD_GROUP = "sessionens-bygge"


@pytest.fixture
def project_root() -> Path:
    return PROJECT


@pytest.fixture(scope="session")
def built_report(tmp_path_factory) -> tuple:
    """``(project root, BuildResult)`` of the built-in renderer's report for ``E2E_YEAR`` (2025),
    built once per session in a throwaway copy of the project and read back by the e2e tests,
    the back tests' chapter facit and the Quarto path (which re-renders its executed chapters).
    Tests that change the copy must restore it and must leave ``_output/<år>`` as it was (a
    failed build does)."""
    from rus_analysis.build.pipeline import build_report

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # one build per test run: the basetemp's parent is shared by the workers
        claim = tmp_path_factory.getbasetemp().parent / "sessionens-bygge.arbetare"
        try:
            with open(claim, "x", encoding="utf-8") as handle:
                handle.write(worker)
        except FileExistsError:
            pytest.fail(f"The session build was made by {claim.read_text(encoding='utf-8')} already, "
                        f"and {worker} would make it again: the xdist group of its tests is not in effect "
                        "(tests/conftest.py: pytest_itemcollected).", pytrace=False)
    root = copy_project(PROJECT, tmp_path_factory.mktemp("projekt"))
    result = build_report(root, E2E_YEAR, engine="inbyggd")
    return root, result


@pytest.fixture
def no_kernels(monkeypatch):
    """For an in-process build that must stop before any notebook runs: the build's kernel pool
    is a stand-in that starts no kernel and fails the test if a notebook is given to it. (The
    real pool starts two kernels as the build begins, so that they are ready after the checks;
    a build stopped by a check waits for them to start and stop.) One real process per such
    behaviour keeps the real pool: test_data_safety's build without data/."""
    from rus_analysis.build import pipeline

    class NoKernels:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def submit(self, function):
            raise AssertionError("a notebook was given to the kernels: the build went past its checks")

        def close(self, wait: float = 10.0) -> None:
            pass

    monkeypatch.setattr(pipeline, "NotebookPool", NoKernels)


def pytest_configure(config):
    """Without the ``langsam`` tests (the 60-second suite) property tests run fewer examples
    (support.examples); the full suite runs them all."""
    import os

    from support import QUICK_ENV

    if "not langsam" in (config.option.markexpr or ""):
        os.environ[QUICK_ENV] = "1"


def pytest_collection_modifyitems(config, items):
    """nbval's runs of the source notebooks (each with its default parameters, on its own kernel)
    are ``langsam``: the session's real build executes the same notebooks, so the 60-second suite
    leaves them to the full suite (``python3 bygg.py test``)."""
    for item in items:
        if item.nodeid.split("::")[0].endswith(".ipynb"):
            item.add_marker(pytest.mark.langsam)
        group = xdist_group(item)
        if group:
            group_for_xdist(item, group)






def xdist_group(item) -> str | None:
    """pytest-xdist (``-n auto --dist loadgroup`` in pyproject.toml) keeps together what must run
    in one process: every test that reads the session's one real build runs on the same worker, so
    the build is made once (and the tests that change the built project for a moment never race a
    reader on another worker); nbval's cells of one notebook share its kernel, so one worker runs
    them all in order; the tests sharing a module's fixture (``shared_fixtures``) run on one worker,
    which makes it once. The other tests share the workers."""
    path = item.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        return "nbval-" + Path(path).stem
    if "built_report" in getattr(item, "fixturenames", ()):
        return SESSION_BUILD_GROUP
    if shared_fixtures(item):
        return "modul-" + path
    return None


def shared_fixtures(item) -> list[str]:
    """The module-, class- or package-scoped fixtures ``item`` uses. A worker makes such a fixture
    once for the tests it runs, so tests sharing one (a data build, a compiled PDF …) are kept on
    one worker: spread over two, each would make it."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    shared = []
    for name in info.names_closure:
        definitions = info.name2fixturedefs.get(name)
        if definitions and definitions[-1].scope in ("class", "module", "package"):
            shared.append(name)
    return shared


def group_for_xdist(item, group: str) -> None:
    """Mark ``item`` for its xdist group. xdist 3.8 groups by a suffix ``@<group>`` on the test id,
    which it writes into ``item._nodeid``; pytest 9.2 keeps the id in ``item._id``, so the suffix
    is set here as well (the same id xdist means to give). ``built_report`` fails if a second
    worker would build."""
    item.add_marker(pytest.mark.xdist_group(group))
    if getattr(item.config.option, "loadgroup", False) and "@" not in item.nodeid.rpartition("]")[2]:
        grouped = f"{item.nodeid}@{group}"
        if hasattr(item, "_id"):
            from _pytest.nodeid import NodeId

            item._id = NodeId.parse(grouped)
        else:
            item._nodeid = grouped
