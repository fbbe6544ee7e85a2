"""What the notebooks call: Report methods on a small project, with the displayed outputs captured.

The project has its own catalogue and a year file with data cut-off 2023; the snapshot also holds
2024 values (all 99,x) that must never reach the reader.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from rus_analysis.config.geography import OREBRO_KOMMUNER
from rus_analysis.report import figure_cache
from rus_analysis.report.chapter import open_report
from rus_analysis.report.markup import normalise_space, unescape
from rus_analysis.snapshot.store import write_series
from support import UNIT_THRESHOLDS, provenance

# A warning callout whose first heading is its title (Quarto's callout title; no title attribute,
# which Quarto's HTML would also show as a tooltip), so "Data saknas" is said once per box.
MISSING_BOX = "::: {.callout-warning}\n## Data saknas: "
IMAGES = ("image/png", "image/svg+xml")
FIGURE_ID = re.compile(r"\{#fig-([a-z0-9-]+) fig-alt=\"([^\"]*)\"")


def indicator(id_, title, unit, direction, breakdowns=(), **extra):
    return {"id": id_, "title": title, "description": f"Om {title.lower()}.", "unit": unit,
            "kraftsamling": "arbete", "targeted": False, "direction": direction,
            "source": {"agency": "SCB", "table": f"Tabell {id_}"}, "breakdowns": list(breakdowns),
            **extra}


CATALOGUE = {
    "kraftsamlingar": [{"id": "arbete", "title": "Arbete", "goal": "Fler i arbete."}],
    "indicators": [
        indicator("andel", "Sysselsättningsgrad", "procent", "upp", ["kon", "fodelseregion", "kommun"]),
        indicator("ton", "Utsläpp av växthusgaser", "ton CO2-ekv", "ned", ["kommun", "kon"], decimals=0),
        indicator("antal", "Nystartade företag, antal", "antal", "upp", ["kommun"], decimals=0),
        indicator("bara_riket", "Långtidsarbetslöshet", "procent", "ned"),
        indicator("tom", "Självskattad hälsa", "procent", "upp",
                  missing_note="Hämtas från Folkhälsomyndighetens databas."),
        indicator("skolkommun", "Examen inom 4 år, efter skolkommun", "procent", "upp", ["kommun"]),
    ],
}


UNITS = {i["id"]: i["unit"] for i in CATALOGUE["indicators"]}


def rows(indicator_id, region, values, sex="T", group="totalt"):
    return [{"indicator": indicator_id, "region_code": region, "region_name": "", "year": year,
             "sex": sex, "group": group, "value": value, "unit": UNITS[indicator_id], "status": ""}
            for year, value in values.items()]


def years(start: float, step: float, after_cutoff: float) -> dict[int, float]:
    """2019–2023 rising by ``step``, and a 2024 value after the cut-off."""
    return {**{2019 + i: round(start + step * i, 1) for i in range(5)}, 2024: after_cutoff}


def series() -> dict[str, pd.DataFrame]:
    andel = rows("andel", "0018", years(76.0, 0.6, 99.1)) + rows("andel", "0000", years(77.0, 0.5, 99.2))
    andel += rows("andel", "0006", years(78.0, 0.4, 99.3))
    for sex, start in (("K", 74.0), ("M", 78.0)):
        andel += rows("andel", "0018", years(start, 0.6, 99.4), sex=sex)
        andel += rows("andel", "0000", years(start + 1, 0.5, 99.4), sex=sex)
    # Värmland: a jämförbart län here, the report's region in test_another_region.
    andel += rows("andel", "0017", years(75.0, 0.5, 99.1))
    andel += rows("andel", "0017", years(73.0, 0.5, 99.4), sex="K")
    andel += rows("andel", "0017", years(77.0, 0.5, 99.4), sex="M")
    for group, start in (("inrikes födda", 80.0), ("utrikes födda", 60.0)):
        andel += rows("andel", "0018", years(start, 0.7, 99.5), group=group)
    for number, code in enumerate(OREBRO_KOMMUNER):
        andel += rows("andel", code, {2022: 70.0 + number, 2023: 71.0 + number, 2024: 99.6})
    # Tonnes: riket some 40 times the region, so neither riket nor kommun bars belong beside it.
    ton = rows("ton", "0018", years(1_300_000, -20_000, 99_999))
    ton += rows("ton", "0000", years(5e7, -1e6, 99_999))
    for number, code in enumerate(OREBRO_KOMMUNER):
        ton += rows("ton", code, {2023: 50_000.0 + 1_000 * number})
    antal = rows("antal", "0018", years(1800, 20, 99_999)) + rows("antal", "0000", years(70_000, 900, 99_999))
    for number, code in enumerate(OREBRO_KOMMUNER):
        antal += rows("antal", code, {2023: 100.0 + 10 * number})
    bara_riket = rows("bara_riket", "0000", years(3.0, 0.1, 99.7))
    # Only some kommuner, no län or riket: like Skolverket's figures by school municipality.
    skolkommun = [row for number, code in enumerate(list(OREBRO_KOMMUNER)[:5])
                  for row in rows("skolkommun", code, {2022: 60.0 + number, 2023: 61.0 + number, 2024: 99.8})]
    return {key: pd.DataFrame(value) for key, value in
            {"andel": andel, "ton": ton, "antal": antal, "bara_riket": bara_riket,
             "skolkommun": skolkommun}.items()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("projekt")
    params = root / "params"
    params.mkdir()
    shutil.copy(UNIT_THRESHOLDS, params / "bedomning.yml")
    (params / "indikatorer.yml").write_text(yaml.safe_dump(CATALOGUE, allow_unicode=True), encoding="utf-8")
    (params / "2024.yml").write_text(yaml.safe_dump(
        {"rapportar": 2024, "data_till_och_med": 2023, "kraftsamlingar": ["arbete"]}), encoding="utf-8")
    comments = root / "kommentarer" / "2024"
    comments.mkdir(parents=True)
    (comments / "andel.md").write_text(
        "---\nid: andel\n---\n\nÖkningen drivs av *utrikes födda*; 1 000 fler i arbete.\n", encoding="utf-8")
    (comments / "arbete.md").write_text("Partnerskapet **prioriterar** arbete.\n", encoding="utf-8")
    for indicator_id, frame in series().items():
        write_series(root / "data", indicator_id, frame,
                     provenance(indicator_id, agency="SCB", table=f"Tabell {indicator_id}",
                                release="Testuttag", retrieved="2025-01-01"))
    return root


class Captured:
    """Everything the report displays, in order, as (data, metadata) pairs."""

    def __init__(self) -> None:
        self.outputs: list[tuple[dict, dict]] = []

    def __call__(self, data, metadata=None, **_) -> None:
        self.outputs.append((data, metadata or {}))

    def take(self) -> list[tuple[dict, dict]]:
        taken, self.outputs = self.outputs, []
        return taken


@pytest.fixture(scope="module")
def shown(project):
    """Each indicator's outputs, plus the summary and goal, from one report run in the project."""
    captured = Captured()
    with pytest.MonkeyPatch.context() as patch:
        # As in a build: the working folder is the year's build folder, and figures go to figurer/ there
        # (a run by hand elsewhere in the project saves under _build/papermill/: test_papermill_by_hand.py).
        workdir = project / "_build" / "2024" / "notebooks"
        workdir.mkdir(parents=True, exist_ok=True)
        patch.chdir(workdir)
        patch.delenv("RUS_FIGURE_DIR", raising=False)
        # As in a build, charts are cached by their inputs, so show_indicators (the same charts
        # again) copies them instead of drawing them a second time.
        patch.setenv(figure_cache.CACHE_ENV, str(project / "_build" / ".figurer"))
        patch.setattr("IPython.display.publish_display_data", captured)
        report = open_report(2024, project / "params", project / "data")
        result = {}
        for item in CATALOGUE["indicators"]:
            report.show_indicator(item["id"])
            result[item["id"]] = captured.take()
        report.show_summary()
        result["summary"] = captured.take()
        report.show_goal("arbete")
        result["goal"] = captured.take()
        report.show_indicators("arbete")
        result["all"] = captured.take()
    return result


