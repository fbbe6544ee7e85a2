"""The assessments of a report year, computed once per build and shared with every chapter (issue 16).

Every chapter notebook's :class:`~rus_analysis.report.chapter.Report` needs the year's status
table (``assessment.status_table``), and the summary also last year's, assessed on the same data
with that year's cut-off. Computed in each notebook that is four or five times the same work.
The build computes both once (:func:`write_shared_assessments`) into ``_build/<år>/`` and names
the file to the notebooks in ``RUS_DELAD_BEDOMNING``; a ``Report`` whose year, cut-off, region,
jämförbara län and folders are those the file was made for uses it (:func:`shared_assessments`),
any other computes its own. Outside a build (a notebook opened by hand, papermill by hand) the
variable is unset and nothing changes.

The build computes the file while the chapters already run (issue 16) and says so with
``RUS_DELAD_BEDOMNING_VANTA=1``: a chapter that reads the assessments before the file is there
waits for it (:data:`WAIT_SECONDS` at most, then computes its own; a failed build stops the
kernels long before).

File: a pickle of ``{"key": (...), "status": DataFrame, "previous": (ReportParams, DataFrame) | None}``,
written by this project's build into its own build folder.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

SHARED_ENV = "RUS_DELAD_BEDOMNING"
SHARED_WAIT_ENV = "RUS_DELAD_BEDOMNING_VANTA"
WAIT_SECONDS = 300.0  # a build's assessment takes under a second; a stuck one is the build's deadline's
POLL_SECONDS = 0.02
_loaded: dict[tuple[str, int], dict] = {}


def assessment_key(report_year: int, data_cutoff: int, region: str, peers, params_dir: Path,
                   data_dir: Path) -> tuple:
    """What a shared status table was computed for."""
    return (int(report_year), int(data_cutoff), str(region), tuple(peers),
            str(Path(params_dir).resolve()), str(Path(data_dir).resolve()))


def write_shared_assessments(params_dir: Path, data_dir: Path, year: int, target: Path,
                             memo: dict | None = None) -> None:
    """Compute the year's status table and the previous year's (None without its params file)
    exactly as ``Report.status`` and ``Report.previous`` do, and pickle them to ``target``.
    ``memo`` (by :func:`assessment_key`) lets several years of one build share tables: one
    year's status is the next year's "previous". Raises what the config loaders raise."""
    from rus_analysis.assessment import load_thresholds
    from rus_analysis.assessment.status_table import status_table
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.config.report_params import available_years, load_report_params
    from rus_analysis.snapshot.store import read_series

    memo = {} if memo is None else memo
    params_dir, data_dir = Path(params_dir), Path(data_dir)
    catalogue = load_catalogue(params_dir / "indikatorer.yml")
    params = load_report_params(params_dir, year, catalogue)
    thresholds = load_thresholds(params_dir / "bedomning.yml")
    frames = {}
    for indicator in catalogue.indicators:
        frame = read_series(data_dir, indicator.id)
        frames[indicator.id] = frame[frame["year"] <= params.data_cutoff]

    def table(report_year: int, cutoff: int):
        key = assessment_key(report_year, cutoff, params.region, params.peers, params_dir, data_dir)
        if key not in memo:
            memo[key] = status_table(catalogue, frames, report_year, cutoff, params.region, thresholds,
                                     peers=params.peers)
        return memo[key]

    previous = None
    if year - 1 in available_years(params_dir):
        before = load_report_params(params_dir, year - 1)
        previous = (before, table(before.report_year, before.data_cutoff))
    content = {
        "key": assessment_key(year, params.data_cutoff, params.region, params.peers, params_dir, data_dir),
        "status": table(year, params.data_cutoff),
        "previous": previous,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    with open(temporary, "wb") as out:
        pickle.dump(content, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target)


def shared_assessments(key: tuple) -> dict | None:
    """The shared assessments named by ``RUS_DELAD_BEDOMNING`` when they were made for ``key``
    (:func:`assessment_key`), else None. Read once per file per process."""
    path = os.environ.get(SHARED_ENV)
    if not path:
        return None
    if os.environ.get(SHARED_WAIT_ENV) == "1":
        wait_for_file(Path(path), WAIT_SECONDS)
    try:
        stamp = (path, Path(path).stat().st_mtime_ns)
        if stamp not in _loaded:
            with open(path, "rb") as handle:
                _loaded.clear()
                _loaded[stamp] = pickle.load(handle)
        content = _loaded[stamp]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return content if content.get("key") == key else None


def wait_for_file(path: Path, seconds: float) -> bool:
    """Whether ``path`` exists within ``seconds`` (checked every :data:`POLL_SECONDS`). The build
    writes the shared file whole (``os.replace``), so once it exists it can be read."""
    deadline = time.monotonic() + seconds
    while not path.is_file():
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True
