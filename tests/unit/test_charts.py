import math
import re
import textwrap
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pypandoc
import pytest
import typst

from rus_analysis.build.render.builtin import BUILTIN_FILTER, font_dir, typst_template
from rus_analysis.build.render.extension import extension_dir
from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import OREBRO_KOMMUNER, OREBRO_LAN, REGION_NAMES, RIKET
from rus_analysis.report import charts, display, style
from rus_analysis.report.markup import unescape
from rus_analysis.report.missing import MissingData
from support import PROJECT, unit_thresholds

ALT_FILTER = Path(str(BUILTIN_FILTER))


def tidy(rows, indicator="syss", unit="procent"):
    """Rows of (region, year, value[, sex, group, status]) as a snapshot frame."""
    records = []
    for row in rows:
        region, year, value, *rest = row
        sex, group, status = (list(rest) + ["T", "totalt", ""][len(rest):])[:3]
        records.append({"indicator": indicator, "region_code": region,
                        "region_name": REGION_NAMES.get(region, region), "year": year, "sex": sex,
                        "group": group, "value": value, "unit": unit, "status": status})
    return pd.DataFrame(records)


def indicator(unit="procent", target=None, decimals=1, **extra):
    return Indicator(id="syss", title="Sysselsättningsgrad 20–64 år", description="Test.",
                     unit=unit, kraftsamling="k", targeted=False, direction="upp",
                     source={"agency": "SCB (Befolkningens arbetsmarknadsstatus, BAS)",
                             "table": "SCB AM0210"},
                     target=target, decimals=decimals, **extra)


EMPLOYMENT = tidy([
    (OREBRO_LAN, 2020, 78.1), (OREBRO_LAN, 2022, 79.0), (OREBRO_LAN, 2024, 79.9),
    (RIKET, 2020, 79.0), (RIKET, 2022, 80.0), (RIKET, 2024, 80.9),
    ("0006", 2024, 82.7), ("0017", 2024, 81.3),
])


def lines_by_label(chart):
    return {line.get_label(): line for ax in chart.figure.axes for line in ax.get_lines()}


def test_time_series_alt_text_names_the_values():
    chart = charts.time_series(EMPLOYMENT, indicator())
    assert isinstance(chart, charts.Chart)
    assert chart.alt_text.startswith("Linjediagram: Sysselsättningsgrad 20–64 år 2020–2024.")
    assert "Örebro län ökade från 78,1 till 79,9 procent; riket ökade från 79,0 till 80,9 procent." \
        in chart.alt_text
    assert "Jönköpings län 82,7 och Värmlands län 81,3 procent" in chart.alt_text
    assert chart.source == "SCB, Befolkningens arbetsmarknadsstatus, BAS (AM0210)"
    assert chart.title == "Sysselsättningsgrad 20–64 år, 2020–2024"


def test_axes_use_swedish_numbers_and_units():
    frame = tidy([(OREBRO_LAN, 2020, 0.21), (OREBRO_LAN, 2021, 0.93), (RIKET, 2021, 0.4)])
    chart = charts.time_series(frame, indicator())
    chart.figure.canvas.draw()
    ax = chart.figure.axes[0]
    values = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert values and all("." not in v for v in values) and any("," in v for v in values)
    years = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert years == ["2020", "2021"]
    assert ax.get_ylabel() == "Procent" and ax.get_xlabel() == "År"
    source = [t.get_text() for sub in chart.figure.subfigs for t in sub.texts]
    assert source == ["Källa: SCB, Befolkningens arbetsmarknadsstatus, BAS (AM0210)"]


def test_large_values_are_scaled_and_labelled():
    frame = tidy([(OREBRO_LAN, 2005, 1_900_000.0), (OREBRO_LAN, 2024, 1_244_472.0)],
                 unit="ton CO2-ekv")
    chart = charts.time_series(frame, indicator(unit="ton CO2-ekv", decimals=0), regions=[OREBRO_LAN])
    chart.figure.canvas.draw()
    ax = chart.figure.axes[0]
    assert ax.get_ylabel() == "Tusen ton CO\u2082-ekvivalenter"
    assert "2\u00a0000" in [t.get_text() for t in ax.get_yticklabels()]
    assert ax.get_ylim()[0] == 0  # tonnes start at zero; percentages need not


