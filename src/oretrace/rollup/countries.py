"""Is a facility's country a Covered Country (SEC) or on an imported CAHRA list?

Country names arrive spelled as RMI's country list spells them ("CONGO, DEMOCRATIC REPUBLIC OF
THE", "TANZANIA, UNITED REPUBLIC OF"), as suppliers type them ("DR Congo"), or as ISO codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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
