#!/usr/bin/env python3
"""Side-by-side timing of the report build (issue 16), printed in Swedish number format.

    .venv/bin/python scripts/benchmark.py                      # everything, median of three
    .venv/bin/python scripts/benchmark.py --upprepningar 1     # quicker, one run each
    .venv/bin/python scripts/benchmark.py --endast bygge golv  # only some parts
    .venv/bin/python scripts/benchmark.py --tester             # also the fast test suite

Measured in one run, each in a throwaway copy of the project (the real ``_output/`` is never
touched), as the median of ``--upprepningar`` runs after one warm-up run. The builds and the
naive papermill run are measured round-robin (one of each per round), so a change in the
shared machine's load hits them alike and their ratio stays fair:

- **kall** (cold): ``rus rapport`` in a fresh copy (no ``_build/``, no ``_output/``);
- **tvingad** (forced): ``--tvinga`` in a copy that has been built;
- **oförändrad** (no-op): the same command again, nothing changed;
- **papermill**: the naive way, the ``papermill`` command line over the same six notebooks one
  after the other, each on a fresh kernel, no rendering;
- **golvet** (the floor), each measured alone: one kernel start (to ready), the package's
  imports in a fresh Python (``import rus_analysis.report.chapter`` minus an empty Python),
  and one typst compile of the report's typst source;
- ``rus --help``;
- **flera år**: ``--ar 2023 2024 2025`` in one command when the CLI takes several years (else
  the three years one after the other), against one year;
- **fler indikatorer**: a forced build with every series file duplicated under new ids
  (--endast indikatorer), to show how time grows with indicators.

The load average (1 min) is printed beside every measurement: the machine is shared, and a
number measured at load 6 is not the number at load 0. No test asserts on time; this script is
where time is measured.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import _environment  # noqa: F401  (the project's .venv, or one Swedish line)

from rus_analysis.cli.swedish_argparse import argument_parser, positive_count

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUS = BIN / ("rus.exe" if os.name == "nt" else "rus")
PAPERMILL = BIN / ("papermill.exe" if os.name == "nt" else "papermill")
PARTS = ("bygge", "papermill", "golv", "hjalp", "ar", "indikatorer")


# --- helpers ------------------------------------------------------------------------------------

def sv(seconds: float | None, decimals: int = 1, unit: str = " s") -> str:
    """``1.54`` → ``1,5 s`` (Swedish decimal comma; ``–`` when not measured)."""
    if seconds is None:
        return "–"
    return f"{seconds:.{decimals}f}".replace(".", ",").replace("-", "−") + unit


def load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def copy_project(target: Path) -> Path:
    """A throwaway copy of this project's build inputs (one list and one copier, in config.project)."""
    from rus_analysis.config.project import copy_project as copy_inputs

    return copy_inputs(ROOT, target)


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None) -> float:
    """Seconds of wall time for one command; stops the benchmark on a failure."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"Kommandot misslyckades ({done.returncode}): {' '.join(command)}\n{done.stdout[-3000:]}\n"
                 f"{done.stderr[-3000:]}")
    return seconds


class Measurement:
    """The median of several runs and the load average at their start."""

    def __init__(self, name: str, runs: list[float], loads: list[float], note: str = "") -> None:
        self.name, self.runs, self.loads, self.note = name, runs, loads, note

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def row(self) -> str:
        runs = " / ".join(sv(r) for r in self.runs)
        loads = " / ".join(sv(x, 1, "") for x in self.loads)
        return f"| {self.name} | {sv(self.median)} | {runs} | {loads} | {self.note} |"


def measure(name: str, run: Callable[[], float], repeats: int, warmup: bool = True,
            note: str = "") -> Measurement:
    """``repeats`` runs of one thing in a row (for the parts measured alone)."""
    return rounds([(name, run, note)], repeats, warmup)[0]


def rounds(items: list[tuple[str, Callable[[], float], str]], repeats: int, warmup: bool = True) -> list[Measurement]:
    """Round-robin: every item once per round, ``repeats`` rounds (after a warm-up round), so a
    change in the machine's load hits every item alike and the ratios stay fair."""
    if warmup:
        for _, run, _ in items:
            run()
    runs: dict[str, list[float]] = {name: [] for name, _, _ in items}
    loads: dict[str, list[float]] = {name: [] for name, _, _ in items}
    for number in range(repeats):
        for name, run, _ in items:
            loads[name].append(load())
            runs[name].append(run())
            print(f"  omgång {number + 1}: {name}: {sv(runs[name][-1])} (belastning {sv(loads[name][-1], 1, '')})",
                  file=sys.stderr, flush=True)
    return [Measurement(name, runs[name], loads[name], note) for name, _, note in items]