def test_orebro_has_the_same_colour_in_every_chart():
    frame = pd.concat([
        EMPLOYMENT,
        tidy([(code, 2024, 70.0 + i) for i, code in enumerate(OREBRO_KOMMUNER)]),
        tidy([(OREBRO_LAN, 2024, 84.0, "T", "inrikes födda"), (OREBRO_LAN, 2024, 69.2, "T", "utrikes födda"),
              (RIKET, 2024, 84.8, "T", "inrikes födda"), (RIKET, 2024, 70.4, "T", "utrikes födda")]),
    ])
    series = lines_by_label(charts.time_series(frame, indicator()))
    kommun_chart = charts.kommun_bars(frame, indicator())
    groups = lines_by_label(charts.group_series(frame, indicator(), by="fodelseregion"))
    orebro = [series["Örebro län"], *(line for label, line in groups.items() if label.startswith("Örebro län"))]
    assert len(orebro) == 3
    assert {line.get_color() for line in orebro} == {style.OREBRO_COLOUR}
    # In the kommun chart Örebro län is a bar of its own, in the same blue.
    ax = kommun_chart.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    bar = ax.patches[-2]  # länet, then riket, after the twelve kommuner
    assert labels[-2:] == ["Örebro län", "Riket"]
    assert matplotlib.colors.to_hex(bar.get_facecolor()) == style.OREBRO_COLOUR.lower()
    assert series["Riket"].get_color() == style.RIKET_COLOUR


def test_relative_target_is_drawn_from_the_base_year():
    target = {"kind": "relativ_forandring", "value": -60, "base_year": 2005, "target_year": 2030,
              "wording": "−60 procent till 2030 jämfört med 2005"}
    frame = tidy([(OREBRO_LAN, 1990, 120.0), (OREBRO_LAN, 2005, 100.0), (OREBRO_LAN, 2024, 70.0)],
                 unit="ton CO2-ekv")
    chart = charts.time_series(frame, indicator("ton CO2-ekv", target, decimals=0),
                               regions=[OREBRO_LAN])
    assert "Målet är 40 ton CO2-ekvivalenter år 2030 (−60 procent jämfört med basåret 2005)." \
        in chart.alt_text
    path = [line for line in chart.figure.axes[0].get_lines()
            if list(line.get_xdata()) == [2005, 2030]]
    assert path and list(path[0].get_ydata()) == [100.0, 40.0]
    assert 2030 in chart.figure.axes[0].get_xticks()


def test_target_without_base_value_follows_the_assessment_and_says_so():
    """The chart's target level and the målbedömning's come from one function: they agree."""
    from rus_analysis.assessment import assess
    from rus_analysis.config.catalogue import Target

    target = {"kind": "relativ_forandring", "value": -60, "base_year": 2005, "target_year": 2030,
              "wording": "x"}
    frame = tidy([(OREBRO_LAN, 2010, 100.0), (OREBRO_LAN, 2024, 70.0)], unit="ton CO2-ekv")
    chart = charts.time_series(frame, indicator("ton CO2-ekv", target, decimals=0),
                               regions=[OREBRO_LAN])
    assert "Data för målets basår 2005 saknas; målnivån räknas från värdet 2010." in chart.alt_text
    path = [line for line in chart.figure.axes[0].get_lines() if list(line.get_xdata()) == [2010, 2030]]
    assert path and list(path[0].get_ydata()) == [100.0, 40.0]
    verdict = assess(([2010, 2024], [100.0, 70.0]), "ned", thresholds=unit_thresholds(),
                     target=Target(**target))
    assert verdict.target_value == 40.0 and verdict.target_year == 2030


def test_target_without_any_value_from_the_base_year_is_explained_not_guessed():
    target = {"kind": "relativ_forandring", "value": -60, "base_year": 2005, "target_year": 2030,
              "wording": "x"}
    frame = tidy([(OREBRO_LAN, 2000, 100.0), (OREBRO_LAN, 2004, 70.0)], unit="ton CO2-ekv")
    chart = charts.time_series(frame, indicator("ton CO2-ekv", target, decimals=0),
                               regions=[OREBRO_LAN])
    assert "kan inte ritas: data för målets basår 2005 och senare saknas" in chart.alt_text
    assert all(2030 not in line.get_xdata() for line in chart.figure.axes[0].get_lines())