def markdown(outputs) -> list[str]:
    """The Markdown shown, escapes undone (report.markup) and no-break spaces read as spaces
    (typography is tested apart)."""
    return [unescape(data["text/markdown"]).replace("\u00a0", " ") for data, _ in outputs]


def figures(outputs) -> dict[str, tuple[dict, dict]]:
    """Figure outputs by their #fig- id."""
    found = {}
    for data, metadata in outputs:
        if any(mime in data for mime in IMAGES):
            found[FIGURE_ID.search(unescape(data["text/markdown"])).group(1)] = (data, metadata)
    return found


def tables(outputs) -> list[str]:
    return [text for text in markdown(outputs) if re.search(r"^\|[-:|]+\|$", text, re.MULTILINE)]


@pytest.mark.parametrize("indicator_id", ["tom", "bara_riket"])
def test_without_data_one_box_and_no_figure(shown, indicator_id):
    outputs = shown[indicator_id]
    texts = markdown(outputs)
    assert sum(text.count(MISSING_BOX) for text in texts) == 1
    assert sum(text.count("Data saknas:") for text in texts) == 1
    assert figures(outputs) == {}
    assert not any("Målbedömning" in text for text in texts)
    title = next(i["title"] for i in CATALOGUE["indicators"] if i["id"] == indicator_id)
    assert texts[0].startswith(f"## {title}")


