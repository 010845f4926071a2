"""The minerals each RMI template asks about, and the ones an inquiry chooses among them.

A CMRT always asks about the four 3TG metals, a CRT about cobalt; an EMRT 1.x about cobalt and mica,
an EMRT 2.x about six minerals the supplier picks from, an AMRT about the minerals of its version's
list. An inquiry (a web campaign, a review run) may ask about fewer: a company that buys batteries
asks its suppliers' EMRT about cobalt, lithium and nickel, not about mica. The review then leaves a
supplier unfaulted for what it did not answer about a mineral nobody asked it about.
"""

from __future__ import annotations

from collections.abc import Iterable

from oretrace.errors import BadInput
from oretrace.rmi.layouts import Layout, layout_for, supported_versions, version_key
from oretrace.rmi.model import TemplateKind


def minerals_asked(kind: TemplateKind | str, version: str) -> tuple[str, ...]:
    """Every mineral the template of that kind and version can ask about, in the template's order."""
    return _layout(kind, version).minerals


def chosen_minerals(kind: TemplateKind | str, version: str, chosen: Iterable[str] = ()) -> tuple[str, ...]:
    """The minerals an inquiry asks about, spelled and ordered as the template has them; every mineral
    the template asks about when none is chosen. A mineral the template does not ask about is refused
    with the list it can ask about."""
    asked = minerals_asked(kind, version)
    by_key = {mineral.casefold(): mineral for mineral in asked}
    wanted = {str(mineral).strip().casefold() for mineral in chosen if str(mineral).strip()}
    unknown = sorted(wanted - set(by_key))
    if unknown:
        raise BadInput(
            f"The {kind} {version} does not ask about {', '.join(unknown)}; it asks about {', '.join(asked)}."
        )
    if not wanted:
        return asked
    return tuple(mineral for mineral in asked if mineral.casefold() in wanted)


def named_minerals(text: str | Iterable[str]) -> tuple[str, ...]:
    """Minerals named by a person ("cobalt, Lithium"), spelled as the templates spell them, for an
    inquiry whose files may be of any kind (the command line's ``--minerals``). A name no template
    asks about (a typo) is refused with the names they do ask about."""
    parts = text.replace(";", ",").split(",") if isinstance(text, str) else list(text)
    known = {mineral.casefold(): mineral for mineral in every_mineral()}
    wanted = [part.strip() for part in parts if part.strip()]
    unknown = [part for part in wanted if part.casefold() not in known]
    if unknown:
        raise BadInput(
            f"No RMI template asks about {', '.join(unknown)}; they ask about {', '.join(sorted(known.values()))}."
        )
    return tuple(dict.fromkeys(known[part.casefold()] for part in wanted))


def every_mineral() -> tuple[str, ...]:
    """Every mineral some template oretrace reads asks about."""
    found: dict[str, str] = {}
    for kind in TemplateKind:
        for version in supported_versions(kind):
            for mineral in _layout(kind, version).minerals:
                found.setdefault(mineral.casefold(), mineral)
    return tuple(found.values())


def in_scope(mineral: str | None, scope: Iterable[str] | None) -> bool:
    """Whether something about ``mineral`` concerns an inquiry asking about ``scope`` (None: every
    mineral). Something about no particular mineral (the company block, the file) always does."""
    if mineral is None or scope is None:
        return True
    return mineral.casefold() in {m.casefold() for m in scope}


def _layout(kind: TemplateKind | str, version: str) -> Layout:
    try:
        kind = TemplateKind(str(kind).upper())
    except ValueError:
        raise BadInput(
            f"{kind!r} is not an RMI template kind; the kinds are {', '.join(k.value for k in TemplateKind)}."
        ) from None
    version = str(version).strip()
    layout = layout_for(kind, version)
    if layout is not None:
        return layout
    versions = supported_versions(kind)
    # RMI's CRT 2.21 reads as 2.2 (its J3 says so): a version after a known one of the same major
    # version asks what that one asks.
    older = [
        known
        for known in versions
        if _sortable(version)
        and known.partition(".")[0] == version.partition(".")[0]
        and version_key(known) <= version_key(version)
    ]
    if older:
        return layout_for(kind, older[-1])
    raise BadInput(f"oretrace does not read the {kind} version {version!r}; it reads {', '.join(versions)}.")


def _sortable(version: str) -> bool:
    major, _, minor = version.partition(".")
    return major.isdigit() and (not minor or minor.rstrip("abcdefghijklmnopqrstuvwxyz").isdigit())
