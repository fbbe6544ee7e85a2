"""The one writer into data/: validate → stage → write → read back → validate → swap."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from rus_analysis.checksums import sha256_file
from rus_analysis.ingest.provenance import load_provenance
from rus_analysis.snapshot import atomic
from rus_analysis.snapshot.atomic import atomic_directory
from rus_analysis.snapshot.store import DTYPES, read_series
from rus_analysis.snapshot.validation import validate_snapshot
from rus_analysis.snapshot.writer import SeriesWrite, WriteError, write_snapshot
from support import provenance


def rows(indicator: str = "andel", value: float = 41.2, unit: str = "procent") -> pd.DataFrame:
    return pd.DataFrame([dict(indicator=indicator, region_code="0018", region_name="Örebro län", year=2024,
                              sex="T", group="totalt", value=value, unit=unit, status="")]).astype(DTYPES)


def snapshot(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write(data, indicator="andel", value=41.2, **kwargs):
    return write_snapshot(data, [SeriesWrite(indicator, rows(indicator, value), provenance(indicator),
                                             origin="testfil.csv")], **kwargs)


def test_writes_series_with_checksum_in_provenance(tmp_path):
    data = tmp_path / "data"
    result = write(data)
    assert result.written == ["andel"] and result.rows == {"andel": 1}
    record = load_provenance(data / "series" / "andel.provenance.yml")
    assert record.schema_version == 2
    assert record.series.sha256 == sha256_file(data / "series" / "andel.csv") and record.series.rows == 1
    assert read_series(data, "andel")["value"].tolist() == [41.2]


def test_invalid_frame_is_refused_before_anything_is_written(tmp_path):
    data = tmp_path / "data"
    write(data)
    before = snapshot(data)
    with pytest.raises(WriteError) as raised:
        write(data, value=175.6)
    message = str(raised.value)
    assert "andel (testfil.csv)" in message and "mellan 0 och 100" in message and "175,6" in message
    assert snapshot(data) == before
    assert sorted(p.name for p in data.iterdir()) == ["series"]


def test_unknown_indicator_is_refused_with_a_catalogue(tmp_path):
    from rus_analysis.config.catalogue import load_catalogue
    from support import FIXTURES

    with pytest.raises(WriteError, match="finns inte i params/indikatorer.yml"):
        write(tmp_path / "data", catalogue=load_catalogue(FIXTURES / "catalogue" / "indikatorer.yml"))
    assert not (tmp_path / "data" / "series").exists()


def test_other_series_are_kept_and_removal_is_explicit(tmp_path):
    data = tmp_path / "data"
    write(data, "andel")
    write(data, "annan")
    other = (data / "series" / "andel.csv").read_bytes()
    write_snapshot(data, [], remove=["annan"])
    assert (data / "series" / "andel.csv").read_bytes() == other
    assert not (data / "series" / "annan.csv").exists()


def test_symlinked_data_folder_is_written_through(tmp_path):
    shared = tmp_path / "delad" / "data"
    shared.mkdir(parents=True)
    project = tmp_path / "projekt"
    project.mkdir()
    (project / "data").symlink_to(shared, target_is_directory=True)
    write(project / "data")
    write(project / "data", value=42.0)  # the second write used to fail with an rmtree traceback
    assert (project / "data").is_symlink()
    assert read_series(shared, "andel")["value"].tolist() == [42.0]
    assert validate_snapshot(shared, _catalogue_with("andel")) == []


def test_symlinked_series_folder_is_written_through(tmp_path):
    shared = tmp_path / "delad"
    shared.mkdir()
    data = tmp_path / "data"
    data.mkdir()
    (data / "series").symlink_to(shared, target_is_directory=True)
    write(data)
    assert (data / "series").is_symlink() and (shared / "andel.csv").is_file()


def test_symlinked_file_inside_series_is_refused(tmp_path):
    data = tmp_path / "data"
    write(data)
    (tmp_path / "elsewhere.csv").write_text("x")
    (data / "series" / "lank.csv").symlink_to(tmp_path / "elsewhere.csv")
    before = snapshot(data)
    with pytest.raises(WriteError, match="symboliska länkar"):
        write(data, value=43.0)
    assert snapshot(data) == before


def test_failed_second_rename_restores_the_previous_folder(tmp_path, monkeypatch):
    target = tmp_path / "data"
    target.mkdir()
    (target / "a.csv").write_text("gammal")
    real_replace = os.replace
    calls = []

    def flaky(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # staging → target
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", flaky)
    with pytest.raises(atomic.SwapError, match="ligger kvar orörd"):
        with atomic_directory(target) as staging:
            (staging / "a.csv").write_text("ny")
    monkeypatch.undo()
    assert (target / "a.csv").read_text() == "gammal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_stale_staging_and_backup_are_swept(tmp_path):
    target = tmp_path / "data"
    target.mkdir()
    (target / "a.csv").write_text("a")
    (tmp_path / ".data-ny-abc").mkdir()  # left by an older version
    (tmp_path / f".data-ny-{2 ** 22 + 7}-x").mkdir()  # a process id that does not exist
    with atomic_directory(target) as staging:
        (staging / "b.csv").write_text("b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_crash_between_renames_is_repaired_by_the_next_run(tmp_path):
    (tmp_path / ".data-gammal-x").mkdir()
    (tmp_path / ".data-gammal-x" / "a.csv").write_text("förra")
    with atomic_directory(tmp_path / "data") as staging:
        assert (staging / "a.csv").read_text() == "förra"
        (staging / "b.csv").write_text("b")
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["a.csv", "b.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def _catalogue_with(indicator_id: str):
    from rus_analysis.config.catalogue import Catalogue

    return Catalogue.model_validate({
        "kraftsamlingar": [{"id": "k", "title": "K", "goal": "g"}],
        "indicators": [{"id": indicator_id, "title": "Andel", "description": "d", "unit": "procent",
                        "kraftsamling": "k", "targeted": False, "source": {"agency": "SCB", "table": "T"},
                        "direction": "upp"}]})