def test_missing_box_names_source_in_reader_words(shown):
    box = markdown(shown["tom"])[1]
    assert box.startswith("::: {.callout-warning}\n## Data saknas: Självskattad hälsa\n")
    assert box.count("Data saknas") == 1
    assert "Statistiken fanns inte i underlaget till rapporten." in box
    assert "Källa: SCB, Tabell tom." in box
    # The analyst's note on how to fetch it stays out of the report.
    assert "Hämtas från" not in box and "Ögonblicksbild" not in box
    assert len(shown["tom"]) == 2  # heading and box: no empty chart or table


def test_region_missing_but_riket_present_shows_riket_table(shown):
    texts = markdown(shown["bara_riket"])
    assert ("Underlaget till rapporten har inga värden för Örebro län; tabellen visar det som "
            "finns, för riket." in texts[1])
    [table] = tables(shown["bara_riket"])
    assert "| Riket |" in table and "Örebro län" not in table


def test_indicator_with_data(shown):
    outputs = shown["andel"]
    texts = markdown(outputs)
    assert texts[0].startswith("## Sysselsättningsgrad\n\nOm sysselsättningsgrad.")
    # Base year 2021: 77,2 → 78,4 in 2023 is +0,6 pp per year, above the bar of ≈ 0,17 → Rätt håll.
    verdict = texts[1]
    assert verdict.startswith("**Bedömning.** Sysselsättningsgrad har ökat sedan 2021 och går åt "
                              "rätt håll.")
    # The rates and both horizons in a compact table right under the sentence.
    assert texts[2].startswith("| Område |") and '[■]{style="color:#1E7E50"} Rätt håll' in texts[2]
    found = figures(outputs)
    assert {"andel-tidsserie", "andel-kommuner-2023", "andel-kon", "andel-fodelseregion"} <= set(found)
    for data, metadata in found.values():
        alt = FIGURE_ID.search(unescape(data["text/markdown"])).group(2)
        assert len(alt) > 40 and normalise_space(metadata["alt"]) == alt
    captions = [re.search(r"^: (.+?)(?: \{#tbl|$)", t, re.MULTILINE).group(1) for t in tables(outputs)]
    assert "Sysselsättningsgrad, procent, 2019–2023" in captions
    assert "Sysselsättningsgrad per kommun, procent, 2023" in captions
    assert any("Örebro län ökade andelen" in text for text in texts)


def test_figures_are_written_in_the_working_directory(shown, project):
    assert not (project / "figurer").exists() and not (project / "datafiler").exists()
    written = {path.stem for path in (project / "_build" / "2024" / "notebooks" / "figurer").iterdir()}
    assert {"andel-tidsserie", "andel-kommuner-2023", "ton-tidsserie"} <= written


@pytest.mark.parametrize("indicator_id", ["ton", "antal"])
def test_no_kommun_bars_or_riket_for_totals_and_counts(shown, indicator_id):
    outputs = shown[indicator_id]
    assert set(figures(outputs)) == {f"{indicator_id}-tidsserie"}
    assert not any("per kommun" in text for text in markdown(outputs))
    [table] = [t for t in tables(outputs) if "| År |" in t or "| Region |" in t]
    assert "Örebro län" in table and "Riket" not in table


def test_breakdown_only_with_group_data(shown):
    # "ton" declares kon but has no K/M rows: no breakdown chart or table.
    assert not any("efter kön" in text for text in markdown(shown["ton"]))
    by_sex = [t for t in tables(shown["andel"]) if "efter kön" in t]
    by_origin = [t for t in tables(shown["andel"]) if "efter födelseregion" in t]
    assert len(by_sex) == 1 and len(by_origin) == 1


def test_nothing_after_the_data_cutoff(shown):
    for outputs in shown.values():
        for data, metadata in outputs:
            text = data["text/plain"] + data["text/markdown"] + str(metadata)
            assert "2024" not in text
            assert not re.search(r"99[,.\s]\d", text), text


def test_summary_and_goal(shown):
    texts = markdown(shown["summary"])
    assert texts[0].startswith("## Läget i korthet\n\nRapporten följer sex indikatorer för Örebro län.")
    for part in ("## De viktigaste iakttagelserna", "## Sedan förra årets rapport"):
        assert part in texts[0]
    # No params for 2023 in this project: nothing to compare with, and it says so.
    assert "Det finns ingen rapport för 2023 att jämföra med" in texts[0]
    assert texts[1].startswith("**Så läses bedömningen.**")
    [overview] = texts[2:]
    # Every table is followed by its HTML-only data link (issue 14).
    overview, download = overview.split("\n\n::: {.content-visible", 1)
    assert "Ladda ner data (CSV)" in download and "(<datafiler/tabell-bedomning-arbete.csv>)" in download
    assert overview.endswith(": Arbete: bedömning och senaste värde (år) {#tbl-bedomning-arbete}")
    assert "| Självskattad hälsa, procent |" in overview and "Data saknas" in overview
    goal = markdown(shown["goal"])
    assert goal[0] == "**Målet för kraftsamlingen.** Fler i arbete."
    assert goal[1].split("\n\n::: {.content-visible")[0].endswith(
        ": Arbete: bedömning i korthet {#tbl-malbedomning-arbete}")


