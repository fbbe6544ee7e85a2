"""What a change does to the report, for reviewers: ``rus jamfor A B``.

Compares two report years of one project, or one report year at two git revisions, and writes a
Markdown summary ready to paste into a pull request: verdicts that changed, values that changed
beyond the rounding the report prints, indicators that gained or lost data, and the analysts'
commentary that changed.

A git revision is materialised with ``git archive`` into a temporary folder and assessed with
*that revision's own code* (a subprocess with the revision's ``rus_analysis`` first on
``sys.path``), so a change to the assessment code shows up exactly like a change to data or
thresholds. Only the status tables are computed; nothing is built or rendered.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rus_analysis.config.numbers import format_number
from rus_analysis.errors import BuildError

# One row per indicator × region × group × comparison × horizon.
KEY = ["indicator", "region_code", "sex", "group", "comparison", "horizon"]
STATUS_COLUMNS = [*KEY, "status", "words", "base_year", "latest_year", "latest_value", "measure", "rate",
                  "required_rate", "ratio"]
HORIZON_WORDS = {"lang": "sedan basåret", "kort": "senaste åren"}
SEX_WORDS = {"T": "", "K": "kvinnor", "M": "män"}
# What a revision needs to be assessed (code, params, data); never the build outputs.
REVISION_PATHS = ("rus_analysis", "params", "data", "kommentarer", "_quarto.yml", "pyproject.toml")


def status_long(project: Path, year: int) -> pd.DataFrame:
    """The report year's full status table in long form, as the report assesses it.

    Columns: ``KEY`` (str; ``horizon`` is ``lang`` = since the base year or ``kort`` = the last
    ``kort_horisont_ar`` years), ``status`` and ``words`` (str), ``base_year`` and ``latest_year``
    (Int64), ``latest_value``, ``rate``, ``required_rate``, ``ratio`` (float64), ``measure`` (str).
    Sorted by ``KEY``. Built exactly as the report builds it (``Report.status``) from the
    project's ``params/`` and ``data/``. Raises ConfigError/DataError for a broken project.
    """
    from rus_analysis.report.chapter import open_report

    table = open_report(year, project / "params", project / "data").status
    long = table.assign(horizon="lang", rate=table["actual_change"], required_rate=table["required_change"])
    short = table.assign(horizon="kort", status=table["short_term_status"], words=table["short_term_words"],
                         base_year=table["short_term_base_year"],
                         latest_year=table["short_term_latest_year"],
                         latest_value=table.get("short_term_latest_value", table["latest_value"]),
                         measure=table["short_term_measure"], rate=table["short_term_actual_change"],
                         required_rate=None, ratio=None)
    frame = pd.concat([long, short], ignore_index=True)[STATUS_COLUMNS]
    for column in ("base_year", "latest_year"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("latest_value", "rate", "required_rate", "ratio"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    for column in ("status", "words", "measure", *KEY):
        frame[column] = frame[column].fillna("").astype(str)
    return frame.sort_values(KEY, kind="mergesort").reset_index(drop=True)


@dataclass
class Changes:
    """The differences between two status tables (A = before, B = after).

    Each list holds plain dicts with the row's ``KEY`` fields plus ``before`` / ``after``.
    """

    label_a: str
    label_b: str
    verdicts: list[dict] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    gained: list[dict] = field(default_factory=list)
    lost: list[dict] = field(default_factory=list)
    commentary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing a reviewer would see changed (notes do not count)."""
        return not (self.verdicts or self.values or self.gained or self.lost or self.commentary)


