"""A small sample of RMI's smelter reference list, for a machine without RMI's templates (the demo).

Every facility here is a real one, as RMI's public Smelter Look-up lists it (CMRT 6.5, 25 April 2025,
downloadable from responsiblemineralsinitiative.org): its CID, its Standard Smelter Name, its metal and
its country. It is a few dozen of RMI's several hundred facilities, so a name that matches nothing here
may well be on RMI's list: whatever shows this list says it is a sample (``SAMPLE_RELEASE`` in its
release), and the report never calls a name unlisted because of it.
"""

from __future__ import annotations

import datetime as dt

from oretrace.smelters.reference import Facility, ReferenceList

# The release every facility of the sample carries: the word "sample" is how pages and the report know.
SAMPLE_RELEASE = "Sample of RMI's list (CMRT 6.5)"
SAMPLE_SOURCE = (
    "a sample of RMI's Smelter Look-up (CMRT 6.5, April 2025): real facilities with their RMI IDs and "
    "countries, not RMI's full list"
)
SAMPLE_DATE = dt.date(2025, 4, 25)  # the release date of CMRT 6.5, whose look-up the rows were taken from

# (CID, metal, RMI's Standard Smelter Name, country, other names RMI's look-up lists for it)
_FACILITIES = (
    ("CID000035", "Gold", "Agosi AG", "Germany", ("Allgemeine Gold-und Silberscheideanstalt A.G.",)),
    ("CID000077", "Gold", "Argor-Heraeus S.A.", "Switzerland", ()),
    ("CID000920", "Gold", "Asahi Refining USA Inc.", "United States of America", ("Johnson Matthey Inc.",)),
    ("CID000113", "Gold", "Aurubis AG", "Germany", ("Norddeutsche Affinererie AG",)),
    ("CID000707", "Gold", "Heraeus Metals Hong Kong Ltd.", "China", ("Heraeus Ltd. Hong Kong",)),
    ("CID001153", "Gold", "Metalor Technologies S.A.", "Switzerland", ("Metalor Switzerland",)),
    ("CID001352", "Gold", "MKS PAMP SA", "Switzerland", ("PAMP S.A.",)),
    ("CID001512", "Gold", "Rand Refinery (Pty) Ltd.", "South Africa", ()),
    ("CID001534", "Gold", "Royal Canadian Mint", "Canada", ()),
    ("CID001875", "Gold", "Tanaka Kikinzoku Kogyo K.K.", "Japan", ()),
    (
        "CID001980",
        "Gold",
        "Umicore S.A. Business Unit Precious Metals Refining",
        "Belgium",
        ("Umicore Precious Metals Refining Hoboken",),
    ),
    ("CID002003", "Gold", "Valcambi S.A.", "Switzerland", ()),
    ("CID002773", "Tin", "Aurubis Beerse", "Belgium", ("Metallo Belgium N.V.",)),
    ("CID000468", "Tin", "Fenix Metals", "Poland", ()),
    ("CID001105", "Tin", "Malaysia Smelting Corporation (MSC)", "Malaysia", ("MSC",)),
    ("CID001182", "Tin", "Minsur", "Peru", ("Funsur Smelter",)),
    ("CID001191", "Tin", "Mitsubishi Materials Corporation", "Japan", ("Ikuno Tin Smelter",)),
    ("CID001477", "Tin", "PT Timah Tbk Kundur", "Indonesia", ("Kundur Smelter",)),
    ("CID001482", "Tin", "PT Timah Tbk Mentok", "Indonesia", ("Mentok Smelter",)),
    ("CID001898", "Tin", "Thaisarco", "Thailand", ("Thailand Smelting & Refining Co Ltd",)),
    (
        "CID002180",
        "Tin",
        "Tin Smelting Branch of Yunnan Tin Co., Ltd.",
        "China",
        ("China Yunnan Tin Co Ltd.",),
    ),
    ("CID002558", "Tantalum", "Global Advanced Metals Aizu", "Japan", ()),
    ("CID002557", "Tantalum", "Global Advanced Metals Boyertown", "United States of America", ()),
    ("CID002539", "Tantalum", "KEMET de Mexico", "Mexico", ("KEMET Blue Metals",)),
    ("CID001175", "Tantalum", "Mineracao Taboca S.A.", "Brazil", ()),
    ("CID001277", "Tantalum", "Ningxia Orient Tantalum Industry Co., Ltd.", "China", ()),
    ("CID002544", "Tantalum", "TANIOBIS Co., Ltd.", "Thailand", ("H.C. Starck Co., Ltd.",)),
    ("CID002545", "Tantalum", "TANIOBIS GmbH", "Germany", ("H.C. Starck Tantalum and Niobium GmbH",)),
    ("CID001969", "Tantalum", "Ulba Metallurgical Plant JSC", "Kazakhstan", ("ULBA",)),
    ("CID000568", "Tungsten", "Global Tungsten & Powders LLC", "United States of America", ("GTP",)),
    ("CID002541", "Tungsten", "H.C. Starck Tungsten GmbH", "Germany", ()),
    (
        "CID002513",
        "Tungsten",
        "Hunan Shizhuyuan Nonferrous Metals Co., Ltd. Chenzhou Tungsten Products Branch",
        "China",
        ("Chenzhou Diamond Tungsten Products Co., Ltd.",),
    ),
    ("CID000825", "Tungsten", "Japan New Metals Co., Ltd.", "Japan", ()),
    ("CID000966", "Tungsten", "Kennametal Fallon", "United States of America", ()),
    ("CID002044", "Tungsten", "Wolfram Bergbau und Hutten AG", "Austria", ("WBH",)),
    ("CID002082", "Tungsten", "Xiamen Tungsten Co., Ltd.", "China", ()),
)


def sample_reference() -> ReferenceList:
    """The sample as a reference list, every facility marked with the sample's release."""
    return ReferenceList(
        release=SAMPLE_RELEASE,
        date=SAMPLE_DATE,
        facilities=tuple(
            Facility(
                smelter_id=cid,
                metal=metal,
                name=name,
                country=country,
                aliases=aliases,
                source=SAMPLE_SOURCE,
            )
            for cid, metal, name, country, aliases in _FACILITIES
        ),
    )


def is_sample(release: str | None) -> bool:
    """Whether a reference list's release (or several, joined) includes the sample, not RMI's own list."""
    return bool(release) and SAMPLE_RELEASE in release
