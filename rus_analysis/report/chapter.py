"""What the notebooks call: one method per report element, each displaying its result.

Notebooks stay thin (parameters, then one call per cell). Each method composes the package's
building blocks: the snapshot, the målbedömning, charts, tables and generated sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless in papermill and CI: figures are saved to files, never shown
import pandas as pd  # noqa: E402

from rus_analysis.report import charts, narrative, summary, tables# noqa: E402
from rus_analysis.assessment import Thresholds, load_thresholds  # noqa: E402
from rus_analysis.config.catalogue import Catalogue, Indicator, load_catalogue  # noqa: E402
from rus_analysis.report.display import show  # noqa: E402
from rus_analysis.report.missing import MissingData, missing_for  # noqa: E402
from rus_analysis.report.rows import BREAKDOWNS  # noqa: E402
from rus_analysis.config.geography import OREBRO_KOMMUNER, OREBRO_LAN, REGION_NAMES, RIKET  # noqa: E402
from rus_analysis.report.method_appendix import method_chapter  # noqa: E402
from rus_analysis.config.report_params import ReportParams, load_report_params  # noqa: E402
from rus_analysis.snapshot.store import read_series  # noqa: E402
from rus_analysis.report.sources_appendix import sources_appendix  # noqa: E402
from rus_analysis.assessment.status_table import status_table  # noqa: E402

# Riket this many times larger than the region: a count or total, not comparable on one axis.
SCALE_LIMIT = 5


@dataclass
class Report:
    params: ReportParams
    catalogue: Catalogue
    data_dir: Path
    thresholds: Thresholds
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def series(self, indicator_id: str) -> pd.DataFrame:
        """An indicator's rows up to the report's data cut-off (read once)."""
        if indicator_id not in self._frames:
            frame = read_series(self.data_dir, indicator_id)
            self._frames[indicator_id] = frame[frame["year"] <= self.params.data_cutoff]
        return self._frames[indicator_id]

    @cached_property
    def frames(self) -> dict[str, pd.DataFrame]:
        return {i.id: self.series(i.id) for i in self.catalogue.indicators}

    @cached_property
    def status(self) -> pd.DataFrame:
        return status_table(self.catalogue, self.frames, self.params.report_year, self.params.data_cutoff,
                            self.params.region, self.thresholds, peers=self.params.peers)

    # --- chapters ------------------------------------------------------------------------------

    def show_summary(self) -> None:
        """Sammanfattning: key findings, then every indicator's status by kraftsamling."""
        findings = summary.key_findings(self.status, self.catalogue, self.params, self.frames)
        show(summary.findings_markdown(findings))
        show(summary.legend_markdown())
        for kraftsamling_id in self.params.kraftsamlingar:
            show(summary.status_overview(self.status, self.catalogue, kraftsamling_id, self.params,
                                         self.frames))

    def show_goal(self, kraftsamling_id: str) -> None:
        kraftsamling = next((k for k in self.catalogue.kraftsamlingar if k.id == kraftsamling_id), None)
        if kraftsamling is None:
            raise KeyError(f"Kraftsamlingen {kraftsamling_id!r} finns inte i params/indikatorer.yml.")
        show(f"**Målet för kraftsamlingen.** {kraftsamling.goal}")
        show(summary.status_overview(self.status, self.catalogue, kraftsamling_id, self.params,
                                     self.frames, caption=f"Målbedömning i korthet: {kraftsamling.title}",
                                     label=f"malbedomning-{kraftsamling_id}"))

    def show_indicators(self, kraftsamling_id: str) -> None:
        for indicator in self.catalogue.for_kraftsamling(kraftsamling_id):
            self.show_indicator(indicator.id)

    def show_method(self) -> None:
        show(method_chapter(self.thresholds, heading_level=2, region=self.params.region,
                            peers=self.params.peers))

    def show_sources(self) -> None:
        show(sources_appendix(self.catalogue, self.data_dir, self.params.kraftsamlingar, level=1,
                              with_heading=False))

    # --- one indicator -------------------------------------------------------------------------

    def show_indicator(self, indicator_id: str) -> None:
        """Heading, verdict, charts, sentences and tables for one indicator; "Data saknas"
        once, never an empty chart, when the region has no data."""
        indicator = self.catalogue.get(indicator_id)
        show(summary.indicator_heading(indicator))
        frame = self.series(indicator_id)
        region = self.params.region
        own = frame[(frame["region_code"] == region) & frame["value"].notna()]
        if own.empty:
            show(missing_for(indicator, self._missing_detail(frame, indicator)))
            if region == OREBRO_LAN and self._has_kommun_values(frame):
                # Only the kommuner have data (e.g. by school municipality): show those.
                _show_present(charts.kommun_bars(frame, indicator))
                _show_present(tables.kommun_table(frame, indicator))
            elif self._regions_with_data(frame):
                _show_present(tables.year_table(frame, indicator, regions=self._regions_with_data(frame)))
            return
        show(summary.assessment_box(self.status, indicator, region,
                                    short_years=self.thresholds.short_horizon_years))
        regions = self._comparable_regions(frame)
        if "sektor" in indicator.breakdowns:
            _show_present(charts.sector_bars(frame, indicator, region=region))
        else:
            _show_present(charts.time_series(frame, indicator, regions=regions))
        sentences = self._sentences(frame, indicator, regions)
        if sentences:
            show(sentences)
        # Kommuner against riket only for rates and shares; totals and counts differ in scale.
        # The kommun charts are Örebro län's kommuner, so only in a report on Örebro län.
        if region == OREBRO_LAN and RIKET in regions and self._has_kommun_values(frame):
            _show_present(charts.kommun_bars(frame, indicator))
            _show_present(tables.kommun_table(frame, indicator))
        for by in ("kon", "fodelseregion", "vistelsetid"):
            if by in indicator.breakdowns and self._has_breakdown(frame, by):
                _show_present(charts.group_series(frame, indicator, by=by, regions=(region, RIKET)))
                _show_present(tables.group_table(frame, indicator, by=by, regions=(region, RIKET),
                                                 years=self._recent_years(frame)))
        _show_present(tables.year_table(frame, indicator, regions=regions))

    def _missing_detail(self, frame: pd.DataFrame, indicator: Indicator) -> str:
        """What the reader is missing, in plain words."""
        region = REGION_NAMES[self.params.region]
        present = self._regions_with_data(frame)
        if self.params.region == OREBRO_LAN and self._has_kommun_values(frame):
            return (f"Underlaget har inga värden för {region} som helhet; diagrammet och tabellen "
                    "visar länets kommuner")
        if not present:
            return indicator.missing_reason or "Statistiken fanns inte i underlaget till rapporten"
        names = narrative.join_names([_in_sentence(REGION_NAMES.get(c, c)) for c in present])
        return (f"Underlaget till rapporten har inga värden för {region}; tabellen visar det som "
                f"finns, för {names}")

    @staticmethod
    def _regions_with_data(frame: pd.DataFrame) -> list[str]:
        codes = frame.loc[frame["value"].notna(), "region_code"].unique().tolist()
        return [c for c in REGION_NAMES if c in codes and c not in OREBRO_KOMMUNER]

    @staticmethod
    def _recent_years(frame: pd.DataFrame, count: int = tables.MAX_YEAR_COLUMNS) -> list[int]:
        years = sorted(frame.loc[frame["value"].notna(), "year"].unique().tolist())
        return [int(y) for y in years[-count:]]

    def _comparable_regions(self, frame: pd.DataFrame) -> list[str]:
        """The region, riket (when on the same scale) and the jämförbara län with data."""
        totals = frame[(frame["sex"] == "T") & (frame["group"] == "totalt")]
        maxima = totals.groupby("region_code")["value"].max()
        own = maxima.get(self.params.region)
        regions = [self.params.region]
        riket = maxima.get(RIKET)
        if riket is not None and own and abs(riket) <= SCALE_LIMIT * abs(own):
            regions.append(RIKET)
        return regions + [p for p in self.params.peers if p in maxima.index and pd.notna(maxima[p])]

    def _sentences(self, frame: pd.DataFrame, indicator: Indicator, regions: list[str]) -> str:
        region = self.params.region
        parts = []
        own = frame[(frame["region_code"] == region) & (frame["sex"] == "T")
                    & (frame["group"] == "totalt")].dropna(subset=["value"])
        unit = narrative.reader_unit(indicator.unit, indicator.title)
        # A break inside the series: the change is described from the break on, never across it.
        since = indicator.break_year if (indicator.break_year is not None
                                         and (own["year"] < indicator.break_year).any()) else None
        if since is not None:
            own = own[own["year"] >= since]
        if own["year"].nunique() >= 2:
            if narrative.is_percent(indicator.unit):
                subject, genus = "andelen", "utrum"
            elif indicator.unit.strip().lower() == "antal":
                subject, genus = "antalet", "neutrum"
            else:
                subject, genus = "värdet", "neutrum"
            parts.append(narrative.series_change(frame, region, subject, unit, indicator.decimals,
                                                 genus=genus, place=f"I {REGION_NAMES[region]}",
                                                 with_amount=True, since=since))
        if since is not None:
            parts.append(f"Serien har ett brott {since}, så åren före {since} jämförs inte med senare år.")
        if RIKET in regions:
            try:
                parts.append(narrative.region_difference(frame, region, RIKET, decimals=indicator.decimals,
                                                         unit=unit))
            except ValueError:  # no common year: nothing to compare
                pass
        return " ".join(parts) if parts else ""

    @staticmethod
    def _has_kommun_values(frame: pd.DataFrame) -> bool:
        kommuner = frame[frame["region_code"].isin(OREBRO_KOMMUNER) & (frame["sex"] == "T")
                         & (frame["group"] == "totalt")]
        return kommuner["value"].notna().sum() >= 2

    @staticmethod
    def _has_breakdown(frame: pd.DataFrame, by: str) -> bool:
        column = "sex" if by == "kon" else "group"
        values = set(frame.loc[frame["value"].notna(), column])
        return len(values & set(BREAKDOWNS[by][1])) >= 2


def _in_sentence(name: str) -> str:
    return "riket" if name == "Riket" else name


def _show_present(item: object) -> None:
    """Show a chart or table; a secondary element without data is left out, not boxed again."""
    if not isinstance(item, MissingData):
        show(item)


def open_report(report_year: int, params_dir: str | Path, data_dir: str | Path) -> Report:
    params_dir, data_dir = Path(params_dir), Path(data_dir)
    return Report(
        params=load_report_params(params_dir, report_year),
        catalogue=load_catalogue(params_dir / "indikatorer.yml"),
        data_dir=data_dir,
        thresholds=load_thresholds(params_dir / "bedomning.yml"),
    )
