"""The organisation's own CMRT, EMRT, CRT or AMRT: derived from a campaign's roll-up, confirmed or changed
by the analyst, and written into the blank template the user imported (rmi.writer)."""

from oretrace.declaration.derive import (
    Derivation,
    DerivedAnswer,
    apply_overrides,
    derive_declaration,
    response_rate_choice,
    subset_rollup,
)
from oretrace.declaration.settings import CompanyBlock, DeclarationSettings, ProductScope

__all__ = [
    "CompanyBlock",
    "DeclarationSettings",
    "Derivation",
    "DerivedAnswer",
    "ProductScope",
    "apply_overrides",
    "derive_declaration",
    "response_rate_choice",
    "subset_rollup",
]