def test_confidential_year_breaks_the_line_and_is_named():
    frame = tidy([(OREBRO_LAN, 2020, 78.1), (OREBRO_LAN, 2021, math.nan, "T", "totalt", "sekretess"),
                  (OREBRO_LAN, 2022, 79.0), (RIKET, 2020, 79.0), (RIKET, 2022, 80.0)])
    chart = charts.time_series(frame, indicator())
    assert "Värde saknas för Örebro län 2021 (sekretess)." in chart.alt_text
    ydata = list(lines_by_label(chart)["Örebro län"].get_ydata())
    assert math.isnan(ydata[1])  # a gap, not an interpolated point


def test_no_data_gives_a_data_saknas_box_not_an_empty_chart():
    empty = EMPLOYMENT[EMPLOYMENT["region_code"] == "9999"]
    result = charts.time_series(empty, indicator(missing_note="Hämtas från SCB AM0210 med "
                                                 "`rus data uppdatera`."))
    assert isinstance(result, MissingData)
    text = unescape(result.markdown()).replace("\u00a0", " ")
    assert "Data saknas: Sysselsättningsgrad 20–64 år" in text
    assert "Källa: SCB, Befolkningens arbetsmarknadsstatus, BAS (AM0210)." in text
    # How an analyst fetches the data is for the analyst, never in the report.
    assert "rus data" not in text and "`" not in text
    assert isinstance(charts.kommun_bars(EMPLOYMENT, indicator()), MissingData)
    assert isinstance(charts.group_series(EMPLOYMENT, indicator(), by="kon"), MissingData)


def test_kommun_bars_sorted_with_references_and_missing_named():
    values = {code: 70.0 + i for i, code in enumerate(OREBRO_KOMMUNER)}
    rows = [(code, 2024, v) for code, v in values.items() if code != "1860"]
    rows += [("1860", 2024, math.nan, "T", "totalt", "sekretess"), (OREBRO_LAN, 2024, 78.0),
             (RIKET, 2024, 80.5)]
    chart = charts.kommun_bars(tidy(rows), indicator())
    ax = chart.figure.axes[0]
    top_down = [t.get_text() for t in sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])]
    # Highest on top, missing last; then länet and riket as bars of their own.
    assert top_down[0] == "Lindesberg" and top_down[-3:] == ["Laxå", "Örebro län", "Riket"]
    assert "uppgift saknas" in " ".join(t.get_text() for t in ax.texts)
    assert "Högst var värdet i Lindesberg (81,0 procent) och lägst i Lekeberg (70,0 procent)." \
        in chart.alt_text
    assert "Under kommunerna visas Örebro län 78,0 procent och riket 80,5 procent" in chart.alt_text
    # One reference line only (riket), so two lines can never hide each other.
    assert [line.get_label() for line in ax.get_lines()] == ["Riket 80,5"]
    assert "Värde saknas för Laxå (sekretess)." in chart.alt_text
    assert ax.get_xlim()[0] == 0  # bars start at zero


def test_group_series_by_birth_region():
    frame = tidy([(OREBRO_LAN, 2020, 82.8, "T", "inrikes födda"), (OREBRO_LAN, 2024, 84.0, "T", "inrikes födda"),
                  (OREBRO_LAN, 2020, 61.5, "T", "utrikes födda"), (OREBRO_LAN, 2024, 69.2, "T", "utrikes födda")])
    chart = charts.group_series(frame, indicator(), by="fodelseregion", regions=[OREBRO_LAN])
    assert ("Örebro län: inrikes födda ökade från 82,8 till 84,0 procent, utrikes födda ökade från "
            "61,5 till 69,2 procent. Skillnaden var 14,8 procentenheter 2024.") in chart.alt_text
    styles = {label: line.get_linestyle() for label, line in lines_by_label(chart).items()}
    assert styles["Örebro län, inrikes födda"] != styles["Örebro län, utrikes födda"]


