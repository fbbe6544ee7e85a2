"""No English in Swedish messages (F15): PyYAML's problems, pydantic's literals and key paths,
numbers with a decimal point. Every message builder of the kind is checked here, not one input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.numbers import message_number
from rus_analysis.config.yaml_files import SettingsError, _yaml_problem, field_name, read_yaml
from rus_analysis.errors import ConfigError
from rus_analysis.ingest.provenance import ProvenanceError, parse_record
from rus_analysis.report.comments import read_comment
from support import PROJECT

ENGLISH = re.compile(r"\b(expected|found|but|could|not|while|the|or|and|of|tag|node|stream|"
                     r"allowed|here|character|value|error)\b")


def _pyyaml_problems() -> list[str]:
    """Every problem text PyYAML 6 can raise, read from its source (``%r``/``%s``/``%d`` filled)."""
    folder = Path(yaml.__file__).parent
    texts = set()
    for name in ("reader.py", "scanner.py", "parser.py", "composer.py", "constructor.py"):
        source = (folder / name).read_text(encoding="utf-8")
        for literal in re.findall(r'"((?:expected|found|could|did|but|mapping|sequence|unacceptable|'
                                  r'cannot|duplicate)[^"]*)"', source):
            texts.add(literal.replace("%r", "'x'").replace("%s", "x").replace("%d", "2")
                      .replace("%04x", "0007").replace("\\n", ""))
    assert len(texts) > 40  # the scan found PyYAML's texts
    return sorted(texts)


@pytest.mark.parametrize("problem", _pyyaml_problems())
def test_every_pyyaml_problem_is_said_in_swedish(problem):
    text = _yaml_problem(yaml.MarkedYAMLError(problem=problem))
    assert not ENGLISH.search(text), (problem, text)
    assert "YAML-tolken säger" not in text


@pytest.mark.parametrize("text", ["a: [\n", "a: b\n- c\n", "a: &x\nb: *\n", "a: @x\n", "a: 1\n---\nb: 2\n",
                                  "a: !foo 1\n", "a:\n  b: 1\n c: 2\n"])
def test_broken_yaml_file_is_refused_in_swedish_with_its_line(tmp_path, text):
    path = tmp_path / "fel.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        read_yaml(path)
    message = str(info.value).split(": ", 1)[1]
    assert re.search(r"rad \d+", str(info.value)) and not ENGLISH.search(message), message


def test_a_wrong_direction_names_the_indicator_and_the_choices_in_swedish(tmp_path):
    text = (PROJECT / "params" / "indikatorer.yml").read_text(encoding="utf-8")
    path = tmp_path / "indikatorer.yml"
    path.write_text(text.replace("direction: ned", "direction: nedåt", 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_catalogue(path)
    message = str(info.value)
    first = yaml.safe_load(text)["indicators"][0]["id"]
    assert f"fältet 'direction' i post 1 (id '{first}') i listan 'indicators'" in message
    assert "ska vara ett av: 'upp' eller 'ned'" in message
    assert " or " not in message and "(värde" not in message and "indicators.direction" not in message


@pytest.mark.parametrize("loc, words", [
    (("region",), "fältet 'region'"),
    (("bygge", "cell_sekunder"), "fältet 'cell_sekunder' under 'bygge'"),
    (("jamforbara_lan", 0), "post 1 i listan 'jamforbara_lan'"),
    (("jamforbara_lan",), "fältet 'jamforbara_lan'"),
    (("indicators", 2, "target", "value"), "fältet 'value' under 'target' i post 3 i listan 'indicators'"),
])
def test_field_names_are_swedish_words_around_the_files_keys(loc, words):
    assert field_name(loc) == words


def test_provenance_errors_name_the_field_the_same_way():
    with pytest.raises(ProvenanceError) as info:
        parse_record({"schema_version": 2, "indicator": "x", "series": {"sha256": "kort"}}, "x.provenance.yml")
    assert "fältet 'sha256' under 'series'" in str(info.value) and "series.sha256" not in str(info.value)


@pytest.mark.parametrize("value, text", [(0.0, "0"), (-12.0, "\u221212"), (0.5, "0,5"), (2031, "2031"),
                                         (-0.25, "\u22120,25")])
def test_message_numbers_have_a_decimal_comma_and_a_minus_sign(value, text):
    assert message_number(value) == text


def test_a_broken_comment_header_is_said_in_swedish(tmp_path):
    path = tmp_path / "k.md"
    path.write_text("---\nid: x\nrapportar: [2025\n---\n\nText.\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_comment(path)
    message = str(info.value).split("---), ", 1)[1]
    assert message.startswith("rad ") and not ENGLISH.search(message), message