def test_show_indicators_in_catalogue_order(shown):
    headings = [t.split("\n", 1)[0] for t in markdown(shown["all"]) if t.startswith("## ")]
    assert headings == [f"## {i['title']}" for i in CATALOGUE["indicators"]]


def test_unknown_kraftsamling(project, monkeypatch):
    monkeypatch.chdir(project)
    monkeypatch.setattr("IPython.display.publish_display_data", Captured())
    report = open_report(2024, project / "params", project / "data")
    with pytest.raises(KeyError, match="Kraftsamlingen 'okand' finns inte"):
        report.show_goal("okand")
    report.params = report.params.model_copy(update={"kraftsamlingar": ["arbete", "okand"]})
    with pytest.raises(KeyError, match="Kraftsamlingen 'okand' finns inte"):
        report.show_summary()


def test_method_and_sources(project, monkeypatch):
    monkeypatch.chdir(project)
    captured = Captured()
    monkeypatch.setattr("IPython.display.publish_display_data", captured)
    report = open_report(2024, project / "params", project / "data")
    report.show_method()
    report.show_sources()
    method, sources = markdown(captured.outputs)
    assert "de senaste 5 åren" in method
    assert "Testuttag" in sources and "Självskattad hälsa" in sources


def test_another_region(project, monkeypatch):
    """A report on Värmlands län: its own women and men, and no Örebro kommuner."""
    captured = Captured()
    monkeypatch.chdir(project)
    monkeypatch.setattr("IPython.display.publish_display_data", captured)
    report = open_report(2024, project / "params", project / "data")
    report.params = report.params.model_copy(update={"region": "0017"})
    report.show_indicator("andel")
    found = figures(captured.outputs)
    assert "andel-kommuner-2023" not in found and "andel-fodelseregion" not in found
    data, _ = found["andel-kon"]
    assert "Värmlands län" in data["text/plain"] and "Örebro län" not in data["text/plain"]
    [by_sex] = [t for t in tables(captured.outputs) if "efter kön" in t]
    assert "Värmlands län" in by_sex and "Örebro län" not in by_sex
    assert not any("per kommun" in text for text in markdown(captured.outputs))


def test_kommun_only_indicator_shows_its_kommuner_under_the_note(shown):
    outputs = shown["skolkommun"]
    texts = markdown(outputs)
    assert sum(text.count(MISSING_BOX) for text in texts) == 1
    assert ("Underlaget har inga värden för Örebro län som helhet; diagrammet och tabellen visar "
            "länets kommuner." in texts[1])
    assert set(figures(outputs)) == {"skolkommun-kommuner-2023"}
    [table] = tables(outputs)
    assert "| Lekeberg" in table and "99,8" not in table


def test_the_analysts_words_come_last_under_analys_exactly_as_written(shown):
    outputs = shown["andel"]
    last = outputs[-1][0]["text/markdown"]
    assert last == ("### Analys {.unnumbered}\n\n:::::::::::: {.rus-kommentar}\n"
                    "Ökningen drivs av *utrikes födda*; 1 000 fler i arbete.\n\n::::::::::::\n")
    # Only the analyst's own text is left untypeset: "1 000" keeps the space they typed.
    assert "\u00a0" not in last
    goal = markdown(shown["goal"])
    assert goal[-1] == ("## Analys {.unnumbered}\n\n:::::::::::: {.rus-kommentar}\n"
                        "Partnerskapet **prioriterar** arbete.\n\n::::::::::::\n")
    # An indicator without a comment has no Analys heading.
    assert not any("Analys" in text for text in markdown(shown["ton"]))


def test_a_comment_with_raw_html_stops_the_chapter(project, monkeypatch):
    from rus_analysis.errors import ConfigError

    monkeypatch.chdir(project)  # figures go to <project>/figurer, never into the repository
    monkeypatch.setattr("IPython.display.publish_display_data", Captured())
    path = project / "kommentarer" / "2024" / "ton.md"
    path.write_text("Se här: <script>alert(1)</script>\n", encoding="utf-8")
    try:
        report = open_report(2024, project / "params", project / "data")
        with pytest.raises(ConfigError, match="HTML-tagg"):
            report.show_indicator("ton")
    finally:
        path.unlink()
