"""Showing charts, tables, sentences and "Data saknas" boxes in a notebook so every renderer keeps them.

How a chart reaches the reader (checked by running pandoc 3.9 on executed notebooks, see
``tests/test_charts.py``):

- ``show(chart)`` saves the figure to ``figurer/<name>.svg`` (the print profile's format) next
  to the executed notebook (papermill runs with the notebook's folder as working directory;
  ``RUS_FIGURE_DIR`` overrides) and displays ONE output with three representations:

  * ``text/markdown``: ``![caption](figurer/x.svg){#fig-x fig-alt="…" alt="…" width="100%"}``.
    Quarto ranks Markdown first and reads ``fig-alt``; the built-in renderer
    (``rus_analysis.build.render.markdown``) takes the Markdown as well; pandoc's HTML writer reads
    ``alt``; ``build/templates/builtin.lua`` (the built-in renderer) turns ``fig-alt`` into typst's ``alt:``.
  * ``image/svg+xml`` (``image/png`` for a PNG profile) with the alt text in the output metadata, for Jupyter
    and for a direct ``pandoc notebook.ipynb -t html``, which takes the image and its ``alt``.
  * ``text/plain``: caption and alt text, for consoles.

- Why not only an embedded image: pandoc's ipynb reader gives output images an empty
  description, and its typst writer (3.9) emits no ``alt:`` for any image, so a direct
  ``pandoc notebook.ipynb -t typst`` can never carry alt text; and pandoc drops ``text/markdown``
  outputs unless the target is Markdown. Going through Markdown first (what Quarto and the
  built-in renderer do) is the one path on which the caption, alt text and tables survive in
  both typst and HTML.

Tables and sentences are shown the same way (``text/markdown`` plus the Markdown source as
``text/plain``), and missing data as a "Data saknas" callout saying what is missing and who publishes it.

For the HTML (issue 14) a chart is also drawn in the ``phone`` profile, saved beside the print
file as ``<name>.phone.svg`` (the built-in renderer's HTML filter shows it on narrow screens and
the print SVG elsewhere, ``templates/rapport-html.lua``; issue 16 dropped the separate screen
drawing), and every
chart and table with ``data`` writes its rows as a CSV (:mod:`rus_analysis.report.datafiles`) and
adds an HTML-only "Ladda ner data (CSV)" line under itself.
"""

from __future__ import annotations

import base64
import os
import re
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

from rus_analysis.report.anchors import slug
from rus_analysis.report.figure_cache import (  # WEB_VARIANTS_ENV: re-exported for notebooks and tests
    WEB_VARIANTS,
    WEB_VARIANTS_ENV,  # noqa: F401
    web_drawings,
)
from rus_analysis.report.markup import Markdown, authored, escape, identifier, link_target, markdown_or_text
from rus_analysis.report.typography import tidy

if TYPE_CHECKING:
    from rus_analysis.report.charts import Chart

FIGURE_DIR_ENV = "RUS_FIGURE_DIR"
# Output metadata key on an indicator's heading: the indicator id (checked by the build).
INDICATOR_MARKER = "rus_indikator"
DEFAULT_FIGURE_DIR = "figurer"
CSS_PX_PER_INCH = 96


def figure_directory(figure_dir: str | Path | None = None) -> Path:
    """Where figures are saved: ``figure_dir``, else ``$RUS_FIGURE_DIR``, else ``figurer/``."""
    return Path(figure_dir or os.environ.get(FIGURE_DIR_ENV) or DEFAULT_FIGURE_DIR)


def _link_path(path: Path) -> str:
    """Relative to the working directory (the notebook's folder) when possible, with ``..`` when
    the folder is elsewhere in the project (a run by hand from ``notebooks/`` saves under
    ``../_build/``); absolute only on another drive."""
    if path.is_absolute():
        try:
            return Path(os.path.relpath(path, Path.cwd())).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def figure_markdown(path: str, caption: str, alt_text: str, label: str | None = None,
                    width: str = "100%") -> Markdown:
    """``![caption](<path>){#fig-label fig-alt="…" alt="…" width="100%"}`` on one line; caption
    and alt text are text (:func:`rus_analysis.report.markup.escape`), the path a
    :func:`~rus_analysis.report.markup.link_target`."""
    if not re.fullmatch(r"\d+(\.\d+)?(%|pt|mm|cm|in|em)", width):
        raise ValueError(f"Ogiltig bildbredd {width!r}.")
    anchor = Markdown("#fig-") + identifier(slug(label)) + Markdown(" ") if label else Markdown("")
    alt = escape(alt_text)
    return Markdown('![{}]({}){{{}fig-alt="{}" alt="{}" width="{}"}}').format(
        caption, link_target(path), anchor, alt, alt, width)


