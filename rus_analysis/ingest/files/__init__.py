"""Importers: turn the shared source files into the tidy snapshot under ``data/series/``.

One module per source folder, each with the same shape: load the input files (checking their
format), process them into tidy series, and hand them back with provenance. ``build_snapshot``
saves everything at once, so a failure leaves the previous snapshot untouched, and a rerun on
unchanged inputs gives byte-for-byte identical files.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from rus_analysis.config.catalogue import Catalogue
from rus_analysis.ingest.files import (
    dalastrategin,
    derived_series,
    emissionsdatabasen,
    halland_socioekonomi,
    kolada_riket,
    kre_energi,
    mucf,
)
from rus_analysis.ingest.files.common import GENERATOR, SeriesResult, SourceFormatError
from rus_analysis.snapshot.store import (
    atomic_directory,
    provenance_path,
    series_path,
    to_csv_text,
    to_provenance_text,
    write_series,
)

__all__ = ["SourceFormatError", "build_snapshot", "collect_series", "default_sources_dir", "is_current"]

# One per source folder that yields series of its own; eurostat, folkmangd and kommunpanel only
# supply denominators to derived_series.
BUILDERS = [
    emissionsdatabasen.build,
    halland_socioekonomi.build,
    dalastrategin.build,
    kre_energi.build,
    kolada_riket.build,
    mucf.build,
]


def default_sources_dir() -> Path:
    """``../shared/sources`` beside the repository, where the shared source files live."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "sources"


def collect_series(sources_dir: Path) -> list[SeriesResult]:
    """Every series the importers produce, in a stable order."""
    sources_dir = Path(sources_dir)
    if not sources_dir.is_dir():
        raise SourceFormatError(f"Källmappen {sources_dir} finns inte. Ange mappen med källfilerna "
                                f"(normalt ../shared/sources bredvid repot).")
    results: list[SeriesResult] = []
    for build in BUILDERS:
        results.extend(build(sources_dir))
    results.extend(derived_series.build(sources_dir, {r.indicator: r for r in results}))
    ids = [r.indicator for r in results]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SourceFormatError(f"Flera importer skapar samma serie: {duplicates}.")
    return sorted(results, key=lambda r: r.indicator)


def _generated_by_us(data_dir: Path, indicator_id: str) -> bool:
    path = provenance_path(data_dir, indicator_id)
    record = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    return isinstance(record, dict) and record.get("generator") == GENERATOR


def build_snapshot(sources_dir: Path, data_dir: Path, catalogue: Catalogue | None = None,
                   keep_foreign: bool = False) -> list[str]:
    """Rebuild every imported series in ``data_dir/series`` from ``sources_dir``; return their ids.

    Series written by other tools (for example a Kolada download) under other ids are left alone;
    series this builder wrote earlier but no longer produces are removed. A series another tool
    wrote under one of our ids is replaced, unless ``keep_foreign`` is true. With a catalogue,
    every series must have an entry in it. Returns the ids written.
    """
    sources_dir, data_dir = Path(sources_dir), Path(data_dir)
    results = collect_series(sources_dir)
    produced = {r.indicator for r in results}
    if catalogue is not None:
        unknown = sorted(produced - {i.id for i in catalogue.indicators})
        if unknown:
            raise SourceFormatError(f"Serierna {unknown} saknas i indikatorkatalogen (params/indikatorer.yml). "
                                    f"Lägg till dem i katalogen innan ögonblicksbilden byggs.")
    with atomic_directory(data_dir) as staging:
        series_dir = staging / "series"
        if series_dir.is_dir():
            for csv in sorted(series_dir.glob("*.csv")):
                if csv.stem not in produced and _generated_by_us(staging, csv.stem):
                    csv.unlink()
                    provenance_path(staging, csv.stem).unlink(missing_ok=True)
        written = []
        for result in results:
            if keep_foreign and series_path(staging, result.indicator).is_file() \
                    and not _generated_by_us(staging, result.indicator):
                continue
            write_series(staging, result.indicator, result.frame, result.provenance.as_dict(sources_dir))
            written.append(result.indicator)
    return written


def is_current(sources_dir: Path, data_dir: Path) -> bool:
    """True when ``data_dir`` holds exactly what a rebuild from ``sources_dir`` would write."""
    for result in collect_series(Path(sources_dir)):
        csv, prov = series_path(Path(data_dir), result.indicator), provenance_path(Path(data_dir), result.indicator)
        if not (csv.is_file() and prov.is_file()):
            return False
        if csv.read_text(encoding="utf-8") != to_csv_text(result.frame):
            return False
        if prov.read_text(encoding="utf-8") != to_provenance_text(result.provenance.as_dict(Path(sources_dir))):
            return False
    return True
