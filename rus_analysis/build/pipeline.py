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
import hashlib
import json
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

import rus_analysis
from rus_analysis.build.chapter_check import check_chapters
from rus_analysis.build.downloads import publish_downloads
from rus_analysis.build.kernels import run_notebook, sweep_private_dirs
from rus_analysis.build.locking import BuildLock, sweep_stale_output
from rus_analysis.build.notebook_hygiene import prepare_for_rendering
from rus_analysis.build.preflight import DiskFullError, disk_full_message, preflight
from rus_analysis.build.render.book import Book, read_book, select_chapters
from rus_analysis.build.render.builtin import TitlePage, combined_markdown, render_html, render_pdf
from rus_analysis.build.render.extension import copy_extension
from rus_analysis.build.render.markdown import RenderError
from rus_analysis.build.render.quarto import quarto_problem, render_quarto
from rus_analysis.build.supervisor import Supervisor
from rus_analysis.checksums import sha256_file
from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.project import Project
from rus_analysis.config.report_params import ReportParams, load_report_params
from rus_analysis.errors import RusError
from rus_analysis.snapshot.atomic import atomic_directory
from rus_analysis.snapshot.freshness import cutoff_warning, ending_before, series_ends
from rus_analysis.snapshot.validation import validate_snapshot

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
    if engine not in ENGINES:
        raise RenderError(f"Okänd motor {engine!r}. Välj en av: {', '.join(ENGINES)}.")
    if engine == "quarto" and (problem := quarto_problem()):
        raise RenderError(problem)
    if engine == "auto":
        # Quarto when it can render the book (on PATH and new enough), else the built-in renderer.
        return "quarto" if quarto_problem() is None else "inbyggd"
    return engine


def input_checksums(project: Project, book: Book) -> dict[str, str]:
    """sha256 of every file a report depends on, by path (project files relative to the project,
    package files as ``rus_analysis/…``), recorded in the manifest so a report can be reproduced."""
    package = Path(rus_analysis.__file__).parent
    candidates = [
        *sorted(project.params_dir.glob("*.yml")),
        *sorted(project.data_dir.rglob("*.csv")), *sorted(project.data_dir.rglob("*.yml")),
        project.root / "_quarto.yml",
        *sorted((project.root / "_extensions").rglob("*")),
        *sorted((project.root / "kommentarer").rglob("*.md")),  # the analysts' own words
        *[project.root / c.path for c in book.chapters],
        *sorted(package.rglob("*.*")),
    ]
    sums = {}
    for path in candidates:
        if path.is_file() and "__pycache__" not in path.parts:
            base = package.parent if path.is_relative_to(package) else project.root
            sums[path.relative_to(base).as_posix()] = sha256_file(path)
    return sums


