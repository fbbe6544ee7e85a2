from pathlib import Path

import pytest

from rus_analysis.config.report_params import available_years, load_report_params
from rus_analysis.config.yaml_files import SettingsError
from support import PROJECT

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


@pytest.mark.parametrize("year", [2023, 2022])
def test_missing_year_before_the_newest_lists_years_without_suggesting_nytt_ar(tmp_path, year):
    # rus nytt-ar refuses a year before the newest one, so it must not be suggested for it.
    write(tmp_path, "2024.yml", VALID)
    with pytest.raises(SettingsError) as info:
        load_report_params(tmp_path, year)
    assert f"ingen parameterfil för år {year}" in str(info.value)
    assert "Tillgängliga år: 2024." in str(info.value)
    assert "nytt-ar" not in str(info.value)


def test_missing_year_after_the_newest_suggests_nytt_ar(tmp_path):
    write(tmp_path, "2024.yml", VALID)
    with pytest.raises(SettingsError, match=r"Skapa filen från det senaste året med: rus nytt-ar 2026"):
        load_report_params(tmp_path, 2026)


@pytest.mark.parametrize("year", [-1, 0, 1999, 2021, 2032, 20250])
def test_year_outside_the_range_is_refused_in_swedish(tmp_path, year):
    write(tmp_path, "2024.yml", VALID)
    with pytest.raises(SettingsError) as info:
        load_report_params(tmp_path, year)
    message = str(info.value)
    assert message.startswith(f"{year} är inte ett möjligt rapportår: rapportåret ska vara mellan 2022 och 2031.")
    assert "Tillgängliga år: 2024." in message
    assert "nytt-ar" not in message


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


# --- issue 10, item 9: every params fault named by file, line and field, in Swedish ------------

COMMITTED = (Path(__file__).resolve().parents[2] / "params" / "2025.yml").read_text(encoding="utf-8")


def refusal(tmp_path: Path, content: str | bytes, year: int = 2025) -> str:
    path = tmp_path / f"{year}.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_report_params(tmp_path, year)
    message = str(info.value)
    assert str(path) in message
    assert "Value error" not in message and "(hela filen)" not in message
    return message


def test_latin1_file_is_refused_naming_line_and_field(tmp_path):
    text = VALID.replace("2024", "2025").replace("2023", "2024") + "titel: Test\nutgivare: Region Örebro län\n"
    message = refusal(tmp_path, text.encode("cp1252"))
    assert "rad 5, fältet 'utgivare'" in message and "UTF-8" in message


def test_duplicate_key_is_refused_naming_both_lines(tmp_path):
    message = refusal(tmp_path, COMMITTED + "region: '0017'\n")
    assert "fältet 'region'" in message and "två gånger" in message
    first = next(n for n, row in enumerate(COMMITTED.splitlines(), 1) if row.startswith("region:"))
    assert f"rad {first} och rad {len(COMMITTED.splitlines()) + 1}" in message


def test_copied_file_blames_rapportar_not_the_cutoff(tmp_path):
    message = refusal(tmp_path, COMMITTED.replace("rapportar: 2025", "rapportar: 2024"))
    assert "rad 2, fältet 'rapportar'" in message and "2025.yml" in message
    assert "data_till_och_med" not in message


def test_unquoted_code_is_explained_as_yaml_number(tmp_path):
    message = refusal(tmp_path, COMMITTED.replace('  - "0006"', "  - 0006"))
    line = next(n for n, row in enumerate(COMMITTED.splitlines(), 1) if '"0006"' in row)
    assert f"rad {line}: post 1 i listan 'jamforbara_lan'" in message
    assert "utan citattecken" in message and "talet 6" in message and "'0006'" in message


def test_cutoff_error_names_the_field_and_line(tmp_path):
    message = refusal(tmp_path, COMMITTED.replace("data_till_och_med: 2024", "data_till_och_med: 2025"))
    assert "fältet 'data_till_och_med' är 2025 men måste vara tidigare än rapportar (2025)" in message


def test_oversized_file_is_refused_before_parsing(tmp_path):
    message = refusal(tmp_path, COMMITTED + "#" * 1_100_000 + "\n")
    assert "högst" in message and "byte" in message


def test_alias_expansion_is_refused(tmp_path):
    rows = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    message = refusal(tmp_path, COMMITTED + "\n".join(rows) + "\n")
    assert "YAML-alias" in message and "rad " in message


def test_self_referencing_alias_is_refused(tmp_path):
    assert "pekar på sig självt" in refusal(tmp_path, COMMITTED + "x: &x [1, *x]\n")


def test_yaml_syntax_error_names_line_in_swedish(tmp_path):
    message = refusal(tmp_path, COMMITTED.replace("kraftsamlingar:", "kraftsamlingar: [", 1))
    assert ", rad " in message and "inte giltig YAML" in message


