"""The whole chain for one report year: validate → papermill per chapter → render → publish.

Outputs land in ``_output/<år>/`` only when everything succeeded (atomic swap), so a failed
build keeps the previous report of that year and never touches another year's.

Reliability (DESIGN.md §8, issue 10):

- one build per project and year (:mod:`.locking`); what a killed build left is swept first;
- pre-flight checks before any notebook runs (:mod:`.preflight`): writable folders, free disk,
  a kernel;
- notebooks run with papermill on kernels this build owns (:mod:`.kernels`: IPC transport,
  retries, start and cell timeouts), ``--parallella`` at a time in worker threads;
- the main thread supervises (:mod:`.supervisor`): Ctrl-C/SIGTERM and the build deadline stop
  every child process and end in one Swedish line; publishing is shielded from signals;
- every kraftsamling chapter must show all its catalogue indicators (:mod:`.chapter_check`);
- the same inputs give byte-identical PDF and HTML (:func:`creation_timestamp`), so the
  manifest records whether the report is "ny", "ändrad" or "oförändrad".
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future
from concurrent.futures import wait as wait_futures
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import rus_analysis
from rus_analysis.build import fingerprint as fp
from rus_analysis.build.locking import BuildLock, refuse_if_locked, sweep_stale_output  # light (filelock)
from rus_analysis.build.progress import NO_PROGRESS, Progress  # light (no imports)
from rus_analysis.config.project import Project
from rus_analysis.errors import RusError
from rus_analysis.report.shared import SHARED_ENV, SHARED_WAIT_ENV  # light (no imports)

if TYPE_CHECKING:  # the heavy modules are imported when a build really runs (issue 16)
    from rus_analysis.build.kernels import WarmKernel
    from rus_analysis.build.render.book import Book
    from rus_analysis.build.supervisor import Supervisor
    from rus_analysis.config.report_params import ReportParams

ENGINES = ("auto", "quarto", "inbyggd")
LOG_DIR = "logg"  # inside _build/<år>/: kernel output, library logging


@dataclass
class BuildResult:
    """What ``build_report`` made: the year, the engine used, the published files, and seconds per stage."""

    year: int
    engine: str
    output_dir: Path
    pdf: Path
    html: Path
    skipped: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    state: str | None = None  # "ny", "ändrad" or "oförändrad" (bytes equal to the previous report)


def publication_date(params: ReportParams) -> dt.date | None:
    """The date on the title page: the report parameters' publication date when they have one,
    else the build's fixed date (``SOURCE_DATE_EPOCH``, as reproducible builds set it), else
    none. Never today's date: the same inputs must give byte-identical files (issue 10)."""
    given = getattr(params, "publication_date", None)
    if isinstance(given, dt.date):
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return None


def report_basename(year: int) -> str:
    """The published files' name without extension: ``uppfoljningsrapport-<year>``."""
    return f"uppfoljningsrapport-{year}"


def choose_engine(engine: str) -> str:
    """The renderer to use: ``quarto`` or ``inbyggd``. ``auto`` picks Quarto when it is on PATH
    and new enough, else the built-in renderer. Raises RenderError (a BuildError, Swedish) for an
    unknown engine, or for ``quarto`` when Quarto is missing or too old.
    """
    if engine == "inbyggd":
        return engine  # nothing to check (and the renderers need not be imported yet)
    from rus_analysis.build.render.markdown import RenderError
    from rus_analysis.build.render.quarto import quarto_problem

    if engine not in ENGINES:
        raise RenderError(f"Okänd motor {engine!r}. Välj en av: {', '.join(ENGINES)}.")
    if engine == "quarto" and (problem := quarto_problem()):
        raise RenderError(problem)
    if engine == "auto":
        # Quarto when it can render the book (on PATH and new enough), else the built-in renderer.
        return "quarto" if quarto_problem() is None else "inbyggd"
    return engine


def _cheap_engine(engine: str) -> str | None:
    """The engine without importing the renderers, when that is certain (else None)."""
    if engine == "inbyggd" or (engine == "auto" and shutil.which("quarto") is None):
        return "inbyggd"
    return None


def input_checksums(project: Project, year: int, cache: fp.HashCache | None = None) -> dict[str, str]:
    """sha256 of every file report ``year`` depends on (:func:`fingerprint.year_input_files`),
    by name (project files relative to the project, package files as ``rus_analysis/…``), recorded
    in the manifest so a report can be reproduced."""
    cache = cache or fp.HashCache(None)
    package = Path(rus_analysis.__file__).parent
    return fp.checksums(fp.year_input_files(project.root, year, package), cache)


def input_fingerprint(checksums: dict[str, str], engine: str) -> str:
    """One checksum of all inputs; unchanged inputs mean the build is skipped."""
    return fp.year_fingerprint(checksums, engine)


