"""One report's parameters: ``params/<år>.yml``.

Keys are Swedish because analysts write these files; the model exposes English attribute names.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from rus_analysis.config.catalogue import Catalogue
from rus_analysis.config.geography import DEFAULT_PEERS, DEFAULT_REGION, LAN, REGION_NAMES
from rus_analysis.config.yaml_files import SettingsError, read_yaml_document, validate_document

YEAR_FILE = re.compile(r"^(\d{4})\.yml$")
# The report years the project can make (the range rapportar is validated against).
FIRST_REPORT_YEAR = 2022
LAST_REPORT_YEAR = 2031


class BuildSettings(BaseModel):
    """Time limits of a build (section ``bygge:`` in ``params/<år>.yml``; every key optional).

    ``kernelstart_sekunder`` (120): how long a notebook kernel may take to start;
    ``cell_sekunder`` (600): how long one notebook cell may run;
    ``bygge_sekunder`` (1800): the whole build, notebooks and rendering;
    ``kernelforsok`` (3): kernels tried per notebook when one fails to start or dies."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    kernel_start_seconds: float = Field(alias="kernelstart_sekunder", default=120, gt=0)
    cell_seconds: float = Field(alias="cell_sekunder", default=600, gt=0)
    build_seconds: float = Field(alias="bygge_sekunder", default=1800, gt=0)
    kernel_attempts: int = Field(alias="kernelforsok", default=3, ge=1, le=10)


class ReportParams(BaseModel):
    """One report year, ``params/<år>.yml``: report year, last data year, region, jämförbara län,
    kraftsamlingar, title and publisher. Swedish keys, English attributes.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    report_year: int = Field(alias="rapportar", ge=FIRST_REPORT_YEAR, le=LAST_REPORT_YEAR)
    data_cutoff: int = Field(alias="data_till_och_med", ge=1990)
    region: str = Field(alias="region", default=DEFAULT_REGION)
    peers: list[str] = Field(alias="jamforbara_lan", default=list(DEFAULT_PEERS))
    kraftsamlingar: list[str] = Field(alias="kraftsamlingar", min_length=1)
    title: str = Field(alias="titel", default="Uppföljning av den regionala utvecklingsstrategin")
    publisher: str = Field(alias="utgivare", default="Region Örebro län")
    build: BuildSettings = Field(alias="bygge", default_factory=BuildSettings)
    # The date on the title page (YYYY-MM-DD); without it the build's date is used.
    publication_date: dt.date | None = Field(alias="publiceringsdatum", default=None)

    @field_validator("region")
    @classmethod
    def _known_region(cls, code: str) -> str:
        if code not in REGION_NAMES:
            raise ValueError(f"har värdet {code!r}, en okänd regionkod (t.ex. '0018' för Örebro län)")
        return code

    @field_validator("peers")
    @classmethod
    def _known_peers(cls, codes: list[str]) -> list[str]:
        unknown = [c for c in codes if c not in LAN]
        if unknown:
            raise ValueError(f"har okända länskoder {unknown} (använd t.ex. '0006' för Jönköpings län)")
        return codes

    @field_validator("data_cutoff")
    @classmethod
    def _cutoff_before_report(cls, cutoff: int, info: ValidationInfo) -> int:
        # report_year is declared first, so it is validated (or failed) before this field.
        report_year = info.data.get("report_year")
        if report_year is not None and cutoff >= report_year:
            raise ValueError(f"är {cutoff} men måste vara tidigare än rapportar ({report_year})")
        return cutoff


def available_years(params_dir: Path) -> list[int]:
    """The report years that have a ``params/<år>.yml`` in ``params_dir``, ascending."""
    return sorted(int(m.group(1)) for p in params_dir.glob("*.yml") if (m := YEAR_FILE.match(p.name)))


def _years_known(years: list[int]) -> str:
    return f"Tillgängliga år: {', '.join(str(y) for y in years) or 'inga'}."


def load_report_params(params_dir: Path, year: int | None = None,
                       catalogue: Catalogue | None = None) -> ReportParams:
    """Load ``params/<year>.yml``; without a year, the newest one.

    With the catalogue, the year's kraftsamlingar are checked against it (known, in its order), and
    its indicators' texts for year ranges past ``data_till_och_med`` (Catalogue.check_year_ranges).
    Raises SettingsError (a ConfigError) naming the file and the field.
    """
    years = available_years(params_dir)
    if year is None:
        if not years:
            raise SettingsError(f"Det finns ingen parameterfil (t.ex. 2025.yml) i {params_dir}.")
        year = years[-1]
    if not FIRST_REPORT_YEAR <= year <= LAST_REPORT_YEAR:
        raise SettingsError(
            f"{year} är inte ett möjligt rapportår: rapportåret ska vara mellan {FIRST_REPORT_YEAR} och "
            f"{LAST_REPORT_YEAR}. {_years_known(years)}"
        )
    path = params_dir / f"{year}.yml"
    if not path.is_file():
        # rus nytt-ar only makes the year after the newest one: suggest it only for such a year.
        hint = (f" Skapa filen från det senaste året med: rus nytt-ar {year}"
                if years and year > years[-1] else "")
        raise SettingsError(f"Det finns ingen parameterfil för år {year} ({path}). {_years_known(years)}{hint}")
    document = read_yaml_document(path)
    # The year is the file name: check it first, so a copied file blames 'rapportar', not the
    # fields that only look wrong because of it.
    data = document.data
    written = data.get("rapportar") if isinstance(data, dict) else None
    if isinstance(written, int) and not isinstance(written, bool) and written != year:
        line = document.line(("rapportar",))
        raise SettingsError(
            f"Fel i {path}, rad {line}, fältet 'rapportar': är {written} men filen heter {year}.yml. "
            f"Rapportåret ska vara detsamma i filnamnet och i rapportar (kopierade du förra årets fil?)."
        )
    params = validate_document(document, ReportParams)
    if catalogue is not None:
        catalogue.check_kraftsamlingar(params.kraftsamlingar, path)
        catalogue.check_year_ranges(year, params.data_cutoff, params.kraftsamlingar, path)
    return params
