"""Keys for comparing smelter names, IDs, metals and countries the way an analyst would.

Suppliers type "Xiamen Tungsten Co Ltd", "XIAMEN TUNGSTEN CO., LTD." or "Xiamen Tungsten";
all three mean the facility RMI lists as "Xiamen Tungsten Co., Ltd.". These helpers turn each
spelling into one key, and each malformed ID into the canonical one, or None when they cannot.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

METALS = ("Gold", "Tantalum", "Tin", "Tungsten")
_METAL_KEYS = {metal.casefold(): metal for metal in METALS} | {
    # Symbols and the words suppliers use in free text; the template itself only offers the four names.
    "au": "Gold",
    "ta": "Tantalum",
    "sn": "Tin",
    "w": "Tungsten",
    "wolfram": "Tungsten",
}

# CFSI v2 IDs (2014) start with the metal digit: verified across the 2014 translation table.
V2_METAL_DIGITS = {"1": "Gold", "2": "Tin", "3": "Tantalum", "4": "Tungsten"}

# Legal forms say nothing about which facility is meant; "S.A." and "SA" must compare equal,
# and a supplier who leaves out "Co., Ltd." still names the same refinery. Multi-word forms are
# removed as whole phrases before single words, after punctuation has become spaces.
_LEGAL_PHRASES = (
    "public company limited",
    "company limited",
    "co ltd",
    "pty ltd",
    "pvt ltd",
    "private limited",
    "sdn bhd",
    "s a de c v",
    "sa de cv",
    "s p a",
    "s a s",
    "s r l",
    "s a",
    "l l c",
    "n v",
    "b v",
    "a g",
    "k k",
    "and co kg",
    "and co",
    "co kg",
)
_LEGAL_WORDS = frozenset(
    {
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "ltda",
        "limited",
        "llc",
        "gmbh",
        "ag",
        "sa",
        "spa",
        "srl",
        "sas",
        "plc",
        "pty",
        "pte",
        "pvt",
        "bhd",
        "nv",
        "bv",
        "kk",
        "kg",
        "oy",
        "ab",
        "as",
        "jsc",
        "ojsc",
        "pjsc",
        "cjsc",
        "ooo",
        "tbk",
        "pt",
    }
)
# One alternation, longest phrases first, so "and co kg" goes before "co kg" can split it.
_PHRASES = re.compile(
    r"(?:^| )(?:"
    + "|".join(re.escape(p) for p in sorted(_LEGAL_PHRASES, key=len, reverse=True))
    + r")(?= |$)"
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")

_CID = re.compile(r"^CID[\s_-]*(\d{1,6})$")
# "ID000157" (Boliden AB in the 2014 CFSI list) lost its "C"; with all six digits it is still unambiguous.
_CID_WITHOUT_C = re.compile(r"^ID(\d{6})$")
_V2 = re.compile(r"^([1-4])([A-Z]{3})(\d{3})$")
# Invisible characters seen in real lists: NBSP, BOM, zero-width space, and U+FFA0, which is what
# a non-breaking space becomes when a Windows-1252 file is converted with the wrong code page
# (the 2014 CFSI status list has " CID002307" that way).
_INVISIBLE = dict.fromkeys(map(ord, "\u00a0\ufeff\u200b\u200c\u200d\u2060\uffa0\u3000"), " ")


def clean_text(value: str | None) -> str | None:
    """Stripped text with invisible spaces made visible spaces; None when nothing is left."""
    if value is None:
        return None
    cleaned = _SPACES.sub(" ", str(value).translate(_INVISIBLE)).strip()
    return cleaned or None


@lru_cache(maxsize=65536)
def name_key(name: str | None) -> str:
    """The comparison key of a facility name: folded case, no accents, punctuation or legal form.

    Cached because the same few hundred reference names and the same supplier names recur in
    every file of a campaign.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name.translate(_INVISIBLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # "&" and "and" are the same word in company names (JX Nippon Mining & Metals).
    text = text.casefold().replace("&", " and ")
    # Dots inside abbreviations ("S.p.A.", "A.G.") join letters before punctuation becomes space.
    text = re.sub(r"(?<=\b\w)\.(?=\w\b)", "", text)
    text = _SPACES.sub(" ", _NON_ALNUM.sub(" ", text)).strip()
    # Twice, because removing one phrase can expose another ("gmbh and co kg" then "gmbh").
    text = _PHRASES.sub(" ", _PHRASES.sub(" ", text))
    words = [word for word in text.split() if word not in _LEGAL_WORDS]
    key = " ".join(words)
    # A name that is nothing but legal words ("Limited") keeps its folded form rather than vanishing.
    return key or text.strip()


def canonical_metal(value: str | None) -> str | None:
    """ "gold", " GOLD ", "Au" -> "Gold"; other minerals (EMRT cobalt, mica) title-cased; None for blanks."""
    cleaned = clean_text(value)
    if not cleaned:
        return None
    return _METAL_KEYS.get(cleaned.casefold()) or cleaned.title()


def country_key(value: str | None) -> str:
    """Countries compare without case or punctuation ("UNITED STATES OF AMERICA", "China ")."""
    if not value:
        return ""
    folded = unicodedata.normalize("NFKD", value.translate(_INVISIBLE)).casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", folded)).strip()


def normalise_cid(value: str | None) -> str | None:
    """The canonical CID (``CID`` + 6 digits) an ID cell means, or None when it is not one.

    Accepts the slips seen in real files: lower case, trailing spaces, invisible characters,
    missing leading zeros ("CID2763"), a separator ("CID-002763"), a lost "C" ("ID000157"). A value with more than six
    digits, or any other text around it, is not unambiguous and is refused.
    """
    cleaned = clean_text(value)
    if not cleaned:
        return None
    compact = cleaned.upper().replace(" ", "")
    match = _CID.match(compact) or _CID_WITHOUT_C.match(compact)
    if not match:
        return None
    return f"CID{int(match.group(1)):06d}"


def parse_v2_id(value: str | None) -> tuple[str, str, str] | None:
    """(metal, ISO-3 country, canonical v2 ID) of an old CFSI v2 ID such as 1JPN072, else None."""
    cleaned = clean_text(value)
    if not cleaned:
        return None
    match = _V2.match(cleaned.upper().replace(" ", ""))
    if not match:
        return None
    digit, iso3, number = match.groups()
    return V2_METAL_DIGITS[digit], iso3, f"{digit}{iso3}{number}"


# Words that half the reference list shares: "Acme Refinery" is not "ABC Refinery" however alike
# the two strings look. Fuzzy scores also compare names without these words (identify.py).
_GENERIC_WORDS = frozenset(
    [
        "refinery",
        "refineries",
        "refining",
        "refiner",
        "smelting",
        "smelter",
        "smeltery",
        "metal",
        "metals",
        "metallurgical",
        "metallurgy",
        "mining",
        "mine",
        "mines",
        "mineral",
        "minerals",
        "industry",
        "industries",
        "industrial",
        "group",
        "precious",
        "material",
        "materials",
        "technology",
        "technologies",
        "tech",
        "gold",
        "silver",
        "tin",
        "tungsten",
        "tantalum",
        "niobium",
        "and",
        "the",
        "of",
        "de",
        "do",
        "da",
        "e",
        "nonferrous",
        "non",
        "ferrous",
        "recycling",
        "chemical",
        "chemicals",
        "products",
        "manufacturing",
        "international",
        "holding",
        "holdings",
        "trading",
        "enterprise",
        "enterprises",
        "new",
        "high",
        "plant",
        "works",
        "factory",
    ]
)


@lru_cache(maxsize=65536)
def distinctive_key(key: str) -> str:
    """A name key without the words most facility names share; "" when nothing else is left."""
    return " ".join(word for word in key.split() if word not in _GENERIC_WORDS)