def test_empty_file_is_refused(tmp_path):
    assert "filen är tom" in refusal(tmp_path, "")
def test_publication_date_is_a_date_or_left_to_the_build(tmp_path):
    import datetime as dt

    from rus_analysis.config.report_params import load_report_params

    (tmp_path / "2025.yml").write_text(
        "rapportar: 2025\ndata_till_och_med: 2024\nkraftsamlingar: [a]\npubliceringsdatum: 2025-06-15\n",
        encoding="utf-8")
    assert load_report_params(tmp_path, 2025).publication_date == dt.date(2025, 6, 15)
    (tmp_path / "2024.yml").write_text("rapportar: 2024\ndata_till_och_med: 2023\nkraftsamlingar: [a]\n",
                                       encoding="utf-8")
    assert load_report_params(tmp_path, 2024).publication_date is None


@pytest.mark.parametrize("value, words", [
    ("0", "har värdet 0 men ska vara större än 0"),
    ("-2.5", "har värdet \u22122,5 men ska vara större än 0"),
    ("0.0", "har värdet 0 men ska vara större än 0"),
])
def test_bound_messages_use_swedish_numbers(tmp_path, value, words):
    write(tmp_path, "2024.yml", VALID + f"bygge:\n  cell_sekunder: {value}\n")
    with pytest.raises(SettingsError) as info:
        load_report_params(tmp_path, 2024)
    message = str(info.value)
    assert "cell_sekunder" in message and words in message
    assert "0.0" not in message and "2.5" not in message


def test_integer_bound_message_is_plain(tmp_path):
    write(tmp_path, "2024.yml", VALID + "bygge:\n  kernelforsok: 11\n")
    with pytest.raises(SettingsError, match="har värdet 11 men ska vara högst 10"):
        load_report_params(tmp_path, 2024)


def test_libyaml_and_the_python_parser_read_the_settings_files_alike():
    """read_yaml_document parses with libyaml when PyYAML has it (issue 16: five times faster) and
    falls back to the pure-Python parser for its messages; both must give the same data and the
    same lines for every key, so messages name the same line either way."""
    import yaml

    from rus_analysis.config import yaml_files

    assert yaml_files.FAST_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = sorted((PROJECT / "params").glob("*.yml"))
    assert len(files) >= 4
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast_data, fast_nodes = yaml_files._parse(path, text, yaml_files.FAST_LOADER)
        slow_data, slow_nodes = yaml_files._parse(path, text, yaml.SafeLoader)
        assert fast_data == slow_data, path.name
        assert {k: n.start_mark.line for k, n in fast_nodes.items()} == \
            {k: n.start_mark.line for k, n in slow_nodes.items()}, path.name



PARAMS = PROJECT / "params"


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_the_committed_catalogue_promises_no_year_past_the_cutoff(year):
    """F13: every committed report year loads with its catalogue texts checked."""
    from rus_analysis.config.catalogue import load_catalogue

    load_report_params(PARAMS, year, load_catalogue(PARAMS / "indikatorer.yml"))


@pytest.mark.parametrize("text, shown", [("Alla län och riket, 2006–2025.", "2006–2025"),
                                         ("Riket t.o.m. 2025.", "t.o.m. 2025"),
                                         ("Län till och med 2026.", "till och med 2026")])
def test_a_catalogue_text_with_a_year_past_the_cutoff_is_refused(tmp_path, text, shown):
    """F13: the text kind: a range or "t.o.m." ending after data_till_och_med (2024 in 2025.yml)."""
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.errors import ConfigError

    catalogue = (PARAMS / "indikatorer.yml").read_text(encoding="utf-8")
    marker = "Alla län och riket,\n      från 2006."
    assert marker in catalogue
    (tmp_path / "indikatorer.yml").write_text(catalogue.replace(marker, text), encoding="utf-8")
    (tmp_path / "2025.yml").write_text(COMMITTED, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_report_params(tmp_path, 2025, load_catalogue(tmp_path / "indikatorer.yml"))
    message = str(info.value)
    assert "indikatorn 'behorighet_yrkesprogram', fältet 'description'" in message
    assert f"nämner {shown}, men rapporten 2025 har data till och med 2024" in message


@pytest.mark.parametrize("line", ["rapportar:\t2025", "rapportar: 2025\t# en kommentar", "rapportar: 2025\t"])
def test_a_tab_is_refused_with_or_without_libyaml(tmp_path, line):
    """libyaml accepts a tab after a colon or before a comment, the pure-Python parser does not: a
    settings file must read the same either way, so a text with a tab is read by the strict one."""
    from rus_analysis.config.yaml_files import read_yaml_document, safe_load

    path = tmp_path / "2025.yml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="tabbtecken"):
        read_yaml_document(path)
    import yaml

    with pytest.raises(yaml.YAMLError):
        safe_load(line + "\n")
