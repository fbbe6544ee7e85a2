"""The house style for every chart: one theme, fixed region colours, print and screen profiles.

- Colours: Okabe–Ito, which stays distinguishable with the common colour-vision deficiencies.
  Örebro län is always the same strong blue, riket a neutral dark grey, the jämförbara län
  muted (lightened) Okabe–Ito colours, so the reader's eye goes to Örebro first. Every region
  also has its own marker, so no chart relies on colour alone (WCAG 1.4.1).
- Fonts: DejaVu Sans, which ships with matplotlib, so å, ä, ö and the minus sign render the
  same on every machine. SVG text is written as paths for the same reason.
- Profiles: ``print`` is 16 cm wide (an A4 text block) as SVG: vector lines and text in the
  PDF, and the HTML's drawing on wider screens (scaled to the text column); ``phone`` is 360 px
  wide and taller, as SVG, so a phone shows its text at about its true size (the HTML picks it on
  narrow screens). ``screen`` (about 800 px wide, larger text) is for analysts' own use; a build
  does not draw it (issue 16). Pick with the ``profile`` argument or ``RUS_FIGURE_PROFILE``.
- Axes use Swedish number formatting (``rus_analysis.config.numbers``) and always carry a unit;
  every chart has a source line under it.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import seaborn as sns
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.textpath import TextToPath

from rus_analysis.config.geography import DEFAULT_PEERS, DEFAULT_REGION, RIKET
from rus_analysis.config.numbers import format_number

FONT = "DejaVu Sans"
PROFILE_ENV = "RUS_FIGURE_PROFILE"

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}


def _mute(hex_colour: str, amount: float = 0.3) -> str:
    """Blend a colour towards white: the peers should recede behind Örebro län."""
    rgb = np.array(mpl.colors.to_rgb(hex_colour))
    return mpl.colors.to_hex(rgb + (1.0 - rgb) * amount)


OREBRO_COLOUR = OKABE_ITO["blue"]
OREBRO_LIGHT = _mute(OREBRO_COLOUR, 0.55)  # kommuner in the län: same hue, lighter
RIKET_COLOUR = "#404040"
OTHER_COLOUR = "#ABABAB"
# The jämförbara län take these colours and markers in the order config.geography.DEFAULT_PEERS
# lists them (Jönköping orange, Kronoberg green, Värmland purple, Västmanland vermillion).
PEER_PALETTE = tuple(_mute(OKABE_ITO[name]) for name in ("orange", "bluish_green", "reddish_purple", "vermillion"))
PEER_MARKERS = ("^", "v", "D", "P")
PEER_COLOURS: dict[str, str] = dict(zip(DEFAULT_PEERS, PEER_PALETTE, strict=False))
PEER_CODES = tuple(PEER_COLOURS)

REGION_MARKERS: dict[str, str] = {DEFAULT_REGION: "o", RIKET: "s",
                                  **dict(zip(DEFAULT_PEERS, PEER_MARKERS, strict=False))}

# Groups within a region are told apart by line style and marker; colour stays the region's.
GROUP_STYLES: dict[str, dict] = {
    "K": {"linestyle": "-", "marker": "o", "label": "Kvinnor"},
    "M": {"linestyle": "--", "marker": "s", "label": "Män"},
    "inrikes födda": {"linestyle": "-", "marker": "o", "label": "Inrikes födda"},
    "utrikes födda": {"linestyle": "--", "marker": "s", "label": "Utrikes födda"},
}
FALLBACK_GROUP_STYLES = [{"linestyle": ls, "marker": m} for ls, m in
                         [(":", "^"), ("-.", "D"), ((0, (5, 1, 1, 1)), "v")]]

TARGET_STYLE = {"color": OREBRO_COLOUR, "linestyle": (0, (1, 2)), "linewidth": 1.4}
TARGET_MARKER = {"marker": "*", "markersize": 11, "color": OREBRO_COLOUR,
                 "markeredgecolor": "white", "markeredgewidth": 0.6, "linestyle": "none"}
BASE_YEAR_MARKER = {"marker": "o", "markersize": 10, "markerfacecolor": "none",
                    "markeredgecolor": OREBRO_COLOUR, "markeredgewidth": 1.3, "linestyle": "none"}

# Sectors of Nationella emissionsdatabasen: Paul Tol's "muted" scheme (nine colour-blind-safe
# categories, none of them Örebro blue), a fixed colour per sector so every year and chart agree.
SECTOR_COLOURS: dict[str, str] = {
    "Transporter": "#332288",
    "Industri (energi + processer)": "#CC6677",
    "El och fjärrvärme": "#DDCC77",
    "Jordbruk": "#117733",
    "Egen uppvärmning av bostäder och lokaler": "#88CCEE",
    "Arbetsmaskiner": "#882255",
    "Avfall (inkl.avlopp)": "#44AA99",
    "Produktanvändning (inkl. lösningsmedel)": "#999933",
    "Utrikes transporter": "#AA4499",
}
EXTRA_SECTOR_COLOURS = ["#DDDDDD", "#777777", "#BBBBBB"]

SOURCE_COLOUR = "#595959"


@dataclass(frozen=True)
class Profile:
    """Output size and format. Widths follow the medium, so text is read at its true size."""

    name: str
    width_in: float
    dpi: int
    format: str  # "png" or "svg"
    font_scale: float
    aspect_scale: float = 1.0  # height relative to the chart's own aspect (narrow screens: taller)
    max_legend_columns: int = 6  # a narrow chart stacks its legend
    source_lines: int = 1  # lines kept for the source under the chart (a narrow chart wraps it)

    @property
    def narrow(self) -> bool:
        """A phone-width chart: long axis labels wrap, crowded category labels turn."""
        return self.width_in < NARROW_INCHES


NARROW_INCHES = 5.0

PROFILES = {
    # SVG (issue 16): sharper in the PDF, half its size, and a third cheaper to draw than a 200 dpi
    # PNG; dpi then only sizes any raster element.
    "print": Profile("print", width_in=16 / 2.54, dpi=200, format="svg", font_scale=1.0),
    # SVG is measured at 96 px per inch in browsers: 8.33 in ≈ 800 px.
    "screen": Profile("screen", width_in=800 / 96, dpi=96, format="svg", font_scale=1.15),
    # A phone's text column is 300–400 CSS px: drawn at 360 px, text keeps about its point size.
    "phone": Profile("phone", width_in=360 / 96, dpi=96, format="svg", font_scale=1.0,
                     aspect_scale=1.45, max_legend_columns=2, source_lines=2),
}


def legend_columns(profile: Profile, wanted: int, labels: list[str] | None = None) -> int:
    """Columns for a legend: what the chart asks for, at most the profile's cap, and no more
    than fit across the figure with the widest label (measured in the legend's font; call inside
    :func:`theme`). A column is the label, the handle and its pad (2.8 em) and the spacing (2 em)."""
    columns = max(1, min(wanted, profile.max_legend_columns))
    if labels:
        font = mpl.font_manager.FontProperties(family=FONT, size=mpl.rcParams["legend.fontsize"])
        em = font.get_size_in_points()
        widest = max(TextToPath().get_text_width_height_descent(label, font, ismath=False)[0]
                     for label in labels)
        spacing = 2.0 * em
        fits = int((profile.width_in * 72 + spacing) // (widest + 2.8 * em + spacing))
        columns = max(1, min(columns, fits))
    return columns


def get_profile(name: str | None = None) -> Profile:
    """The profile named, else ``RUS_FIGURE_PROFILE``, else ``print``."""
    chosen = (name or os.environ.get(PROFILE_ENV) or "print").strip().lower()
    if chosen not in PROFILES:
        raise ValueError(
            f"Okänd figurprofil {chosen!r} (från argument eller {PROFILE_ENV}). "
            f"Välj en av: {', '.join(PROFILES)}."
        )
    return PROFILES[chosen]


def region_colour(code: str) -> str:
    """The one colour a region has in every chart."""
    if code == DEFAULT_REGION:
        return OREBRO_COLOUR
    if code == RIKET:
        return RIKET_COLOUR
    return PEER_COLOURS.get(code, OTHER_COLOUR)


def region_line_style(code: str) -> dict:
    """Line properties for a region in a time series: Örebro län strong, the others quieter."""
    style = {"color": region_colour(code), "marker": REGION_MARKERS.get(code, "o")}
    if code == DEFAULT_REGION:
        style.update(linewidth=2.6, markersize=5.5, zorder=5)
    elif code == RIKET:
        style.update(linewidth=2.0, markersize=4.5, zorder=4)
    else:
        style.update(linewidth=1.3, markersize=4, zorder=3)
    return style


def group_style(group: str, index: int = 0) -> dict:
    """Line style and marker for a breakdown group (kön or födelseregion)."""
    if group in GROUP_STYLES:
        return dict(GROUP_STYLES[group])
    return {**FALLBACK_GROUP_STYLES[index % len(FALLBACK_GROUP_STYLES)], "label": group}


def sector_colours(sectors: list[str]) -> dict[str, str]:
    """A colour per emission sector: the fixed ones from ``SECTOR_COLOURS``, spare colours for others."""
    extra = iter(EXTRA_SECTOR_COLOURS * (1 + len(sectors) // len(EXTRA_SECTOR_COLOURS)))
    return {s: SECTOR_COLOURS.get(s) or next(extra) for s in sectors}


def rc_params(profile: Profile) -> dict:
    """The theme: seaborn's whitegrid and paper context, with the project's font pinned."""
    rc = dict(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("paper", font_scale=profile.font_scale))
    rc.update({
        "font.family": [FONT],
        "font.sans-serif": [FONT],
        "axes.unicode_minus": True,
        "text.parse_math": False,  # "$" in a title from data is a dollar sign, not mathtext
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": ".6",
        "grid.color": ".88",
        "axes.titlelocation": "left",
        "legend.frameon": False,
        "figure.dpi": profile.dpi,
        "savefig.dpi": profile.dpi,
        "svg.fonttype": "path",  # text as outlines: identical rendering without the font
        "svg.hashsalt": "rus-analysis",  # stable element ids, so reruns give identical files
        "pdf.fonttype": 42,
        "xtick.bottom": True,
        "ytick.left": False,
    })
    return rc


@contextmanager
def theme(profile: Profile | str | None = None) -> Iterator[Profile]:
    """Apply the house style inside a ``with`` block without touching global settings."""
    chosen = profile if isinstance(profile, Profile) else get_profile(profile)
    with mpl.rc_context(rc_params(chosen)):
        yield chosen


def apply_theme(profile: Profile | str | None = None) -> Profile:
    """Set the house style globally, for analysts who draw their own charts in a notebook."""
    chosen = profile if isinstance(profile, Profile) else get_profile(profile)
    mpl.rcParams.update(rc_params(chosen))
    return chosen


def new_figure(profile: Profile, aspect: float = 0.62) -> tuple[Figure, SubFigure]:
    """A figure at the profile's width and the panel to draw in.

    The figure is split in two: the panel (axes and legend, laid out by constrained layout)
    and a one-line strip underneath for the source, so the two can never overlap.
    """
    height = profile.width_in * aspect * profile.aspect_scale
    figure = Figure(figsize=(profile.width_in, height), dpi=profile.dpi, layout="constrained")
    # inches: the source's lines of small text with some air
    strip = (0.3 + 0.16 * (profile.source_lines - 1)) * profile.font_scale
    panel, _ = figure.subfigures(2, 1, height_ratios=[height - strip, strip])
    return figure, panel


def add_source(figure: Figure, source: str) -> None:
    """The source line under the chart: ``Källa: SCB, BAS (AM0210)``."""
    text = source if source.startswith("Källa") else f"Källa: {source}"
    strip = figure.subfigs[-1] if figure.subfigs else figure
    size = mpl.font_manager.FontProperties(size=mpl.rcParams["xtick.labelsize"]).get_size_in_points() * 0.92
    # Wrap at the figure's width (DejaVu Sans averages about 0.55 em a character), in as many
    # lines as the strip holds: a narrow (phone) chart keeps its whole source.
    lines = max(1, int(strip.bbox.height / figure.dpi * 72 // (size * 1.6)))
    if lines > 1:
        width = max(20, int(figure.get_figwidth() * 72 * 0.98 // (0.55 * size)))
        text = "\n".join(textwrap.wrap(text, width)[:lines - 1] +
                         [" ".join(textwrap.wrap(text, width)[lines - 1:])]).strip()
    strip.text(0.005, 0.5, text, ha="left", va="center", fontsize=size, color=SOURCE_COLOUR,
               linespacing=1.15)


# --- Swedish number formatting on axes -------------------------------------------------------

# (divisor, used from, word): ticks stay at most four digits before the comma.
SCALES = [(1e9, 1e10, "miljarder"), (1e6, 1e7, "miljoner"), (1e3, 1e5, "tusen")]


def choose_scale(max_abs: float) -> tuple[float, str]:
    """Divisor and word for large values, so ticks read ``1 200`` (tusen ton), not ``1 200 000``."""
    for divisor, threshold, word in SCALES:
        if max_abs >= threshold:
            return divisor, word
    return 1.0, ""


class SwedishFormatter(ticker.Formatter):
    """Tick labels with decimal comma and no-break-space thousands; as many decimals as the ticks need."""

    def __init__(self, divisor: float = 1.0, decimals: int | None = None):
        self.divisor = divisor
        self.decimals = decimals
        self._step_decimals = 0  # from the last set of ticks, for single-value calls

    def _decimals_for(self, values) -> int:
        """The fewest decimals (at most three) that print every tick exactly.

        Not from log10 of the step: a step of 2,5 needs one decimal (0,0 2,5 5,0 7,5), which
        log10(2,5) ≈ 0,4 would round away to 0 2 5 8.
        """
        if self.decimals is not None:
            return self.decimals
        scaled = np.asarray(values, dtype=float) / self.divisor
        scaled = scaled[np.isfinite(scaled)]
        if scaled.size == 0:
            return 0
        for decimals in range(0, 4):
            shifted = scaled * 10 ** decimals
            if np.all(np.abs(shifted - np.round(shifted)) < 1e-6 * np.maximum(1.0, np.abs(shifted))):
                return decimals
        return 3

    def format_ticks(self, values) -> list[str]:
        """The tick labels, with the fewest decimals that print every tick exactly."""
        self._step_decimals = self._decimals_for(values)
        return [self(value) for value in values]

    def __call__(self, x: float, pos: int | None = None) -> str:
        decimals = self.decimals if self.decimals is not None else self._step_decimals
        return format_number(x / self.divisor, decimals)


class YearFormatter(ticker.Formatter):
    """Years as plain integers: never ``2 020``."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return str(round(x)) if abs(x - round(x)) < 1e-6 else ""


