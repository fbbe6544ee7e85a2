"""The built HTML read back as readers use it, in headless Chromium (issue 14).

- **Reflow** (WCAG 2.1 1.4.10): at each width the page never scrolls sideways
  (``document.scrollingElement.scrollWidth <= innerWidth``); wide tables scroll in their region.
- **axe-core** at each width, WCAG 2.0/2.1 A and AA rules (every impact counts).
- **Keyboard**: pressing Tab from the top reaches every link, every scroll region and the table
  of contents' summary (WCAG 2.1.1), in a wide window where the contents are open.
- **Downloads**: every relative link (CSV per chart and table, the workbook, the PDF) resolves to
  a file inside the output folder, and every CSV's values equal ``data/series/`` after the
  report's cut-off.

Used by ``tests/e2e/test_html_reader.py`` and ``scripts/tillganglighet.py`` on a landed build.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pandas as pd

from rus_analysis.build.accessibility_check import (
    _axe_script,
    _require_file,
    axe_violations,
    chromium,
    open_page,
)
from rus_analysis.report.datafiles import read_csv
from rus_analysis.snapshot.store import read_series

if TYPE_CHECKING:  # playwright is a test dependency, imported when a check runs
    from playwright.sync_api import Browser

WIDTHS = (320, 390, 1280)
KEYBOARD_WIDTH = 1280

_FOCUSABLE_JS = """() => {
  const visible = el => el.getClientRects().length > 0;
  const links = [...document.querySelectorAll('a[href]')].filter(visible);
  const regions = [...document.querySelectorAll('[role=region][tabindex="0"]')].filter(visible);
  const summaries = [...document.querySelectorAll('summary')].filter(visible);
  [...links, ...regions, ...summaries].forEach((el, i) => el.setAttribute('data-rus-stop', String(i)));
  return {links: links.length, regions: regions.length, summaries: summaries.length,
          total: links.length + regions.length + summaries.length};
}"""


@dataclass
class HtmlReport:
    """What :func:`read_html` found; ``problems()`` lists the failures in Swedish."""

    widths: dict[int, tuple[int, int]] = field(default_factory=dict)  # width → (scrollWidth, innerWidth)
    axe: dict[int, list[str]] = field(default_factory=dict)  # width → "rule: target" per violation
    stops: int = 0  # elements that must take keyboard focus
    reached: int = 0
    unreached: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # relative hrefs (downloads, PDF)
    regions: int = 0

    def problems(self) -> list[str]:
        """Every problem found, one Swedish line each (side scrolling, axe findings, unreachable
        elements …); empty when the HTML passes."""
        found = [f"Sidan rullar i sidled vid {w} px (scrollWidth {s} > {i})."
                 for w, (s, i) in self.widths.items() if s > i]
        found += [f"axe vid {w} px: {v}" for w, vs in self.axe.items() for v in vs]
        found += [f"Tangentbordet når inte: {u}" for u in self.unreached]
        return found


# Records, after every key release, which ``data-rus-stop`` element has focus: one round trip per
# Tab instead of a press and a read, and the record is read once.
_KEYBOARD_RECORD_JS = """() => {
  const reached = window.__rusReached = new Set();
  window.addEventListener('keyup', event => {
    const el = document.activeElement;
    const stop = event.key === 'Tab' && el && el.getAttribute('data-rus-stop');
    if (stop) reached.add(stop);
  }, true);
}"""


def _axe(page, script: str) -> list[str]:
    return [f"{v['id']} ({v.get('impact')}): {' '.join(map(str, n['target']))}"
            for v in axe_violations(page, script) for n in v["nodes"]]


def _keyboard(page, report: HtmlReport) -> None:
    counts = page.evaluate(_FOCUSABLE_JS)
    report.stops, report.regions = counts["total"], counts["regions"]
    page.evaluate(_KEYBOARD_RECORD_JS)

    def reached() -> list[str]:
        return page.evaluate("() => [...window.__rusReached]")

    # Each stop once, then slack for focusable elements outside the list (none expected).
    for _ in range(counts["total"]):
        page.keyboard.press("Tab")
    seen = reached()
    if len(seen) < counts["total"]:
        for _ in range(20):
            page.keyboard.press("Tab")
        seen = reached()
    report.reached = len(seen)
    report.unreached = page.evaluate(
        """seen => [...document.querySelectorAll('[data-rus-stop]')]
             .filter(el => !seen.includes(el.getAttribute('data-rus-stop')))
             .map(el => el.tagName.toLowerCase() + ' '
                  + (el.getAttribute('href') || el.getAttribute('aria-label') || el.textContent).slice(0, 80))""",
        sorted(seen))


def read_html(html_file: Path | str, widths: tuple[int, ...] = WIDTHS, axe: bool = True,
              keyboard: bool = True, browser: Browser | None = None) -> HtmlReport:
    """Open the HTML at each width and run the checks in the module docstring (not downloads).

    Each width gets its own page in a fresh browser context whose viewport is that width (and
    900 px high) before the page loads, so media queries and ``<picture>`` sources are that
    width's; the widths are read one after the other in one Chromium (``browser`` from
    :func:`~rus_analysis.build.accessibility_check.chromium`, or one launched for the call).
    ``links`` and the keyboard walk come from the :data:`KEYBOARD_WIDTH` page (when it is
    among ``widths``), after its axe run.

    Returns an :class:`HtmlReport`: ``widths`` width → (scrollWidth, innerWidth) in CSS px,
    ``axe`` width → "rule (impact): target" per failing element (when ``axe``), ``stops``,
    ``reached``, ``unreached``, ``regions`` (when ``keyboard``) and ``links``. Raises
    :class:`AccessibilityError` for a missing file, browser or package.
    """
    html_file = _require_file(Path(html_file), "HTML")
    if browser is None:
        with chromium() as own:
            return read_html(html_file, widths, axe, keyboard, own)
    report = HtmlReport()
    script = _axe_script() if axe else ""
    for width in widths:
        page = open_page(browser, html_file, width)
        try:
            report.widths[width] = tuple(page.evaluate(
                "() => [document.scrollingElement.scrollWidth, window.innerWidth]"))
            if axe:
                report.axe[width] = _axe(page, script)
            if width == KEYBOARD_WIDTH:
                report.links = page.evaluate(
                    "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
                    ".filter(h => !h.startsWith('#') && !/^[a-z]+:/i.test(h))")
                if keyboard:
                    _keyboard(page, report)
        finally:
            page.context.close()
    return report


def _resolve(output_dir: Path, html_file: Path, href: str) -> Path | None:
    """The file a relative link points to, if it stays inside the output folder."""
    path = unquote(urlsplit(href).path)
    target = (html_file.parent / path).resolve()
    return target if target.is_relative_to(output_dir.resolve()) else None


def _same(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return pd.isna(a) and pd.isna(b)
    return math.isclose(float(a), float(b), rel_tol=0, abs_tol=0)


def check_csv(csv_file: Path, data_dir: Path, data_cutoff: int) -> list[str]:
    """Every row of a downloaded CSV equals the snapshot row with the same key, within the cut-off."""
    frame = read_csv(csv_file)
    problems = []
    if frame.empty:
        return [f"{csv_file.name}: tom fil"]
    series: dict[str, pd.DataFrame] = {}
    for row in frame.itertuples(index=False):
        row = row._asdict()
        indicator = row["indicator"]
        if indicator not in series:
            series[indicator] = read_series(data_dir, indicator).set_index(
                ["region_code", "year", "sex", "group"]).sort_index()
        derived = str(row.get("comparison") or "").strip() or not str(row.get("sex", "T")).strip()
        if pd.isna(row.get("year")) or derived:
            continue  # no published value, or a gap or peer comparison (not a data/ value)
        year = int(row["year"])
        if year > data_cutoff:
            problems.append(f"{csv_file.name}: år {year} är efter brytåret {data_cutoff}")
        key = (row["region_code"], year, row.get("sex", "T"), row.get("group", "totalt"))
        if key not in series[indicator].index:
            problems.append(f"{csv_file.name}: {indicator} {key} finns inte i data/")
            continue
        expected = series[indicator].loc[key, "value"]
        if not _same(row["value"], expected):
            problems.append(f"{csv_file.name}: {indicator} {key} har {row['value']}, data/ har {expected}")
    return problems


def check_downloads(html_file: Path | str, links: list[str], data_dir: Path,
                    data_cutoff: int) -> tuple[int, list[str]]:
    """Resolve each relative link in the output folder; compare CSVs with ``data/``.

    Returns the number of CSV files checked and the problems found (Swedish).
    """
    html_file = Path(html_file).resolve()
    output_dir = html_file.parent
    problems, checked = [], 0
    for href in dict.fromkeys(links):
        target = _resolve(output_dir, html_file, href)
        if target is None or not target.is_file():
            problems.append(f"Länken {href} pekar inte på en fil i mappen {output_dir.name}")
            continue
        if target.suffix == ".csv":
            checked += 1
            problems += check_csv(target, Path(data_dir), data_cutoff)
    return checked, problems