def input_fingerprint(checksums: dict[str, str], engine: str) -> str:
    """One checksum of all inputs; unchanged inputs mean the build is skipped."""
    text = json.dumps(checksums, sort_keys=True) + f"|{rus_analysis.__version__}|{engine}"
    return hashlib.sha256(text.encode()).hexdigest()


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
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Record the seconds a stage takes under its name (shown by `rus report` and the benchmark)."""
    started = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - started


def execute_chapters(project: Project, book: Book, params: ReportParams, build_dir: Path,
                     workers: int, supervisor: Supervisor | None = None,
                     check: Callable[[], None] | None = None) -> dict[str, float]:
    """Run every notebook chapter with the year's parameters into the build folder.

    ``workers`` notebooks run at once, each on its own kernel (:func:`kernels.run_notebook`).
    The first failure stops the others (their kernels are stopped by the supervisor). Returns
    the seconds per notebook as ``{"notebook <namn>": s}`` in book order. ``check`` runs on the
    executed notebooks before they are prepared for rendering (which keeps only what a reader sees)."""
    supervisor = supervisor or Supervisor()
    parameters = {
        "report_year": params.report_year,
        "params_dir": str(project.params_dir.resolve()),
        "data_dir": str(project.data_dir.resolve()),
    }
    jobs = []
    for chapter in book.chapters:
        source, target = project.root / chapter.path, build_dir / chapter.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".ipynb":
            jobs.append((chapter.stem, source, target))
        else:
            shutil.copy2(source, target)
    pending = list(jobs)
    lock = threading.Lock()
    seconds: dict[str, float] = {}
    failures: list[BaseException] = []
    stop = threading.Event()

    def worker() -> None:
        while not (stop.is_set() or supervisor.cancelled.is_set()):
            with lock:
                if not pending:
                    return
                name, source, target = pending.pop(0)
            try:
                seconds[name] = run_notebook(name, source, target, parameters, params.build,
                                             build_dir / LOG_DIR, supervisor.cancelled)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                failures.append(exc)
                stop.set()

    threads = [threading.Thread(target=worker, name=f"rus-notebook-{i}", daemon=True)
               for i in range(max(1, min(workers, len(jobs))))]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads) and not failures:
        supervisor.check()
        for thread in threads:
            thread.join(0.1)
    supervisor.check()
    if failures:
        raise failures[0]
    if check is not None:
        check()
    for chapter in book.chapters:
        path = build_dir / chapter.path
        if path.suffix == ".ipynb":
            nbformat.write(prepare_for_rendering(nbformat.read(path, as_version=4)), path)
    return {f"notebook {name}": seconds[name] for name, _, _ in jobs}


def creation_timestamp(params: ReportParams) -> int:
    """The PDF's creation time: ``SOURCE_DATE_EPOCH`` when set, else the publication date in the
    params, else 1 January of the report year (00:00 UTC). Fixed by the inputs, so the same
    inputs give byte-identical files."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    day = publication_date(params) or dt.date(params.report_year, 1, 1)
    return int(datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


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
    paths = [folder / n for n in names]
    if not all(p.is_file() for p in paths):
        return None
    return {n: sha256_file(p) for n, p in zip(names, paths, strict=True)}


def build_report(root: Path, year: int | None = None, engine: str = "auto", force: bool = False,
                 workers: int = 2, log: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build the report of ``year`` (default: the newest params file) under ``root``.

    Raises a :class:`~rus_analysis.errors.RusError` with a Swedish message for every expected
    failure (bad params or data, a notebook error, a locked, full or read-only folder, a signal:
    :class:`BuildInterrupted`, the deadline: :class:`BuildTimeout`). Any other exception gets the
    attribute ``rus_log_dir``: where the CLI writes its traceback (``_build/<år>`` once the year
    is known, else ``_build``)."""
    project = Project(root.resolve())
    log_dir = project.root / "_build"
    try:
        params = load_report_params(project.params_dir, year)
        log_dir = project.build_dir(params.report_year)
        return _build(project, params, engine, force, workers, log)
    except RusError:
        raise
    except Exception as exc:
        message = disk_full_message(exc, project.root / "_output", project.root / "_build")
        if message:
            raise DiskFullError(message) from exc
        exc.rus_log_dir = log_dir  # type: ignore[attr-defined]
        raise


def _build(project: Project, params: ReportParams, engine: str, force: bool, workers: int,
           log: Callable[[str], None]) -> BuildResult:
    started = time.perf_counter()
    engine = choose_engine(engine)
    catalogue = load_catalogue(project.catalogue_file)
    year = params.report_year
    catalogue.check_kraftsamlingar(params.kraftsamlingar, project.params_dir / f"{year}.yml")
    full_book = read_book(project.book_file)
    catalogue.check_book_chapters([c.path for c in full_book.chapters], "_quarto.yml")
    book = select_chapters(full_book, params.kraftsamlingar, catalogue.kraftsamling_ids)
    # The same validation as `rus data kontroll`: stop before any work on a broken snapshot.
    validate_snapshot(project.data_dir, catalogue, strict=True)
    # Series that stop before data_till_och_med: said in the terminal and recorded in the manifest.
    ends = series_ends(project.data_dir,
                       [i for i in catalogue.indicators if i.kraftsamling in params.kraftsamlingar],
                       params.region)
    for line in cutoff_warning(ends, params.data_cutoff, year):
        log(line)

    out_dir, basename = project.output_dir(year), report_basename(year)
    pdf_name = f"{basename}.pdf"
    html_name = f"{basename}.html" if engine == "inbyggd" else "html/index.html"
    checksums = input_checksums(project, book)
    fingerprint = input_fingerprint(checksums, engine)
    manifest_path = out_dir / "manifest.json"
    build_dir = project.build_dir(year)

    with BuildLock(project.root, year):
        # Whatever a killed build left (half-made output, kernel folders) goes first.
        sweep_stale_output(out_dir)
        sweep_private_dirs()
        if not force and manifest_path.is_file():
            try:
                manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            except ValueError:
                manifest = {}
            if manifest.get("fingerprint") == fingerprint and (out_dir / pdf_name).is_file():
                log(f"Rapporten för {year} är redan aktuell (inga indata har ändrats).")
                return BuildResult(year, engine, out_dir, out_dir / pdf_name, out_dir / html_name, skipped=True)

        preflight(out_dir.parent, build_dir.parent, out_dir)
        previous = _report_digests(out_dir, [pdf_name, html_name])
        shutil.rmtree(build_dir, ignore_errors=True)
        build_dir.mkdir(parents=True)
        extension = copy_extension(project.root, build_dir)  # the typst layout of both renderers
        with _build_log(build_dir), Supervisor(params.build.build_seconds,
                                                 str(out_dir) if out_dir.is_dir() else None) as supervisor:
            log(f"Kör {sum(c.path.endswith('.ipynb') for c in book.chapters)} notebookar med papermill för {year} …")
            timings = execute_chapters(
                project, book, params, build_dir, workers, supervisor,
                check=lambda: check_chapters(book, catalogue, params.kraftsamlingar, build_dir))

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
                with _timed(timings, "nedladdningar"):
                    downloads = supervisor.run(
                        publish_downloads, build_dir, book, staging, catalogue, project.data_dir,
                        params.data_cutoff, params.kraftsamlingar, basename)
                if engine == "quarto":
                    log("Renderar med Quarto …")
                    with _timed(timings, "quarto (html + pdf)"), _source_date_epoch(timestamp):
                        supervisor.run(render_quarto, build_dir, book, title, basename, staging / pdf_name,
                                       staging / "html")
                else:
                    log("Renderar med den inbyggda renderaren (pandoc + typst) …")
                    markdown_file = build_dir / f"{basename}.md"
                    with _timed(timings, "markdown"):
                        markdown_file.write_text(combined_markdown(book, build_dir, build_dir / "media"),
                                                 encoding="utf-8")
                    with _timed(timings, "pdf"):
                        supervisor.run(render_pdf, markdown_file, staging / pdf_name, title, extension,
                                       timestamp=timestamp)
                    with _timed(timings, "html"):
                        supervisor.run(render_html, markdown_file, staging / html_name, title,
                                       downloads.template_links(pdf_name))
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