def report_command() -> str:
    """``rapport`` when the CLI has it (issue 15 renames ``report``), else ``report``."""
    done = subprocess.run([str(RUS), "--help"], capture_output=True, text=True)
    return "rapport" if " rapport " in done.stdout or "│ rapport" in done.stdout else "report"


def takes_several_years(command: str) -> bool:
    done = subprocess.run([str(RUS), command, "--help"], capture_output=True, text=True)
    return "flera" in done.stdout.lower() or "år …" in done.stdout or "..." in done.stdout.split("--ar", 1)[-1][:80]


# --- the parts ----------------------------------------------------------------------------------

def build_and_papermill(tmp: Path, year: int, repeats: int, command: str,
                        with_papermill: bool) -> tuple[list[Measurement], Path]:
    """Cold, forced, no-op and (``with_papermill``) the naive papermill run, round-robin."""
    base = [str(RUS), command, "--ar", str(year), "--motor", "inbyggd"]
    counter = iter(range(1000))

    def cold() -> float:
        project = copy_project(tmp / f"kall-{next(counter)}")
        try:
            return timed([*base, "--projekt", str(project)])
        finally:
            shutil.rmtree(project, ignore_errors=True)

    built = copy_project(tmp / "byggd")
    items = [("kall (rus rapport, ny kopia)", cold, ""),
             ("tvingad (--tvinga)", lambda: timed([*base, "--tvinga", "--projekt", str(built)]), ""),
             ("oförändrad (inget ändrat)", lambda: timed([*base, "--projekt", str(built)]), "")]
    if with_papermill:
        project = copy_project(tmp / "papermill")
        chapters = _chapter_notebooks(project)

        def naive() -> float:
            out = tmp / "papermill-ut"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            started = time.perf_counter()
            for notebook in chapters:
                timed([str(PAPERMILL), str(notebook), str(out / notebook.name), "-k", "python3",
                       "--no-progress-bar", "-p", "report_year", str(year), "-p", "params_dir",
                       str(project / "params"), "-p", "data_dir", str(project / "data")], cwd=out)
            return time.perf_counter() - started

        items.append((f"papermill-CLI i följd ({len(chapters)} notebookar, ingen rendering)", naive, ""))
    return rounds(items, repeats), built


def _chapter_notebooks(project: Path) -> list[Path]:
    import yaml

    book = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    paths: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, str):
                paths.append(item)
            elif isinstance(item, dict):
                walk(item.get("chapters", []))
                if "file" in item:
                    paths.append(item["file"])

    walk(book.get("chapters", []))
    walk(book.get("appendices", []))
    return [project / p for p in paths if p.endswith(".ipynb")]


def floor_parts(built: Path, year: int, repeats: int) -> list[Measurement]:
    python = sys.executable

    def kernel_start() -> float:
        code = ("import time,sys\n"
                "from jupyter_client.manager import start_new_kernel\n"
                "t=time.perf_counter(); km,kc=start_new_kernel(kernel_name='python3', startup_timeout=120)\n"
                "print(time.perf_counter()-t); kc.stop_channels(); km.shutdown_kernel(now=True)\n")
        done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "MPLBACKEND": "Agg"})
        return float(done.stdout.strip().splitlines()[-1])

    def imports() -> float:
        empty = timed([python, "-c", "pass"])
        full = timed([python, "-c", "import rus_analysis.report.chapter"])
        return max(0.0, full - empty)

    typ = built / "_build" / str(year) / f"uppfoljningsrapport-{year}.typ"

    def typst_compile() -> float:
        code = ("import sys,time\nfrom pathlib import Path\n"
                "from rus_analysis.build.render.builtin import compile_typst\n"
                "typ=Path(sys.argv[1]); out=typ.with_name('golv.pdf')\n"
                "t=time.perf_counter(); compile_typst(typ, out, 0); print(time.perf_counter()-t)\n"
                "out.unlink()\n")
        done = subprocess.run([python, "-c", code, str(typ)], capture_output=True, text=True, check=True)
        return float(done.stdout.strip().splitlines()[-1])

    results = [measure("kärnstart (till redo)", kernel_start, repeats),
               measure("importer (import rus_analysis.report.chapter)", imports, repeats)]
    if typ.is_file():
        results.append(measure("typst-kompilering av rapporten", typst_compile, repeats))
    return results


