"""What the notebooks call: one method per report element, each displaying its result.

Notebooks stay thin (parameters, then one call per cell). Each method composes the package's
building blocks: the snapshot, the målbedömning, charts, tables and generated sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless in papermill and CI: figures are saved to files, never shown
import pandas as pd  # noqa: E402

from rus_analysis.assessment import Thresholds, load_thresholds  # noqa: E402
from rus_analysis.assessment.status_table import status_table  # noqa: E402
from rus_analysis.config.catalogue import Catalogue, Indicator, load_catalogue  # noqa: E402
from rus_analysis.config.geography import OREBRO_KOMMUNER, OREBRO_LAN, REGION_NAMES, RIKET  # noqa: E402
from rus_analysis.config.report_params import ReportParams, available_years, load_report_params  # noqa: E402
from rus_analysis.config.units import is_percent  # noqa: E402
from rus_analysis.report import charts, comments, narrative, overview, summary, tables, verdicts  # noqa: E402
from rus_analysis.report.datafiles import DataTable  # noqa: E402
from rus_analysis.report.display import INDICATOR_MARKER, show, with_data_after  # noqa: E402
from rus_analysis.report.markup import Markdown  # noqa: E402
from rus_analysis.report.method_appendix import method_chapter  # noqa: E402
from rus_analysis.report.missing import MissingData, missing_for  # noqa: E402
from rus_analysis.report.rows import BREAKDOWNS  # noqa: E402
from rus_analysis.report.shared import assessment_key, shared_assessments  # noqa: E402
from rus_analysis.report.sources_appendix import sources_appendix  # noqa: E402
from rus_analysis.snapshot.store import read_series  # noqa: E402

# Riket this many times larger than the region: a count or total, not comparable on one axis.
SCALE_LIMIT = 5


@dataclass
class Report:
    """What a chapter notebook uses: one report year's params, catalogue, snapshot and thresholds, with
    one ``show_…`` method per report element. Make one with ``open_report``.
    """

    params: ReportParams
    catalogue: Catalogue
    data_dir: Path
    thresholds: Thresholds
    project_dir: Path | None = None  # where kommentarer/<år>/ lives; default: params' parent
    params_dir: Path | None = None  # for the previous year's parameters (changes since then)
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Path:
        """The project folder that holds ``kommentarer/`` (``project_dir``, else the working directory)."""
        return self.project_dir if self.project_dir is not None else Path(".")

    def series(self, indicator_id: str) -> pd.DataFrame:
        """An indicator's rows up to the report's data cut-off (read once)."""
        if indicator_id not in self._frames:
            frame = read_series(self.data_dir, indicator_id)
            self._frames[indicator_id] = frame[frame["year"] <= self.params.data_cutoff]
        return self._frames[indicator_id]

    @cached_property
    def frames(self) -> dict[str, pd.DataFrame]:
        """Every catalogue indicator's rows up to the data cut-off, by id (snapshot columns, ``ingest.schema``)."""
        return {i.id: self.series(i.id) for i in self.catalogue.indicators}

    def _shared(self) -> dict | None:
        """The build's shared assessments for this report, if any (:mod:`rus_analysis.report.shared`)."""
        if self.params_dir is None:
            return None
        return shared_assessments(assessment_key(self.params.report_year, self.params.data_cutoff,
                                                 self.params.region, self.params.peers, self.params_dir,
                                                 self.data_dir))

    @cached_property
    def status(self) -> pd.DataFrame:
        """The year's status table (``assessment.status_table``): one row per indicator × region × group,
        for the report's region, riket and the jämförbara län from params, with the project's thresholds.
        In a build it is computed once and shared by every chapter (:mod:`rus_analysis.report.shared`).
        """
        shared = self._shared()
        if shared is not None:
            return shared["status"]
        return status_table(self.catalogue, self.frames, self.params.report_year, self.params.data_cutoff,
                            self.params.region, self.thresholds, peers=self.params.peers)

    # --- chapters ------------------------------------------------------------------------------

    @cached_property
    def previous(self) -> tuple[ReportParams | None, pd.DataFrame | None]:
        """The previous year's report assessed on the same data with its own cut-off, or
        (None, None) when there is no parameter file for that year."""
        shared = self._shared()
        if shared is not None:
            return shared["previous"] or (None, None)
        year = self.params.report_year - 1
        if self.params_dir is None or year not in available_years(self.params_dir):
            return None, None
        params = load_report_params(self.params_dir, year)
        table = status_table(self.catalogue, self.frames, params.report_year, params.data_cutoff,
                             self.params.region, self.thresholds, peers=self.params.peers)
        return params, table

    def show_summary(self) -> None:
        """Sammanfattning: the message first (läget, iakttagelser, förändringar, skillnader),
        then how to read the verdicts and every indicator's status by kraftsamling."""
        previous_params, previous = self.previous
        text = overview.summary_markdown(self.status, self.catalogue, self.params, self.frames,
                                         previous, previous_params, self.thresholds.default_base_year)
        # The count table's data: each indicator's verdict and latest value (a CSV in the HTML).
        indicators = [i for k in self.params.kraftsamlingar for i in self.catalogue.for_kraftsamling(k)]
        data = summary.status_overview_data(self.status, indicators, self.params.region, self.frames)
        show(with_data_after(text, "tbl-laget", data, "tabell-laget",
                             "tabellen Antal indikatorer efter bedömning"))
        show(summary.legend_markdown())
        for kraftsamling_id in self.params.kraftsamlingar:
            show(self._status_overview(kraftsamling_id))

    def show_goal(self, kraftsamling_id: str) -> None:
        """A kraftsamling's goal (from the catalogue), its verdicts in brief and the analyst's comment.

        Raises UnknownIdError (Swedish) when the kraftsamling is not in the catalogue.
        """
        kraftsamling = self.catalogue.kraftsamling(kraftsamling_id)  # UnknownIdError on a typo
        show(Markdown("**Målet för kraftsamlingen.** {}").format(kraftsamling.goal))
        show(self._status_overview(kraftsamling_id, caption=f"{kraftsamling.title}: bedömning i korthet",
                                   label=f"malbedomning-{kraftsamling_id}"))
        self.show_analysis(kraftsamling_id, level=2)

    def show_analysis(self, item_id: str, level: int = 3) -> None:
        """The analyst's comment (``kommentarer/<år>/<id>.md``) under "Analys", if there is one.

        Shown as the analyst wrote it: their Markdown, neither escaped nor retypeset. Raw
        typst/HTML blocks and executable code are refused (rus_analysis.report.comments)."""
        comment = comments.find_comment(self.root, self.params.report_year, item_id)
        if comment is not None:
            show(comment.markdown(level), typeset=False)

    def _status_overview(self, kraftsamling_id: str, caption: str | None = None,
                         label: str | None = None) -> DataTable:
        """The status overview table with its data (assessments and latest values) for a CSV."""
        text = summary.status_overview(self.status, self.catalogue, kraftsamling_id, self.params,
                                       self.frames, caption=caption, label=label)
        data = summary.status_overview_data(self.status, self.catalogue.for_kraftsamling(kraftsamling_id),
                                    self.params.region, self.frames)
        title = re.sub(r"\s*\{#tbl-[^}]*\}\s*$", "", text.rsplit("\n: ", 1)[-1]).strip()
        return DataTable(text, data, label or f"bedomning-{kraftsamling_id}", title)

    def show_indicators(self, kraftsamling_id: str) -> None:
        """Every indicator of the kraftsamling, in catalogue order (``show_indicator`` each)."""
        for indicator in self.catalogue.for_kraftsamling(kraftsamling_id):
            self.show_indicator(indicator.id)

    def show_method(self) -> None:
        """Bilaga A: how the verdicts are made, with the thresholds, region and peers of this report."""
        show(method_chapter(self.thresholds, heading_level=2, region=self.params.region,
                            peers=self.params.peers))

    def show_sources(self) -> None:
        """Bilaga B: each indicator's source, table, release and retrieval date, from the provenance."""
        show(sources_appendix(self.catalogue, self.data_dir, self.params.kraftsamlingar, level=1,
                              with_heading=False))

    # --- one indicator -------------------------------------------------------------------------

    def show_indicator(self, indicator_id: str) -> None:
        """Heading, verdict, charts, sentences and tables for one indicator; "Data saknas"
        once, never an empty chart, when the region has no data."""
        indicator = self.catalogue.get(indicator_id)  # UnknownIdError on a typo
        # The marker lets the build check that every indicator of a kraftsamling reached its chapter.
        show(summary.indicator_heading(indicator), metadata={INDICATOR_MARKER: indicator.id})
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
            self.show_analysis(indicator_id)
            return
        show(verdicts.assessment_markdown(self.status, indicator, region,
                                          self.thresholds.default_base_year))
        verdict_table = verdicts.verdict_table(self.status, indicator, region)
        if verdict_table is not None:
            show(verdict_table)
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
        self.show_analysis(indicator_id)

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
            if is_percent(indicator.unit):
                subject, genus = "andelen", "utrum"
            elif indicator.unit.strip().lower() == "antal":
                subject, genus = "antalet", "neutrum"
            else:
                subject, genus = "värdet", "neutrum"
            parts.append(narrative.series_change(frame, region, subject, unit, indicator.decimals,
                                                 genus=genus, place=f"I {REGION_NAMES[region]}",
                                                 with_amount=True, since=since))
            parts += self._against_the_verdict(own, indicator, subject)
        if since is not None:
            parts.append(f"Serien har ett brott {since}, så åren före {since} jämförs inte med senare år.")
        if RIKET in regions:
            try:
                parts.append(narrative.region_difference(frame, region, RIKET, decimals=indicator.decimals,
                                                         unit=unit))
            except ValueError:  # no common year: nothing to compare
                pass
        return " ".join(parts) if parts else ""

    def _against_the_verdict(self, own: pd.DataFrame, indicator: Indicator, subject: str) -> list[str]:
        """A short explanation when the whole series moves one way and the verdict (from the base
        year) says the other: "ökade från 19,8 till 22,0" beside "Rätt håll" for a share that
        should fall needs one sentence on why both are true."""
        rows = self.status[(self.status["indicator"] == indicator.id)
                           & (self.status["region_code"] == self.params.region)
                           & (self.status["sex"] == "T") & (self.status["group"] == "totalt")
                           & (self.status["comparison"] == "")]
        if rows.empty or pd.isna(rows.iloc[0]["base_year"]) or pd.isna(rows.iloc[0]["actual_change"]):
            return []
        row = rows.iloc[0]
        values = own.set_index("year")["value"].sort_index()
        first_year, base_year = int(values.index[0]), int(row["base_year"])
        whole = round(float(values.iloc[-1]), indicator.decimals) - round(float(values.iloc[0]), indicator.decimals)
        since_base = float(row["actual_change"])
        if first_year >= base_year or whole == 0 or since_base == 0 or (whole > 0) == (since_base > 0):
            return []
        then = "högre" if whole > 0 else "lägre"
        verb = "minskat" if since_base < 0 else "ökat"
        return [f"{narrative._capitalise(subject)} är alltså {then} än {first_year}, men har {verb} "
                f"sedan {base_year}, det år bedömningen utgår från."]

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


def open_report(report_year: int, params_dir: str | Path, data_dir: str | Path,
                project_dir: str | Path | None = None) -> Report:
    """The report for one year. ``project_dir`` (where ``kommentarer/`` is) defaults to the
    folder that holds ``params/``."""
    params_dir, data_dir = Path(params_dir), Path(data_dir)
    catalogue = load_catalogue(params_dir / "indikatorer.yml")
    return Report(
        params=load_report_params(params_dir, report_year, catalogue),
        catalogue=catalogue,
        data_dir=data_dir,
        thresholds=load_thresholds(params_dir / "bedomning.yml"),
        project_dir=Path(project_dir) if project_dir is not None else params_dir.parent,
        params_dir=params_dir,
    )
