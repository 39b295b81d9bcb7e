"""Nationalities grouped into regions and continents (after the UN M49 geoscheme, simplified), so that
rare nationalities are published as a region. Codes are ISO 3166-1 alpha-2."""

from __future__ import annotations

from ..i18n import N_

_REGIONS: dict[str, tuple[str, str, str]] = {
    # id: (continent, name (a message id; the Dutch is in the catalogue), codes)
    "north_africa": ("africa", N_("Northern Africa"), "DZ EG LY MA SD TN EH"),
    "west_africa": (
        "africa",
        N_("Western Africa"),
        "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    ),
    "east_africa": (
        "africa",
        N_("Eastern Africa"),
        "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF",
    ),
    "middle_africa": ("africa", N_("Middle Africa"), "AO CM CF TD CG CD GQ GA ST"),
    "southern_africa": ("africa", N_("Southern Africa"), "BW SZ LS NA ZA"),
    "western_europe": ("europe", N_("Western Europe"), "AT BE FR DE LI LU MC NL CH"),
    "northern_europe": (
        "europe",
        N_("Northern Europe"),
        "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB",
    ),
    "southern_europe": (
        "europe",
        N_("Southern Europe"),
        "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK",
    ),
    "eastern_europe": ("europe", N_("Eastern Europe"), "BY BG CZ HU MD PL RO RU SK UA"),
    "western_asia": (
        "asia",
        N_("Western Asia"),
        "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    ),
    "central_asia": ("asia", N_("Central Asia"), "KZ KG TJ TM UZ"),
    "southern_asia": ("asia", N_("Southern Asia"), "AF BD BT IN IR MV NP PK LK"),
    "south_eastern_asia": (
        "asia",
        N_("South-eastern Asia"),
        "BN KH ID LA MY MM PH SG TH TL VN",
    ),
    "eastern_asia": ("asia", N_("Eastern Asia"), "CN HK MO JP KP KR MN TW"),
    "latin_america": (
        "americas",
        N_("Latin America and the Caribbean"),
        "AI AG AR AW BS BB BZ BO BQ BR VG KY CL CO CR CU CW DM DO EC SV FK GF GD GP GT GY HT HN JM MQ MX MS "
        "NI PA PY PE PR BL KN LC MF VC SX SR TT TC UY VE VI",
    ),
    "northern_america": ("americas", N_("Northern America"), "BM CA GL PM US"),
    "oceania": (
        "oceania",
        N_("Oceania"),
        "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV UM VU WF",
    ),
}

REGION_OF: dict[str, str] = {code: rid for rid, (_, _, codes) in _REGIONS.items() for code in codes.split()}
REGION_NAMES: dict[str, str] = {rid: name for rid, (_, name, _) in _REGIONS.items()}
CONTINENT_OF_REGION: dict[str, str] = {rid: cont for rid, (cont, _, _) in _REGIONS.items()}
CONTINENT_NAMES: dict[str, str] = {
    "africa": N_("Africa"),
    "europe": N_("Europe"),
    "asia": N_("Asia"),
    "americas": N_("Americas"),
    "oceania": N_("Oceania"),
}
