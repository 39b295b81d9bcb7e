"""Nationalities grouped into regions and continents (after the UN M49 geoscheme, simplified), so that
rare nationalities are published as a region. Codes are ISO 3166-1 alpha-2."""

from __future__ import annotations

_REGIONS: dict[str, tuple[str, str, str, str]] = {
    # id: (continent, Dutch name, English name, codes)
    "north_africa": ("africa", "Noord-Afrika", "Northern Africa", "DZ EG LY MA SD TN EH"),
    "west_africa": (
        "africa",
        "West-Afrika",
        "Western Africa",
        "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    ),
    "east_africa": (
        "africa",
        "Oost-Afrika",
        "Eastern Africa",
        "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF",
    ),
    "middle_africa": ("africa", "Centraal-Afrika", "Middle Africa", "AO CM CF TD CG CD GQ GA ST"),
    "southern_africa": ("africa", "Zuidelijk Afrika", "Southern Africa", "BW SZ LS NA ZA"),
    "western_europe": ("europe", "West-Europa", "Western Europe", "AT BE FR DE LI LU MC NL CH"),
    "northern_europe": (
        "europe",
        "Noord-Europa",
        "Northern Europe",
        "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB",
    ),
    "southern_europe": (
        "europe",
        "Zuid-Europa",
        "Southern Europe",
        "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK",
    ),
    "eastern_europe": ("europe", "Oost-Europa", "Eastern Europe", "BY BG CZ HU MD PL RO RU SK UA"),
    "western_asia": (
        "asia",
        "West-Azië",
        "Western Asia",
        "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    ),
    "central_asia": ("asia", "Centraal-Azië", "Central Asia", "KZ KG TJ TM UZ"),
    "southern_asia": ("asia", "Zuid-Azië", "Southern Asia", "AF BD BT IN IR MV NP PK LK"),
    "south_eastern_asia": (
        "asia",
        "Zuidoost-Azië",
        "South-eastern Asia",
        "BN KH ID LA MY MM PH SG TH TL VN",
    ),
    "eastern_asia": ("asia", "Oost-Azië", "Eastern Asia", "CN HK MO JP KP KR MN TW"),
    "latin_america": (
        "americas",
        "Latijns-Amerika en Caribisch gebied",
        "Latin America and the Caribbean",
        "AI AG AR AW BS BB BZ BO BQ BR VG KY CL CO CR CU CW DM DO EC SV FK GF GD GP GT GY HT HN JM MQ MX MS "
        "NI PA PY PE PR BL KN LC MF VC SX SR TT TC UY VE VI",
    ),
    "northern_america": ("americas", "Noord-Amerika", "Northern America", "BM CA GL PM US"),
    "oceania": (
        "oceania",
        "Oceanië",
        "Oceania",
        "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV UM VU WF",
    ),
}

REGION_OF: dict[str, str] = {code: rid for rid, (_, _, _, codes) in _REGIONS.items() for code in codes.split()}
REGION_NAMES: dict[str, tuple[str, str]] = {rid: (nl, en) for rid, (_, nl, en, _) in _REGIONS.items()}
CONTINENT_OF_REGION: dict[str, str] = {rid: cont for rid, (cont, _, _, _) in _REGIONS.items()}
CONTINENT_NAMES: dict[str, tuple[str, str]] = {
    "africa": ("Afrika", "Africa"),
    "europe": ("Europa", "Europe"),
    "asia": ("Azië", "Asia"),
    "americas": ("Amerika", "Americas"),
    "oceania": ("Oceanië", "Oceania"),
}
