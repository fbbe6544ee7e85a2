#!/usr/bin/env python3
"""Time `rus report` for one year: a first run, repeated forced runs, and an unchanged rerun.

    .venv/bin/python scripts/benchmark.py --ar 2025 --upprepningar 2

Builds in a temporary copy of the project so the real _output/ is untouched. Prints the
seconds per stage (each notebook, each output format).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from rus_analysis.build.pipeline import build_report
from rus_analysis.config.numbers import format_number

ROOT = Path(__file__).resolve().parents[1]
COPY = ["_quarto.yml", "index.qmd", "notebooks", "params", "data"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ar", type=int, default=None)
    parser.add_argument("--motor", default="auto")
    parser.add_argument("--upprepningar", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in COPY:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("figurer"))
            else:
                shutil.copy2(source, project / name)
        runs = []
        for _run in range(1 + args.upprepningar):
            result = build_report(project, args.ar, engine=args.motor, force=True)
            runs.append(result.timings)
        started = time.perf_counter()
        skipped = build_report(project, args.ar, engine=args.motor)
        skip_seconds = time.perf_counter() - started
    stages = list(runs[0])
    header = f"{'steg':32}" + "".join(f"{'körning ' + str(i + 1):>12}" for i in range(len(runs)))
    print(f"rus report --ar {result.year} --motor {result.engine}  (sekunder)")
    print(header)
    for stage in stages:
        print(f"{stage:32}" + "".join(f"{format_number(r.get(stage), 2):>12}" for r in runs))
    print(f"{'oförändrade indata (hoppas över)':32}{format_number(skip_seconds, 2):>12}"
          f"  {'hoppades över' if skipped.skipped else 'byggdes om'}")


if __name__ == "__main__":
    main()
