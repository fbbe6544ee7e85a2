"""Shared helpers for the importers: format checks, number parsing, tidy frames, provenance.

Every importer reads files that someone else wrote. When such a file changes shape, the import
must stop with a Swedish message that says which file and what changed, never guess.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rus_analysis.checksums import sha256_file
from rus_analysis.config.geography import LAN, OREBRO_KOMMUNER, REGION_NAMES, RIKET
from rus_analysis.errors import IngestError
from rus_analysis.ingest.provenance import InputFile, RepositorySource, SeriesProvenance
from rus_analysis.ingest.schema import COLUMNS, DTYPES

GENERATOR = "rus_analysis.ingest.files"
MISSING_MARKERS = {"", "..", ".", "-", "–", ":", "NA", "nan", "None"}
LAN_BY_NAME = {name: code for code, name in LAN.items()}
KOMMUN_BY_NAME = {name: code for code, name in OREBRO_KOMMUNER.items()}
KEPT_REGIONS = set(REGION_NAMES)


class SourceFormatError(IngestError, ValueError):
    """A source file does not look as expected. The message is Swedish and names the file."""


def check(condition: bool, message: str) -> None:
    """Like ``assert`` but survives ``python -O`` and speaks Swedish."""
    if not condition:
        raise SourceFormatError(message)


def require_file(sources_dir: Path, relative: str) -> Path:
    """``sources_dir / relative``; raises SourceFormatError naming the file when it is missing."""
    path = sources_dir / relative
    check(path.is_file(), f"Källfilen {path} saknas. Kontrollera att källmappen ({sources_dir}) är komplett.")
    return path


def require_columns(frame: pd.DataFrame, expected: list[str], path: Path) -> None:
    """Raises SourceFormatError naming the file, the missing columns and the ones found."""
    missing = [c for c in expected if c not in frame.columns]
    check(not missing, f"{path.name}: kolumnerna {missing} saknas (rubrikraden kan ha ändrats). "
                       f"Kolumner i filen: {list(frame.columns)}.")


def parse_number(raw: object) -> float | None:
    """Parse a statistics cell: ``1 234,5`` and ``1234.5`` → 1234.5; ``..``, ``.``, blank → None.

    Decimal comma and (no-break) space thousands separators are handled; anything else that is
    not a number raises, so an unexpected marker is never read as zero.
    """
    if raw is None:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return None if isinstance(raw, float) and math.isnan(raw) else float(raw)
    text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if text in MISSING_MARKERS:
        return None
    text = text.replace("\u2212", "-")
    if re.fullmatch(r"-?\d+(,\d+)?", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise SourceFormatError(
            f"Värdet {raw!r} är inte ett tal och inte en känd markering för saknat värde.") from None


# Kolada stores some "no data" cells as 0 (N02797 has 0 for 2007, kvinnor and män, in every
# download; API v2 answers 0 with an empty status for riket years not yet published). Two rules,
# asked by ``rus data bygg`` and ``rus data importera`` alike: the known KPI years, and any 0 for
# riket (0000): no national share or rate Kolada publishes is exactly 0.
KOLADA_ZERO_MEANS_MISSING = {"N02797": {2007}}
RIKET_CODE = "0000"


def kolada_zero_means_missing(kpi: str | None, year: int, value: float | None, region_code: str) -> bool:
    """True when Kolada's ``value`` for ``kpi``, ``year`` and ``region_code`` is a 0 that stands for "no data".

    The caller keeps the row with an empty value and status ``saknas``.
    """
    if value is None or value != 0:
        return False
    return region_code == RIKET_CODE or year in KOLADA_ZERO_MEANS_MISSING.get(kpi or "", set())


def cell(raw: object) -> tuple[float, str]:
    """A value and its status: ``..`` (suppressed, too few to show) → sekretess; other blanks → saknas."""
    value = parse_number(raw)
    if value is not None:
        return value, ""
    return math.nan, "sekretess" if str(raw).strip() == ".." else "saknas"


def tidy(indicator: str, rows: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Complete a frame with region_code, year, value (and optional sex, group, status) to the store's shape.

    Region names come from ``geography`` so every series spells them the same way; regions outside
    riket, the 21 län and Örebro län's kommuner are dropped.
    """
    frame = rows.copy()
    frame = frame[frame["region_code"].isin(KEPT_REGIONS)]
    frame["indicator"] = indicator
    frame["region_name"] = frame["region_code"].map(REGION_NAMES)
    frame["unit"] = unit
    for column, default in (("sex", "T"), ("group", "totalt"), ("status", "")):
        frame[column] = frame[column].fillna(default) if column in frame.columns else default
    check(set(frame["sex"]) <= {"T", "K", "M"},
          f"Serien {indicator} har okända könskoder: {sorted(set(frame['sex']))}.")
    # A missing value without a reason is still missing: say so rather than leave it blank.
    frame.loc[frame["value"].isna() & (frame["status"] == ""), "status"] = "saknas"
    frame.loc[frame["status"] != "", "value"] = math.nan
    frame = frame[COLUMNS].astype(DTYPES)
    duplicated = frame.duplicated(["region_code", "year", "sex", "group"], keep=False)
    check(not duplicated.any(), f"Serien {indicator} har dubbletter: "
                                f"{frame[duplicated].head(4).to_dict('records')}")
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class Origin:
    """Where a shared source file was found publicly."""

    repository: str
    path: str
    commit: str

    def as_dict(self) -> dict:
        """The origin as a plain dict: repository, path, commit."""
        return {"repository": self.repository, "path": self.path, "commit": self.commit}


@dataclass
class Provenance:
    """What the report's source appendix needs to know about one series."""

    indicator: str
    title: str
    agency: str
    table: str
    release: str
    retrieved: str
    licence: str
    origins: list[Origin]
    inputs: list[Path]
    transformations: list[str]
    notes: list[str] = field(default_factory=list)

    def to_record(self, sources_dir: Path) -> SeriesProvenance:
        """The provenance model (schema version 2); the writer adds the series file's checksum."""
        return SeriesProvenance(
            indicator=self.indicator, title=self.title, agency=self.agency, table=self.table,
            release=self.release, retrieved=self.retrieved, licence=self.licence,
            sources=[RepositorySource(**o.as_dict()) for o in self.origins],
            inputs=[InputFile(file=p.relative_to(sources_dir).as_posix(), sha256=sha256_file(p))
                    for p in sorted(set(self.inputs))],
            transformations=list(self.transformations),
            notes=list(self.notes),
            generator=GENERATOR,
        )


@dataclass
class SeriesResult:
    """One finished series: the tidy rows and their provenance."""

    frame: pd.DataFrame
    provenance: Provenance

    @property
    def indicator(self) -> str:
        """The series' indicator id (the catalogue id and the data file's name)."""
        return self.provenance.indicator


def region_from_name(name: str, path: Path) -> str | None:
    """Map a län or Örebro kommun name to our code; None for kommuner we do not keep."""
    name = name.strip()
    if name in ("Riket", "Sverige", "Samtliga", "Hela landet"):
        return RIKET
    if name in LAN_BY_NAME:
        return LAN_BY_NAME[name]
    return KOMMUN_BY_NAME.get(name)


def check_regions(frame: pd.DataFrame, expected: set[str], what: str) -> None:
    """Fail when a region we promise to keep is absent from a source."""
    missing = sorted(expected - set(frame["region_code"]))
    check(not missing, f"{what}: regionerna {missing} saknas i källan (har filen ändrats?).")
