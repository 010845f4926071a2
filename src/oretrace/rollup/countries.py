"""Is a facility's country a Covered Country (SEC) or on an imported CAHRA list?

Country names arrive spelled as RMI's country list spells them ("CONGO, DEMOCRATIC REPUBLIC OF
THE", "TANZANIA, UNITED REPUBLIC OF"), as suppliers type them ("DR Congo"), or as ISO codes.
``country_name`` turns any of these into one name, the one oretrace stores.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import iso3166

# Each Covered Country with the spellings seen in RMI lists, supplier files and ISO 3166.
_COVERED_SPELLINGS = {
    "Democratic Republic of the Congo": (
        "congo democratic republic of the",
        "democratic republic of the congo",
        "democratic republic of congo",
        "dr congo",
        "drc",
        "congo kinshasa",
        "congo the democratic republic of the",
        "cd",
        "cod",
    ),
    "Republic of the Congo": (
        "congo",
        "republic of the congo",
        "republic of congo",
        "congo brazzaville",
        "cg",
        "cog",
    ),
    "Central African Republic": ("central african republic", "car", "cf", "caf"),
    "South Sudan": ("south sudan", "ss", "ssd"),
    "Uganda": ("uganda", "ug", "uga"),
    "Rwanda": ("rwanda", "rw", "rwa"),
    "Burundi": ("burundi", "bi", "bdi"),
    "Tanzania": ("tanzania", "tanzania united republic of", "united republic of tanzania", "tz", "tza"),
    "Zambia": ("zambia", "zm", "zmb"),
    "Angola": ("angola", "ao", "ago"),
}
_COVERED_BY_KEY = {spelling: name for name, spellings in _COVERED_SPELLINGS.items() for spelling in spellings}


def country_key(value: str | None) -> str:
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def covered_country(value: str | None) -> str | None:
    """The Covered Country a spelling means, or None."""
    return _COVERED_BY_KEY.get(country_key(value))


class CountryList:
    """A set of countries (an imported EU CAHRA list, say), matched by spelling-insensitive keys."""

    def __init__(self, names: Iterable[str] = ()):
        self.names = tuple(n for n in names if n and n.strip())
        self._keys = {country_key(n) for n in self.names}

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        if country_key(value) in self._keys:
            return True
        canonical = covered_country(
            value
        )  # "DRC" on the list also matches "CONGO, DEMOCRATIC REPUBLIC OF THE"
        return canonical is not None and any(
            spelling in self._keys for spelling in (country_key(canonical), *_COVERED_SPELLINGS[canonical])
        )

    def __len__(self) -> int:
        return len(self.names)


# English names people write that ISO 3166-1 does not list, by ISO alpha-2 code: short forms, and
# names ISO has since changed (RMI's lists still write TURKEY and NAURU, now Türkiye and Naoero). An
# ambiguous name ("Korea") is left out: the import asks rather than guesses.
_COMMON_NAMES = {
    "US": ("united states", "u s", "u s a", "america"),
    "GB": ("united kingdom", "uk", "great britain", "britain"),
    "KR": ("south korea", "republic of korea", "korea south", "korea rep"),
    "KP": ("north korea", "korea north", "korea dpr"),
    "TW": ("republic of china", "chinese taipei"),
    "CN": ("people s republic of china", "prc", "mainland china", "china mainland"),
    "HK": ("hong kong sar", "hong kong china", "hong kong sar china"),
    "MO": ("macau", "macao sar", "macau sar"),
    "VN": ("vietnam",),
    "RU": ("russia",),
    "IR": ("iran",),
    "SY": ("syria",),
    "LA": ("laos",),
    "BO": ("bolivia",),
    "VE": ("venezuela",),
    "MD": ("moldova",),
    "TZ": ("tanzania",),
    "CZ": ("czech republic",),
    "TR": ("turkey",),
    "MK": ("macedonia",),
    "SZ": ("swaziland",),
    "CV": ("cape verde",),
    "CI": ("ivory coast",),
    "BN": ("brunei",),
    "FM": ("micronesia",),
    "NL": ("holland", "the netherlands"),
    "MM": ("burma",),
    "VA": ("vatican", "vatican city"),
    "AE": ("uae",),
    "PH": ("the philippines",),
    "NR": ("nauru",),
}


def _iso_names() -> dict[str, str]:
    """Every spelling we recognise -> the name oretrace stores for that country."""
    by_code = {c.alpha2: c for c in iso3166.countries}
    found: dict[str, str] = {}
    for country in iso3166.countries:
        # ISO 3166-1's English short name, as RMI's country list writes it (in capitals there), with
        # ISO's apolitical name for the two it gives one: "Taiwan" and "Palestine".
        for spelling in (country.alpha2, country.alpha3, country.name, country.apolitical_name):
            found[country_key(spelling)] = country.apolitical_name
    for code, spellings in _COMMON_NAMES.items():
        for spelling in spellings:
            found.setdefault(country_key(spelling), by_code[code].apolitical_name)
    for spellings in _COVERED_SPELLINGS.values():  # "DRC", "Congo-Kinshasa", ...
        code = next(s.upper() for s in spellings if len(s) == 2)
        for spelling in spellings:
            found.setdefault(spelling, by_code[code].apolitical_name)
    return found


_ISO_BY_KEY = _iso_names()


def country_name(value: str | None) -> str | None:
    """The country's ISO 3166-1 English short name ("Germany", "United States of America", "Korea,
    Republic of", "Viet Nam") for an ISO alpha-2 or alpha-3 code, an ISO or RMI name in any case and
    punctuation ("KOREA, REPUBLIC OF"), or a common English name ("USA", "South Korea"); None when
    the value names no country."""
    return _ISO_BY_KEY.get(country_key(value)) if value else None