def source_link(text: str, url: str | None) -> Markdown:
    """A source line's text as a link to the agency's page when ``url`` is http(s)."""
    from rus_analysis.report.datafiles import link

    return link(text, url)


def save_figure(chart: Chart, figure_dir: str | Path | None = None,
                name: str | None = None, variant: str | None = None) -> Path:
    """Save the chart in its profile's format; written whole or not at all.

    ``variant`` (``phone``, or an analyst's ``screen``) goes into the file name: ``<name>.<variant>.svg``.
    """
    directory = figure_directory(figure_dir)
    directory.mkdir(parents=True, exist_ok=True)
    profile = chart.profile
    stem = slug(name or chart.name) + (f".{variant}" if variant else "")
    target = directory / f"{stem}.{profile.format}"
    # No dates or version strings in the files, so a rebuild gives identical bytes.
    metadata = ({"Date": None, "Creator": None} if profile.format == "svg"
                else {"Software": None})
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=f".{profile.format}")
    os.close(handle)
    try:
        # Saved outside the chart's theme block, so pin the SVG id salt here as well.
        with matplotlib.rc_context({"svg.hashsalt": "rus-analysis"}):
            chart.figure.savefig(temporary, format=profile.format, dpi=profile.dpi, metadata=metadata)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _copy_cached(entry: Path, chart: Chart, figure_dir: str | Path | None, name: str | None) -> Path:
    """Put a cached chart's files where :func:`save_figure` would have saved them; the print file's path."""
    import shutil

    directory = figure_directory(figure_dir)
    directory.mkdir(parents=True, exist_ok=True)
    stem = slug(name or chart.name)
    target = directory / f"{stem}.{chart.profile.format}"
    for stored in sorted(entry.iterdir()):
        kind, _, extension = stored.name.partition(".")
        if kind == "print":
            shutil.copyfile(stored, target)
        elif kind in WEB_VARIANTS and web_drawings():
            shutil.copyfile(stored, directory / f"{stem}.{kind}.{extension}")
    return target


