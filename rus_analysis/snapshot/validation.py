"""Validation of the tidy snapshot: a pandera schema per series, problems reported in Swedish.

Every fetch, import and build runs these checks before it writes, so a series that breaks the
snapshot's contract (data/README.md) never reaches the report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas as pa

from rus_analysis.config.catalogue import Catalogue, Indicator
from rus_analysis.config.geography import REGION_NAMES
from rus_analysis.config.numbers import message_number
from rus_analysis.config.units import is_percent
from rus_analysis.errors import DataError, os_error_text
from rus_analysis.ingest.schema import column_text
from rus_analysis.snapshot.store import (
    COLUMNS,
    DTYPES,
    KEY,
    available_indicators,
    provenance_path,
    series_path,
)

FIRST_YEAR = 1985
SEXES = ("T", "K", "M")
STATUSES = ("sekretess", "saknas")
MAX_EXAMPLES = 5  # failing rows quoted per problem; the rest are counted


class SnapshotError(DataError):
    """The snapshot, or a series about to be written, breaks the contract. Swedish message."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Ögonblicksbilden klarar inte kontrollen:\n" + "\n".join(f"  • {p}" for p in problems))


def _last_plausible_year() -> int:
    return dt.date.today().year + 1


def _value_matches_status(df: pd.DataFrame) -> pd.Series:
    return df["value"].isna() == (df["status"].fillna("") != "")


def _percent_in_range(df: pd.DataFrame) -> pd.Series:
    percent = df["unit"].map(is_percent, na_action="ignore").fillna(False).astype(bool)
    in_range = df["value"].between(0, 100) | df["value"].isna()
    return (~percent | in_range).astype(bool)


# check name → what the rule says, in words an analyst can act on
_RULES = {
    "known_region": "regionkoden ska vara 0000 (riket), ett län (00LL) eller en kommun i Örebro län",
    "sex_code": "kön ska vara T (totalt), K (kvinnor) eller M (män)",
    "plausible_year": f"året ska ligga mellan {FIRST_YEAR} och {{last}}",
    "unit_given": "enheten får inte vara tom",
    "group_given": "gruppen får inte vara tom (använd 'totalt' för hela befolkningen)",
    "status_code": "status ska vara tom, 'sekretess' eller 'saknas'",
    "value_status": "varje rad ska ha antingen ett värde (och tom status) eller ett tomt värde med status "
                    "'sekretess' eller 'saknas' – aldrig båda, aldrig ingetdera",
    "percent_range": "andelar i procent ska ligga mellan 0 och 100",
    "own_indicator": "ska vara indikatorns id, {indicator!r} (samma som filnamnet)",
    "finite_value": "värdet ska vara ett ändligt tal (inte inf eller -inf); ett saknat värde är tomt med status",
}


_FRAME_CHECKS = ["value_status", "percent_range"]


def _schema(indicator_id: str) -> pa.DataFrameSchema:
    def col(dtype: str, check=None, name: str | None = None, nullable: bool = False) -> pa.Column:
        checks = [pa.Check(check, name=name)] if check else []
        return pa.Column(dtype, checks=checks, nullable=nullable)

    regions = set(REGION_NAMES)
    return pa.DataFrameSchema(
        {
            "indicator": col("string", lambda s: s == indicator_id, "own_indicator"),
            "region_code": col("string", lambda s: s.isin(regions), "known_region"),
            "region_name": col("string"),
            "year": col("int64", lambda s: s.between(FIRST_YEAR, _last_plausible_year()), "plausible_year"),
            "sex": col("string", lambda s: s.isin(SEXES), "sex_code"),
            "group": col("string", lambda s: s.str.strip() != "", "group_given"),
            "value": col("float64", lambda s: ~np.isinf(s), "finite_value", nullable=True),
            "unit": col("string", lambda s: s.str.strip() != "", "unit_given"),
            "status": col("string", lambda s: s.isin(["", *STATUSES]), "status_code"),
        },
        checks=[
            pa.Check(_value_matches_status, name="value_status"),
            pa.Check(_percent_in_range, name="percent_range"),
        ],
        unique=KEY,
        report_duplicates="all",
    )


def _row_label(frame: pd.DataFrame, index: object) -> str:
    row = frame.loc[index]
    return f"region {row['region_code']}, år {row['year']}, kön {row['sex']}, grupp {row['group']}"


def _examples(labels: list[str]) -> str:
    shown = "; ".join(labels[:MAX_EXAMPLES])
    more = len(labels) - MAX_EXAMPLES
    return shown + (f" och {more} till" if more > 0 else "")


def _column_problems(indicator_id: str, frame: pd.DataFrame) -> list[str]:
    expected = ", ".join(COLUMNS)
    problems = [f"{indicator_id}: {column_text(c)} saknas (kolumnerna ska vara {expected})"
                for c in COLUMNS if c not in frame.columns]
    problems += [f"{indicator_id}: okänd kolumn '{c}' (kolumnerna ska vara {expected})"
                 for c in frame.columns if c not in COLUMNS]
    return problems


