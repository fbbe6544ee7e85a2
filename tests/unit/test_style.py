import matplotlib as mpl
import pytest
from matplotlib import font_manager

from rus_analysis.config.geography import OREBRO_LAN, RIKET
from rus_analysis.report import style

NBSP = "\u00a0"


def test_profile_from_argument_env_and_default(monkeypatch):
    monkeypatch.delenv(style.PROFILE_ENV, raising=False)
    assert style.get_profile().name == "print"
    monkeypatch.setenv(style.PROFILE_ENV, "screen")
    assert style.get_profile().name == "screen"
    assert style.get_profile("print").name == "print"  # the argument wins


def test_unknown_profile_gives_swedish_message(monkeypatch):
    monkeypatch.setenv(style.PROFILE_ENV, "poster")
    with pytest.raises(ValueError, match="Okänd figurprofil 'poster'.*print, screen"):
        style.get_profile()


def test_profile_sizes_match_the_media():
    printed, screen = style.get_profile("print"), style.get_profile("screen")
    assert printed.width_in * 2.54 == pytest.approx(16.0)
    assert printed.format == "svg"  # vectors in the PDF, and the HTML's drawing on wider screens (issue 16)
    assert screen.width_in * 96 == pytest.approx(800)
    assert screen.format == "svg"


def test_region_colours_are_fixed_and_distinct():
    assert style.region_colour(OREBRO_LAN) == style.OREBRO_COLOUR == "#0072B2"
    peers = [style.region_colour(code) for code in style.PEER_CODES]
    everyone = [style.region_colour(OREBRO_LAN), style.region_colour(RIKET), *peers]
    assert len(set(everyone)) == len(everyone)
    # Not colour alone: each of the six regions has its own marker too.
    markers = [style.region_line_style(c)["marker"] for c in (OREBRO_LAN, RIKET, *style.PEER_CODES)]
    assert len(set(markers)) == 6
    assert style.region_line_style(OREBRO_LAN)["linewidth"] > style.region_line_style("0006")["linewidth"]
    assert style.OREBRO_COLOUR not in style.SECTOR_COLOURS.values()


def test_peers_are_muted_versions_of_okabe_ito():
    jonkoping = mpl.colors.to_rgb(style.region_colour("0006"))
    orange = mpl.colors.to_rgb(style.OKABE_ITO["orange"])
    assert all(m >= o for m, o in zip(jonkoping, orange, strict=True)) and jonkoping != orange


def test_swedish_tick_labels():
    formatter = style.SwedishFormatter()
    assert formatter.format_ticks([0.0, 0.5, 1.0, 1.5]) == ["0,0", "0,5", "1,0", "1,5"]
    assert formatter.format_ticks([0, 500, 1000, 1500])[-1] == f"1{NBSP}500"
    assert formatter.format_ticks([-500, 0, 500])[0] == "\u2212500"
    thousands = style.SwedishFormatter(divisor=1000)
    assert thousands.format_ticks([0, 500_000, 1_000_000])[-1] == f"1{NBSP}000"


def test_year_labels_have_no_thousands_separator():
    assert style.YearFormatter()(2020.0) == "2020"
    assert style.YearFormatter()(2020.5) == ""


def test_scale_and_unit_labels():
    assert style.choose_scale(85.0) == (1.0, "")
    assert style.choose_scale(1_424_720) == (1000.0, "tusen")
    assert style.choose_scale(50_000_000) == (1e6, "miljoner")
    assert style.unit_label("procent") == "Procent"
    assert style.unit_label("ton CO2-ekv", "tusen") == "Tusen ton CO\u2082-ekvivalenter"


def test_theme_pins_the_shipped_font_and_leaves_globals_alone():
    before = dict(mpl.rcParams)
    with style.theme("print") as profile:
        assert mpl.rcParams["font.family"] == ["DejaVu Sans"]
        assert mpl.rcParams["savefig.dpi"] == profile.dpi
        path = font_manager.findfont(font_manager.FontProperties(family=mpl.rcParams["font.family"]),
                                     fallback_to_default=False)
        # The font matplotlib ships, not whatever the machine has.
        assert path.startswith(mpl.get_data_path()) and path.endswith("DejaVuSans.ttf")
    assert dict(mpl.rcParams) == before


def test_source_line_sits_under_the_panel():
    with style.theme("print") as profile:
        figure, panel = style.new_figure(profile)
        panel.add_subplot().plot([1, 2], [1, 2])
        style.add_source(figure, "SCB, BAS (AM0210)")
    texts = [t.get_text() for sub in figure.subfigs for t in sub.texts]
    assert "Källa: SCB, BAS (AM0210)" in texts
    assert figure.get_size_inches()[0] == pytest.approx(16 / 2.54)


def _parse(label: str) -> float:
    return float(label.replace(NBSP, "").replace("\u2212", "-").replace(",", "."))


def test_tick_labels_print_every_step_exactly():
    """A step of 2,5 must read 0,0 2,5 5,0 7,5 (not 0 2 5 8), 0,25 must keep two decimals:
    the labels, read back, are matplotlib's own tick locations, for many ranges."""
    from matplotlib.figure import Figure

    ranges = [(0, 10), (0, 1), (0, 0.9), (0, 2.4), (0, 12.5), (7.5, 11.2), (0, 1.2), (-3, 3),
              (78, 82), (79.4, 80.9), (0, 0.06), (14, 16.6), (0.2, 1.7), (0, 250), (0, 1865),
              (0, 2_400_000), (1_000_000, 1_300_000), (0, 47_000_000), (90, 160), (3.5, 7.4),
              (0, 0.35), (60, 95), (-0.6, 0.1), (0, 5.3), (8.6, 10.1), (0, 23), (0, 4.6)]
    checked = 0
    for low, high in ranges:
        for unit in ("procent", "ton CO2-ekv"):
            ax = Figure().add_subplot()
            ax.set_ylim(low, high)
            divisor, _ = style.format_value_axis(ax, unit, max_abs=max(abs(low), abs(high)))
            locations = ax.yaxis.get_major_locator().tick_values(low, high)
            labels = ax.yaxis.get_major_formatter().format_ticks(locations)
            assert len(set(labels)) == len(labels), (low, high, labels)
            for location, label in zip(locations, labels, strict=True):
                assert _parse(label) * divisor == pytest.approx(location, abs=1e-9 * divisor), \
                    (low, high, labels)
                checked += 1
    assert checked > 300


def test_tick_labels_for_steps_of_two_and_a_half_and_a_quarter():
    formatter = style.SwedishFormatter()
    assert formatter.format_ticks([0, 2.5, 5, 7.5, 10]) == ["0,0", "2,5", "5,0", "7,5", "10,0"]
    assert formatter.format_ticks([0, 0.25, 0.5, 0.75]) == ["0,00", "0,25", "0,50", "0,75"]
    assert formatter.format_ticks([0, 20, 40]) == ["0", "20", "40"]
