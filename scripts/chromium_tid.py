#!/usr/bin/env python3
"""Where the headless-Chromium read-back of the HTML report spends its time (issue 16).

    .venv/bin/python scripts/chromium_tid.py _output/2025/uppfoljningsrapport-2025.html
    .venv/bin/python scripts/chromium_tid.py RAPPORT.html --upprepningar 5

Prints, in Swedish number format, with the load average (1 min) beside each line:

- ``read_html`` as the tests and ``tillganglighet.py --lasare`` call it (median of the runs);
- its steps in one browser: the launch, per width the fresh load and the axe-core run, and the
  keyboard walk (one Tab per stop);
- axe-core's own timer (``performanceTimer``) at the keyboard width: the audit and its most
  expensive rules, with how many elements each examined;
- five ``axe_check`` calls each launching Chromium, against five sharing one ``chromium()``.

Only measures; checks nothing (the tests do). No test asserts on time.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _environment  # noqa: F401  (the project's .venv, or one Swedish line)

from rus_analysis.build import html_check
from rus_analysis.build.accessibility_check import (
    AXE_OPTIONS,
    AccessibilityError,
    _axe_script,
    axe_check,
    chromium,
    open_page,
)
from rus_analysis.cli.swedish_argparse import argument_parser, positive_count
from rus_analysis.config.numbers import format_number

SMALL_PAGE = ('<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Liten sida</title>'
              "</head><body><main><h1>Rubrik</h1><p>Text.</p></main></body></html>")


def seconds(value: float) -> str:
    return f"{format_number(value, 2)} s"


def load() -> str:
    return f"(load {format_number(os.getloadavg()[0], 1)})"


def whole(html: Path, runs: int) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report = html_check.read_html(html)
        times.append(time.perf_counter() - start)
        print(f"  read_html: {seconds(times[-1])} {load()}", flush=True)
    print(f"read_html, median av {runs}: {seconds(statistics.median(times))} "
          f"({format_number(report.stops, 0)} tabbstopp, {format_number(len(report.widths), 0)} bredder)")


def steps(html: Path) -> None:
    start = time.perf_counter()
    with chromium() as browser:
        print(f"  start av Chromium: {seconds(time.perf_counter() - start)} {load()}")
        script = _axe_script()
        for width in html_check.WIDTHS:
            start = time.perf_counter()
            page = open_page(browser, html, width)
            loaded = time.perf_counter()
            html_check._axe(page, script)
            done = time.perf_counter()
            print(f"  {width} px: laddning {seconds(loaded - start)}, axe {seconds(done - loaded)} {load()}")
            if width == html_check.KEYBOARD_WIDTH:
                report = html_check.HtmlReport()
                html_check._keyboard(page, report)
                walked = time.perf_counter() - done
                print(f"  tangentbordet: {seconds(walked)} för {format_number(report.stops, 0)} stopp "
                      f"({format_number(walked / max(report.stops, 1) * 1000, 1)} ms per Tab) {load()}")
                timer(page)
            page.context.close()


def timer(page) -> None:
    logs: list[str] = []
    page.on("console", lambda message: logs.append(message.text))
    page.evaluate("options => axe.run(document, options).then(() => 0)", dict(AXE_OPTIONS, performanceTimer=True))
    took = {m.group(1): float(m.group(2)) / 1000 for m in
            (re.match(r"Measure (\S+) took ([\d.]+)ms", line) for line in logs) if m}
    nodes = {m.group(1): int(m.group(2)) for m in
             (re.match(r"gather for (\S+) \((\d+) nodes\)", line) for line in logs) if m}
    rules = {name[5:]: value for name, value in took.items() if name.startswith("rule_") and "#" not in name}
    audit = took.get("audit_start_to_end", 0.0)
    print(f"  axe-cores egen tidtagning (andra körningen på sidan): granskningen {seconds(audit)}, "
          f"{format_number(len(rules), 0)} regler")
    top = sorted(rules.items(), key=lambda item: -item[1])[:5]
    for rule, value in top:
        examined = f" ({format_number(nodes[rule], 0)} element)" if rule in nodes else ""
        print(f"    {rule}: {seconds(value)}{examined}")
    print(f"    övriga regler: {seconds(audit - sum(value for _, value in top))}")


def launches(count: int = 5) -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "liten.html"
        page.write_text(SMALL_PAGE, encoding="utf-8")
        start = time.perf_counter()
        for _ in range(count):
            axe_check(page)
        alone = time.perf_counter() - start
        start = time.perf_counter()
        with chromium() as browser:
            for _ in range(count):
                axe_check(page, browser=browser)
        shared = time.perf_counter() - start
    print(f"{format_number(count, 0)} × axe_check på en liten sida: {seconds(alone)} med en Chromium var, "
          f"{seconds(shared)} med en delad {load()}")


def main() -> int:
    parser = argument_parser("Tidtagning av läsningen av HTML-rapporten i Chromium.")
    parser.add_argument("html", type=Path, help="den byggda rapportens HTML-fil")
    parser.add_argument("--upprepningar", type=positive_count, default=3,
                        help="antal körningar av read_html (standard 3)")
    args = parser.parse_args()
    if args.html.suffix.lower() not in (".html", ".htm"):
        parser.error(f"{args.html} är ingen HTML-fil; ange rapportens .html-fil")
    try:
        print(f"Start {load()}")
        whole(args.html, args.upprepningar)
        print("Stegen i en webbläsare:")
        steps(args.html)
        launches()
    except AccessibilityError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
