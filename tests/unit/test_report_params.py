from pathlib import Path

import pytest

from rus_analysis.config.report_params import available_years, load_report_params
from rus_analysis.config.yaml_files import SettingsError

VALID = """rapportar: 2024
data_till_och_med: 2023
kraftsamlingar: [okad_inkludering]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_committed_years(project_root):
    params_dir = project_root / "params"
    assert {2023, 2024, 2025} <= set(available_years(params_dir))
    for year in (2023, 2024, 2025):
        params = load_report_params(params_dir, year)
        assert params.data_cutoff == year - 1
        assert params.region == "0018"


def test_newest_year_is_default(tmp_path):
    write(tmp_path, "2024.yml", VALID)
    write(tmp_path, "2025.yml", VALID.replace("2024", "2025").replace("2023", "2024"))
    assert load_report_params(tmp_path).report_year == 2025


def test_unknown_year_names_file_and_available_years(tmp_path):
    write(tmp_path, "2024.yml", VALID)
    with pytest.raises(SettingsError, match=r"ingen parameterfil för år 2031.*Tillgängliga år: 2024"):
        load_report_params(tmp_path, 2031)


def test_wrong_type_names_field(tmp_path):
    path = write(tmp_path, "2024.yml", VALID.replace("data_till_och_med: 2023", "data_till_och_med: förra året"))
    with pytest.raises(SettingsError) as info:
        load_report_params(tmp_path, 2024)
    assert str(path) in str(info.value)
    assert "'data_till_och_med'" in str(info.value) and "heltal" in str(info.value)


def test_unknown_key_names_field(tmp_path):
    write(tmp_path, "2024.yml", VALID + "jamforbar_lan: ['0006']\n")
    with pytest.raises(SettingsError, match="'jamforbar_lan' är en okänd nyckel"):
        load_report_params(tmp_path, 2024)


def test_missing_key_and_bad_region(tmp_path):
    write(tmp_path, "2024.yml", "rapportar: 2024\nregion: '0099'\nkraftsamlingar: [a]\n")
    with pytest.raises(SettingsError) as info:
        load_report_params(tmp_path, 2024)
    assert "'data_till_och_med' saknas" in str(info.value)
    assert "okänd regionkod" in str(info.value)


def test_cutoff_must_precede_report_year(tmp_path):
    write(tmp_path, "2024.yml", VALID.replace("2023", "2024"))
    with pytest.raises(SettingsError, match="måste vara tidigare"):
        load_report_params(tmp_path, 2024)


def test_year_in_file_must_match_file_name(tmp_path):
    write(tmp_path, "2024.yml", VALID.replace("rapportar: 2024", "rapportar: 2025"))
    with pytest.raises(SettingsError, match="filen heter 2024.yml"):
        load_report_params(tmp_path, 2024)


def test_not_yaml(tmp_path):
    write(tmp_path, "2024.yml", "rapportar: [2024\n")
    with pytest.raises(SettingsError, match="inte giltig YAML"):
        load_report_params(tmp_path, 2024)
