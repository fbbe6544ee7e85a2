"""The report's method chapter on the assessment, in Swedish Markdown.

Every number in the text is read from params/bedomning.yml (through ``Thresholds``), so the
chapter cannot drift from what the code does.
"""

from __future__ import annotations

from collections.abc import Sequence

from rus_analysis.assessment import ProgressClass, Thresholds, limit_factor
from rus_analysis.config.geography import DEFAULT_PEERS, DEFAULT_REGION, REGION_NAMES
from rus_analysis.config.numbers import format_number
from rus_analysis.config.units import PERCENT_UNITS
from rus_analysis.report.markup import Markdown

REFERENCES = [
    Markdown(
        "Statistics Canada och Open SDG: *Progress Measurement Methodology for the Sustainable "
        "Development Goals*, metodbeskrivningen i Open SDG:s dokumentation (open-sdg.org)."
    ),
    Markdown(
        "Eurostat: *Sustainable development in the European Union – Monitoring report on progress "
        "towards the SDGs in an EU context*, metodbilagan om hur framsteg bedöms."
    ),
    Markdown(
        "Statistisches Bundesamt (Destatis): *Nachhaltige Entwicklung in Deutschland – "
        "Indikatorenbericht*, bedömning med vädersymboler."
    ),
]


def _n(value: float) -> str:
    """A parameter as written in the params file: 0,5 not 0,50; 2030 not 2 030,00."""
    if float(value).is_integer():
        return format_number(value, 0)
    return format_number(value, 2).rstrip("0")


def _q(status: ProgressClass) -> str:
    """A class's words in Swedish quotation marks, from the one table in assessment.classes."""
    return f"”{status.words}”"


