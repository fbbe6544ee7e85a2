"""Accessibility checks of the built report: axe-core on the HTML, facts about the PDF.

DOS-lagen asks for WCAG 2.1 AA in HTML and a tagged PDF (PDF/UA-1). The HTML check runs
axe-core inside the machine's own headless Chromium (``/usr/bin/chromium``).

Why this route: PyPI ``playwright`` drives Chromium over the DevTools protocol with the driver
its wheel carries, so nothing is downloaded at run time (we never run ``playwright install``;
the browser is the Debian package, given as ``executable_path``). The axe-core script comes
from PyPI ``axe-playwright-python``, which bundles ``axe.min.js``: the whole check then
installs with pip from ``pyproject.toml`` like every other dependency, with no npm step and
no vendored JavaScript in the repository. We inject that script and call ``axe.run`` ourselves
so the rule selection (WCAG 2.0/2.1 A and AA) is explicit here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rus_analysis.errors import BuildError

if TYPE_CHECKING:  # playwright is a test dependency, imported when a check runs
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
# Flags that work in containers and keep the browser off the network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe-core impact levels, least to most severe, with the Swedish word shown to analysts.
IMPACTS = {"minor": "mindre", "moderate": "måttlig", "serious": "allvarlig", "critical": "kritisk"}
BLOCKING = frozenset({"serious", "critical"})
PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"


class AccessibilityError(BuildError):
    """The check itself could not run (missing file, browser or package)."""


@dataclass(frozen=True)
class Violation:
    """One failed axe-core rule and the elements that fail it."""

    rule: str
    impact: str  # minor | moderate | serious | critical
    help: str
    help_url: str
    targets: tuple[str, ...]  # CSS selectors of the failing elements

    @property
    def nodes(self) -> int:
        """How many elements fail the rule."""
        return len(self.targets)

    @property
    def blocking(self) -> bool:
        """True for axe-core's serious and critical impacts, which fail the check."""
        return self.impact in BLOCKING

    @property
    def impact_sv(self) -> str:
        """The impact in Swedish (``allvarlig``, ``kritisk`` …) for the report to the analyst."""
        return IMPACTS.get(self.impact, self.impact)


def _require_file(path: Path, kind: str) -> Path:
    path = Path(path).resolve()
    if not path.is_file():
        raise AccessibilityError(f"{kind}-filen {path} finns inte. Bygg rapporten först med `rus rapport`.")
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """One headless Chromium (``/usr/bin/chromium``, :data:`CHROMIUM_ARGS`) for several checks.

    Yields a playwright ``Browser``; give it to :func:`open_page`, :func:`axe_check`,
    :func:`screenshot` or ``html_check.read_html`` so they share one launch (about 0,3–2 s
    each, more under load). Every page they open gets its own fresh browser context (no cache,
    storage or cookies shared with another page). Closed on leaving the ``with`` block.

    Raises :class:`AccessibilityError` when Chromium or the ``playwright`` package is missing.
    Only one may be open at a time per thread (playwright's sync API).
    """
    if not CHROMIUM.is_file():
        raise AccessibilityError(
            f"Chromium saknas ({CHROMIUM}). Installera det med `apt-get install chromium`.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise AccessibilityError(
            "Paketet playwright saknas. Installera testberoendena: "
            "`.venv/bin/pip install -c requirements.lock -e \".[test]\"`.") from exc
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, html_file: Path | str, width: int = 1280) -> Page:
    """A new page, in a new browser context of ``width`` × 900 CSS px, that has loaded
    ``html_file`` (its ``load`` event has fired).

    The viewport is set before the page loads, so media queries and ``<picture>`` sources are
    those of that width. Every http(s) request is refused (the report is self-contained; a
    request would be a leak). Close it with ``page.context.close()``.
    """
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        context.route("http*://**", lambda route: route.abort())
        page = context.new_page()
        page.goto(Path(html_file).resolve().as_uri(), wait_until="load")
    except BaseException:
        context.close()
        raise
    return page


def _open(html_file: Path, action, browser: Browser | None = None):
    """Open the HTML in a fresh context of ``browser`` (or of a Chromium launched for this call
    alone) at 1280 px and return ``action(page)``."""
    html_file = _require_file(html_file, "HTML")
    if browser is None:
        with chromium() as own:
            return _open(html_file, action, own)
    page = open_page(browser, html_file)
    try:
        return action(page)
    finally:
        page.context.close()


