"""Region codes and names used throughout the project.

Codes follow Kolada's convention, which the snapshot uses everywhere:
``0000`` riket, ``00LL`` a län (``0018`` Örebro län), four-digit SCB codes for kommuner.
"""

from __future__ import annotations

RIKET = "0000"
OREBRO_LAN = "0018"

LAN: dict[str, str] = {
    "0001": "Stockholms län",
    "0003": "Uppsala län",
    "0004": "Södermanlands län",
    "0005": "Östergötlands län",
    "0006": "Jönköpings län",
    "0007": "Kronobergs län",
    "0008": "Kalmar län",
    "0009": "Gotlands län",
    "0010": "Blekinge län",
    "0012": "Skåne län",
    "0013": "Hallands län",
    "0014": "Västra Götalands län",
    "0017": "Värmlands län",
    "0018": "Örebro län",
    "0019": "Västmanlands län",
    "0020": "Dalarnas län",
    "0021": "Gävleborgs län",
    "0022": "Västernorrlands län",
    "0023": "Jämtlands län",
    "0024": "Västerbottens län",
    "0025": "Norrbottens län",
}

OREBRO_KOMMUNER: dict[str, str] = {
    "1814": "Lekeberg",
    "1860": "Laxå",
    "1861": "Hallsberg",
    "1862": "Degerfors",
    "1863": "Hällefors",
    "1864": "Ljusnarsberg",
    "1880": "Örebro",
    "1881": "Kumla",
    "1882": "Askersund",
    "1883": "Karlskoga",
    "1884": "Nora",
    "1885": "Lindesberg",
}

REGION_NAMES: dict[str, str] = {RIKET: "Riket", **LAN, **OREBRO_KOMMUNER}

# The strategy's region and its jämförbara län (Jönköping, Kronoberg, Värmland, Västmanland):
# the defaults of params/<år>.yml (``region``, ``jamforbara_lan``), which a year's file overrides.
# Everything that needs the region or its peers takes them from ReportParams; these defaults are
# for what runs without a report year (``rus data``, the ``jamforbara_lan`` alias in queries).
DEFAULT_REGION = OREBRO_LAN
DEFAULT_PEERS: tuple[str, ...] = ("0006", "0007", "0017", "0019")


def region_level(code: str) -> str:
    """Return ``riket``, ``lan`` or ``kommun`` for a region code."""
    if code == RIKET:
        return "riket"
    if code in LAN:
        return "lan"
    if len(code) == 4 and code.isdigit() and not code.startswith("00"):
        return "kommun"
    raise ValueError(f"Okänd regionkod: {code!r}")


def from_scb_code(code: str) -> str:
    """Translate an SCB region code (``00`` riket, ``18`` län, ``1880`` kommun) to ours."""
    code = code.strip()
    if code in ("00", "0", "SE"):
        return RIKET
    if len(code) == 2 and code.isdigit():
        return "00" + code
    return code


def to_scb_code(code: str) -> str:
    """Translate one of our region codes to SCB's PxWeb convention."""
    if code == RIKET:
        return "00"
    if code in LAN:
        return code[2:]
    return code
