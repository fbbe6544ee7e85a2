"""What the notebooks call: one method per report element, each displaying its result.

Notebooks stay thin (parameters, then one call per cell). Each method composes the package's
building blocks: the snapshot, the målbedömning, charts, tables and generated sentences.
"""

from __future__ import annotations

import os
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
from rus_analysis.config.project import Project, find_project_root  # noqa: E402
from rus_analysis.config.report_params import ReportParams, available_years, load_report_params  # noqa: E402
from rus_analysis.config.units import is_percent  # noqa: E402
from rus_analysis.errors import ConfigError  # noqa: E402
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
    # Where charts (and, beside them, data files) are saved; None: display's default (figurer/ in
    # the working folder, which is the build folder in a build). See :func:`hand_run_figure_dir`.
    figure_dir: Path | None = None
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def _show(self, item: object, **kwargs: object) -> None:
        show(item, figure_dir=self.figure_dir, **kwargs)

    def _show_present(self, item: object) -> None:
        """Show a chart or table; a secondary element without data is left out, not boxed again."""
        if not isinstance(item, MissingData):
            self._show(item)

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
        self._show(with_data_after(text, "tbl-laget", data, "tabell-laget",
                                   "tabellen Antal indikatorer efter bedömning", figure_dir=self.figure_dir))
        self._show(summary.legend_markdown())
        for kraftsamling_id in self.params.kraftsamlingar:
            self._show(self._status_overview(kraftsamling_id))

    def show_goal(self, kraftsamling_id: str) -> None:
        """A kraftsamling's goal (from the catalogue), its verdicts in brief and the analyst's comment.

        Raises UnknownIdError (Swedish) when the kraftsamling is not in the catalogue.
        """
        kraftsamling = self.catalogue.kraftsamling(kraftsamling_id)  # UnknownIdError on a typo
        self._show(Markdown("**Målet för kraftsamlingen.** {}").format(kraftsamling.goal))
        self._show(self._status_overview(kraftsamling_id, caption=f"{kraftsamling.title}: bedömning i korthet",
                                   label=f"malbedomning-{kraftsamling_id}"))
        self.show_analysis(kraftsamling_id, level=2)

    def show_analysis(self, item_id: str, level: int = 3) -> None:
        """The analyst's comment (``kommentarer/<år>/<id>.md``) under "Analys", if there is one.

        Shown as the analyst wrote it: their Markdown, neither escaped nor retypeset. Raw
        typst/HTML blocks and executable code are refused (rus_analysis.report.comments)."""
        comment = comments.find_comment(self.root, self.params.report_year, item_id)
        if comment is not None:
            self._show(comment.markdown(level), typeset=False)

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
        self._show(method_chapter(self.thresholds, heading_level=2, region=self.params.region,
                            peers=self.params.peers))

    def show_sources(self) -> None:
        """Bilaga B: each indicator's source, table, release and retrieval date, from the provenance."""
        self._show(sources_appendix(self.catalogue, self.data_dir, self.params.kraftsamlingar, level=1,
                              with_heading=False))

    # --- one indicator -------------------------------------------------------------------------

    def show_indicator(self, indicator_id: str) -> None:
        """Heading, verdict, charts, sentences and tables for one indicator; "Data saknas"
        once, never an empty chart, when the region has no data."""
        indicator = self.catalogue.get(indicator_id)  # UnknownIdError on a typo
        # The marker lets the build check that every indicator of a kraftsamling reached its chapter.
        self._show(summary.indicator_heading(indicator), metadata={INDICATOR_MARKER: indicator.id})
        frame = self.series(indicator_id)
        region = self.params.region
        own = frame[(frame["region_code"] == region) & frame["value"].notna()]
        if own.empty:
            self._show(missing_for(indicator, self._missing_detail(frame, indicator)))
            if region == OREBRO_LAN and self._has_kommun_values(frame):
                # Only the kommuner have data (e.g. by school municipality): show those.
                self._show_present(charts.kommun_bars(frame, indicator))
                self._show_present(tables.kommun_table(frame, indicator))
            elif self._regions_with_data(frame):
                self._show_present(tables.year_table(frame, indicator, regions=self._regions_with_data(frame)))
            self.show_analysis(indicator_id)
            return
        self._show(verdicts.assessment_markdown(self.status, indicator, region,
                                          self.thresholds.default_base_year))
        verdict_table = verdicts.verdict_table(self.status, indicator, region)
        if verdict_table is not None:
            self._show(verdict_table)
        regions = self._comparable_regions(frame)
        if "sektor" in indicator.breakdowns:
            self._show_present(charts.sector_bars(frame, indicator, region=region))
        else:
            self._show_present(charts.time_series(frame, indicator, regions=regions))
        sentences = self._sentences(frame, indicator, regions)
        if sentences:
            self._show(sentences)
        # Kommuner against riket only for rates and shares; totals and counts differ in scale.
        # The kommun charts are Örebro län's kommuner, so only in a report on Örebro län.
        if region == OREBRO_LAN and RIKET in regions and self._has_kommun_values(frame):
            self._show_present(charts.kommun_bars(frame, indicator))
            self._show_present(tables.kommun_table(frame, indicator))
        for by in ("kon", "fodelseregion", "vistelsetid"):
            if by in indicator.breakdowns and self._has_breakdown(frame, by):
                self._show_present(charts.group_series(frame, indicator, by=by, regions=(region, RIKET)))
                self._show_present(tables.group_table(frame, indicator, by=by, regions=(region, RIKET),
                                                 years=self._recent_years(frame)))
        self._show_present(tables.year_table(frame, indicator, regions=regions))
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