def test_sector_bars_stack_to_the_total():
    rows = []
    for year, parts in {2005: (60.0, 30.0, 10.0), 2024: (50.0, 20.0, 5.0)}.items():
        for sector, value in zip(["Transporter", "Jordbruk", "Avfall (inkl.avlopp)"], parts, strict=True):
            rows.append((OREBRO_LAN, year, value, "T", sector))
    chart = charts.sector_bars(tidy(rows, unit="ton CO2-ekv"), indicator("ton CO2-ekv", decimals=0))
    tops = {}
    for patch in chart.figure.axes[0].patches:
        x = round(patch.get_x() + patch.get_width() / 2)
        tops[x] = max(tops.get(x, 0), patch.get_y() + patch.get_height())
    # The year axis is proportional: each bar stands at its year, not at an evenly spaced slot.
    assert tops == {2005: 100.0, 2024: 75.0}
    assert "Utsläppen totalt minskade från 100 till 75 ton CO2-ekvivalenter mellan 2005 och " \
           "2024." in chart.alt_text
    assert "Avfall (inkl. avlopp)" in chart.alt_text
    assert "Störst 2024 var Transporter med 50 ton CO2-ekvivalenter (67 procent av totalen)" \
        in chart.alt_text


def test_display_saves_figure_and_emits_markdown_with_alt(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chart = charts.time_series(EMPLOYMENT, indicator(), profile="print")
    data, metadata = display.output_for(chart)
    saved = tmp_path / "figurer" / "syss-tidsserie.svg"  # the print profile draws vectors (issue 16)
    assert saved.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    markdown = unescape(data["text/markdown"]).replace("\u00a0", " ")
    assert markdown.startswith("![Sysselsättningsgrad 20–64 år, 2020–2024]"
                               "(<figurer/syss-tidsserie.svg>){#fig-syss-tidsserie ")
    assert f'fig-alt="{chart.alt_text}"' in markdown
    assert data["image/svg+xml"] == saved.read_text(encoding="utf-8")
    assert metadata["image/svg+xml"] == {"alt": chart.alt_text, "width": 605}
    # Same chart, same bytes: reruns with unchanged data leave the figure files untouched.
    first = saved.read_bytes()
    display.output_for(charts.time_series(EMPLOYMENT, indicator(), profile="print"))
    assert saved.read_bytes() == first


def test_screen_profile_writes_svg(tmp_path):
    chart = charts.time_series(EMPLOYMENT, indicator(), profile="screen")
    data, metadata = display.output_for(chart, figure_dir=tmp_path)
    svg = (tmp_path / "syss-tidsserie.svg").read_text(encoding="utf-8")
    assert svg == data["image/svg+xml"] and "<svg" in svg
    assert float(re.search(r'width="([\d.]+)pt"', svg).group(1)) == pytest.approx(600, abs=1)
    assert metadata["image/svg+xml"]["width"] == 800


NOTEBOOK_CELLS = [
    """
    import pandas as pd
    from rus_analysis.report import charts, tables
    from rus_analysis.config.catalogue import Indicator
    from rus_analysis.report.display import show
    frame = pd.DataFrame({
        "indicator": "syss", "region_code": ["0018", "0018", "0000", "0000"],
        "region_name": ["Örebro län", "Örebro län", "Riket", "Riket"], "year": [2020, 2024] * 2,
        "sex": "T", "group": "totalt", "value": [78.1, None, 79.0, 80.9], "unit": "procent",
        "status": ["", "sekretess", "", ""],
    })
    indicator = Indicator(id="syss", title="Sysselsättningsgrad 20–64 år", description="Test.",
                          unit="procent", kraftsamling="k", targeted=False, direction="upp",
                          source={"agency": "SCB", "table": "SCB AM0210"})
    """,
    "show(charts.time_series(frame, indicator))",
    "show(tables.year_table(frame, indicator))",
    "show(charts.kommun_bars(frame, indicator))",
]


@pytest.fixture(scope="module")
def executed_notebook(tmp_path_factory):
    """A small notebook really executed in a kernel, as papermill does in the pipeline."""
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("kapitel")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(src).strip()) for src in NOTEBOOK_CELLS]
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    path = folder / "kapitel.ipynb"
    nbformat.write(nb, path)
    return path, nb