def _coerce(indicator_id: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Cast to the snapshot's dtypes, naming the rows whose text is not a number."""
    frame = frame[COLUMNS].reset_index(drop=True)
    typed = {}
    problems = []
    for column, dtype in DTYPES.items():
        raw = frame[column]
        if dtype == "string":
            typed[column] = raw.astype("string")
            continue
        numbers = pd.to_numeric(raw, errors="coerce")
        text = raw.astype("string").str.strip()
        bad = numbers.isna() & raw.notna() & (text != "")
        if raw.dtype == object or str(raw.dtype) == "string":
            # 'nan' parses as a number but is not one: a missing value is empty with a status
            bad |= text.str.casefold().isin(["nan", "-nan", "+nan"]).fillna(False).astype(bool)
        if dtype == "int64":
            bad |= numbers.isna() | (numbers.notna() & (numbers % 1 != 0))
        if bad.any():
            word = "heltal" if dtype == "int64" else "tal"
            values = [f"{v!r} (datarad {i + 1})" for i, v in raw[bad].items()]
            problems.append(f"{indicator_id}: {column_text(column)} ska innehålla {word}, men har "
                            f"{_examples(values)}")
            continue
        typed[column] = numbers.astype(dtype)
    return pd.DataFrame(typed), problems


def validate_series(frame: pd.DataFrame, indicator: Indicator | str) -> list[str]:
    """Check one indicator's rows against the snapshot contract; an empty list means valid."""
    indicator_id = indicator if isinstance(indicator, str) else indicator.id
    problems = _column_problems(indicator_id, frame)
    if problems:
        return problems
    typed, problems = _coerce(indicator_id, frame)
    if problems:
        return problems
    try:
        _schema(indicator_id).validate(typed, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        return _describe_failures(indicator_id, exc.failure_cases, typed)
    return []


def _describe_failures(indicator_id: str, cases: pd.DataFrame, frame: pd.DataFrame) -> list[str]:
    problems = []
    last = _last_plausible_year()
    cases = cases.copy()
    # Frame-wide checks report every column of a failing row; one message per rule is enough.
    frame_wide = cases["check"].astype(str).isin(_FRAME_CHECKS) | cases["check"].astype(str).str.contains("unique")
    cases.loc[frame_wide, "column"] = ""
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
        rows = sorted({int(i) for i in group["index"].dropna()})
        check = str(check)
        if check in _RULES:
            rule = _RULES[check].format(last=last, indicator=indicator_id)
        elif "unique" in check:
            keys = sorted({" / ".join(str(frame.loc[i, k]) for k in KEY) for i in rows})
            problems.append(f"{indicator_id}: nyckeln (indikator / region / år / kön / grupp) förekommer "
                            f"mer än en gång: {_examples(keys)}")
            continue
        elif check == "not_nullable":
            rule = "värdet får inte saknas"
        else:
            rule = f"kontrollen {check} uppfylls inte"
        where = f"{column_text(column)}: " if column in COLUMNS else ""
        quoted = column if column in COLUMNS else ("value" if check == "percent_range" else None)
        if rows:
            labels = []
            for i in rows:
                shown = frame.loc[i, quoted] if quoted else None
                prefix = "" if shown is None or pd.isna(shown) else (
                    f"{shown!r} " if isinstance(shown, str) else f"{message_number(shown)} ")
                labels.append(f"{prefix}({_row_label(frame, i)})")
            problems.append(f"{indicator_id}: {where}{rule}: {_examples(labels)}")
        else:
            problems.append(f"{indicator_id}: {where}{rule}")
    return problems


def _restore_hint(data_dir: Path, indicator_id: str) -> str:
    # Relative to the project folder, where the analyst runs git.
    path = series_path(data_dir, indicator_id).relative_to(data_dir.parent)
    return (f"återställ filen med 'git checkout -- {path.as_posix()}' om den är incheckad, eller skriv serien "
            "på nytt med 'rus data bygg', 'rus data uppdatera' eller 'rus data importera'; redigera aldrig "
            "filerna för hand")


def check_series_file(data_dir: Path, indicator: Indicator | str) -> list[str]:
    """Problems with one series file and its provenance, found without trusting either.

    The file is checked in order — readable UTF-8, not empty, a CSV with the snapshot's columns
    (comma-separated), every row against the schema, its sha256 against the provenance record,
    the record against the provenance model — and each problem is a Swedish sentence naming
    the file and how to restore it. An empty list means the series can be read safely.
    """
    from rus_analysis.ingest.provenance import ProvenanceError, load_provenance

    indicator_id = indicator if isinstance(indicator, str) else indicator.id
    path = series_path(data_dir, indicator_id)
    name = path.name
    hint = _restore_hint(data_dir, indicator_id)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [f"{name} går inte att läsa ({os_error_text(exc)})"]
    if not raw.strip():
        return [f"{name} är tom; {hint}"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"{name} är inte UTF-8-kodad (tecknet på position {exc.start} går inte att läsa; "
                f"sparad som latin-1/Windows-1252?); {hint}"]
    header = text.splitlines()[0].lstrip("\ufeff")
    if header.split(",") != COLUMNS:
        if ";" in header or "\t" in header:
            return [f"{name}: rubrikraden är {header!r}; filen ska vara kommaseparerad med kolumnerna "
                    f"{', '.join(COLUMNS)} (sparad om av ett kalkylprogram?); {hint}"]
        return [f"{name}: rubrikraden är {header!r} men ska vara {','.join(COLUMNS)}; {hint}"]
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as exc:
        return [f"{name} går inte att läsa som CSV ({' '.join(str(exc).split())}); {hint}"]
    frame["value"] = frame["value"].mask(frame["value"] == "")
    problems = validate_series(frame, indicator)
    if problems:
        problems[0] += f" ({hint})"
    prov = provenance_path(data_dir, indicator_id)
    if not prov.is_file():
        return problems + [f"{indicator_id}: ursprungsuppgifterna saknas ({prov.name})"]
    try:
        record = load_provenance(prov)
    except ProvenanceError as exc:
        return problems + [str(exc)]
    if record.indicator != indicator_id:
        problems.append(f"{prov.name}: gäller indikatorn {record.indicator!r}, inte {indicator_id!r}")
    if record.series is None:
        problems.append(f"{prov.name}: fältet 'series' (filens sha256) saknas; skriv serien på nytt med "
                        "'rus data bygg', 'uppdatera' eller 'importera'")
    elif hashlib.sha256(raw).hexdigest() != record.series.sha256:
        rows = f"{len(frame)} rader, ursprungsuppgifterna anger {record.series.rows}" \
            if len(frame) != record.series.rows else f"{len(frame)} rader som förut"
        problems.append(f"{name} har ändrats sedan den skrevs ({rows}; sha256 stämmer inte): filen kan vara "
                        f"avkortad eller redigerad för hand; {hint}")
    return problems


def validate_snapshot(data_dir: Path, catalogue: Catalogue, strict: bool = False) -> list[str]:
    """Check every series under ``data_dir`` against the schema, its provenance and the catalogue.

    Returns the problems in Swedish; with ``strict`` raises SnapshotError listing all of them.
    """
    return [p for problems in snapshot_problems(data_dir, catalogue, strict).values() for p in problems]


# The key of snapshot_problems' entry when the whole snapshot (``<data_dir>/series``) is missing.
MISSING_SNAPSHOT = "(ögonblicksbilden)"


def snapshot_problems(data_dir: Path, catalogue: Catalogue, strict: bool = False) -> dict[str, list[str]]:
    """Problems per series id (only series with problems appear); see ``check_series_file``.

    Also a problem: a missing ``<data_dir>/series`` folder (key ``MISSING_SNAPSHOT``; nothing else
    is checked then) and a provenance record whose series CSV is gone (a deleted series is not
    "no data"). Raises SnapshotError with ``strict`` when there are any."""
    problems: dict[str, list[str]] = {}
    series_dir = data_dir / "series"
    if not series_dir.is_dir():
        # A missing snapshot is not "no data for any indicator": a build would replace a good
        # report with one where every indicator says "Data saknas".
        what = "saknas" if not data_dir.exists() else "saknar undermappen series/"
        problems[MISSING_SNAPSHOT] = [
            f"Ögonblicksbilden saknas: mappen {data_dir} {what}. Återställ den med 'git checkout -- "
            f"{data_dir.name}' om den är incheckad, eller skapa den med 'rus data bygg'."]
        if strict:
            raise SnapshotError(problems[MISSING_SNAPSHOT])
        return problems
    known = {indicator.id: indicator for indicator in catalogue.indicators}
    for record in sorted(series_dir.glob("*.provenance.yml")):
        indicator_id = record.name.removesuffix(".provenance.yml")
        if not series_path(data_dir, indicator_id).exists():
            problems[indicator_id] = [
                f"{series_path(data_dir, indicator_id).name} saknas fast ursprungsuppgifterna ({record.name}) "
                f"finns: serien har tagits bort; {_restore_hint(data_dir, indicator_id)}"]
    for indicator_id in available_indicators(data_dir):
        if indicator_id not in known:
            problems[indicator_id] = [f"{series_path(data_dir, indicator_id)}: indikatorn '{indicator_id}' finns "
                                      "inte i params/indikatorer.yml (lägg till den i katalogen eller ta bort filen)"]
            continue
        found = check_series_file(data_dir, known[indicator_id])
        if found:
            problems[indicator_id] = found
    if strict and problems:
        raise SnapshotError([p for found in problems.values() for p in found])
    return problems