def chart_output(chart: Chart, figure_dir: str | Path | None = None,
                 name: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The display data and metadata for a chart (see the module docstring)."""
    cached = getattr(chart, "cached", None)
    if cached is not None:  # drawn before from the same inputs (report.figure_cache)
        path = _copy_cached(cached, chart, figure_dir, name)
    else:
        path = save_figure(chart, figure_dir, name)
        saved = {f"print.{chart.profile.format}": path}
        if chart.redraw is not None and web_drawings():
            for variant in WEB_VARIANTS:
                drawn = chart.redraw(variant)
                if getattr(drawn, "figure", None) is None:
                    # Never silently: the HTML would show the print image on phones (F17).
                    warnings.warn(f"Diagrammet {tidy(chart.title)} kunde inte ritas i "
                                  f"{'telefonstorlek' if variant == 'phone' else 'skärmstorlek'} för webben; "
                                  "HTML-rapporten visar utskriftsbilden i stället.",
                                  RuntimeWarning, stacklevel=2)
                    continue
                saved[f"{variant}.{drawn.profile.format}"] = save_figure(
                    drawn, figure_dir, name or chart.name, variant=variant)
        if getattr(chart, "cache_key", None):
            from rus_analysis.report import figure_cache

            figure_cache.store(chart.cache_key, chart.cache_fields(), saved)
    markdown = figure_markdown(_link_path(path), tidy(chart.title), chart.alt_text,
                               label=name or chart.name)
    if chart.data is not None:
        markdown += Markdown("\n\n") + _data_link(chart.data, f"figur-{slug(name or chart.name)}",
                                         f"diagrammet {tidy(chart.title)}", chart.source, chart.source_url,
                                         figure_dir)
    width_px = round(chart.profile.width_in * CSS_PX_PER_INCH)
    if chart.profile.format == "svg":
        mime, payload = "image/svg+xml", path.read_text(encoding="utf-8")
    else:
        mime, payload = "image/png", base64.b64encode(path.read_bytes()).decode("ascii")
    data = {"text/markdown": markdown, mime: payload,
            "text/plain": f"{chart.title}\n{chart.alt_text}"}
    metadata = {mime: {"alt": chart.alt_text, "width": width_px}, "alt": chart.alt_text}
    return data, metadata


def _data_link(data, file_name: str, what: str, source: str | None = None,
               source_url: str | None = None, figure_dir: str | Path | None = None) -> Markdown:
    """Write the CSV (``datafiler/`` beside the figure folder) and return its download line."""
    from rus_analysis.report.datafiles import download_markdown, write_data_file

    path = write_data_file(data, file_name, beside=figure_directory(figure_dir))
    return download_markdown(_link_path(path), what, source, source_url)


def with_data_after(markdown: str, anchor: str, data, file_name: str, what: str,
                    figure_dir: str | Path | None = None) -> Markdown:
    """``markdown`` (a :class:`Markdown`; plain text is escaped first) with the download line for
    ``data`` right after the table captioned ``{#anchor}`` (a table inside a longer text);
    unchanged when there is no such caption."""
    markdown = markdown_or_text(markdown)
    match = re.search(r"^: .*\{#" + re.escape(anchor) + r"\}[^\n]*\n", markdown, re.MULTILINE)
    if match is None:
        return markdown
    line = _data_link(data, file_name, what, figure_dir=figure_dir)
    # Both halves are the caller's Markdown (escaped where it holds data), cut at a line end:
    # still that Markdown, so they are re-marked as such (a slice of a str is a plain str).
    return authored(markdown[:match.end()]) + Markdown("\n") + line + authored(markdown[match.end():])


def markdown_output(markdown: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Display data for Markdown: a :class:`~rus_analysis.report.markup.Markdown` as it is, any
    other string escaped, so that it shows the words it holds."""
    markdown = escape(markdown)
    return {"text/markdown": str(markdown), "text/plain": str(markdown)}, {}


def output_for(item: Any, figure_dir: str | Path | None = None,
               name: str | None = None, typeset: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """Display data for a chart, a table, a "Data saknas" box, Markdown or a plain text.

    Only a :class:`~rus_analysis.report.markup.Markdown` value (or an element's ``markdown()``
    returning one) is shown as markup; a plain ``str`` is text, escaped: ``show("@namn")``
    prints ``@namn``.

    Generated text gets Swedish typography (:func:`rus_analysis.report.typography.tidy`:
    no-break spaces in numbers and before units); ``typeset=False`` shows an analyst's own
    Markdown exactly as written."""
    fix = tidy if typeset else (lambda text: text)
    if hasattr(item, "figure") and hasattr(item, "alt_text"):
        return chart_output(item, figure_dir, name)
    if hasattr(item, "markdown") and callable(item.markdown):
        markdown = fix(item.markdown())
        if getattr(item, "data", None) is not None and getattr(item, "label", None):
            # The table's own source line already links the agency (tables.Table.markdown).
            markdown = (markdown.rstrip() + Markdown("\n\n")
                        + _data_link(item.data, f"tabell-{slug(item.label)}",
                                     f"tabellen {fix(item.caption)}", figure_dir=figure_dir))
        return markdown_output(markdown)
    if isinstance(item, str):
        return markdown_output(fix(item))
    raise TypeError(f"Kan inte visa ett objekt av typen {type(item).__name__}: "
                    "ange ett diagram, en tabell, MissingData eller en text.")


def show(item: Any, *, figure_dir: str | Path | None = None, name: str | None = None,
         typeset: bool = True, metadata: dict | None = None) -> None:
    """Display a chart, table, sentence or "Data saknas" box in the running notebook.

    A plain ``str`` is shown as text, exactly as written (``show("Frågor: @analysgruppen")``);
    write markup as :class:`~rus_analysis.report.markup.Markdown` (see that module).
    ``metadata`` is added to the output's metadata (e.g. :data:`INDICATOR_MARKER`)."""
    from IPython.display import publish_display_data

    data, output_metadata = output_for(item, figure_dir, name, typeset)
    publish_display_data(data, {**output_metadata, **(metadata or {})})
