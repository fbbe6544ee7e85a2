"""params/<år>.yml for a new report year: two values changed, every comment kept, never clobbering."""

from __future__ import annotations

import shutil

import pytest

from rus_analysis.config.new_year import create_new_year, new_year_text
from rus_analysis.config.yaml_files import SettingsError
from support import PROJECT

SOURCE = """\
# Parametrar för uppföljningsrapporten 2025. Kopiera filen för ett nytt år.
rapportar: 2025   # rapporten 2025, inte statistikåret
# Senaste år med data som rapporten använder (statistiken släpar oftast ett år).
data_till_och_med: "2024"
region: "0018"            # Örebro län
kraftsamlingar:           # i den ordning de står i rapporten
  - okad_inkludering
titel: "Rapporten 2025 # inte en kommentar"
"""


@pytest.fixture
def params(tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    for name in ("2024.yml", "2025.yml", "indikatorer.yml", "bedomning.yml"):
        shutil.copy2(PROJECT / "params" / name, folder / name)
    return folder


def test_only_the_two_values_and_the_report_year_in_comments_change(tmp_path):
    source = tmp_path / "2025.yml"
    source.write_text(SOURCE, encoding="utf-8")
    assert new_year_text(source, 2026) == SOURCE.replace(
        "uppföljningsrapporten 2025", "uppföljningsrapporten 2026").replace(
        "rapportar: 2025   # rapporten 2025", "rapportar: 2026   # rapporten 2026").replace(
        'data_till_och_med: "2024"', "data_till_och_med: 2025")
    # The quoted title is a value, not a comment: it is copied as it was.
    assert 'titel: "Rapporten 2025 # inte en kommentar"' in new_year_text(source, 2026)


def test_the_project_file_becomes_next_year(params):
    before = (params / "2025.yml").read_text(encoding="utf-8")
    target, source, report = create_new_year(params, 2026)
    assert (target, source) == (params / "2026.yml", params / "2025.yml")
    assert (report.report_year, report.data_cutoff) == (2026, 2025)
    written = target.read_text(encoding="utf-8")
    assert written == before.replace("2025", "2026").replace("data_till_och_med: 2024", "data_till_och_med: 2025")


def test_a_set_publication_date_becomes_a_comment_with_the_new_year(params):
    source = params / "2025.yml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("# publiceringsdatum: 2025-06-15", "publiceringsdatum: 2025-06-15"),
                      encoding="utf-8")
    target, _, report = create_new_year(params, 2026)
    assert "\n# publiceringsdatum: 2026-06-15\n" in target.read_text(encoding="utf-8")
    assert report.publication_date is None
    assert sorted(p.name for p in params.iterdir()) == ["2024.yml", "2025.yml", "2026.yml", "bedomning.yml",
                                                        "indikatorer.yml"]


@pytest.mark.parametrize("year, words", [
    (2025, "2025.yml finns redan"),
    (2024, "2024.yml finns redan"),
    (2023, "kommer inte efter det senaste rapportåret 2025"),
    (2032, "'rapportar'"),  # the strategy ends 2030: the params model stops at 2031
])
def test_refusals_write_nothing(params, year, words):
    before = {p.name: p.read_bytes() for p in params.iterdir()}
    with pytest.raises(SettingsError, match=words) as caught:
        create_new_year(params, year)
    assert ".ny" not in str(caught.value)  # the message names the real file, not the staging one
    assert {p.name: p.read_bytes() for p in params.iterdir()} == before


def test_no_year_to_copy_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="ingen parameterfil"):
        create_new_year(tmp_path, 2026)
    assert list(tmp_path.iterdir()) == []


def test_a_source_without_rapportar_is_refused(params):
    text = (params / "2025.yml").read_text(encoding="utf-8")
    (params / "2025.yml").write_text(text.replace("rapportar: 2025\n", ""), encoding="utf-8")
    with pytest.raises(SettingsError, match="'rapportar' saknas"):
        create_new_year(params, 2026)
    assert not (params / "2026.yml").exists()


def test_windows_line_endings_are_kept_from_a_file_with_a_bom(tmp_path):
    source = tmp_path / "2025.yml"
    source.write_bytes(b"\xef\xbb\xbf" + SOURCE.replace("\n", "\r\n").encode("utf-8"))
    text = new_year_text(source, 2026)
    assert "rapportar: 2026   # rapporten 2026, inte statistikåret\r\n" in text
    assert "data_till_och_med: 2025\r\n" in text
    assert text.count("\r\n") == SOURCE.count("\n")
