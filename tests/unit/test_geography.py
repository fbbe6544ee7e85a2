import pytest

from rus_analysis.config.geography import LAN, OREBRO_KOMMUNER, from_scb_code, region_level, to_scb_code


def test_counts():
    assert len(LAN) == 21
    assert len(OREBRO_KOMMUNER) == 12


@pytest.mark.parametrize("code,level", [("0000", "riket"), ("0018", "lan"), ("1880", "kommun")])
def test_region_level(code, level):
    assert region_level(code) == level


def test_unknown_code_is_rejected():
    with pytest.raises(ValueError, match="Okänd regionkod"):
        region_level("0099")


def test_scb_round_trip():
    for code in ["0000", "0018", "1880"]:
        assert from_scb_code(to_scb_code(code)) == code
