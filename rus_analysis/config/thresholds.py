"""The assessment rules, ``params/bedomning.yml``: every threshold the assessment uses.

Keys are Swedish because analysts edit the file; the model exposes English attribute names.
Nothing in the assessment logic hard-codes a threshold: it all comes from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rus_analysis.config.yaml_files import load_yaml_model

_CONFIG = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class TargetRules(BaseModel):
    """Classes for indicators with a quantified target (ratio of actual to required pace)."""

    model_config = _CONFIG

    on_track_ratio: float = Field(alias="i_takt_kvot", gt=0)
    split_slow: bool = Field(alias="dela_for_langsamt")
    very_slow_ratio: float = Field(alias="mycket_for_langsamt_kvot", gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> TargetRules:
        if self.very_slow_ratio >= self.on_track_ratio:
            raise ValueError("mycket_for_langsamt_kvot måste vara mindre än i_takt_kvot")
        return self


class DirectionRules(BaseModel):
    """Classes for direction-only indicators (thresholds on the annual change)."""

    model_config = _CONFIG

    right_way_percent: float = Field(alias="ratt_hall_procent_per_ar", ge=0)
    wrong_way_percent: float = Field(alias="fel_hall_procent_per_ar", ge=0)
    right_way_points: float = Field(alias="ratt_hall_procentenheter_per_ar", ge=0)
    wrong_way_points: float = Field(alias="fel_hall_procentenheter_per_ar", ge=0)
    limit_exponent: float = Field(alias="gransexponent", gt=0)


class GapPair(BaseModel):
    """Two groups whose difference should shrink, e.g. kvinnor and män."""

    model_config = _CONFIG

    breakdown: str = Field(alias="indelning")
    column: Literal["kon", "grupp"] = Field(alias="kolumn")
    groups: tuple[str, str] = Field(alias="grupper")
    names: tuple[str, str] = Field(alias="namn")

    @property
    def snapshot_column(self) -> str:
        """The snapshot column the two groups are in: ``sex`` (kön, K/M) or ``group``."""
        return "sex" if self.column == "kon" else "group"


class Thresholds(BaseModel):
    """Every threshold of the målbedömning (``params/bedomning.yml``): base and target years,
    horizons, the classes' limits and the gaps that should shrink. Always passed in, never loaded implicitly.
    """

    model_config = _CONFIG

    default_base_year: int = Field(alias="basar", ge=1990)
    default_target_year: int = Field(alias="malar_om_inget_anges", ge=1990)
    short_horizon_years: int = Field(alias="kort_horisont_ar", ge=1)
    min_points: int = Field(alias="minsta_antal_ar", ge=2)
    targets: TargetRules = Field(alias="mal")
    direction: DirectionRules = Field(alias="riktning")
    gaps: tuple[GapPair, ...] = Field(alias="skillnader", default=())


def load_thresholds(path: Path) -> Thresholds:
    """Load a thresholds file, normally the project's ``params/bedomning.yml``.

    Nothing loads it implicitly: the caller (the notebook-facing Report, a script, a test) names
    the file and passes the result to the assessment. Raises SettingsError (a ConfigError) in
    Swedish naming the file and the field.
    """
    return load_yaml_model(path, Thresholds)