def _axe_script() -> str:
    try:
        from axe_playwright_python.base import AXE_FILE_PATH
    except ImportError as exc:
        raise AccessibilityError(
            "Paketet axe-playwright-python (med axe-core) saknas. Installera testberoendena: "
            "`.venv/bin/pip install -c requirements.lock -e \".[test]\"`.") from exc
    return AXE_FILE_PATH.read_text(encoding="utf-8")


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def axe_violations(page: Page, script: str) -> list[dict]:
    """axe-core's violations on a loaded page, with :data:`AXE_OPTIONS`: one dict per failing rule
    (``id``, ``impact``, ``help``, ``helpUrl``, ``nodes`` with their ``target``). ``script`` is
    :func:`_axe_script`'s text, read once by the caller for all its pages."""
    page.evaluate(script)
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS)


def axe_check(html_file: Path | str, browser: Browser | None = None) -> list[Violation]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on an HTML file at 1280 px; most severe first.

    ``browser`` (from :func:`chromium`) shares one Chromium between calls; without it the call
    launches its own. Raises :class:`AccessibilityError` for a missing file, browser or package.
    """
    script = _axe_script()
    found = _open(Path(html_file), lambda page: axe_violations(page, script), browser)
    order = list(IMPACTS)
    violations = [
        Violation(
            rule=v["id"], impact=v.get("impact") or "minor", help=v["help"], help_url=v["helpUrl"],
            targets=tuple(" ".join(map(str, node["target"])) for node in v["nodes"]),
        )
        for v in found
    ]
    return sorted(violations, key=lambda v: (-order.index(v.impact) if v.impact in order else 0, v.rule))


def screenshot(html_file: Path | str, png_file: Path | str, full_page: bool = False,
               browser: Browser | None = None) -> Path:
    """Save what a reader sees of the HTML at 1280 px (the first screen, or the whole page) as
    PNG; returns ``png_file``. ``browser`` as in :func:`axe_check`."""
    png_file = Path(png_file)
    png_file.parent.mkdir(parents=True, exist_ok=True)
    _open(Path(html_file), lambda page: page.screenshot(path=str(png_file), full_page=full_page), browser)
    return png_file


@dataclass(frozen=True)
class PdfFacts:
    """What can be read straight from a PDF about its accessibility."""

    tagged: bool  # has a structure tree (StructTreeRoot) and MarkInfo/Marked
    lang: str | None  # the catalogue's /Lang
    title: str | None  # document title (Info or XMP dc:title)
    pdfua_part: int | None  # pdfuaid:part in the XMP metadata; 1 for PDF/UA-1
    pages: int

    def problems(self) -> list[str]:
        """Swedish descriptions of what falls short of a tagged, Swedish, PDF/UA-1 PDF."""
        found = []
        if not self.tagged:
            found.append("PDF:en är inte taggad (saknar StructTreeRoot eller MarkInfo/Marked).")
        if not self.lang or self.lang.split("-")[0].lower() != "sv":
            found.append(f"Dokumentspråket (/Lang) är {self.lang or 'inte angivet'}, men ska vara sv.")
        if not self.title:
            found.append("Dokumenttitel saknas.")
        if self.pdfua_part != 1:
            found.append("XMP-metadata saknar PDF/UA-1-märkningen (pdfuaid:part=1).")
        return found


def _xmp_pdfua_part(root) -> int | None:
    """pdfuaid:part may be written as an element or as an rdf:Description attribute."""
    metadata = root.get("/Metadata")
    if metadata is None:
        return None
    try:
        tree = ET.fromstring(metadata.get_object().get_data())
    except ET.ParseError:
        return None
    key = f"{{{PDFUA_NS}}}part"
    for element in tree.iter():
        value = element.text if element.tag == key else element.get(key)
        if value and value.strip().isdigit():
            return int(value.strip())
    return None


def pdf_accessibility_facts(pdf: Path | str) -> PdfFacts:
    """Read tagging, language, title, PDF/UA identifier and page count from a PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    pdf = _require_file(Path(pdf), "PDF")
    try:
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        mark_info = root.get("/MarkInfo")
        tagged = "/StructTreeRoot" in root and bool(mark_info and mark_info.get("/Marked"))
        title = reader.metadata.title if reader.metadata else None
        if not title and reader.xmp_metadata is not None:
            title = (reader.xmp_metadata.dc_title or {}).get("x-default")
        lang = root.get("/Lang")
        return PdfFacts(
            tagged=tagged, lang=str(lang) if lang else None, title=str(title) if title else None,
            pdfua_part=_xmp_pdfua_part(root), pages=len(reader.pages),
        )
    except PdfReadError as exc:
        raise AccessibilityError(f"{pdf} går inte att läsa som PDF: {exc}") from exc