def git_revision(root: Path) -> str | None:
    """The commit the project is at (with "+ändringar" when the work tree differs), if in git."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return None
    return commit + ("+ändringar" if git("status", "--porcelain", "--untracked-files=no") else "")


@contextmanager
def _timed(timings: dict[str, float], stage: str, progress: Progress = NO_PROGRESS) -> Iterator[None]:
    """Record the seconds a stage takes under its name (shown by `rus rapport` and the benchmark)
    and tell ``progress`` when it starts and ends."""
    progress.started(stage)
    started = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - started
    progress.finished(stage, timings[stage])


# --- the notebook workers -------------------------------------------------------------------------

class NotebookPool:
    """``size`` worker threads, each with its own kept kernel (:class:`kernels.WarmKernel`).

    The kernels start (and import the package) as soon as the pool is made, while the build
    validates the snapshot and computes the shared assessments; the notebooks of one build, or
    of several years, then run on them one after the other. Made inside the build's
    :class:`~rus_analysis.build.supervisor.Supervisor`, which stops the kernels on a signal;
    :meth:`close` stops them at the end."""

    def __init__(self, size: int, settings, log_dir: Path, cancelled: threading.Event) -> None:
        from rus_analysis.build.kernels import WarmKernel

        self.cancelled = cancelled
        self._jobs: queue.Queue = queue.Queue()
        self.kernels = [WarmKernel(f"karna-{i + 1}", settings, log_dir) for i in range(max(1, size))]
        self._threads = [threading.Thread(target=self._work, args=(kernel,), name=f"rus-notebook-{i}", daemon=True)
                         for i, kernel in enumerate(self.kernels)]
        for thread in self._threads:
            thread.start()

    def _work(self, kernel: WarmKernel) -> None:
        try:
            kernel.start()
        except Exception:  # noqa: BLE001 - the first notebook tries again and reports it
            kernel.stop()
        while True:
            job = self._jobs.get()
            if job is None:
                break
            future, function = job
            if self.cancelled.is_set() or not future.set_running_or_notify_cancel():
                future.cancel() if not future.done() else None
                continue
            try:
                future.set_result(function(kernel))
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                future.set_exception(exc)
        kernel.stop()

    def submit(self, function: Callable[[WarmKernel], object]) -> Future:
        """Queue ``function(kernel)`` for the next free worker; its result or error in the Future."""
        future: Future = Future()
        self._jobs.put((future, function))
        return future

    def close(self, wait: float = 10.0) -> None:
        """Stop the workers and their kernels (waiting at most ``wait`` seconds)."""
        for _ in self._threads:
            self._jobs.put(None)
        deadline = time.monotonic() + wait
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))


def execute_chapters(project: Project, book: Book, params: ReportParams, build_dir: Path,
                     workers: int, supervisor: Supervisor | None = None,
                     check: Callable[[], None] | None = None, pool: NotebookPool | None = None,
                     reuse: Callable[[str, Path], bool] | None = None,
                     done: Callable[[str], None] | None = None,
                     environment: dict[str, str] | None = None,
                     progress: Progress = NO_PROGRESS,
                     order: Callable[[str], float] | None = None,
                     watch: list[Future] | None = None) -> dict[str, float]:
    """Run every notebook chapter with the year's parameters into the build folder.

    Notebooks run on ``pool``'s kept kernels (one per worker, ``workers`` at once; without a pool
    one is made and closed here). A chapter for which ``reuse(name, target)`` is true keeps its
    executed notebook from an earlier build. The first failure stops the others (their kernels
    are stopped by the supervisor). ``check`` runs on the executed notebooks; then each newly
    executed one is prepared for rendering (which keeps only what a reader sees) and ``done(name)``
    is called. ``progress`` hears each notebook (``notebook <namn>``) start and end. A failure of
    work running beside the notebooks (``watch``: the assessment they wait for) stops them as a
    notebook's own failure does. Returns the
    seconds per executed notebook as ``{"notebook <namn>": s}`` in book order."""
    import nbformat

    from rus_analysis.build.kernels import run_notebook
    from rus_analysis.build.notebook_hygiene import prepare_for_rendering
    from rus_analysis.build.supervisor import Supervisor

    supervisor = supervisor or Supervisor()
    parameters = notebook_parameters(project, params)
    jobs = []
    for chapter in book.chapters:
        source, target = project.root / chapter.path, build_dir / chapter.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".ipynb":
            if reuse is None or not reuse(chapter.path, target):
                jobs.append((chapter.stem, chapter.path, source, target))
        else:
            shutil.copy2(source, target)
    own_pool = pool is None and bool(jobs)
    if own_pool:
        pool = NotebookPool(min(workers, len(jobs)), params.build, build_dir / LOG_DIR, supervisor.cancelled)
    try:
        futures = {}
        def run(kernel: WarmKernel, name: str, source: Path, target: Path) -> float:
            progress.started(f"notebook {name}")
            seconds = run_notebook(name, source, target, parameters, params.build, build_dir / LOG_DIR,
                                   supervisor.cancelled, kernel=kernel, environment=environment)
            progress.finished(f"notebook {name}", seconds)
            return seconds

        # Longest first (``order``: e.g. last build's seconds), so the workers finish together.
        queued = sorted(jobs, key=lambda job: -order(job[0])) if order is not None else jobs
        for name, _, source, target in queued:
            futures[name] = pool.submit(
                lambda kernel, name=name, source=source, target=target: run(kernel, name, source, target))
        pending = set(futures.values())
        while pending:
            supervisor.check()
            finished, pending = wait_futures(pending, timeout=0.1, return_when=FIRST_EXCEPTION)
            failed = [f for f in [*finished, *(watch or [])]
                      if f.done() and not f.cancelled() and f.exception() is not None]
            if failed:
                supervisor.cancelled.set()
                raise failed[0].exception()
        supervisor.check()
    finally:
        if own_pool:
            pool.close()
    if check is not None:
        check()
    for _, path, _, target in jobs:
        nbformat.write(prepare_for_rendering(nbformat.read(target, as_version=4)), target)
        if done is not None:
            done(path)
    return {f"notebook {name}": futures[name].result() for name, _, _, _ in jobs}


# A chapter's seconds before any build has timed it (issue 16: longest first, so the two workers
# finish together): about a third of a second per indicator (three drawings of a chart, tables and
# text; measured 2025 on two cores), a second for the summary (every kraftsamling's tables), a tenth
# of a second for any other code cell.
SECONDS_PER_CALL = {"show_indicator(": 0.35, "show_summary(": 1.0}
SECONDS_PER_CELL = 0.1


def expected_seconds(notebook: Path) -> float:
    """A notebook chapter's expected run time in seconds from its code alone (:data:`SECONDS_PER_CALL`
    per costly call, :data:`SECONDS_PER_CELL` per code cell); 0.0 for a file that cannot be read (it
    fails later with its own message). Orders a build's chapters when no earlier build timed them."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
        code = ["".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"]
    except (OSError, ValueError, AttributeError, TypeError):
        return 0.0
    return (sum(seconds * text.count(call) for text in code for call, seconds in SECONDS_PER_CALL.items())
            + SECONDS_PER_CELL * len(code))


def notebook_parameters(project: Project, params: ReportParams) -> dict[str, object]:
    """What papermill gives every chapter: the year and the project's params and data folders."""
    return {
        "report_year": params.report_year,
        "params_dir": str(project.params_dir.resolve()),
        "data_dir": str(project.data_dir.resolve()),
    }


def creation_timestamp(params: ReportParams) -> int:
    """The PDF's creation time: ``SOURCE_DATE_EPOCH`` when set, else the publication date in the
    params, else 1 January of the report year (00:00 UTC). Fixed by the inputs, so the same
    inputs give byte-identical files."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    day = publication_date(params) or dt.date(params.report_year, 1, 1)
    return int(datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _check_comments(root: Path, year: int) -> None:
    """Refuse a bad analyst comment (kommentarer/<år>/*.md) before any notebook runs, with the
    same Swedish ConfigError the chapter would raise minutes later."""
    from rus_analysis.report.comments import comments_dir, read_comment

    for path in sorted(comments_dir(root, year).glob("*.md")):
        read_comment(path)


@contextmanager
def _build_log(build_dir: Path) -> Iterator[None]:
    """Library logging and Python warnings go to ``_build/<år>/logg/bygg.log``, never the screen."""
    (build_dir / LOG_DIR).mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(build_dir / LOG_DIR / "bygg.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root_logger = logging.getLogger()
    root_logger.addHandler(handler)
    logging.captureWarnings(True)
    try:
        yield
    finally:
        logging.captureWarnings(False)
        root_logger.removeHandler(handler)
        handler.close()


def _report_digests(folder: Path, names: list[str]) -> dict[str, str] | None:
    from rus_analysis.checksums import sha256_file

    paths = [folder / n for n in names]
    if not all(p.is_file() for p in paths):
        return None
    return {n: sha256_file(p) for n, p in zip(names, paths, strict=True)}


def _output_names(year: int, engine: str) -> tuple[str, str]:
    basename = report_basename(year)
    return f"{basename}.pdf", (f"{basename}.html" if engine == "inbyggd" else "html/index.html")


def up_to_date(project: Project, year: int, engine: str, cache: fp.HashCache | None = None) -> bool:
    """Whether the published report of ``year`` was built from exactly the current inputs (its
    manifest's fingerprint equals the inputs' now) and its PDF and HTML are there. Cheap: the
    standard library, and file checksums remembered by size and time (:mod:`.fingerprint`)."""
    out_dir = project.output_dir(year)
    manifest = fp.read_json(out_dir / "manifest.json")
    pdf_name, html_name = _output_names(year, engine)
    if not manifest.get("fingerprint") or not (out_dir / pdf_name).is_file() or not (out_dir / html_name).is_file():
        return False
    own = cache is None
    cache = cache or fp.HashCache(project.root / "_build" / fp.CACHE_FILE)
    current = input_fingerprint(input_checksums(project, year, cache), engine)
    if own:
        cache.save()
    return manifest["fingerprint"] == current


def _skipped(project: Project, year: int, engine: str, log: Callable[[str], None]) -> BuildResult:
    out_dir = project.output_dir(year)
    pdf_name, html_name = _output_names(year, engine)
    log(f"Rapporten för {year} är redan aktuell (inga indata har ändrats).")
    manifest = fp.read_json(out_dir / "manifest.json")
    before, cutoff = manifest.get("series_before_cutoff") or {}, manifest.get("data_cutoff")
    if before and cutoff:  # the build's warning, in short, from what it recorded
        log(f"Obs: {len(before)} serier i rapporten {year} slutar före {cutoff}, fast titelsidan säger "
            f"\"Statistik till och med {cutoff}\". Vad som behöver uppdateras: rus data kontroll --ar {year}")
    return BuildResult(year, engine, out_dir, out_dir / pdf_name, out_dir / html_name, skipped=True)


def _newest_year(project: Project) -> int | None:
    import re

    years = sorted(int(m.group(1)) for p in project.params_dir.glob("*.yml")
                   if (m := re.fullmatch(r"(\d{4})\.yml", p.name)))
    return years[-1] if years else None


def build_report(root: Path, year: int | None = None, engine: str = "auto", force: bool = False,
                 workers: int = 2, log: Callable[[str], None] = lambda _: None,
                 progress: Progress = NO_PROGRESS) -> BuildResult:
    """Build the report of ``year`` (default: the newest params file) under ``root``.

    Raises a :class:`~rus_analysis.errors.RusError` with a Swedish message for every expected
    failure (bad params or data, a notebook error, a locked, full or read-only folder, a signal:
    :class:`BuildInterrupted`, the deadline: :class:`BuildTimeout`). Any other exception gets the
    attribute ``rus_log_dir``: where the CLI writes its traceback (``_build/<år>`` once the year
    is known, else ``_build``). ``log`` gets one Swedish line per phase; ``progress`` each notebook
    and render step as it starts and ends (:mod:`.progress`)."""
    return build_reports(root, [year], engine=engine, force=force, workers=workers, log=log,
                         progress=progress)[0]


def build_reports(root: Path, years: list[int | None], engine: str = "auto", force: bool = False,
                  workers: int = 2, log: Callable[[str], None] = lambda _: None,
                  progress: Progress = NO_PROGRESS) -> list[BuildResult]:
    """Build the reports of several years, one after the other, sharing the work they can: one
    set of kept kernels (started once, the package imported once per kernel), the checksums of
    the inputs, and the assessments (last year's report assessed for this year's changes is the
    previous year's own assessment). Each year is its own build: its own lock, manifest,
    published folder and failure (a failure stops the years after it). ``None`` is the newest
    params year. Errors as :func:`build_report`."""
    project = Project(root.resolve())
    session = _Session(project, workers)
    results = []
    try:
        for year in years:
            results.append(session.build(year, engine, force, log, progress))
    finally:
        session.close()
    return results


class _Session:
    """What the years of one ``build_reports`` call share (see there)."""

    def __init__(self, project: Project, workers: int) -> None:
        self.project = project
        self.workers = workers
        self.cache = fp.HashCache(project.root / "_build" / fp.CACHE_FILE)
        self.pool: NotebookPool | None = None
        self.pool_supervisor: Supervisor | None = None
        self.assessments: dict = {}
        self.validated: set[str] = set()
        self._stack = ExitStack()

    def build(self, year: int | None, engine: str, force: bool, log: Callable[[str], None],
              progress: Progress = NO_PROGRESS) -> BuildResult:
        project = self.project
        log_dir = project.root / "_build"
        try:
            if year is None:
                year = _newest_year(project)
            cheap = _cheap_engine(engine)
            if year is not None and not force and cheap is not None and up_to_date(project, year, cheap, self.cache):
                self.cache.save()
                out_dir = project.output_dir(year)
                if any(out_dir.parent.glob(f".{out_dir.name}-*")):  # left by a killed build: swept under the lock
                    with BuildLock(project.root, year):
                        sweep_stale_output(out_dir)
                return _skipped(project, year, cheap, log)
            from rus_analysis.config.report_params import load_report_params

            params = load_report_params(project.params_dir, year)
            log_dir = project.build_dir(params.report_year)
            return self._build(params, engine, force, log, progress)
        except RusError:
            raise
        except Exception as exc:
            from rus_analysis.build.preflight import DiskFullError, disk_full_message

            message = disk_full_message(exc, project.root / "_output", project.root / "_build")
            if message:
                raise DiskFullError(message) from exc
            exc.rus_log_dir = log_dir  # type: ignore[attr-defined]
            raise
        finally:
            self.cache.save()

    def kernels(self, params: ReportParams, log_dir: Path) -> NotebookPool:
        """The kept kernels, started on first use inside a supervisor of their own (which stops
        them on a signal; each year's build has its own for its deadline)."""
        if self.pool is None:
            from rus_analysis.build.supervisor import Supervisor

            # Closed after the supervisor: on an error or a signal the kernels are stopped first.
            self._stack.callback(lambda: self.pool.close() if self.pool is not None else None)
            self.pool_supervisor = self._stack.enter_context(Supervisor())
            self.pool = NotebookPool(self.workers, params.build, log_dir, self.pool_supervisor.cancelled)
        return self.pool

    def close(self) -> None:
        import sys

        self._stack.__exit__(*sys.exc_info())

    def _build(self, params: ReportParams, engine: str, force: bool, log: Callable[[str], None],
               progress: Progress = NO_PROGRESS) -> BuildResult:
        # Only what is needed to start the kernels is imported before they start (issue 16): the
        # rest (pandas, matplotlib, pandera, papermill, the renderers) loads while they start.
        from rus_analysis.build.render.book import read_book, select_chapters
        from rus_analysis.config.catalogue import load_catalogue
        from rus_analysis.config.thresholds import load_thresholds

        project = self.project
        started = time.perf_counter()
        engine = choose_engine(engine)
        year = params.report_year
        out_dir, basename = project.output_dir(year), report_basename(year)
        pdf_name, html_name = _output_names(year, engine)
        build_dir = project.build_dir(year)
        checksums = input_checksums(project, year, self.cache)
        fingerprint = input_fingerprint(checksums, engine)
        manifest_path = out_dir / "manifest.json"
        if not force and fp.read_json(manifest_path).get("fingerprint") == fingerprint \
                and (out_dir / pdf_name).is_file():
            return _skipped(project, year, engine, log)
        refuse_if_locked(project.root, year)  # a second build says so first, before any warning

        from rus_analysis.config.report_params import load_report_params

        catalogue = load_catalogue(project.catalogue_file)
        params = load_report_params(project.params_dir, year, catalogue)  # checked against the catalogue
        catalogue.check_kraftsamlingar(params.kraftsamlingar, project.params_dir / f"{year}.yml")
        # Read here, not only by the assessment beside the chapters: a fault in it is said before any work.
        load_thresholds(project.thresholds_file)
        full_book = read_book(project.book_file)
        catalogue.check_book_chapters([c.path for c in full_book.chapters], "_quarto.yml")
        book = select_chapters(full_book, params.kraftsamlingar, catalogue.kraftsamling_ids)
        # The folders papermill is given are not part of a chapter's inputs: their contents are,
        # and an executed chapter holds no absolute path, so a copied project keeps its chapters.
        chapters = _ChapterState(build_dir / CHAPTER_STATE, project, catalogue, year, checksums,
                                 {"report_year": year, "web_drawings": fp.web_drawings()})
        to_run = [c for c in book.chapters if c.path.endswith(".ipynb")
                  and (force or not chapters.fresh(c.path, build_dir / c.path))]
        # The kernels start now and import the package while the snapshot is validated.
        pool = self.kernels(params, project.root / "_build" / LOG_DIR) if to_run else None
        if self.pool_supervisor is not None:  # a signal from now on says this year's report is untouched
            self.pool_supervisor.output_dir = str(out_dir) if out_dir.is_dir() else None
        from rus_analysis.build.chapter_check import check_chapters, figures_without_web_drawings
        from rus_analysis.build.downloads import publish_downloads, workbook_name
        from rus_analysis.build.kernels import sweep_private_dirs
        from rus_analysis.build.preflight import preflight
        from rus_analysis.build.render.builtin import TitlePage, combined_markdown, render_html, render_pdf
        from rus_analysis.build.render.extension import copy_extension
        from rus_analysis.build.render.quarto import render_quarto
        from rus_analysis.build.supervisor import Supervisor
        from rus_analysis.snapshot.atomic import atomic_directory
        from rus_analysis.snapshot.freshness import cutoff_warning, ending_before, series_ends

        # The same validation as `rus data kontroll`: stop before any work on a broken snapshot;
        # once per call for the same data, catalogue and code (several years share it), and not
        # again when the published build of this year validated exactly these.
        validated = fp.combined({k: v for k, v in checksums.items()
                                 if k.startswith(("data/", "rus_analysis/")) or k == "params/indikatorer.yml"})
        if validated not in self.validated and fp.read_json(manifest_path).get("validated") != validated:
            from rus_analysis.snapshot.validation import validate_snapshot  # pandera: only when needed

            validate_snapshot(project.data_dir, catalogue, strict=True)
        self.validated.add(validated)
        # Series that stop before data_till_och_med: said in the terminal and recorded in the manifest.
        ends = series_ends(project.data_dir,
                           [i for i in catalogue.indicators if i.kraftsamling in params.kraftsamlingar],
                           params.region)
        for line in cutoff_warning(ends, params.data_cutoff, year):
            log(line)
        _check_comments(project.root, year)

        with BuildLock(project.root, year):
            # Whatever a killed build left (half-made output, kernel folders) goes first.
            sweep_stale_output(out_dir)
            sweep_private_dirs()
            if not force and fp.read_json(manifest_path).get("fingerprint") == fingerprint \
                    and (out_dir / pdf_name).is_file():
                return _skipped(project, year, engine, log)  # built meanwhile by another process

            preflight(out_dir.parent, build_dir.parent, out_dir)
            previous = _report_digests(out_dir, [pdf_name, html_name])
            if force:
                shutil.rmtree(build_dir, ignore_errors=True)
            build_dir.mkdir(parents=True, exist_ok=True)
            chapters.forget([c.path for c in to_run])  # a chapter that runs is not fresh until it has run
            extension = copy_extension(project.root, build_dir)  # the typst layout of both renderers
            with _build_log(build_dir), Supervisor(params.build.build_seconds,
                                                     str(out_dir) if out_dir.is_dir() else None) as supervisor:
                environment: dict[str, str] = {}
                timings: dict[str, float] = {}
                assessment: Future | None = None
                progress.planned((["bedömning"] if to_run else []) + [f"notebook {c.stem}" for c in to_run]
                                 + (["nedladdningar", "quarto (html + pdf)"] if engine == "quarto"
                                    else ["markdown", "pdf", "html", "nedladdningar"]))
                if to_run:
                    # Keyed by the data, the params and the package: reused by the next build
                    # (also with --tvinga) while they are unchanged.
                    key = fp.combined({k: v for k, v in checksums.items()
                                       if k.startswith(("data/", "params/", "rus_analysis/"))}, year)
                    shared = project.root / "_build" / SHARED_CACHE / f"{key}.pickle"
                    environment[SHARED_ENV] = str(shared)
                    environment[SHARED_WAIT_ENV] = "0"
                    if not shared.is_file():
                        # Computed beside the notebooks, which start at once and wait for it only
                        # where they read it (report.shared): the kernels are busy meanwhile (issue 16).
                        environment[SHARED_WAIT_ENV] = "1"
                        assessment = _in_background(self._timed_assessment, params, shared, timings, progress)
                    # Charts drawn before from the same inputs by the same code are reused
                    # (report.figure_cache); the folder outlives --tvinga, the code is the salt.
                    environment[FIGURE_CACHE_ENV] = str(project.root / "_build" / FIGURE_CACHE)
                    environment[FIGURE_SALT_ENV] = fp.combined(
                        {k: v for k, v in checksums.items() if k.startswith("rus_analysis/")})
                # The readers' workbook needs only the data: written (or reused) while the notebooks run,
                # after the assessment, not beside it: the two would share this process's interpreter
                # lock and each take three times as long (issue 16).
                workbook = _in_background(
                    _after, assessment, _workbook, project, catalogue, params, checksums, build_dir,
                ) if engine == "inbyggd" else None
                notebooks = sum(c.path.endswith('.ipynb') for c in book.chapters)
                kept = notebooks - len(to_run)
                earlier = fp.read_json(manifest_path).get("timings_seconds", {})
                name_to_path = {c.stem: c.path for c in book.chapters}
                log(f"Kör {len(to_run)} notebookar med papermill för {year} …"
                    + (f" ({kept} oförändrade kapitel återanvänds)" if kept else ""))
                timings.update(execute_chapters(
                    project, book, params, build_dir, self.workers, supervisor,
                    check=lambda: check_chapters(book, catalogue, params.kraftsamlingar, build_dir),
                    pool=pool, reuse=lambda path, _: all(c.path != path for c in to_run), done=chapters.record,
                    environment=environment, progress=progress,
                    order=lambda name: float(earlier.get(f"notebook {name}")
                                             or expected_seconds(project.root / name_to_path[name])),
                    watch=[assessment] if assessment is not None else []))
                if assessment is not None:
                    assessment.result()  # its error, if a chapter did not read it
                if kept:  # chapters from an earlier build: CSVs of a chapter that has changed may be stale
                    _remove_unreferenced_data_files(build_dir, book)
                # A chart without its phone drawing would show the print image on phones:
                # said, never silent (F17).
                lacking = figures_without_web_drawings(build_dir)
                if lacking:
                    log(f"Varning: {len(lacking)} diagram saknar sin telefonversion "
                        "och visas med utskriftsbilden också på telefoner i HTML-rapporten: "
                        + ", ".join(Path(p).stem for p in lacking) + ".")

                title = TitlePage(
                    title=params.title,
                    subtitle=f"Uppföljningsrapport {year}",
                    author=params.publisher,
                    statistics=f"Statistik till och med {params.data_cutoff}",
                    published=publication_date(params),
                )
                timestamp = creation_timestamp(params)
                with ExitStack() as stack:
                    staging = stack.enter_context(atomic_directory(out_dir, start_from_existing=False))
                    if engine == "quarto":
                        with _timed(timings, "nedladdningar", progress):
                            supervisor.run(
                                publish_downloads, build_dir, book, staging, catalogue, project.data_dir,
                                params.data_cutoff, params.kraftsamlingar, basename)
                        log("Renderar med Quarto …")
                        with _timed(timings, "quarto (html + pdf)", progress), _source_date_epoch(timestamp):
                            supervisor.run(render_quarto, build_dir, book, title, basename, staging / pdf_name,
                                           staging / "html")
                    else:
                        log("Renderar med den inbyggda renderaren (pandoc + typst) …")
                        markdown_file = build_dir / f"{basename}.md"
                        with _timed(timings, "markdown", progress):
                            markdown_file.write_text(combined_markdown(book, build_dir, build_dir / "media"),
                                                     encoding="utf-8")
                        def pdf() -> None:
                            with _timed(timings, "pdf", progress):
                                render_pdf(markdown_file, staging / pdf_name, title, extension, timestamp=timestamp)

                        def downloads_and_html() -> None:
                            with _timed(timings, "html", progress):
                                render_html(markdown_file, staging / html_name, title,
                                            {"pdf-link": pdf_name, "xlsx-link": workbook_name(basename)})
                            with _timed(timings, "nedladdningar", progress):
                                _publish_data_files(build_dir, book, staging)
                                shutil.copyfile(workbook.result(), staging / workbook_name(basename))

                        # The PDF (pandoc + typst) beside the HTML (pandoc) and the readers' data.
                        with _timed(timings, "pdf och html samtidigt"):
                            supervisor.run(_parallel, [pdf, downloads_and_html])
                    supervisor.check()
                    digests = _report_digests(staging, [pdf_name, html_name])
                    state = "ny" if previous is None else ("oförändrad" if digests == previous else "ändrad")
                    timings["totalt"] = time.perf_counter() - started
                    manifest = {
                        "year": year, "engine": engine, "fingerprint": fingerprint,
                        "git_revision": git_revision(project.root), "inputs": checksums,
                        "package_version": rus_analysis.__version__, "data_cutoff": params.data_cutoff,
                        "series_before_cutoff": ending_before(ends, params.data_cutoff),
                        "report": state, "report_sha256": digests, "created": timestamp,
                        "chapters_reused": kept, "validated": validated,
                        "timings_seconds": {k: round(v, 2) for k, v in timings.items()},
                    }
                    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                                           encoding="utf-8")
                    publish = stack.pop_all()
                with supervisor.shielded():
                    publish.close()
        if state == "oförändrad":
            log("Rapporten blev byte för byte densamma som förra gången (oförändrad).")
        return BuildResult(year, engine, out_dir, out_dir / pdf_name, out_dir / html_name, timings=timings,
                           state=state)

    def _timed_assessment(self, params: ReportParams, target: Path, timings: dict[str, float],
                          progress: Progress) -> None:
        """:meth:`_write_assessments`, timed as the stage ``bedömning``."""
        with _timed(timings, "bedömning", progress):
            self._write_assessments(params, target)

    def _write_assessments(self, params: ReportParams, target: Path) -> None:
        """The year's status table and last year's, computed once and shared with every notebook
        (and with the next year of the same call: its "previous" is this year's status)."""
        from rus_analysis.report.shared import write_shared_assessments

        for old in sorted(target.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)[:-8]:
            old.unlink(missing_ok=True)  # a few years' and data versions' tables are plenty
        write_shared_assessments(self.project.params_dir, self.project.data_dir, params.report_year, target,
                                 self.assessments)


def _after(first: Future | None, function: Callable[..., object], *args: object) -> object:
    """``function(*args)`` once ``first`` (if any) has finished, whatever its outcome (its error
    is raised where its own result is used)."""
    if first is not None:
        wait_futures([first])
    return function(*args)


def _in_background(function: Callable[..., object], *args: object) -> Future:
    """Start ``function(*args)`` in a daemon thread; its result (or error) in the Future."""
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as exc:  # noqa: BLE001 - raised where the result is used
            future.set_exception(exc)

    threading.Thread(target=run, name="rus-bakgrund", daemon=True).start()
    return future


WORKBOOK_CACHE = ".arbetsbok"  # in _build/: the readers' workbook by content hash


def _workbook(project: Project, catalogue, params: ReportParams, checksums: dict[str, str],
              build_dir: Path) -> Path:
    """The readers' Excel workbook of the year (``downloads.write_workbook``), reused when its
    inputs (the data, the catalogue, the cut-off, the kraftsamlingar, the package) are unchanged."""
    from rus_analysis.build.downloads import write_workbook

    inputs = {k: v for k, v in checksums.items()
              if k.startswith(("data/", "rus_analysis/")) or k == "params/indikatorer.yml"}
    key = fp.combined(inputs, params.data_cutoff, ",".join(params.kraftsamlingar))
    cache = project.root / "_build" / WORKBOOK_CACHE
    cached = cache / f"{key}.xlsx"
    if cached.is_file():
        return cached
    cache.mkdir(parents=True, exist_ok=True)
    kept = sorted(cache.glob("*.xlsx"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[8:]:  # a few workbooks (years, recent data) are plenty
        old.unlink(missing_ok=True)
    temporary = cache / f".{key}.{os.getpid()}.tmp"
    write_workbook(temporary, catalogue, project.data_dir, params.data_cutoff, params.kraftsamlingar)
    os.replace(temporary, cached)
    return cached


def _publish_data_files(build_dir: Path, book: Book, staging: Path) -> None:
    """The chapters' CSVs into ``staging/datafiler/`` (as ``downloads.publish_downloads``)."""
    from rus_analysis.build.downloads import DATA_DIR_NAME, chapter_data_files

    target = staging / DATA_DIR_NAME
    target.mkdir(parents=True, exist_ok=True)
    for path in chapter_data_files(build_dir, book):
        shutil.copyfile(path, target / path.name)


def _parallel(functions: list[Callable[[], None]]) -> None:
    """Run the functions in threads at once; the first error is raised after all have ended."""
    errors: list[BaseException] = []

    def run(function: Callable[[], None]) -> None:
        try:
            function()
        except BaseException as exc:  # noqa: BLE001 - raised below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,), daemon=True) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


CHAPTER_STATE = "kapitel.json"  # in _build/<år>/: each executed chapter's fingerprint
SHARED_CACHE = ".bedomning"  # in _build/: the shared status tables by content hash
FIGURE_CACHE = ".figurer"  # in _build/: charts by content hash, shared by the years
FIGURE_CACHE_ENV, FIGURE_SALT_ENV = "RUS_FIGURCACHE", "RUS_FIGURCACHE_SALT"


class _ChapterState:
    """Which executed chapters in ``_build/<år>/`` are still valid (issue 15 item 4): a chapter's
    fingerprint (:func:`fingerprint.chapter_fingerprint`) is recorded when it has run, and
    forgotten before it runs again, so a failed build never leaves a chapter marked fresh."""

    def __init__(self, path: Path, project: Project, catalogue, year: int, sums: dict[str, str],
                 parameters: dict[str, object]) -> None:
        self.path, self.project, self.year, self.sums, self.parameters = path, project, year, sums, parameters
        self.members = {k.id: [i.id for i in catalogue.for_kraftsamling(k.id)] for k in catalogue.kraftsamlingar}
        self.recorded: dict[str, str] = dict(fp.read_json(path).get("chapters", {}))
        self._lock = threading.Lock()

    def fingerprint(self, chapter_path: str) -> str:
        scope = fp.notebook_scope(self.project.root / chapter_path)
        return fp.chapter_fingerprint(chapter_path, scope, self.sums, self.members, self.year, self.parameters)

    def fresh(self, chapter_path: str, target: Path) -> bool:
        """True when ``target`` was executed from exactly the current inputs."""
        return target.is_file() and self.recorded.get(chapter_path) == self.fingerprint(chapter_path)

    def forget(self, chapter_paths: list[str]) -> None:
        """Mark chapters as not executed (before they run again)."""
        with self._lock:
            if any(self.recorded.pop(path, None) is not None for path in list(chapter_paths)):
                self._save()

    def record(self, chapter_path: str) -> None:
        with self._lock:
            self.recorded[chapter_path] = self.fingerprint(chapter_path)
            self._save()

    def _save(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps({"chapters": self.recorded}, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)


def _remove_unreferenced_data_files(build_dir: Path, book: Book) -> None:
    """Remove CSVs in the chapters' ``datafiler/`` that no executed chapter links to any more (left by
    an earlier build of a chapter that has changed), so only the report's own data is published."""
    import re

    from rus_analysis.build.downloads import chapter_data_files

    texts = []
    for chapter in book.chapters:
        path = build_dir / chapter.path
        if path.is_file():
            texts.append(path.read_text(encoding="utf-8"))
    # Links are Markdown-escaped (``datafiler\/figur\-x\.csv``) inside JSON: drop the backslashes.
    linked = set(re.findall(r"datafiler/([\w.-]+?\.csv)", "\n".join(texts).replace("\\", "")))
    for path in chapter_data_files(build_dir, book):
        if path.name not in linked:
            path.unlink()


@contextmanager
def _source_date_epoch(timestamp: int) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` for the renderer's subprocesses (Quarto's typst honours it)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(timestamp)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
