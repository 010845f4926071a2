"""How the portal and the e-mails name a campaign's template and the minerals it asks about: chosen
by the campaign's kind and its own minerals, never a CMRT's words for every kind.

The decline statement keeps English (it is the statement our analysts file); pages and e-mails show
the names in the supplier's language. A campaign asking about all four 3TG metals says "3TG" as the
CMRT does; any other choice is named mineral by mineral.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from oretrace.rmi.layouts import CMRT_METALS

# Each kind's name, as RMI titles the template (Declaration!D2).
TEMPLATE_NAMES = {
    "CMRT": gettext_lazy("Conflict Minerals Reporting Template"),
    "EMRT": gettext_lazy("Extended Minerals Reporting Template"),
    "CRT": gettext_lazy("Cobalt Reporting Template"),
    "AMRT": gettext_lazy("Additional Minerals Reporting Template"),
}

# The minerals of the CMRT, the EMRT, the CRT and the AMRT's list, as the supplier reads them.
MINERAL_NAMES = {
    "Tantalum": gettext_lazy("tantalum"),
    "Tin": gettext_lazy("tin"),
    "Gold": gettext_lazy("gold"),
    "Tungsten": gettext_lazy("tungsten"),
    "Cobalt": gettext_lazy("cobalt"),
    "Copper": gettext_lazy("copper"),
    "Graphite": gettext_lazy("graphite"),
    "Lithium": gettext_lazy("lithium"),
    "Mica": gettext_lazy("mica"),
    "Nickel": gettext_lazy("nickel"),
    "Aluminum": gettext_lazy("aluminum"),
    "Iridium": gettext_lazy("iridium"),
    "Lime": gettext_lazy("lime"),
    "Manganese": gettext_lazy("manganese"),
    "Palladium": gettext_lazy("palladium"),
    "Platinum": gettext_lazy("platinum"),
    "Rare Earth Elements": gettext_lazy("rare earth elements"),
    "Rhodium": gettext_lazy("rhodium"),
    "Ruthenium": gettext_lazy("ruthenium"),
    "Silver": gettext_lazy("silver"),
    "Soda Ash": gettext_lazy("soda ash"),
    "Zinc": gettext_lazy("zinc"),
}
# The CMRT's words for its four metals, in the order the CMRT names them in its questions.
THREE_TG_ORDER = ("Tin", "Tantalum", "Tungsten", "Gold")


def template_name(campaign) -> str:
    """The template's name in the active language ("Extended Minerals Reporting Template")."""
    return str(TEMPLATE_NAMES.get(campaign.template_kind, campaign.template_kind))


def minerals_in_statement(campaign) -> str:
    """The minerals as the English decline statement names them: "3TG (tin, tantalum, tungsten or
    gold)", "cobalt", "cobalt, lithium or nickel"."""
    minerals = campaign.minerals_in_scope()
    if not minerals:
        return f"the minerals listed in the {campaign.template_kind}"
    names = [m.lower() for m in _ordered(minerals)]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"3TG ({listed})" if _is_3tg(minerals) else listed


def minerals_shown(campaign) -> str:
    """The minerals as the portal shows them, in the active language: "3TG: tin, tantalum, tungsten
    and gold", "cobalt", "cobalt, lithium and nickel"."""
    minerals = campaign.minerals_in_scope()
    if not minerals:
        return gettext("the minerals listed in the %(kind)s") % {"kind": campaign.template_kind}
    names = [str(MINERAL_NAMES.get(m, m)) for m in _ordered(minerals)]
    listed = (
        names[0]
        if len(names) == 1
        else gettext("%(first)s and %(last)s") % {"first": gettext(", ").join(names[:-1]), "last": names[-1]}
    )
    return gettext("3TG: %(metals)s") % {"metals": listed} if _is_3tg(minerals) else listed


def _is_3tg(minerals) -> bool:
    return set(minerals) == set(CMRT_METALS)


def _ordered(minerals) -> list[str]:
    if _is_3tg(minerals):
        return list(THREE_TG_ORDER)
    return list(minerals)