def help_part(repeats: int) -> Measurement:
    return measure("rus --help", lambda: timed([str(RUS), "--help"]), repeats)


def years_part(tmp: Path, repeats: int, command: str) -> list[Measurement]:
    """Cold builds (a fresh copy each time) of 2025 alone and of 2023, 2024 and 2025 in one command
    (three commands one after the other when the CLI takes one year), round-robin."""
    years = ["2023", "2024", "2025"]
    template = copy_project(tmp / "flera-ar-mall")
    several = takes_several_years(command)
    counter = iter(range(1000))

    def cold(chosen: list[str]) -> float:
        project = tmp / f"flera-ar-{next(counter)}"
        shutil.copytree(template, project)
        base = [str(RUS), command, "--motor", "inbyggd", "--projekt", str(project)]
        try:
            if several or len(chosen) == 1:
                return timed([*base, "--ar", *chosen])
            return sum(timed([*base, "--ar", y]) for y in chosen)
        finally:
            shutil.rmtree(project, ignore_errors=True)

    note = "ett kommando" if several else "tre kommandon i följd (CLI:n tar ett år)"
    return rounds([("kall, ett år (2025)", lambda: cold(["2025"]), ""),
                   ("kall, tre år (2023–2025)", lambda: cold(years), note)], repeats, warmup=False)