def compare_status(before: pd.DataFrame, after: pd.DataFrame, label_a: str, label_b: str,
                   titles: dict[str, str] | None = None) -> Changes:
    """Compare two ``status_long`` tables row by row on ``KEY``.

    * verdict changed: ``words`` differ (a row present on one side only counts as gained/lost);
    * value changed: same latest year, and the latest value as the report prints it
      (``format_number``) differs — a change below the printed rounding is not a change;
    * gained data: no latest year before, one after, or a later latest year;
      lost data: the reverse.
    ``titles`` maps indicator id → title for the summary (ids are kept when missing).
    """
    titles = titles or {}
    merged = before.merge(after, on=KEY, how="outer", suffixes=("_a", "_b"), indicator="side")
    changes = Changes(label_a, label_b)
    for record in merged.to_dict("records"):
        base = {k: record[k] for k in KEY} | {"title": titles.get(record["indicator"], record["indicator"])}
        year_a, year_b = record.get("latest_year_a"), record.get("latest_year_b")
        has_a, has_b = not _missing(year_a), not _missing(year_b)
        if record["side"] == "both" and record["words_a"] != record["words_b"]:
            changes.verdicts.append(base | {"before": record["words_a"], "after": record["words_b"]})
        if has_b and (not has_a or year_b > year_a):
            changes.gained.append(base | {"before": int(year_a) if has_a else None, "after": int(year_b)})
        elif has_a and (not has_b or year_b < year_a):
            changes.lost.append(base | {"before": int(year_a), "after": int(year_b) if has_b else None})
        elif has_a and has_b and year_a == year_b:
            value_a, value_b = record["latest_value_a"], record["latest_value_b"]
            if _printed(value_a) != _printed(value_b):
                changes.values.append(base | {"year": int(year_a), "before": value_a, "after": value_b})
    return changes


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _printed(value) -> str:
    return "–" if _missing(value) else format_number(float(value))


def commentary_changes(root_a: Path, year_a: int, root_b: Path, year_b: int) -> list[str]:
    """Commentary files (``kommentarer/<år>/*.md``) added, removed or edited between A and B,
    as Swedish sentences. Files are compared by name and content."""
    def files(root: Path, year: int) -> dict[str, bytes]:
        folder = root / "kommentarer" / str(year)
        return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))} if folder.is_dir() else {}

    a, b = files(root_a, year_a), files(root_b, year_b)
    out = [f"{name}: ny" for name in sorted(b.keys() - a.keys())]
    out += [f"{name}: borttagen" for name in sorted(a.keys() - b.keys())]
    out += [f"{name}: ändrad" for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    return out


def _group_words(sex: str, group: str, comparison: str) -> str:
    parts = [SEX_WORDS.get(sex, sex)]
    if group and group != "totalt":
        parts.append(group)
    if comparison:
        parts.append(comparison)
    return ", ".join(p for p in parts if p) or "totalt"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def changes_markdown(changes: Changes, region_names: dict[str, str]) -> str:
    """The reviewer's summary as GitHub-flavoured Markdown (Swedish)."""
    lines = [f"## Jämförelse: {changes.label_a} → {changes.label_b}", ""]
    if changes.empty:
        lines += ["Inga bedömningar, värden, datatäckning eller kommentarer har ändrats.", ""]
    counts = (f"{len(changes.verdicts)} ändrade bedömningar, {len(changes.values)} ändrade värden, "
              f"{len(changes.gained)} med nya data, {len(changes.lost)} med färre data, "
              f"{len(changes.commentary)} ändrade kommentarer.")
    lines += [counts, ""]

    def table(title: str, header: list[str], rows: list[list[str]]) -> None:
        if not rows:
            return
        lines.extend([f"### {title}", "", "| " + " | ".join(header) + " |",
                      "|" + "---|" * len(header)])
        lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
        lines.append("")

    def where(item: dict) -> list[str]:
        return [item["title"], region_names.get(item["region_code"], item["region_code"]),
                _group_words(item["sex"], item["group"], item["comparison"]),
                HORIZON_WORDS.get(item["horizon"], item["horizon"])]

    head = ["Indikator", "Område", "Grupp", "Horisont"]
    table("Ändrade bedömningar", [*head, "Före", "Efter"],
          [[*where(i), i["before"] or "–", i["after"] or "–"] for i in changes.verdicts])
    table("Ändrade värden (utöver avrundning)", [*head, "År", "Före", "Efter"],
          [[*where(i), str(i["year"]), _printed(i["before"]), _printed(i["after"])]
           for i in changes.values if i["horizon"] == "lang"])
    table("Nya data", [*head, "Senaste år före", "Senaste år efter"],
          [[*where(i), str(i["before"] or "–"), str(i["after"])] for i in changes.gained
           if i["horizon"] == "lang"])
    table("Färre data", [*head, "Senaste år före", "Senaste år efter"],
          [[*where(i), str(i["before"]), str(i["after"] or "–")] for i in changes.lost
           if i["horizon"] == "lang"])
    if changes.commentary:
        lines += ["### Ändrade kommentarer", "", *(f"- {c}" for c in changes.commentary), ""]
    if changes.notes:
        lines += ["### Att tänka på", "", *(f"- {n}" for n in changes.notes), ""]
    return "\n".join(lines).rstrip() + "\n"


def git_toplevel(root: Path) -> Path | None:
    """The git work tree that holds ``root``, or None outside git."""
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True)
    return Path(done.stdout.strip()) if done.returncode == 0 else None


