"""The data behind every chart and table, as a CSV file a reader can download from the HTML.

- **Format.** Swedish Excel opens a CSV right only when it is UTF-8 *with* a byte order mark,
  fields are separated by ``;`` and decimals use a comma: :func:`csv_bytes` writes exactly that
  (``Värde`` as ``80,6``; a missing value is an empty field and ``Status`` says why, e.g.
  ``sekretess``). Numbers are the snapshot's own (``%.10g``, as ``data/series/*.csv`` stores them),
  never rounded for display, so the file equals ``data/`` after the report year's cut-off.
- **Where.** Files are written to ``datafiler/`` beside the figure folder, i.e. next to the
  executed notebook (papermill runs with the notebook's folder as working directory, like
  ``figurer/``; ``RUS_DATA_FILE_DIR`` overrides). Never ``data/``: that is the snapshot. The
  pipeline copies them to ``_output/<år>/datafiler/`` (:mod:`rus_analysis.build.downloads`), so
  the relative link ``datafiler/<name>.csv`` works beside the HTML, from disk or a web server.
- **Link.** :func:`download_markdown` is a fenced div ``.content-visible when-format="html"``:
  Quarto shows it only in HTML, and the built-in renderer's filters do the same, so the PDF
  never shows a file link. The visible text is "Ladda ner data (CSV)"; a visually hidden part
  names the chart or table for screen readers (WCAG 2.4.4), and the source links to the agency.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rus_analysis.report import markup
from rus_analysis.report.markup import Markdown, escape, link_target

DATA_FILE_DIR_ENV = "RUS_DATA_FILE_DIR"
DEFAULT_DATA_FILE_DIR = "datafiler"
CSV_SEPARATOR = ";"
# Swedish headers for the snapshot's columns (rus_analysis.snapshot.store.COLUMNS) and the
# status overview's; any other column keeps its name.
HEADERS = {
    "indicator": "Indikator-id",
    "title": "Indikator",
    "region_code": "Regionkod",
    "region_name": "Region",
    "year": "År",
    "sex": "Kön",
    "group": "Grupp",
    "value": "Värde",
    "unit": "Enhet",
    "status": "Status",
    "assessment": "Bedömning",
    "comparison": "Jämförelse",
    "base_year": "Basår",
    "base_value": "Värde basåret",
    "measure": "Förändringens mått",
    "actual_change": "Förändring per år sedan basåret",
    "required_change": "Förändring per år som krävs",
    "words": "Bedömning sedan basåret",
    "short_term_actual_change": "Förändring per år senaste åren",
    "short_term_words": "Bedömning senaste åren",
}
# The assessment's rows as a verdict table shows them (assessment.status_table columns).
VERDICT_COLUMNS = {
    "indicator": "indicator", "region_code": "region_code", "region_name": "region_name",
    "sex": "sex", "group": "group", "comparison": "comparison", "base_year": "base_year",
    "base_value": "base_value", "latest_year": "year", "latest_value": "value", "measure": "measure",
    "actual_change": "actual_change", "required_change": "required_change", "words": "words",
    "short_term_actual_change": "short_term_actual_change", "short_term_words": "short_term_words",
}
LINK_TEXT = "Ladda ner data (CSV)"


def data_file_directory(directory: str | Path | None = None, beside: str | Path | None = None) -> Path:
    """``directory``, else ``RUS_DATA_FILE_DIR``, else ``datafiler`` next to the folder ``beside``
    (the figure folder) or in the working directory."""
    if directory or os.environ.get(DATA_FILE_DIR_ENV):
        return Path(directory or os.environ[DATA_FILE_DIR_ENV])
    return (Path(beside).parent if beside else Path()) / DEFAULT_DATA_FILE_DIR


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as CSV for Swedish Excel: UTF-8 with BOM, ``;``, decimal comma, ``\\r\\n`` lines.

    Float columns keep full precision (``%.10g``); missing values are empty fields.
    """
    text = frame.rename(columns=HEADERS).to_csv(
        index=False, sep=CSV_SEPARATOR, decimal=",", float_format="%.10g", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a file written by :func:`csv_bytes` back with the snapshot's column names."""
    frame = pd.read_csv(path, sep=CSV_SEPARATOR, decimal=",", encoding="utf-8-sig",
                        dtype={"Regionkod": "string", "Indikator-id": "string"}, keep_default_na=False,
                        na_values={"Värde": [""], "År": [""]})
    return frame.rename(columns={v: k for k, v in HEADERS.items()})


def write_data_file(frame: pd.DataFrame, name: str, directory: str | Path | None = None,
                    beside: str | Path | None = None) -> Path:
    """Write ``<directory>/<name>.csv`` whole or not at all; returns the path."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name):
        raise ValueError(f"Ogiltigt filnamn för data: {name!r}")
    target_dir = data_file_directory(directory, beside)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{name}.csv"
    handle, temporary = tempfile.mkstemp(dir=target_dir, suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(csv_bytes(frame))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _text(text: str) -> Markdown:
    """Words from the catalogue as Markdown text (:func:`rus_analysis.report.markup.escape`)."""
    return escape(text)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) address that cannot break out of a Markdown link."""
    if not url:
        return None
    url = url.strip()
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%/:@!$&'*+,;=?#-]*)?", url):
        return None
    return url if "(" not in url and ")" not in url else None


def link(text: str, url: str | None) -> Markdown:
    """``[text](url)`` for an http(s) url, else the text alone (both escaped)."""
    checked = safe_url(url)
    return markup.link(checked, text) if checked else _text(text)


def download_markdown(href: str, what: str, source: str | None = None,
                      source_url: str | None = None) -> Markdown:
    """The HTML-only line under a chart or table: the CSV link and, if given, the linked source.

    ``what`` names the element for screen readers ("diagrammet Sysselsättningsgrad …").
    """
    if not re.fullmatch(r"[A-Za-z0-9._/-]+\.csv", href):
        raise ValueError(f"Ogiltig länk till data: {href!r}")
    # "\\ " is a no-break space: the hidden words follow "(CSV)" without a visible, underlined gap.
    line = Markdown("[{}[\\ för {}]{{.visually-hidden}}]({}){{.nedladdning}}").format(
        LINK_TEXT, what, link_target(href))
    if source and safe_url(source_url):
        line += Markdown(" · Källa: ") + link(source, source_url)
    return Markdown('::: {{.content-visible when-format="html"}}\n{}\n:::\n').format(line)


def verdict_data(rows: pd.DataFrame) -> pd.DataFrame:
    """A verdict table's CSV rows from status rows (``assessment.status_table``): the latest
    published value (``year``, ``value``, from ``data/``), the base year's, the change per year
    and the verdicts. Gaps between groups (empty ``sex``) and peer comparisons (``comparison``
    not empty) carry their own, derived values."""
    present = [c for c in VERDICT_COLUMNS if c in rows.columns]
    frame = rows[present].rename(columns=VERDICT_COLUMNS).reset_index(drop=True)
    for column in ("year", "base_year"):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


@dataclass
class DataTable:
    """A Markdown table that is not a :class:`~rus_analysis.report.tables.Table` (the status
    overview) together with the data it shows, so it gets a CSV link like every other table."""

    text: str
    data: pd.DataFrame
    label: str
    caption: str
    source: str | None = None
    source_url: str | None = None
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        """The table's Markdown, with the link to its CSV file."""
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text

