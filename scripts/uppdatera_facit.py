"""Regenerate the back tests' ground truth (tests/backtests/facit/) from the project as it is now.

    .venv/bin/python scripts/uppdatera_facit.py            # status tables and the 2025 chapters
    .venv/bin/python scripts/uppdatera_facit.py --bara-status

Run it when a change is meant to change a verdict, a value or the report's text, then commit the
facit together with the change: the reviewer sees in the diff exactly which verdicts and which
sentences moved. tests/backtests/ compares the same functions' output with the committed files.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import _environment  # noqa: F401  (the project's .venv, or one Swedish line)
import pandas as pd

from rus_analysis.cli.swedish_argparse import argument_parser

ROOT = Path(__file__).resolve().parents[1]
FACIT = ROOT / "tests" / "backtests" / "facit"
STATUS_YEARS = (2023, 2024, 2025)
CHAPTER_YEAR = 2025
FLOAT_FORMAT = "%.10g"

# One row per indicator × region × group × comparison × horizon.
KEY = ["indicator", "region_code", "sex", "group", "comparison", "horizon"]
STATUS_COLUMNS = [*KEY, "status", "words", "base_year", "latest_year", "latest_value", "measure", "rate",
                  "required_rate", "ratio"]


def status_facit(project: Path, year: int) -> pd.DataFrame:
    """The report year's full status table in long form: horizon ``lang`` (since the base year)
    and ``kort`` (the last ``kort_horisont_ar`` years), with class, rate and latest value.

    Built exactly as the report builds it (``Report.status``), from the project's data/ and params/.
    """
    from rus_analysis.report.chapter import open_report

    table = open_report(year, project / "params", project / "data").status
    long = table.assign(horizon="lang", rate=table["actual_change"], required_rate=table["required_change"])
    short = table.assign(horizon="kort", status=table["short_term_status"], words=table["short_term_words"],
                         base_year=table["short_term_base_year"],
                         latest_year=table["short_term_latest_year"], latest_value=table["short_term_latest_value"],
                         measure=table["short_term_measure"], rate=table["short_term_actual_change"],
                         required_rate=None, ratio=None)
    frame = pd.concat([long, short], ignore_index=True)[STATUS_COLUMNS]
    for column in ("base_year", "latest_year"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("latest_value", "rate", "required_rate", "ratio"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame.sort_values(KEY, kind="mergesort").reset_index(drop=True)


def status_csv(project: Path, year: int) -> str:
    """``status_facit`` as the committed CSV text (fixed columns, sorted, 10 significant digits)."""
    return status_facit(project, year).to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


def normalise(text: str, paths: dict[Path, str]) -> str:
    """Replace absolute build paths with placeholders, longest first, so the text does not
    depend on where the build ran."""
    for path, placeholder in sorted(paths.items(), key=lambda item: -len(str(item[0]))):
        for form in {str(path), path.as_posix(), str(path.resolve()), path.resolve().as_posix()}:
            text = text.replace(form, placeholder)
    return text


def chapter_markdown(project: Path, year: int, workdir: Path) -> dict[str, str]:
    """Each chapter's Markdown (file name → text) as the built-in renderer reads it, from a real
    build of a copy of the project in ``workdir``, with absolute paths normalised."""
    from rus_analysis.build.pipeline import build_report
    from rus_analysis.config.project import copy_project

    copy = copy_project(project, workdir / "projekt")
    result = build_report(copy, year, engine="inbyggd", workers=1)
    return built_chapter_markdown(copy, year, result.output_dir, workdir)


def built_chapter_markdown(copy: Path, year: int, output_dir: Path, workdir: Path) -> dict[str, str]:
    """Each chapter's Markdown (file name → text) from the executed notebooks of a project that
    has been built for ``year`` (``_build/<år>/``), with absolute paths normalised. The back tests
    read the session's one shared build this way."""
    from rus_analysis.build.render.book import read_book, select_chapters
    from rus_analysis.build.render.markdown import notebook_to_markdown, qmd_to_markdown
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.config.report_params import load_report_params

    build_dir = copy / "_build" / str(year)
    media = workdir / "media"
    catalogue = load_catalogue(copy / "params" / "indikatorer.yml")
    params = load_report_params(copy / "params", year, catalogue)
    book = select_chapters(read_book(copy / "_quarto.yml"), params.kraftsamlingar, catalogue.kraftsamling_ids)
    chapters = {}
    for chapter in book.chapters:
        source = build_dir / chapter.path  # the executed notebooks; a .qmd is read from the project
        if not source.is_file():
            source = copy / chapter.path
        text = notebook_to_markdown(source, media) if source.suffix == ".ipynb" else qmd_to_markdown(source)
        paths = {build_dir: "<bygg>", copy: "<projekt>", media: "<media>", output_dir: "<utdata>"}
        chapters[f"{Path(chapter.path).stem}.md"] = normalise(text, paths)
    return chapters


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(
        "Skriv om backtesternas facit från projektets nuvarande data och parametrar.")
    parser.add_argument("--bara-status", action="store_true", help="Bara statustabellerna (inget bygge).")
    args = parser.parse_args(argv)
    FACIT.mkdir(parents=True, exist_ok=True)
    for year in STATUS_YEARS:
        path = FACIT / f"status_{year}.csv"
        path.write_text(status_csv(ROOT, year), encoding="utf-8")
        print(f"Skrev {path.relative_to(ROOT)}")
    if not args.bara_status:
        chapter_dir = FACIT / f"kapitel_{CHAPTER_YEAR}"
        with tempfile.TemporaryDirectory(prefix="rus-facit-") as workdir:
            chapters = chapter_markdown(ROOT, CHAPTER_YEAR, Path(workdir))
        chapter_dir.mkdir(exist_ok=True)
        for old in chapter_dir.glob("*.md"):
            if old.name not in chapters:
                old.unlink()
        for name, text in chapters.items():
            (chapter_dir / name).write_text(text, encoding="utf-8")
            print(f"Skrev {(chapter_dir / name).relative_to(ROOT)}")
    print("Granska ändringarna med git diff tests/backtests/facit/ och checka in dem med ändringen.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