def unit_label(unit: str, scale_word: str = "") -> str:
    """Axis label for a unit, e.g. ``Procent`` or ``Tusen ton CO₂-ekvivalenter``."""
    text = unit.strip().replace("CO2-ekv.", "CO2-ekvivalenter").replace("CO2-ekv", "CO2-ekvivalenter")
    text = text.replace("CO2", "CO\u2082")
    if scale_word:
        text = f"{scale_word} {text}"
    return text[:1].upper() + text[1:]


def format_value_axis(ax: Axes, unit: str, axis: str = "y", max_abs: float | None = None,
                      decimals: int | None = None) -> tuple[float, str]:
    """Put a Swedish formatter and a unit label on the value axis; return the scale used."""
    if max_abs is None:
        low, high = ax.get_ylim() if axis == "y" else ax.get_xlim()
        max_abs = max(abs(low), abs(high))
    divisor, word = choose_scale(max_abs)
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(SwedishFormatter(divisor, decimals))
    target.set_major_locator(ticker.MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    label = unit_label(unit, word)
    if axis == "y" and ax.figure.bbox.width / ax.figure.dpi < NARROW_INCHES and len(label) > 18:
        label = "\n".join(textwrap.wrap(label, max(12, (len(label) + 1) // 2), break_on_hyphens=False))
    (ax.set_ylabel if axis == "y" else ax.set_xlabel)(label)
    return divisor, word


def format_year_axis(ax: Axes, years: list[int] | None = None) -> None:
    """Integer year ticks labelled ``År``; every data year when the span is short enough
    for the labels not to collide."""
    ax.xaxis.set_major_formatter(YearFormatter())
    if years and max(years) - min(years) <= 12:
        ax.xaxis.set_major_locator(ticker.FixedLocator(sorted(years)))
    else:
        ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=10, integer=True))
    ax.set_xlabel("År")
