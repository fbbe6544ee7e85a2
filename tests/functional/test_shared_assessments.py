"""The assessments a build computes once and shares with every chapter (rus_analysis.report.shared,
issue 16): the same tables as a chapter's own, the right year only, and chapters that start before
the file is written wait for it."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from rus_analysis.report import shared
from rus_analysis.report.chapter import open_report
from support import PROJECT, copy_project

YEAR = 2025


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    target = tmp_path_factory.mktemp("delad") / "bedomning.pickle"
    shared.write_shared_assessments(PROJECT / "params", PROJECT / "data", YEAR, target)
    return target


def _own_report():
    return open_report(YEAR, PROJECT / "params", PROJECT / "data")


def test_the_shared_tables_are_the_chapters_own(written, monkeypatch):
    monkeypatch.delenv(shared.SHARED_ENV, raising=False)
    own = _own_report()
    monkeypatch.setenv(shared.SHARED_ENV, str(written))
    monkeypatch.setenv(shared.SHARED_WAIT_ENV, "0")
    from_build = _own_report()
    pd.testing.assert_frame_equal(from_build.status, own.status)
    pd.testing.assert_frame_equal(from_build.previous[1], own.previous[1])
    assert from_build.previous[0].report_year == YEAR - 1


def test_another_year_or_folder_gets_none(written, monkeypatch):
    monkeypatch.setenv(shared.SHARED_ENV, str(written))
    report = _own_report()
    key = shared.assessment_key(YEAR, report.params.data_cutoff, report.params.region, report.params.peers,
                                PROJECT / "params", PROJECT / "data")
    assert shared.shared_assessments(key) is not None
    assert shared.shared_assessments((YEAR - 1, *key[1:])) is None
    assert shared.shared_assessments((*key[:-1], "/någon/annan/data")) is None


def test_a_chapter_waits_for_a_file_the_build_is_still_writing(written, tmp_path, monkeypatch):
    later = tmp_path / "snart.pickle"
    monkeypatch.setenv(shared.SHARED_ENV, str(later))
    monkeypatch.setenv(shared.SHARED_WAIT_ENV, "1")
    report = _own_report()
    key = shared.assessment_key(YEAR, report.params.data_cutoff, report.params.region, report.params.peers,
                                PROJECT / "params", PROJECT / "data")
    writer = threading.Timer(0.3, lambda: later.write_bytes(written.read_bytes()))
    writer.start()
    try:
        content = shared.shared_assessments(key)  # called before the file exists
    finally:
        writer.join()
    assert content is not None and content["key"] == key


def test_without_the_wait_a_missing_file_is_none_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path / "saknas.pickle"))
    monkeypatch.setenv(shared.SHARED_WAIT_ENV, "0")
    assert shared.shared_assessments(("vilken", "nyckel", "som", "helst")) is None


def test_waiting_gives_up_after_its_time(tmp_path):
    started = time.monotonic()
    assert shared.wait_for_file(tmp_path / "kommer-aldrig.pickle", 0.1) is False
    assert time.monotonic() - started >= 0.1
    (tmp_path / "finns.pickle").write_bytes(b"x")
    assert shared.wait_for_file(tmp_path / "finns.pickle", 0.0) is True


@pytest.mark.langsam  # starts the build's kernels
def test_a_failing_assessment_stops_the_build_with_its_message(tmp_path, monkeypatch):
    """The chapters wait for the assessment; when it fails they must not wait for ever: the build
    stops with the assessment's own Swedish message and publishes nothing."""
    from rus_analysis.build import pipeline
    from rus_analysis.errors import ConfigError

    root = copy_project(PROJECT, tmp_path / "projekt")

    def broken(self, params, target):
        time.sleep(0.5)  # the chapters have started and wait
        raise ConfigError("Tröskelvärdena i params/bedomning.yml går inte att använda.")

    monkeypatch.setattr(pipeline._Session, "_write_assessments", broken)
    with pytest.raises(ConfigError, match="Tröskelvärdena"):
        pipeline.build_report(root, YEAR, engine="inbyggd")
    assert not (root / "_output" / str(YEAR)).exists()
    # Stopped while waiting: no chapter that reads the assessments ran to its end (each would have
    # waited WAIT_SECONDS, then computed its own).
    executed = root / "_build" / str(YEAR) / "notebooks"
    assert not any((executed / f"{name}.ipynb").exists()
                   for name in ("sammanfattning", "okad_inkludering", "barn_och_unga", "gron_omstallning"))


def test_a_broken_thresholds_file_stops_the_build_before_any_chapter(tmp_path):
    """The assessment runs beside the chapters, but a fault in params/bedomning.yml is still said
    before anything starts (the file is read first)."""
    from rus_analysis.build import pipeline
    from rus_analysis.config.yaml_files import SettingsError

    root = copy_project(PROJECT, tmp_path / "projekt")
    thresholds = root / "params" / "bedomning.yml"
    thresholds.write_text(thresholds.read_text(encoding="utf-8") + "\nokand_nyckel: 1\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="bedomning.yml"):
        pipeline.build_report(root, YEAR, engine="inbyggd")
    assert not (root / "_build" / str(YEAR) / "notebooks").exists()
    assert not (root / "_build" / "logg").exists()  # no kernel was started
