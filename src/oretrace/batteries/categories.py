"""Annex X of Regulation (EU) 2023/1542: the raw materials battery due diligence covers and the social
and environmental risk categories it is assessed against, each with the point of the Annex it comes
from, and the OECD Annex II risks the Regulation's Article 50 also names.

The codes are stable: a risk action stores one (web risk.RiskAction.annex_x_category) and the report
counts the actions per code. The wording follows Annex X as published in OJ L 191 of 28.7.2023 (checked
against the consolidated text); an English reader's short title comes first, the Annex's point second.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

REGULATION = "Regulation (EU) 2023/1542"


@dataclass(frozen=True)
class RawMaterial:
    name: str  # as the report names it
    rollup_metal: str  # as an EMRT or CRT names it in its Smelter List (the roll-up's metal)
    source: str


# Annex X point 1. Point 1(e), the chemical compounds based on them that are needed for the active
# materials of batteries, is reported under the raw material it is based on. The EMRT 2.x names natural
# graphite "Graphite"; its Smelter Look-up lists graphite processors only, never synthetic producers.
RAW_MATERIALS = (
    RawMaterial("Cobalt", "Cobalt", f"{REGULATION}, Annex X, point 1(a)"),
    RawMaterial("Natural graphite", "Graphite", f"{REGULATION}, Annex X, point 1(b)"),
    RawMaterial("Lithium", "Lithium", f"{REGULATION}, Annex X, point 1(c)"),
    RawMaterial("Nickel", "Nickel", f"{REGULATION}, Annex X, point 1(d)"),
)
ROLLUP_METALS = tuple(m.rollup_metal for m in RAW_MATERIALS)


def raw_material_name(rollup_metal: str) -> str:
    for material in RAW_MATERIALS:
        if material.rollup_metal == rollup_metal:
            return material.name
    return rollup_metal


@dataclass(frozen=True)
class RiskCategory:
    code: str  # stable: stored on risk actions
    group: str  # "environment", "social", "community" (Annex X point 2(a), (b), (c)) or "oecd"
    title: str
    source: str


_ANNEX_2A = f"{REGULATION}, Annex X, point 2(a)"
_ANNEX_2B = f"{REGULATION}, Annex X, point 2(b)"
# The OECD Due Diligence Guidance's model supply chain policy (Annex II), to which the Regulation's
# due-diligence policy refers: its risks are those the Conflict Minerals Report's red flags address. Its
# headings are cited, not its paragraph numbers, which differ between the Guidance's editions.
_OECD = "OECD Due Diligence Guidance, Annex II (model supply chain policy)"

_CATEGORIES = (
    # Point 2(a): the environment, climate and human health, including direct, induced, indirect and
    # cumulative impacts, on ...
    RiskCategory(
        "air",
        "environment",
        "Air, including air pollution such as greenhouse gas emissions",
        f"{_ANNEX_2A}(i)",
    ),
    RiskCategory(
        "water",
        "environment",
        "Water, including the seabed and marine environment, water pollution, water use, water quantity "
        "(floods or droughts) and access to water",
        f"{_ANNEX_2A}(ii)",
    ),
    RiskCategory(
        "soil",
        "environment",
        "Soil, including soil pollution, soil erosion, land use and land degradation",
        f"{_ANNEX_2A}(iii)",
    ),
    RiskCategory(
        "biodiversity",
        "environment",
        "Biodiversity, including damage to habitats, wildlife, flora and ecosystems and their services",
        f"{_ANNEX_2A}(iv)",
    ),
    RiskCategory("hazardous-substances", "environment", "Hazardous substances", f"{_ANNEX_2A}(v)"),
    RiskCategory("noise-vibration", "environment", "Noise and vibration", f"{_ANNEX_2A}(vi)"),
    RiskCategory("plant-safety", "environment", "Plant safety", f"{_ANNEX_2A}(vii)"),
    RiskCategory("energy-use", "environment", "Energy use", f"{_ANNEX_2A}(viii)"),
    RiskCategory("waste-residues", "environment", "Waste and residues", f"{_ANNEX_2A}(ix)"),
    # Point 2(b): human rights, labour rights and industrial relations, including ...
    RiskCategory("occupational-health-safety", "social", "Occupational health and safety", f"{_ANNEX_2B}(i)"),
    RiskCategory("child-labour", "social", "Child labour", f"{_ANNEX_2B}(ii)"),
    RiskCategory("forced-labour", "social", "Forced labour", f"{_ANNEX_2B}(iii)"),
    RiskCategory("discrimination", "social", "Discrimination", f"{_ANNEX_2B}(iv)"),
    RiskCategory("trade-union-freedoms", "social", "Trade union freedoms", f"{_ANNEX_2B}(v)"),
    # Point 2(c).
    RiskCategory(
        "community-life",
        "community",
        "Community life, including that of indigenous peoples",
        f"{REGULATION}, Annex X, point 2(c)",
    ),
    RiskCategory(
        "oecd-serious-abuses",
        "oecd",
        "Serious abuses associated with extraction, transport or trade (torture, forced labour, worst forms "
        "of child labour, war crimes)",
        _OECD,
    ),
    RiskCategory(
        "oecd-armed-groups",
        "oecd",
        "Direct or indirect support to non-state armed groups",
        _OECD,
    ),
    RiskCategory("oecd-security-forces", "oecd", "Public or private security forces", _OECD),
    RiskCategory(
        "oecd-bribery-misrepresentation",
        "oecd",
        "Bribery and fraudulent misrepresentation of the origin of minerals",
        _OECD,
    ),
    RiskCategory("oecd-money-laundering", "oecd", "Money laundering", _OECD),
    RiskCategory(
        "oecd-taxes-royalties",
        "oecd",
        "Payment of taxes, fees and royalties due to governments",
        _OECD,
    ),
)

# The category a location in a conflict-affected or high-risk area raises from the data (risk.flags): a
# CAHRA is defined by armed conflict (Regulation (EU) 2017/821 Art 2(f)), and support to non-state armed
# groups is the risk the OECD Guidance's location red flags are about.
CONFLICT_CATEGORY = "oecd-armed-groups"

CATEGORIES = MappingProxyType({c.code: c for c in _CATEGORIES})

GROUP_TITLES = MappingProxyType(
    {
        "environment": "Environment, climate and human health (Annex X, point 2(a))",
        "social": "Human rights, labour rights and industrial relations (Annex X, point 2(b))",
        "community": "Community life (Annex X, point 2(c))",
        "oecd": "Risks of the OECD model supply chain policy (OECD Guidance, Annex II)",
    }
)


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The categories grouped as a form offers them: [(group title, [(code, title), ...]), ...]."""
    return [
        (title, [(c.code, c.title) for c in _CATEGORIES if c.group == group])
        for group, title in GROUP_TITLES.items()
    ]