def test_notebook_outputs_survive_pandoc_to_typst_and_html(executed_notebook):
    path, nb = executed_notebook
    folder = path.parent
    alt = nb.cells[1].outputs[0]["metadata"]["alt"]
    assert alt.startswith("Linjediagram: Sysselsättningsgrad 20–64 år 2020–2024.")
    assert (folder / "figurer" / "syss-tidsserie.svg").is_file()

    # The path Quarto and the built-in renderer take: notebook → Markdown → typst / HTML.
    markdown = pypandoc.convert_file(str(path), "markdown", format="ipynb")
    html = pypandoc.convert_text(markdown, "html", format="markdown")
    assert f'alt="{alt}"' in html
    assert "<figcaption>Sysselsättningsgrad 20–64\u00a0år, 2020–2024</figcaption>" in html
    assert '<td style="text-align: right;">78,1</td>' in html
    assert '<td style="text-align: right;">–</td>' in html
    assert "– = uppgift saknas (sekretess)." in html
    assert "Data saknas: Sysselsättningsgrad 20–64\u00a0år" in html

    # Typst through the shared layout (the extension's partials, as the built-in renderer does).
    template = typst_template(extension_dir(PROJECT), folder / "_typst")
    typ = pypandoc.convert_text(markdown, "typst", format="markdown",
                                extra_args=["--standalone", f"--template={template}",
                                            f"--lua-filter={ALT_FILTER}", "--metadata=title:Test"])
    assert f'alt: "{alt}"' in typ
    assert "table.header([Region], [2020], [2024],)" in typ
    assert "[78,1], [--]" in typ  # typst writes the en dash as --
    assert "title: [Data saknas: Sysselsättningsgrad 20--64~år]" in typ  # the callout's title
    (folder / "kapitel.typ").write_text(typ, encoding="utf-8")
    pdf = typst.compile(str(folder / "kapitel.typ"), root=str(folder), font_paths=[str(font_dir())],
                        ignore_system_fonts=True, pdf_standards=["ua-1"])
    assert pdf[:5] == b"%PDF-"


def test_direct_pandoc_conversion_keeps_the_figure(executed_notebook):
    """Without the Markdown step pandoc picks the embedded image: HTML keeps its alt text;
    typst gets the image (pandoc's typst writer has no alt text, hence the Markdown route)."""
    path, nb = executed_notebook
    alt = nb.cells[1].outputs[0]["metadata"]["alt"]
    html = pypandoc.convert_file(str(path), "html", format="ipynb")
    assert f'alt="{alt}"' in html
    typ = pypandoc.convert_file(str(path), "typst", format="ipynb",
                                extra_args=[f"--extract-media={path.parent / 'media'}"])
    assert re.search(r"image\(\"[^\"]+\.svg\", width: 6\.30\d*in\)", typ)


def test_screen_svg_is_byte_identical_on_rerun(tmp_path):
    """Saved figures must not change between runs (no random SVG ids), so diffs stay quiet."""
    from rus_analysis.report.display import save_figure

    first = save_figure(charts.time_series(EMPLOYMENT, indicator(), profile="screen"), tmp_path / "a")
    second = save_figure(charts.time_series(EMPLOYMENT, indicator(), profile="screen"), tmp_path / "b")
    assert first.suffix == ".svg" and first.read_bytes() == second.read_bytes()


def test_a_series_break_is_marked_and_never_compared_across():
    frame = tidy([(OREBRO_LAN, 2016, 70.0), (OREBRO_LAN, 2018, 71.0), (OREBRO_LAN, 2019, 60.0),
                  (OREBRO_LAN, 2021, 62.0), (RIKET, 2016, 72.0), (RIKET, 2021, 64.0)])
    broken = indicator().model_copy(update={"break_year": 2019})
    chart = charts.time_series(frame, broken)
    assert "Serien har ett brott 2019" in chart.alt_text
    assert "från 60,0 till 62,0 procent mellan 2019 och 2021" in chart.alt_text
    assert "70,0" not in chart.alt_text  # 2016 is before the break: never the start of a change
    labels = [t.get_text() for t in chart.figure.axes[0].texts]
    assert "Seriebrott 2019" in labels
    from matplotlib.legend import Legend

    legend = [t.get_text() for legend in chart.figure.findobj(Legend) for t in legend.get_texts()]
    assert "Seriebrott 2019" in legend


# --- F17: the figure cache never costs a chart its web drawings -------------------------------

