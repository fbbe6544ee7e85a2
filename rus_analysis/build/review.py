"""What a change does to the report, for reviewers: ``rus jamfor A B``.

Compares two report years of one project, or one report year at two git revisions, and writes a
Markdown summary ready to paste into a pull request: verdicts that changed, values that changed
beyond the rounding the report prints, series that gained or lost data, and the analysts'
commentary that changed. Indicators are named by their titles (this is a reviewer's tool, but the
words are the report's).

A git revision is materialised with ``git archive`` into a temporary folder and assessed with
*that revision's own code*: a subprocess in the revision's folder, with the folder first on
``PYTHONPATH``, imports the revision's package (and refuses any other), computes the status table
as that revision's report would (``open_report(...).status``) and writes it as CSV. So a change to
the assessment code shows up exactly like a change to data or thresholds. Only the status tables
are computed; nothing is built or rendered, no PDF. The subprocess uses this environment's
libraries; a revision that needs others fails with a Swedish message naming the revision.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from rus_analysis.config.numbers import format_number
from rus_analysis.errors import BuildError

# One row per indicator × region × sex × group × comparison × horizon.
KEY = ["indicator", "region_code", "sex", "group", "comparison", "horizon"]
TEXT_COLUMNS = ["title", "region_name", "group_label", "status", "words"]
NUMBER_COLUMNS = ["base_year", "base_value", "latest_year", "latest_value", "decimals", "row"]
STATUS_COLUMNS = [*KEY, *TEXT_COLUMNS, *NUMBER_COLUMNS]
HORIZON_WORDS = {"lang": "sedan basåret", "kort": "senaste åren"}  # in the summary's order
# What a revision needs to be assessed (code, params, data, commentary); never the build outputs.
REVISION_PATHS = ("rus_analysis", "params", "data", "kommentarer", "_quarto.yml", "pyproject.toml")
COMMENTS_DIR = "kommentarer"


def status_long(project: Path, year: int) -> pd.DataFrame:
    """The report year's full status table in long form, as the report assesses it.

    One row per ``KEY``; ``horizon`` is ``lang`` (since the base year) or ``kort`` (the last
    ``kort_horisont_ar`` years). Columns: ``KEY`` and ``TEXT_COLUMNS`` (str: the indicator's
    title, the region's name, the group as the report words it, the class and its words),
    ``base_year``/``latest_year`` (Int64), ``base_value``/``latest_value`` (float64, in the
    indicator's unit), ``decimals`` (Int64, the decimals the report prints) and ``row`` (Int64, the
    row's place in the report's status table: catalogue order, region before riket). Sorted by ``KEY``.
    Built exactly as the report builds it (``Report.status``) from the project's ``params/`` and
    ``data/``. Raises ConfigError/DataError for a broken project.
    """
    from rus_analysis.report.chapter import open_report

    report = open_report(year, project / "params", project / "data", project)
    long = long_form(report.status, {i.id: i.decimals for i in report.catalogue.indicators})
    return with_shown_years(long, project, year)


def _cutoff(project: Path, year: int) -> int:
    """``data_till_och_med`` of ``params/<year>.yml``, read leniently (else the year before)."""
    try:
        data = yaml.safe_load((project / "params" / f"{year}.yml").read_text(encoding="utf-8"))
        return int(data["data_till_och_med"])
    except (OSError, yaml.YAMLError, UnicodeDecodeError, KeyError, TypeError, ValueError):
        return year - 1


def with_shown_years(long: pd.DataFrame, project: Path, year: int) -> pd.DataFrame:
    """``long`` (a :func:`status_long` table) with the latest year and value the report shows
    filled in on long-horizon rows the assessment left without them (a series that could not be
    assessed, e.g. one point only, is still shown): the latest year up to ``data_till_och_med``
    with a value in ``data/series/<id>.csv`` for the row's region, sex and group. Rows the data
    do not hold as such (derived groups such as a gap between two groups) stay empty."""
    empty = long["latest_year"].isna() & (long["horizon"] == "lang")
    if not empty.any():
        return long
    cutoff = _cutoff(project, year)
    long = long.copy()
    for indicator, rows in long[empty].groupby("indicator", sort=False):
        path = project / "data" / "series" / f"{indicator}.csv"
        try:
            data = pd.read_csv(path, dtype={"region_code": str, "sex": str, "group": str},
                               keep_default_na=False, na_values=[""], encoding="utf-8")
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        if not {"region_code", "sex", "group", "year", "value"} <= set(data.columns):
            continue
        data = data[pd.to_numeric(data["value"], errors="coerce").notna()
                    & (pd.to_numeric(data["year"], errors="coerce") <= cutoff)]
        latest = (data.assign(year=pd.to_numeric(data["year"]), value=pd.to_numeric(data["value"]))
                  .sort_values("year").groupby(["region_code", "sex", "group"]).last())
        for index, row in rows.iterrows():
            key = (row["region_code"], row["sex"], row["group"])
            if key in latest.index:
                long.loc[index, "latest_year"] = int(latest.loc[key, "year"])
                long.loc[index, "latest_value"] = float(latest.loc[key, "value"])
    return long


# What long_form reads from a status table; a revision's older table may lack some (then empty).
RAW_COLUMNS = ["indicator", "region_code", "sex", "group", "comparison", "title", "region_name", "group_label",
               "status", "words", "base_year", "base_value", "latest_year", "latest_value", "short_term_status",
               "short_term_words", "short_term_base_year", "short_term_latest_year", "short_term_latest_value"]


def long_form(table: pd.DataFrame, decimals: dict[str, int]) -> pd.DataFrame:
    """A report's status table (``assessment.status_table``, one row per indicator × region ×
    group) in the long form of :func:`status_long`: each row twice, for the long and the short
    horizon. ``decimals`` maps indicator id → decimals the report prints (default 1). Columns a
    table lacks (an older revision's) are empty."""
    table = table.reset_index(drop=True).copy()
    for column in RAW_COLUMNS:
        if column not in table.columns:
            table[column] = None
    table = table.assign(decimals=table["indicator"].map(lambda i: decimals.get(i, 1)), row=range(len(table)))
    long = table.assign(horizon="lang")
    short = table.assign(horizon="kort", status=table["short_term_status"], words=table["short_term_words"],
                         base_year=table["short_term_base_year"], base_value=None,
                         latest_year=table["short_term_latest_year"],
                         latest_value=table["short_term_latest_value"])
    return _typed(pd.concat([long, short], ignore_index=True)[STATUS_COLUMNS])


def _number(column: pd.Series) -> pd.Series:
    """Numbers from a column that may hold None, NaN or empty text (a CSV's empty cell)."""
    text = column.astype(object)
    return pd.to_numeric(text.where(~text.map(lambda v: isinstance(v, str) and not v.strip()), None))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("base_year", "latest_year", "decimals", "row"):
        frame[column] = _number(frame[column]).astype("Int64")
    for column in ("base_value", "latest_value"):
        frame[column] = _number(frame[column]).astype("float64")
    for column in (*KEY, *TEXT_COLUMNS):
        frame[column] = frame[column].fillna("").astype(str)
    return frame.sort_values(KEY, kind="mergesort").reset_index(drop=True)


@dataclass
class Changes:
    """The differences between two status tables (A = before, B = after).

    Each list holds plain dicts: ``where`` (indicator title, region, group, horizon as the
    summary prints them) and ``before`` / ``after``; value changes also ``year`` and
    ``decimals``. ``commentary`` holds (name, what happened) pairs; ``notes`` free sentences.
    """

    label_a: str
    label_b: str
    verdicts: list[dict] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    gained: list[dict] = field(default_factory=list)
    lost: list[dict] = field(default_factory=list)
    commentary: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing a reviewer would see changed (notes do not count)."""
        return not (self.verdicts or self.values or self.gained or self.lost or self.commentary)


def compare_status(before: pd.DataFrame, after: pd.DataFrame, label_a: str, label_b: str) -> Changes:
    """Compare two ``status_long`` tables row by row on ``KEY``.

    Changes are listed in the report's order (``row``), the long horizon before the short.

    * verdict changed: a row on both sides whose ``words`` differ (both horizons);
    * the rest only on the long horizon (the short one repeats the same values):
      gained data: no latest year before and one after, or a later latest year; lost data:
      the reverse (a row on one side only counts when it has data);
      value changed: the same year (latest, or base) with a value that prints differently with
      the indicator's decimals — a change below the report's rounding is not a change.
    """
    merged = before.merge(after, on=KEY, how="outer", suffixes=("_a", "_b"), indicator="side")
    # The report's order: B's row (A's for a row B lacks), the long horizon first.
    merged["_order"] = merged["row_b"].fillna(merged["row_a"]).fillna(-1)
    merged["_horizon"] = merged["horizon"].map({h: i for i, h in enumerate(HORIZON_WORDS)}).fillna(len(HORIZON_WORDS))
    merged = merged.sort_values(["_order", "_horizon", *KEY], kind="mergesort")
    changes = Changes(label_a, label_b)
    for record in merged.to_dict("records"):
        where = _where(record)
        if record["side"] == "both" and record["words_a"] != record["words_b"]:
            changes.verdicts.append(where | {"before": record["words_a"], "after": record["words_b"]})
        if record["horizon"] != "lang":
            continue
        year_a, year_b = _year(record.get("latest_year_a")), _year(record.get("latest_year_b"))
        if year_b is not None and (year_a is None or year_b > year_a):
            changes.gained.append(where | {"before": year_a, "after": year_b})
        elif year_a is not None and (year_b is None or year_b < year_a):
            changes.lost.append(where | {"before": year_a, "after": year_b})
        decimals = _year(_first(record, "decimals")) or 0
        for kind in ("base", "latest"):
            year = _year(record.get(f"{kind}_year_a"))
            if year is None or year != _year(record.get(f"{kind}_year_b")):
                continue
            value_a, value_b = record[f"{kind}_value_a"], record[f"{kind}_value_b"]
            if _printed(value_a, decimals) != _printed(value_b, decimals):
                changes.values.append(where | {"year": year, "before": value_a, "after": value_b,
                                               "decimals": decimals})
    return changes


def _first(record: dict, column: str):
    """The B side's value of ``column``, else A's (a row may exist on one side only)."""
    value = record.get(f"{column}_b")
    return record.get(f"{column}_a") if _missing(value) or value == "" else value


def _where(record: dict) -> dict:
    group = _first(record, "group_label") or "totalt"
    comparison = record["comparison"]
    if comparison:
        group = comparison if group == "totalt" else f"{group}, {comparison}"
    return {"title": _first(record, "title") or record["indicator"],
            "region": _first(record, "region_name") or record["region_code"],
            "group": group, "horizon": HORIZON_WORDS.get(record["horizon"], record["horizon"])}


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _year(value) -> int | None:
    return None if _missing(value) else int(value)


def _printed(value, decimals: int) -> str:
    return "–" if _missing(value) else format_number(float(value), decimals)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _visible(text: str) -> str:
    """What a reader sees of a comment file: no front matter, no HTML comments, no edge blanks."""
    return _HTML_COMMENT.sub("", _FRONT_MATTER.sub("", text.replace("\r\n", "\n"), count=1)).strip()


def titles_of(project: Path) -> dict[str, str]:
    """``{id: title}`` for the indicators and kraftsamlingar of ``params/indikatorer.yml``, read
    leniently (plain YAML), so a revision's older catalogue format still gives names. Empty
    when the file is missing or unreadable."""
    try:
        data = yaml.safe_load((project / "params" / "indikatorer.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    titles = {}
    for key in ("kraftsamlingar", "indicators"):
        for item in (data or {}).get(key) or []:
            if isinstance(item, dict) and "id" in item:
                titles[str(item["id"])] = str(item.get("title") or item["id"])
    return titles


def commentary_changes(root_a: Path, year_a: int, root_b: Path, year_b: int,
                       titles: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Comments (``kommentarer/<år>/<id>.md``) added, removed or edited between A and B, as
    ``(name, "ny" | "borttagen" | "ändrad")`` in name order. Files are matched by id and compared
    on what a reader sees (front matter and HTML comments ignored: a new data fingerprint or
    year is not an edit). ``name`` is the title with the id in parentheses."""
    titles = titles or {}

    def files(root: Path, year: int) -> dict[str, str]:
        folder = root / COMMENTS_DIR / str(year)
        if not folder.is_dir():
            return {}
        return {p.stem: _visible(p.read_text(encoding="utf-8-sig", errors="replace"))
                for p in sorted(folder.glob("*.md"))}

    a, b = files(root_a, year_a), files(root_b, year_b)
    found = [(i, "ny") for i in b.keys() - a.keys() if b[i]]
    found += [(i, "borttagen") for i in a.keys() - b.keys() if a[i]]
    found += [(i, "ändrad") for i in a.keys() & b.keys() if a[i] != b[i]]
    return sorted((f"{titles.get(i, i)} ({i})" if i in titles else i, what) for i, what in found)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def changes_markdown(changes: Changes) -> str:
    """The reviewer's summary as GitHub-flavoured Markdown (Swedish), ending in one newline.

    A heading with both labels, one line of counts, then a table per kind of change that has
    any (Ändrade bedömningar, Ändrade värden, Nya data, Färre data), the changed comments and
    notes. Indicators are named by title; numbers are Swedish with the report's decimals and
    right-aligned.
    """
    lines = [f"## Jämförelse: {changes.label_a} → {changes.label_b}", ""]
    if changes.empty:
        lines += ["Inga bedömningar, värden, dataår eller kommentarer har ändrats.", ""]
    else:
        lines += [", ".join([
            _count(len(changes.verdicts), "ändrad bedömning", "ändrade bedömningar"),
            _count(len(changes.values), "ändrat värde", "ändrade värden"),
            _count(len(changes.gained), "serie med nya data", "serier med nya data"),
            _count(len(changes.lost), "serie med färre data", "serier med färre data"),
            _count(len(changes.commentary), "ändrad kommentar", "ändrade kommentarer"),
        ]) + ".", ""]

    def table(title: str, header: list[str], rows: list[list[str]], numbers: int = 0) -> None:
        """A pipe table; its last ``numbers`` columns (years, values) right-aligned."""
        if rows:
            rule = "|" + "---|" * (len(header) - numbers) + "---:|" * numbers
            lines.extend([f"### {title}", "", "| " + " | ".join(header) + " |", rule])
            lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
            lines.append("")

    def where(item: dict) -> list[str]:
        return [item["title"], item["region"], item["group"]]

    def year(value: int | None) -> str:
        return "–" if value is None else str(value)

    head = ["Indikator", "Område", "Grupp"]
    table("Ändrade bedömningar", [*head, "Horisont", "Före", "Efter"],
          [[*where(i), i["horizon"], i["before"] or "–", i["after"] or "–"] for i in changes.verdicts])
    table("Ändrade värden (utöver avrundningen)", [*head, "År", "Före", "Efter"],
          [[*where(i), str(i["year"]), _printed(i["before"], i["decimals"]), _printed(i["after"], i["decimals"])]
           for i in changes.values], numbers=3)
    table("Nya data", [*head, "Senaste år före", "Senaste år efter"],
          [[*where(i), year(i["before"]), year(i["after"])] for i in changes.gained], numbers=2)
    table("Färre data", [*head, "Senaste år före", "Senaste år efter"],
          [[*where(i), year(i["before"]), year(i["after"])] for i in changes.lost], numbers=2)
    if changes.commentary:
        lines += ["### Ändrade kommentarer", "", *(f"- {name}: {what}" for name, what in changes.commentary), ""]
    if changes.notes:
        lines += ["### Att tänka på", "", *(f"- {n}" for n in changes.notes), ""]
    return "\n".join(lines).rstrip() + "\n"


def _git(args: list[str], cwd: Path, text: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=text)


def git_toplevel(root: Path) -> Path | None:
    """The git work tree that holds ``root``, or None outside git (or without git)."""
    try:
        done = _git(["rev-parse", "--show-toplevel"], root)
    except FileNotFoundError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 else None


def is_revision(root: Path, name: str) -> bool:
    """True when ``name`` names a commit in the project's git repository."""
    if git_toplevel(root) is None or name.startswith("-"):
        return False
    return _git(["rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], root).returncode == 0


def short_revision(root: Path, name: str) -> str:
    """The abbreviated commit id of ``name`` (``3f2a9c1``), for the summary's heading."""
    return _git(["rev-parse", "--short", f"{name}^{{commit}}"], root).stdout.strip()


def materialise_revision(root: Path, revision: str, target: Path) -> Path:
    """Extract the project folder at ``revision`` (only ``REVISION_PATHS``) into ``target``.

    Returns the project folder inside ``target`` (the project may sit below the git top level).
    Raises BuildError (Swedish) when git cannot read the revision or it has no project there.
    """
    top = git_toplevel(root)
    if top is None:
        raise BuildError(f"{root} ligger inte i ett git-arkiv, så revisioner kan inte jämföras.")
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    listing = _git(["ls-tree", "--name-only", revision, "--", *(f"{prefix}{p}" for p in REVISION_PATHS)], top)
    if listing.returncode != 0:
        raise BuildError(f"Kan inte läsa revisionen {revision!r} i git: {listing.stderr.strip()}")
    present = listing.stdout.splitlines()
    if f"{prefix}params" not in present:
        raise BuildError(f"Revisionen {revision!r} har ingen mapp {prefix}params; den går inte att jämföra.")
    archive = _git(["archive", "--format=tar", revision, "--", *present], top, text=False)
    if archive.returncode != 0:
        raise BuildError(f"git archive misslyckades för {revision!r}: "
                         f"{archive.stderr.decode(errors='replace').strip()}")
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
        else:  # Python < 3.11.4; the archive comes from the project's own git
            tar.extractall(target)  # noqa: S202
    return target / prefix if prefix else target


def decimals_of(project: Path) -> dict[str, int]:
    """``{indicator id: decimals}`` from ``params/indikatorer.yml``, read leniently like
    :func:`titles_of` (the catalogue's default is 1)."""
    try:
        data = yaml.safe_load((project / "params" / "indikatorer.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return {str(i["id"]): int(i.get("decimals", 1)) for i in (data or {}).get("indicators") or []
            if isinstance(i, dict) and "id" in i and isinstance(i.get("decimals", 1), int)}


# Run by the revision's Python path: its own package, checked, computes its status table as its
# report would (open_report(...).status) and writes it as CSV. Exit 3: Python found another
# package; exit 4: the revision has no open_report (older than the notebook API).
_REVISION_SCRIPT = """
import sys
from pathlib import Path

project, year, out = Path(sys.argv[1]).resolve(), int(sys.argv[2]), Path(sys.argv[3])
import rus_analysis

package = Path(rus_analysis.__file__).resolve().parent
if package != project / "rus_analysis":
    sys.stderr.write(f"Python läste paketet från {package}, inte från revisionens {project / 'rus_analysis'}.\\n")
    sys.exit(3)
try:
    from rus_analysis.report.chapter import open_report
except ImportError as exc:
    sys.stderr.write(f"Revisionen saknar open_report: {exc}\\n")
    sys.exit(4)
try:
    report = open_report(year, project / "params", project / "data", project)
except TypeError:  # before open_report took the project folder
    report = open_report(year, project / "params", project / "data")
report.status.to_csv(out, index=False, lineterminator="\\n", float_format="%.12g", encoding="utf-8")
"""
WRONG_PACKAGE, NO_OPEN_REPORT = 3, 4


def revision_status(project: Path, year: int, out_csv: Path, label: str) -> tuple[pd.DataFrame, str | None]:
    """Assess a materialised revision (``project``) with its own code; ``label`` names it in
    messages. Returns the :func:`status_long` table and a note for the summary (or None).

    A subprocess with ``project`` as working folder and first on ``PYTHONPATH`` imports the
    revision's package (and refuses any other), computes ``open_report(...).status`` and writes it
    as CSV; this code turns it into the long form (:func:`long_form`, decimals from the revision's
    catalogue). So any revision with the notebook API is assessed with its own code, also one
    from before ``rus jamfor``. A revision without it (or without its package in the project) is
    assessed with this code, and the note says so. Raises BuildError (Swedish) when the
    revision's assessment fails.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(project), os.environ.get("PYTHONPATH"))
                                                      if p),
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("RUS_PROJEKT", None)
    done = subprocess.run([sys.executable, "-c", _REVISION_SCRIPT, str(project), str(year), str(out_csv)],
                          cwd=project, env=env, capture_output=True, text=True)
    if done.returncode == 0 and out_csv.is_file():
        raw = pd.read_csv(out_csv, dtype=str, keep_default_na=False, encoding="utf-8")
        return with_shown_years(long_form(raw, decimals_of(project)), project, year), None
    if done.returncode == NO_OPEN_REPORT or not (project / "rus_analysis").is_dir():
        note = (f"{label} kunde inte bedömas med sin egen kod; dess parametrar och data bedömdes med den "
                "nuvarande koden, så ändringar i koden syns inte.")
        try:
            return status_long(project, year), note
        except Exception as exc:  # its params or data in a format this code does not read
            raise BuildError(f"{label} kan inte bedömas: dess kod saknar open_report och den nuvarande "
                             f"koden kan inte läsa dess filer ({exc}).") from None
    last = [line for line in done.stderr.strip().splitlines() if line.strip()][-1:] or ["okänt fel"]
    raise BuildError(f"Bedömningen av {label} för {year} misslyckades: {last[0]}")
