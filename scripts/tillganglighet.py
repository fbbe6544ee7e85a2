#!/usr/bin/env python3
"""Check the built report's accessibility: axe-core (WCAG 2.1 AA) on HTML, PDF/UA facts on PDF.

    .venv/bin/python scripts/tillganglighet.py _output/2025/uppfoljningsrapport-2025.html
    .venv/bin/python scripts/tillganglighet.py _output/2025/uppfoljningsrapport-2025.pdf
    .venv/bin/python scripts/tillganglighet.py RAPPORT.html --bild sida.png
    .venv/bin/python scripts/tillganglighet.py _output/2025/uppfoljningsrapport-2025.html --lasare

``--lasare`` also reads the HTML as readers do (issue 14): no sideways scroll at 320, 390 and
1280 px, axe-core at each width, Tab reaches every link and table region, and every download
link is a file in the output folder whose values equal ``data/`` (``--data``, default ``data``).

Exit status 1 on serious or critical HTML violations or on any PDF shortfall, 2 when the check
itself cannot run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import _environment  # noqa: F401  (the project's .venv, or one Swedish line)

from rus_analysis.build.accessibility_check import (
    AccessibilityError,
    axe_check,
    chromium,
    pdf_accessibility_facts,
    screenshot,
)
from rus_analysis.cli.swedish_argparse import argument_parser
from rus_analysis.config.numbers import format_number


def check_html(html: Path, png: Path | None, browser) -> int:
    violations = axe_check(html, browser=browser)
    if png:
        screenshot(html, png, browser=browser)
        print(f"Skärmbild sparad i {png}.")
    if not violations:
        print(f"{html}: inga brister enligt axe-core (WCAG 2.0/2.1 A och AA).")
        return 0
    print(f"{html}: {format_number(len(violations), 0)} regler bryts (WCAG 2.0/2.1 A och AA):")
    for v in violations:
        print(f"  [{v.impact_sv}] {v.rule}: {v.help} – {format_number(v.nodes, 0)} element")
        for target in v.targets[:5]:
            print(f"      {target}")
        if v.nodes > 5:
            print(f"      … och {format_number(v.nodes - 5, 0)} till")
        print(f"      Mer information: {v.help_url}")
    blocking = sum(v.blocking for v in violations)
    if blocking:
        print(f"{format_number(blocking, 0)} av dem är allvarliga eller kritiska och måste åtgärdas.")
        return 1
    return 0


def check_reader(html: Path, data_dir: Path, browser) -> int:
    from rus_analysis.build.html_check import check_downloads, read_html

    manifest = json.loads((html.parent / "manifest.json").read_text(encoding="utf-8"))
    report = read_html(html, browser=browser)
    for width, (scroll, inner) in report.widths.items():
        print(f"  {width} px: scrollWidth {scroll} (fönstret {inner}), axe: "
              f"{format_number(len(report.axe.get(width, [])), 0)} brister")
    print(f"  Tangentbordet når {format_number(report.reached, 0)} av "
          f"{format_number(report.stops, 0)} länkar, tabellområden och knappar.")
    checked, problems = check_downloads(html, report.links, data_dir, int(manifest["data_cutoff"]))
    print(f"  {format_number(len(report.links), 0)} nedladdningslänkar, "
          f"{format_number(checked, 0)} CSV-filer jämförda med {data_dir}.")
    problems = report.problems() + problems
    for problem in problems:
        print(f"  Brist: {problem}")
    return 1 if problems else 0


def check_pdf(pdf: Path) -> int:
    facts = pdf_accessibility_facts(pdf)
    pages = "sida" if facts.pages == 1 else "sidor"
    print(f"{pdf}: {format_number(facts.pages, 0)} {pages}, taggad: {'ja' if facts.tagged else 'nej'}, "
          f"språk: {facts.lang or '–'}, titel: {facts.title or '–'}, "
          f"PDF/UA-del: {facts.pdfua_part if facts.pdfua_part is not None else '–'}")
    problems = facts.problems()
    for problem in problems:
        print(f"  Brist: {problem}")
    return 1 if problems else 0


def main() -> int:
    parser = argument_parser("Tillgänglighetskontroll av den byggda rapporten.")
    parser.add_argument("fil", type=Path, help="rapportens HTML- eller PDF-fil")
    parser.add_argument("--bild", type=Path, default=None, help="spara en skärmbild av HTML-sidan (PNG)")
    parser.add_argument("--lasare", action="store_true",
                        help="läs HTML-sidan som läsare: bredder, tangentbord och nedladdningar")
    parser.add_argument("--data", type=Path, default=Path("data"),
                        help="projektets datamapp att jämföra nedladdningarna med (standard: data)")
    args = parser.parse_args()
    if args.lasare and not args.data.is_dir():
        parser.error(f"datamappen {args.data} finns inte; ange projektets data-mapp med --data")
    try:
        if args.fil.suffix.lower() == ".pdf":
            if args.lasare or args.bild:
                print("Obs: --lasare och --bild gäller HTML-filen; PDF:en kontrolleras utan dem.", file=sys.stderr)
            return check_pdf(args.fil)
        if args.fil.suffix.lower() in (".html", ".htm"):
            with chromium() as browser:  # one launch for every HTML check
                status = check_html(args.fil, args.bild, browser)
                if args.lasare:
                    status = max(status, check_reader(args.fil, args.data, browser))
            return status
        print(f"Fel: {args.fil} är varken en HTML- eller en PDF-fil.", file=sys.stderr)
        return 2
    except AccessibilityError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