def double_indicators(project: Path) -> int:
    """Give every indicator with data a twin (``<id>_b``, the same rows, its own provenance) in
    the same kraftsamling, shown by that kraftsamling's chapter: twice the indicators and charts,
    the same six notebooks. Returns the number of indicators."""
    import hashlib
    import json as json_lib

    import yaml

    catalogue_file = project / "params" / "indikatorer.yml"
    catalogue = yaml.safe_load(catalogue_file.read_text(encoding="utf-8"))
    items = catalogue["indicators"]
    series = project / "data" / "series"
    twins = []
    for item in items:
        csv = series / f"{item['id']}.csv"
        if not csv.is_file():
            continue
        twin = f"{item['id']}_b"
        text = csv.read_text(encoding="utf-8").replace(f"\n{item['id']},", f"\n{twin},")
        (series / f"{twin}.csv").write_text(text, encoding="utf-8")
        provenance = yaml.safe_load((series / f"{item['id']}.provenance.yml").read_text(encoding="utf-8"))
        provenance["indicator"] = twin
        provenance["series"].update(file=f"{twin}.csv", sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
        (series / f"{twin}.provenance.yml").write_text(yaml.safe_dump(provenance, allow_unicode=True),
                                                       encoding="utf-8")
        twins.append(dict(item, id=twin, title=f"{item['title']} (kopia)"))
        notebook = project / "notebooks" / f"{item['kraftsamling']}.ipynb"
        nb = json_lib.loads(notebook.read_text(encoding="utf-8"))
        nb["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                            "source": f'report.show_indicator("{twin}")'})
        notebook.write_text(json_lib.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    # Each twin right after its original: the catalogue's order is the chapters' order.
    ordered = []
    for item in items:
        ordered.append(item)
        ordered += [t for t in twins if t["id"] == f"{item['id']}_b"]
    catalogue["indicators"] = ordered
    catalogue_file.write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(ordered)


def indicators_part(tmp: Path, year: int, repeats: int, command: str) -> list[Measurement]:
    """Cold builds (a fresh copy each time, no caches) of the project and of the project with every
    indicator that has data doubled (:func:`double_indicators`), round-robin."""
    doubled = copy_project(tmp / "dubbla-mall")
    count = double_indicators(doubled)
    plain = copy_project(tmp / "enkla-mall")
    counter = iter(range(1000))

    def cold(template: Path) -> float:
        project = tmp / f"indikatorer-{next(counter)}"
        shutil.copytree(template, project)
        try:
            return timed([str(RUS), command, "--ar", str(year), "--motor", "inbyggd", "--projekt", str(project)])
        finally:
            shutil.rmtree(project, ignore_errors=True)

    return rounds([("kall, katalogens indikatorer", lambda: cold(plain), ""),
                   (f"kall, {count} indikatorer (varje serie två gånger)", lambda: cold(doubled), "")],
                  repeats)


def test_suite() -> tuple[float, str]:
    """The fast suite as `pytest -m "not langsam"` runs it (on every core, pyproject.toml). Its
    own temporary folder: concurrent pytest runs of one user remove each other's default one."""
    basetemp = Path(tempfile.mkdtemp(prefix="rus-benchmark-tester-"))
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "-m", "not langsam", "-q", "-p", "no:cacheprovider",
                               f"--basetemp={basetemp}", "--durations=30"], cwd=ROOT, capture_output=True, text=True)
    finally:
        seconds = time.perf_counter() - started
        shutil.rmtree(basetemp, ignore_errors=True)
    return seconds, done.stdout[-6000:]


# --- main ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argument_parser(
        "Mäter rapportbygget sida vid sida: kallt, tvingat och oförändrat bygge, naiv papermill i "
        "följd, golvet (kärnstart, importer, typst), flera år och fler indikatorer, och kvoterna. "
        "Siffrorna skrivs med svensk talformatering.")
    parser.add_argument("--ar", type=int, default=2025, help="rapportåret som byggs (standard 2025)")
    parser.add_argument("--upprepningar", type=positive_count, default=3, help="körningar per mätning (medianen visas)")
    parser.add_argument("--endast", nargs="+", choices=PARTS, default=None,
                        help="bara dessa delar (standard: alla utom indikatorer)")
    parser.add_argument("--tester", action="store_true", help="mät också den snabba testsviten")
    parser.add_argument("--json", type=Path, default=None, help="skriv mätningarna som JSON hit")
    args = parser.parse_args()
    parts = set(args.endast or [p for p in PARTS if p != "indikatorer"])
    command = report_command()
    rows: list[Measurement] = []
    summary: dict[str, float] = {}
    print(f"Mäter (median av {args.upprepningar}, efter en uppvärmning); belastning vid start "
          f"{sv(load(), 2, '')}, {os.cpu_count()} kärnor.", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="rus-benchmark-") as tmp_name:
        tmp = Path(tmp_name)
        built = None
        if parts & {"bygge", "golv", "ar", "papermill"}:
            build_rows, built = build_and_papermill(tmp, args.ar, args.upprepningar, command,
                                                    with_papermill="papermill" in parts)
            rows += build_rows
            summary.update(kall=build_rows[0].median, tvingad=build_rows[1].median,
                           oforandrad=build_rows[2].median)
            if "papermill" in parts:
                summary["papermill"] = build_rows[3].median
        if "golv" in parts and built is not None:
            floor = floor_parts(built, args.ar, args.upprepningar)
            rows += floor
            summary["golv"] = sum(m.median for m in floor)
        if "hjalp" in parts:
            helped = help_part(args.upprepningar)
            rows.append(helped)
            summary["hjalp"] = helped.median
        if "ar" in parts:
            year_rows = years_part(tmp, args.upprepningar, command)
            rows += year_rows
            summary["ett_ar"], summary["tre_ar"] = year_rows[0].median, year_rows[1].median
        if "indikatorer" in parts:
            rows += indicators_part(tmp, args.ar, args.upprepningar, command)
    print(f"\nrus {command} --ar {args.ar} --motor inbyggd; median av {args.upprepningar} körningar\n")
    print("| mätning | median | körningar | belastning (1 min) | anm. |")
    print("|---|---:|---|---|---|")
    for row in rows:
        print(row.row())
    ratios = []
    if "papermill" in summary:
        for key, label in (("tvingad", "tvingad / papermill"), ("kall", "kall / papermill")):
            if key in summary:
                ratios.append((label, summary[key] / summary["papermill"], "mål ≤ 0,33"))
    if "golv" in summary and "tvingad" in summary:
        ratios.append(("tvingad / golvet", summary["tvingad"] / summary["golv"], ""))
        print(f"| golvet (kärnstart + importer + typst) | {sv(summary['golv'])} | | | |")
    if "tre_ar" in summary:
        ratios.append(("tre år / ett år (kalla)", summary["tre_ar"] / summary["ett_ar"], "mål ≤ 1,5"))
    if ratios:
        print("\n| kvot | värde | anm. |\n|---|---:|---|")
        for label, value, note in ratios:
            print(f"| {label} | {sv(value, 2, '')} | {note} |")
    if args.tester:
        print("\nSnabba testsviten (pytest -m \"not langsam\") …", file=sys.stderr, flush=True)
        before = load()
        seconds, tail = test_suite()
        summary["tester"] = seconds
        print(f"\nSnabba testsviten: {sv(seconds)} (belastning vid start {sv(before, 1, '')})\n")
        print(tail)
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "rows": [
            {"name": m.name, "median": m.median, "runs": m.runs, "loads": m.loads} for m in rows]},
            ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