# Charts of a notebook run by hand (papermill, Jupyter, nbval) go to _build/<this>/<år>/figurer.
HAND_RUN_DIR = "papermill"


def hand_run_figure_dir(project_dir: Path, report_year: int) -> Path | None:
    """Where a notebook run outside a build saves its charts: ``<projekt>/_build/papermill/<år>/figurer``
    (data files go beside it, in ``datafiler/``), so a run by hand never writes into the source tree.

    None (the working folder's ``figurer/``, as before) inside a build, where the working folder is
    ``_build/<år>/…``, when ``RUS_FIGURE_DIR`` is set, or when the working folder is outside the project."""
    from rus_analysis.report.display import FIGURE_DIR_ENV

    if os.environ.get(FIGURE_DIR_ENV):
        return None
    root, here = project_dir.resolve(), Path.cwd().resolve()
    if not here.is_relative_to(root) or here.is_relative_to(root / "_build"):
        return None
    return root / "_build" / HAND_RUN_DIR / str(report_year) / "figurer"


def open_report(report_year: int, params_dir: str | Path | None = None, data_dir: str | Path | None = None,
                project_dir: str | Path | None = None) -> Report:
    """The report for one year.

    A notebook's parameters cell gives ``params_dir = None`` and ``data_dir = None``; a build
    passes absolute folders. Without ``params_dir`` the project is ``project_dir``, else found
    from the working folder upwards (the folder with ``_quarto.yml``, or ``$RUS_PROJEKT``:
    :func:`~rus_analysis.config.project.find_project_root`), so ``papermill notebooks/x.ipynb
    ut.ipynb -p report_year 2024`` works from the project folder and from ``notebooks/``.
    ``project_dir`` (where ``kommentarer/`` is) defaults to the folder that holds ``params/``;
    ``data_dir`` to ``data/`` there. Relative folders are relative to the working folder.
    Raises ConfigError (Swedish) when no project is found, SettingsError for bad params."""
    if params_dir is None:
        try:
            params_dir = Project(find_project_root(project_dir)).params_dir
        except ConfigError as exc:
            raise ConfigError(f"{exc} En notebook som körs för hand (papermill, Jupyter) letar uppåt från "
                              "arbetsmappen; kör den i projektmappen eller i notebooks/, eller ange "
                              "-p params_dir MAPP.") from None
    params_dir = Path(params_dir)
    project = Path(project_dir) if project_dir is not None else params_dir.parent
    data_dir = Path(data_dir) if data_dir is not None else project / "data"
    catalogue = load_catalogue(params_dir / "indikatorer.yml")
    return Report(
        params=load_report_params(params_dir, report_year, catalogue),
        catalogue=catalogue,
        data_dir=data_dir,
        thresholds=load_thresholds(params_dir / "bedomning.yml"),
        project_dir=project,
        params_dir=params_dir,
        figure_dir=hand_run_figure_dir(project, report_year),
    )