def _listing(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def method_chapter(thresholds: Thresholds, heading_level: int = 2, *,
                   region: str = DEFAULT_REGION, peers: Sequence[str] = DEFAULT_PEERS) -> Markdown:
    """The chapter "Så bedöms utvecklingen" with the actual parameter values (as text, escaped)."""
    r = thresholds
    peer_names = _listing([REGION_NAMES[p] for p in peers])
    t, d = r.targets, r.direction
    h = Markdown("#") * heading_level
    example_base = 80
    example = d.right_way_points * limit_factor(example_base, "upp", d.limit_exponent)
    slow = (
        f"Kvoten är större än 0 men under {_n(t.on_track_ratio)}: {_q(ProgressClass.FOR_LANGSAMT)}. "
        f"Klassen delas vid {_n(t.very_slow_ratio)}: under den blir det {_q(ProgressClass.MYCKET_FOR_LANGSAMT)}."
        if t.split_slow else
        f"Kvoten är större än 0 men under {_n(t.on_track_ratio)}: {_q(ProgressClass.FOR_LANGSAMT)}. "
        f"(Klassen kan delas vid kvoten {_n(t.very_slow_ratio)}, som Statistics Canada gör; "
        "den delningen används inte i den här rapporten.)"
    )
    classes = [c for c in ProgressClass if t.split_slow or c is not ProgressClass.MYCKET_FOR_LANGSAMT]
    thresholds_in_percent = {"i_takt": _n(100 * t.on_track_ratio),
                             "mycket_for_langsamt": _n(100 * t.very_slow_ratio)}
    legend = Markdown("\n").join(Markdown("| {} | {} | {} |").format(
        c.symbol, c.words, c.meaning.format(**thresholds_in_percent)) for c in classes)
    references = Markdown("\n").join(Markdown("{}. {}").format(i, ref)
                                      for i, ref in enumerate(REFERENCES, start=1))
    units = ", ".join(f"”{u}”" for u in PERCENT_UNITS)
    gaps = ", ".join(f"{p.names[0]} och {p.names[1]}" for p in r.gaps) or "inga grupper"
    return Markdown("""{h} Så bedöms utvecklingen

Varje indikator får en bedömning som visas med en symbol, en färg och ord, aldrig med enbart
färg. Metoden följer Statistics Canadas framstegsmått, som används i Open SDG och bygger på
Eurostats uppföljning av hållbarhetsmålen. Alla gränsvärden i det här kapitlet är de som
användes för bedömningarna i rapporten.

{h}# Bedömningarna

| Symbol | Bedömning | Betydelse |
|:--|:---------|:-------------------------|
{legend}

: Bedömningarna: symbol, ord och betydelse {{#tbl-bedomningarna}}

{h}# Basår, senaste år och tidsperioder

- **Basår** är målets basår när målet anger ett, annars {default_base_year}, året före
  strategiperioden 2022–2030. Saknas data för basåret används det första året med data
  därefter, och texten till indikatorn säger det.
- **Senaste år** är det senaste året med data till och med rapportens sista dataår.
- Minst {min_points} år med värden behövs. Annars blir bedömningen {q_kan_inte_bedomas}.
- Utvecklingen redovisas för två perioder: sedan basåret och de senaste {short_years} åren.
  Saknas värdet för året {short_years} år före det senaste börjar den korta perioden
  året därefter med data, och rapporten anger de år perioden faktiskt omfattar.
- **Osäker bedömning:** när statistiken inte mäter det målet avser (till exempel BRP i löpande
  priser när målet gäller en effektivisering, alltså fasta priser) eller basåret saknas, står
  ”(osäker)” efter bedömningen, med skälet och med hur bedömningen ändras om andra basår används.
- **Seriebrott:** när en serie har bytt källa eller definition (till exempel när SCB:s
  registerbaserade arbetsmarknadsstatistik RAMS ersattes av BAS) jämförs bara åren från och
  med brottet. Trenden räknas aldrig över ett brott.

{h}# Förändringstakt

- För andelar i procent (enheterna {units}) mäts förändringen i **procentenheter per år**:
  (senaste värdet − basvärdet) / antal år.
- För övriga indikatorer mäts den **genomsnittliga årliga procentuella förändringen**:
  (senaste värdet / basvärdet)^(1 / antal år) − 1.
- Den procentuella förändringen går inte att räkna när basvärdet, det senaste värdet eller
  målet är noll eller negativt. Då används den genomsnittliga förändringen per år i
  indikatorns egen enhet, och texten säger det.

{h}# Indikatorer med kvantifierat mål

- **Målnivå:** för ett nivåmål själva målvärdet; för ett mål om relativ förändring
  basårets värde ändrat med målets procent (−60 procent till 2030 jämfört med 2005 ger
  40 procent av 2005 års värde). Anger målet inget målår används {default_target_year}.
- **{malet_natt}** när det senaste värdet ligger på målnivån eller på rätt sida om den.
- Annars jämförs den faktiska takten med den **takt som behövs** för att gå från basvärdet till
  målnivån till målåret, mätt på samma sätt. Kvoten faktisk takt / nödvändig takt räknas med
  tecken, så att den är positiv när utvecklingen går mot målet.
- Kvoten är minst {on_track}: {q_i_takt}.
- {slow}
- Kvoten är 0 eller mindre: {q_fel_hall}.

{h}# Indikatorer utan kvantifierat mål

När strategin bara anger en riktning (”ska öka”, ”ska minska”) är riktningen målet.

- {q_ratt_hall} när förändringen i önskad riktning är minst {right_percent} procent per år
  (för andelar {right_points} procentenheter per år).
- {q_fel_hall} när förändringen i motsatt riktning är minst {wrong_percent} procent per år
  (för andelar {wrong_points} procentenheter per år).
- Däremellan: {q_oforandrat}.
- Används den genomsnittliga förändringen per år i indikatorns egen enhet delas den först
  med medelvärdet av basvärdet och det senaste värdet (utan tecken), så att den kan jämföras
  med gränserna i procent.
- **Nära 0 eller 100 procent** kan en andel inte öka eller minska lika mycket. Därför sänks
  gränsen för {q_ratt_hall} med faktorn C = 1 − x^{exponent}, där x är hur nära
  basvärdet ligger gränsen i önskad riktning: basvärdet / 100 när andelen ska öka och
  (100 − basvärdet) / 100 när den ska minska. En andel på {example_base} procent som ska öka
  får gränsen {example_limit} procentenheter per år i stället för
  {right_points}. Gränsen för {q_fel_hall} sänks inte.

{h}# Skillnader mellan grupper

När skillnaden mellan två grupper ska minska ({gaps}) är skillnaden i procentenheter,
utan tecken, den serie som bedöms. Önskad riktning är att den minskar, och den bedöms som en
andel utan kvantifierat mål.

{h}# Jämförelser med jämförbara län

{region} jämförs med de jämförbara länen ({peer_names}), med varje län för
sig och med länens medelvärde (ovägt, och bara för år då alla länen har värden).

- **”Högre än i jämförbara län”:** skillnaden {region} minus det jämförda länet är serien.
  Målet är att skillnaden är minst 0 (för en indikator som ska minska: högst 0) till målåret,
  och den bedöms som ett kvantifierat mål med den genomsnittliga förändringen per år.
- **”Växa snabbare än jämförbara län”:** kvoten {region} / det jämförda länet är serien.
  Den ökar när {region} växer snabbare, och bedöms som en indikator utan kvantifierat mål.

{h}# Källor till metoden

{references}
""").format(
        h=h,
        legend=legend,
        default_base_year=r.default_base_year,
        min_points=r.min_points,
        short_years=r.short_horizon_years,
        units=units,
        default_target_year=r.default_target_year,
        on_track=_n(t.on_track_ratio),
        slow=slow,
        right_percent=_n(d.right_way_percent),
        right_points=_n(d.right_way_points),
        wrong_percent=_n(d.wrong_way_percent),
        wrong_points=_n(d.wrong_way_points),
        exponent=_n(d.limit_exponent),
        example_base=example_base,
        example_limit=format_number(example, 2),
        gaps=gaps,
        region=REGION_NAMES[region],
        peer_names=peer_names,
        references=references,
        malet_natt=ProgressClass.MALET_NATT.words,
        q_kan_inte_bedomas=_q(ProgressClass.KAN_INTE_BEDOMAS),
        q_i_takt=_q(ProgressClass.I_TAKT),
        q_ratt_hall=_q(ProgressClass.RATT_HALL),
        q_fel_hall=_q(ProgressClass.FEL_HALL),
        q_oforandrat=_q(ProgressClass.OFORANDRAT),
    )