def is_revision(root: Path, name: str) -> bool:
    """True when ``name`` names a commit in the project's git repository."""
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], cwd=root,
                          capture_output=True, text=True)
    return done.returncode == 0


def materialise_revision(root: Path, revision: str, target: Path) -> Path:
    """Extract the project folder at ``revision`` (only ``REVISION_PATHS``) into ``target``.

    Returns the project folder inside ``target`` (the project may sit below the git top level).
    Raises BuildError (Swedish) when git cannot read the revision.
    """
    top = git_toplevel(root)
    if top is None:
        raise BuildError(f"{root} ligger inte i ett git-arkiv, så revisioner kan inte jämföras.")
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    paths = [f"{prefix}{p}" for p in REVISION_PATHS]
    listing = subprocess.run(["git", "ls-tree", "--name-only", revision, "--", *paths], cwd=top,
                             capture_output=True, text=True)
    if listing.returncode != 0:
        raise BuildError(f"Kan inte läsa revisionen {revision!r} i git: {listing.stderr.strip()}")
    present = listing.stdout.split()
    archive = subprocess.run(["git", "archive", "--format=tar", revision, "--", *present], cwd=top,
                             capture_output=True)
    if archive.returncode != 0:
        raise BuildError(f"git archive misslyckades för {revision!r}: "
                         f"{archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target / prefix if prefix else target


def revision_status(project: Path, year: int, out_csv: Path) -> tuple[pd.DataFrame, str | None]:
    """Assess a materialised revision with its own code; fall back to this code with a note.

    Runs ``python -m rus_analysis.build.review`` with the revision's folder first on
    ``PYTHONPATH``. A revision older than this module cannot do that: then the current code
    assesses the revision's params and data, and the returned note says so.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(project), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "rus_analysis.build.review", str(project), str(year),
                           str(out_csv)], cwd=project, env=env, capture_output=True, text=True)
    if done.returncode == 0 and out_csv.is_file():
        return _read_status_csv(out_csv), None
    if "No module named" in done.stderr and "rus_analysis.build.review" in done.stderr:
        note = (f"Revisionen i {project.name} saknar jämförelsefunktionen; dess data och parametrar "
                "bedömdes med den nuvarande koden.")
        return status_long(project, year), note
    last = done.stderr.strip().splitlines()[-1:] or ["okänt fel"]
    raise BuildError(f"Bedömningen av {project.name} för {year} misslyckades: {last[0]}")


def _read_status_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={c: str for c in ("status", "words", "measure", *KEY)},
                        keep_default_na=False, na_values={c: [""] for c in STATUS_COLUMNS
                                                          if c not in ("status", "words", "measure", *KEY)})
    for column in ("base_year", "latest_year"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    return frame


def _main(argv: list[str]) -> int:
    """Subprocess entry for ``revision_status``: ``python -m rus_analysis.build.review PROJECT YEAR OUT``."""
    project, year, out = Path(argv[0]), int(argv[1]), Path(argv[2])
    status_long(project, year).to_csv(out, index=False, lineterminator="\n", float_format="%.10g")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
