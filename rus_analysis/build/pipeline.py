"""The whole chain for one report year: validate → papermill per chapter → render → publish.

Outputs land in ``_output/<år>/`` only when everything succeeded (atomic swap), so a failed
build keeps the previous report of that year and never touches another year's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import nbformat
import papermill

import rus_analysis
from rus_analysis.snapshot.atomic import atomic_directory
from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.build.downloads import publish_downloads
from rus_analysis.build.notebook_hygiene import prepare_for_rendering
from rus_analysis.build.render.book import Book, read_book, select_chapters
from rus_analysis.build.render.builtin import TitlePage, combined_markdown, render_html, render_pdf
from rus_analysis.build.render.extension import copy_extension
from rus_analysis.build.render.markdown import RenderError
from rus_analysis.build.render.quarto import quarto_problem, render_quarto
from rus_analysis.config.report_params import ReportParams, load_report_params
from rus_analysis.checksums import sha256_file
from rus_analysis.snapshot.validation import validate_snapshot

ENGINES = ("auto", "quarto", "inbyggd")


@dataclass
class BuildResult:
    year: int
    engine: str
    output_dir: Path
    pdf: Path
    html: Path
    skipped: bool = False
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def params_dir(self) -> Path:
        return self.root / "params"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def output_dir(self, year: int) -> Path:
        return self.root / "_output" / str(year)

    def build_dir(self, year: int) -> Path:
        return self.root / "_build" / str(year)


def publication_date(params: ReportParams) -> dt.date:
    """The date on the title page: the report parameters' publication date when they have one,
    else the build's fixed date (``SOURCE_DATE_EPOCH``, as reproducible builds set it), else today."""
    given = getattr(params, "publication_date", None)
    if isinstance(given, dt.date):
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def report_basename(year: int) -> str:
    return f"uppfoljningsrapport-{year}"


def choose_engine(engine: str) -> str:
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


def _execute_notebook(source: Path, target: Path, parameters: dict) -> float:
    started = time.perf_counter()
    papermill.execute_notebook(
        str(source), str(target), parameters=parameters, kernel_name="python3",
        cwd=str(target.parent), progress_bar=False, log_output=False,
    )
    return time.perf_counter() - started


def execute_chapters(project: Project, book: Book, params: ReportParams, build_dir: Path,
                     workers: int) -> dict[str, float]:
    """Run every notebook chapter with the year's parameters into the build folder."""
    parameters = {
        "report_year": params.report_year,
        "params_dir": str(project.params_dir.resolve()),
        "data_dir": str(project.data_dir.resolve()),
    }
    jobs = {}
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        for chapter in book.chapters:
            source, target = project.root / chapter.path, build_dir / chapter.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.suffix == ".ipynb":
                jobs[chapter.stem] = pool.submit(_execute_notebook, source, target, parameters)
            else:
                shutil.copy2(source, target)
        timings = {}
        for name, job in jobs.items():
            try:
                timings[f"notebook {name}"] = job.result()
            except papermill.PapermillExecutionError as exc:
                raise RenderError(
                    f"Notebooken {name} misslyckades i cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
                ) from exc
    for chapter in book.chapters:
        path = build_dir / chapter.path
        if path.suffix == ".ipynb":
            nbformat.write(prepare_for_rendering(nbformat.read(path, as_version=4)), path)
    return timings


def build_report(root: Path, year: int | None = None, engine: str = "auto", force: bool = False,
                 workers: int = 2, log: Callable[[str], None] = lambda _: None) -> BuildResult:
    project = Project(root.resolve())
    started = time.perf_counter()
    params = load_report_params(project.params_dir, year)
    engine = choose_engine(engine)
    catalogue = load_catalogue(project.params_dir / "indikatorer.yml")
    book = select_chapters(read_book(project.root / "_quarto.yml"), params.kraftsamlingar,
                           [k.id for k in catalogue.kraftsamlingar])
    # The same validation as `rus data kontroll`: stop before any work on a broken snapshot.
    validate_snapshot(project.data_dir, catalogue, strict=True)

    year = params.report_year
    out_dir, basename = project.output_dir(year), report_basename(year)
    pdf_name = f"{basename}.pdf"
    html_name = f"{basename}.html" if engine == "inbyggd" else "html/index.html"
    checksums = input_checksums(project, book)
    fingerprint = input_fingerprint(checksums, engine)
    manifest_path = out_dir / "manifest.json"
    if not force and manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("fingerprint") == fingerprint and (out_dir / pdf_name).is_file():
            log(f"Rapporten för {year} är redan aktuell (inga indata har ändrats).")
            return BuildResult(year, engine, out_dir, out_dir / pdf_name, out_dir / html_name, skipped=True)

    build_dir = project.build_dir(year)
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.mkdir(parents=True)
    extension = copy_extension(project.root, build_dir)  # the typst layout of both renderers
    log(f"Kör {sum(c.path.endswith('.ipynb') for c in book.chapters)} notebookar med papermill för {year} …")
    timings = execute_chapters(project, book, params, build_dir, workers)

    title = TitlePage(
        title=params.title,
        subtitle=f"Uppföljningsrapport {year}",
        author=params.publisher,
        statistics=f"Statistik till och med {params.data_cutoff}",
        published=publication_date(params),
    )
    with atomic_directory(out_dir, start_from_existing=False) as staging:
        with _timed(timings, "nedladdningar"):
            downloads = publish_downloads(build_dir, book, staging, catalogue, project.data_dir,
                                          params.data_cutoff, params.kraftsamlingar, basename)
        if engine == "quarto":
            log("Renderar med Quarto …")
            with _timed(timings, "quarto (html + pdf)"):
                render_quarto(build_dir, book, title, basename, staging / pdf_name, staging / "html")
        else:
            log("Renderar med den inbyggda renderaren (pandoc + typst) …")
            markdown_file = build_dir / f"{basename}.md"
            with _timed(timings, "markdown"):
                markdown_file.write_text(combined_markdown(book, build_dir, build_dir / "media"),
                                         encoding="utf-8")
            with _timed(timings, "pdf"):
                render_pdf(markdown_file, staging / pdf_name, title, extension)
            with _timed(timings, "html"):
                render_html(markdown_file, staging / html_name, title,
                            downloads.template_links(pdf_name))
        timings["totalt"] = time.perf_counter() - started
        manifest = {
            "year": year, "engine": engine, "fingerprint": fingerprint,
            "git_revision": git_revision(project.root), "inputs": checksums,
            "package_version": rus_analysis.__version__, "data_cutoff": params.data_cutoff,
            "timings_seconds": {k: round(v, 2) for k, v in timings.items()},
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return BuildResult(year, engine, out_dir, out_dir / pdf_name, out_dir / html_name, timings=timings)
