"""Every Kolada query in the catalogue asks for a KPI Kolada has today, in a variant that fits.

Checked against Kolada's own KPI catalogue (API v3 metadata, March 2026), staged in
../shared/sources/kolada-kpi-katalog-rkolada/: the KPI exists, supports the kind of region the
query asks for (K = kommun, L = region, A = both; riket 0000 is published for both kinds, as the
riket values of the K-KPIs N17464 and N15424 in kolada-riket-vastragotaland-kommunblad show) and
has a publication period. A KPI divided by gender is asked for by an indicator broken down by kön.
"""

from __future__ import annotations

import csv

import pytest

from rus_analysis.config.catalogue import RETIRED_KOLADA_KPIS, load_catalogue
from rus_analysis.config.geography import LAN, OREBRO_KOMMUNER, RIKET
from rus_analysis.ingest.tidy import resolve_regions
from support import PROJECT, SHARED_SOURCES

KPI_FILE = SHARED_SOURCES / "kolada-kpi-katalog-rkolada" / "kolada_kpi_katalog_urval.csv"
CATALOGUE = load_catalogue(PROJECT / "params" / "indikatorer.yml")
KOLADA_QUERIES = [(indicator, number, query) for indicator in CATALOGUE.indicators
                  for number, query in enumerate(indicator.queries, start=1) if query.api == "kolada"]

pytestmark = pytest.mark.skipif(not KPI_FILE.is_file(), reason="../shared/sources finns inte bredvid repot")


@pytest.fixture(scope="module")
def kpis() -> dict[str, dict]:
    with KPI_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def _kinds(regions: list[str]) -> set[str]:
    codes = resolve_regions(regions)
    kinds = set()
    for code in codes:
        if code in OREBRO_KOMMUNER:
            kinds.add("K")
        elif code in LAN:
            kinds.add("L")
        else:
            assert code == RIKET, code
    return kinds


def test_the_catalogue_has_kolada_queries():
    assert {q.id for _, _, q in KOLADA_QUERIES} >= {"N02267", "N02268", "N02269", "N66077", "N60978", "N15428",
                                                     "N15424", "N03701", "N03703", "N00999", "U01405", "N17464"}


@pytest.mark.parametrize(("indicator", "number", "query"), KOLADA_QUERIES,
                         ids=[f"{i.id}-{n}-{q.id}" for i, n, q in KOLADA_QUERIES])
def test_kolada_query_matches_koladas_catalogue(kpis, indicator, number, query):
    assert query.id not in RETIRED_KOLADA_KPIS
    assert query.id in kpis, f"{query.id} finns inte i Koladas katalog"
    kpi = kpis[query.id]
    supported = {"A": {"K", "L"}, "K": {"K"}, "L": {"L"}}[kpi["municipality_type"]]
    assert _kinds(query.regions) <= supported, (query.id, kpi["municipality_type"], query.regions)
    assert kpi["publ_period"].strip(), f"{query.id} har ingen publiceringsperiod i Koladas katalog"
    if kpi["is_divided_by_gender"] == "True":
        assert "kon" in indicator.breakdowns, f"{query.id} är uppdelat efter kön men {indicator.id} inte"


def test_school_location_variants_only_where_the_indicator_is_about_the_school(kpis):
    for indicator, _, query in KOLADA_QUERIES:
        if "lägeskommun" in kpis[query.id]["title"]:
            assert "skolkommun" in indicator.id and "skolkommun" in indicator.title, indicator.id
        if "hemkommun" in kpis[query.id]["title"]:
            assert "skolkommun" not in indicator.id, indicator.id


def test_retired_kpis_are_gone_from_koladas_catalogue(kpis):
    for retired, replacement in RETIRED_KOLADA_KPIS.items():
        assert retired not in kpis
        assert replacement in kpis and kpis[replacement]["publ_period"].strip()
