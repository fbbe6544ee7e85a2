"""What the notebooks call: one function per report element, each displaying its result.

Notebooks stay thin (parameters, then one call per cell); everything here is plain package
code that the tests exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless in papermill and CI; figures are saved, never shown in a window
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.display import Markdown, display  # noqa: E402

from rus_analysis.catalogue import Catalogue, Indicator, load_catalogue  # noqa: E402
from rus_analysis.formatting import format_number  # noqa: E402
from rus_analysis.geography import REGION_NAMES, RIKET  # noqa: E402
from rus_analysis.report_params import ReportParams, load_report_params  # noqa: E402
from rus_analysis.snapshot import read_series  # noqa: E402

FIGURE_DIR = Path("figurer")


@dataclass
class Report:
    params: ReportParams
    catalogue: Catalogue
    data_dir: Path

    def series(self, indicator_id: str) -> pd.DataFrame:
        """An indicator's rows up to the report's data cut-off."""
        frame = read_series(self.data_dir, indicator_id)
        return frame[frame["year"] <= self.params.data_cutoff]

    def show_goal(self, kraftsamling_id: str) -> None:
        kraftsamling = next(k for k in self.catalogue.kraftsamlingar if k.id == kraftsamling_id)
        display(Markdown(f"**Målet för kraftsamlingen.** {kraftsamling.goal}"))

    def show_indicators(self, kraftsamling_id: str) -> None:
        for indicator in self.catalogue.for_kraftsamling(kraftsamling_id):
            self.show_indicator(indicator.id)

    def show_indicator(self, indicator_id: str) -> None:
        indicator = self.catalogue.get(indicator_id)
        display(Markdown(f"## {indicator.title}\n\n{indicator.description}"))
        frame = self.series(indicator_id)
        totals = frame[(frame["sex"] == "T") & (frame["group"] == "totalt") & frame["value"].notna()]
        regions = [self.params.region, RIKET]
        totals = totals[totals["region_code"].isin(regions)]
        if totals.empty:
            display(Markdown(f"> **Data saknas.** {indicator.missing_note or indicator.source.table}"))
            return
        display(Markdown(_figure_markdown(indicator, totals, regions)))
        display(Markdown(_table_markdown(indicator, totals, regions)))


def _figure_markdown(indicator: Indicator, frame: pd.DataFrame, regions: list[str]) -> str:
    fig, ax = plt.subplots(figsize=(6.3, 3.2), dpi=200)
    for code in regions:
        rows = frame[frame["region_code"] == code].sort_values("year")
        ax.plot(rows["year"], rows["value"], marker="o", label=REGION_NAMES[code])
    ax.set_ylabel(indicator.unit)
    ax.legend(frameon=False)
    FIGURE_DIR.mkdir(exist_ok=True)
    path = FIGURE_DIR / f"{indicator.id}.png"
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    latest = frame[frame["region_code"] == regions[0]].sort_values("year").iloc[-1]
    alt = (f"Linjediagram: {indicator.title}. {REGION_NAMES[regions[0]]} "
           f"{format_number(latest['value'], indicator.decimals)} {indicator.unit} år {latest['year']}.")
    return f'![{indicator.title}]({path.as_posix()}){{fig-alt="{alt}"}}'


def _table_markdown(indicator: Indicator, frame: pd.DataFrame, regions: list[str]) -> str:
    wide = frame.pivot_table(index="year", columns="region_code", values="value")
    header = "| År | " + " | ".join(REGION_NAMES[c] for c in regions) + " |"
    lines = [header, "|---:|" + "---:|" * len(regions)]
    for year, row in wide.iterrows():
        cells = [format_number(row.get(c), indicator.decimals) for c in regions]
        lines.append(f"| {year} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + f"\n\n: {indicator.title} ({indicator.unit})"


def open_report(report_year: int, params_dir: str | Path, data_dir: str | Path) -> Report:
    params_dir, data_dir = Path(params_dir), Path(data_dir)
    return Report(
        params=load_report_params(params_dir, report_year),
        catalogue=load_catalogue(params_dir / "indikatorer.yml"),
        data_dir=data_dir,
    )


def _show_summary(self: Report) -> None:
    lines = ["| Kraftsamling | Indikator | Senaste år | Örebro län | Riket |", "|---|---|---:|---:|---:|"]
    for kraftsamling in self.catalogue.kraftsamlingar:
        for indicator in self.catalogue.for_kraftsamling(kraftsamling.id):
            frame = self.series(indicator.id)
            totals = frame[(frame["sex"] == "T") & (frame["group"] == "totalt") & frame["value"].notna()]
            own = totals[totals["region_code"] == self.params.region]
            if own.empty:
                lines.append(f"| {kraftsamling.title} | {indicator.title} | – | Data saknas | – |")
                continue
            year = int(own["year"].max())
            riket = totals[(totals["region_code"] == RIKET) & (totals["year"] == year)]["value"]
            lines.append(
                f"| {kraftsamling.title} | {indicator.title} | {year} | "
                f"{format_number(own[own['year'] == year]['value'].iloc[0], indicator.decimals)} | "
                f"{format_number(riket.iloc[0] if len(riket) else None, indicator.decimals)} |"
            )
    display(Markdown("\n".join(lines) + "\n\n: Senaste värden för Örebro län och riket"))


def _show_method(self: Report) -> None:
    display(Markdown("Målbedömningen beskrivs här."))


def _show_sources(self: Report) -> None:
    display(Markdown("Källorna beskrivs här."))


Report.show_summary = _show_summary
Report.show_method = _show_method
Report.show_sources = _show_sources