def _cached_build(tmp_path, monkeypatch):
    from rus_analysis.report import figure_cache

    monkeypatch.setenv(figure_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(figure_cache.SALT_ENV, "test")
    monkeypatch.delenv(display.WEB_VARIANTS_ENV, raising=False)
    monkeypatch.delenv(style.PROFILE_ENV, raising=False)
    return tmp_path / "cache"


def _figure_files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".png", ".svg")}


def test_every_print_figure_has_its_web_drawings_drawn_or_from_the_cache(tmp_path, monkeypatch):
    cache = _cached_build(tmp_path, monkeypatch)
    drawn = charts.time_series(EMPLOYMENT, indicator())
    assert drawn.cached is None and drawn.cache_key
    display.output_for(drawn, figure_dir=tmp_path / "first")
    first = _figure_files(tmp_path / "first")
    assert set(first) == {"syss-tidsserie.svg", "syss-tidsserie.phone.svg"}
    assert {p.name for p in (cache / drawn.cache_key).iterdir()} == {"print.svg", "phone.svg", "chart.pickle"}

    hit = charts.time_series(EMPLOYMENT, indicator())
    assert hit.cached is not None and hit.figure is None
    display.output_for(hit, figure_dir=tmp_path / "second")
    assert _figure_files(tmp_path / "second") == first  # same files, same bytes


@pytest.mark.parametrize("lost", ["phone.svg", "print.svg"])
def test_a_cache_entry_missing_a_file_is_a_miss_and_is_made_whole(tmp_path, monkeypatch, lost):
    cache = _cached_build(tmp_path, monkeypatch)
    drawn = charts.time_series(EMPLOYMENT, indicator())
    display.output_for(drawn, figure_dir=tmp_path / "first")
    (cache / drawn.cache_key / lost).unlink()  # e.g. an entry written by an older build

    again = charts.time_series(EMPLOYMENT, indicator())
    assert again.cached is None and again.figure is not None  # drawn, not copied without its file
    display.output_for(again, figure_dir=tmp_path / "second")
    assert _figure_files(tmp_path / "second") == _figure_files(tmp_path / "first")
    assert (cache / drawn.cache_key / lost).is_file()  # the entry was replaced by a whole one
    assert charts.time_series(EMPLOYMENT, indicator()).cached is not None


def test_an_entry_without_web_drawings_serves_only_a_build_that_skips_them(tmp_path, monkeypatch):
    from rus_analysis.report import figure_cache

    _cached_build(tmp_path, monkeypatch)
    assert figure_cache.required_files(style.get_profile("print")) == ["print.svg", "phone.svg"]
    monkeypatch.setenv(display.WEB_VARIANTS_ENV, "0")
    assert figure_cache.required_files(style.get_profile("print")) == ["print.svg"]


def test_a_web_drawing_that_cannot_be_drawn_is_said_and_not_cached(tmp_path, monkeypatch):
    cache = _cached_build(tmp_path, monkeypatch)
    chart = charts.time_series(EMPLOYMENT, indicator())
    redraw = chart.redraw
    chart.redraw = lambda profile: (MissingData(title="x", source="SCB") if profile == "phone"
                                    else redraw(profile))
    with pytest.warns(RuntimeWarning, match="telefonstorlek"):
        display.output_for(chart, figure_dir=tmp_path / "out")
    assert not (cache / chart.cache_key).exists()  # an incomplete entry is never stored
    assert charts.time_series(EMPLOYMENT, indicator()).cached is None


def test_the_build_names_print_figures_without_web_drawings(tmp_path, monkeypatch):
    from rus_analysis.build.chapter_check import figures_without_web_drawings

    monkeypatch.delenv(display.WEB_VARIANTS_ENV, raising=False)
    figures = tmp_path / "notebooks" / "figurer"
    figures.mkdir(parents=True)
    # print drawings are SVG (and PNG from an analyst's PNG profile); a phone drawing is not a print one
    for name in ["a.svg", "a.phone.svg", "b.svg", "b.screen.svg", "c.png", "d.png", "d.phone.svg"]:
        (figures / name).write_bytes(b"x")
    assert figures_without_web_drawings(tmp_path) == ["notebooks/figurer/b.svg", "notebooks/figurer/c.png"]
    monkeypatch.setenv(display.WEB_VARIANTS_ENV, "0")
    assert figures_without_web_drawings(tmp_path) == []
