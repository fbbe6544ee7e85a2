"""One report's parameters: ``params/<år>.yml``.

Keys are Swedish because analysts write these files; the model exposes English attribute names.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rus_analysis.config.geography import DEFAULT_PEERS, DEFAULT_REGION, LAN, REGION_NAMES
from rus_analysis.config.yaml_files import SettingsError, load_yaml_model

YEAR_FILE = re.compile(r"^(\d{4})\.yml$")


class ReportParams(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    report_year: int = Field(alias="rapportar", ge=2022, le=2031)
    data_cutoff: int = Field(alias="data_till_och_med", ge=1990)
    region: str = Field(alias="region", default=DEFAULT_REGION)
    peers: list[str] = Field(alias="jamforbara_lan", default=list(DEFAULT_PEERS))
    kraftsamlingar: list[str] = Field(alias="kraftsamlingar", min_length=1)
    title: str = Field(alias="titel", default="Uppföljning av den regionala utvecklingsstrategin")
    publisher: str = Field(alias="utgivare", default="Region Örebro län")

    @field_validator("region")
    @classmethod
    def _known_region(cls, code: str) -> str:
        if code not in REGION_NAMES:
            raise ValueError(f"okänd regionkod {code!r}")
        return code

    @field_validator("peers")
    @classmethod
    def _known_peers(cls, codes: list[str]) -> list[str]:
        unknown = [c for c in codes if c not in LAN]
        if unknown:
            raise ValueError(f"okända länskoder {unknown} (använd t.ex. '0006' för Jönköpings län)")
        return codes

    @model_validator(mode="after")
    def _cutoff_before_report(self) -> "ReportParams":
        if self.data_cutoff >= self.report_year:
            raise ValueError(
                f"data_till_och_med ({self.data_cutoff}) måste vara tidigare än rapportar ({self.report_year})"
            )
        return self


def available_years(params_dir: Path) -> list[int]:
    return sorted(int(m.group(1)) for p in params_dir.glob("*.yml") if (m := YEAR_FILE.match(p.name)))


def load_report_params(params_dir: Path, year: int | None = None) -> ReportParams:
    """Load ``params/<year>.yml``; without a year, the newest one."""
    years = available_years(params_dir)
    if year is None:
        if not years:
            raise SettingsError(f"Det finns ingen parameterfil (t.ex. 2025.yml) i {params_dir}.")
        year = years[-1]
    path = params_dir / f"{year}.yml"
    if not path.is_file():
        known = ", ".join(str(y) for y in years) or "inga"
        raise SettingsError(
            f"Det finns ingen parameterfil för år {year} ({path}). Tillgängliga år: {known}. "
            f"Skapa filen genom att kopiera föregående års fil och ändra rapportar och data_till_och_med."
        )
    params = load_yaml_model(path, ReportParams)
    if params.report_year != year:
        raise SettingsError(
            f"Fel i {path}: fältet 'rapportar' är {params.report_year} men filen heter {year}.yml."
        )
    return params
