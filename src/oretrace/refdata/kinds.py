"""The kinds of reference list oretrace reads, who publishes each, and what a list of that kind says.

A file rarely says what it is: RMI's Conformant and Active pages saved as CSV have the same columns
and no status column, and an LBMA or RJC export is a plain table of names. So the kind (and for an
RMI page, the status) is declared by whoever imports the file, and this module says what each kind
means once for the CLI, the web and the import folder alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from oretrace.errors import BadInput
from oretrace.smelters.status import AuditStatus, parse_status


class Family(StrEnum):
    AUDIT_STATUS = "audit_status"  # RMAP statuses of facilities, by CID
    REFERENCE = "reference"  # the facilities a template release knows
    CERTIFICATION = "certification"  # refiners another standard certifies (cross-recognised by RMI)
    SANCTIONS = "sanctions"  # persons and entities under financial sanctions


class ListKind(StrEnum):
    RMI_CONFORMANT = "rmi-conformant"
    RMI_ACTIVE = "rmi-active"
    RMI_ELIGIBLE = "rmi-eligible"
    RMI_SUSPENDED = "rmi-suspended"
    TEMPLATE_REFERENCE = "template-reference"
    LBMA_GOLD = "lbma-gold"
    LBMA_SILVER = "lbma-silver"
    RJC_MEMBERS = "rjc-members"
    OFAC_SDN = "ofac-sdn"
    EU_SANCTIONS = "eu-sanctions"
    UK_SANCTIONS = "uk-sanctions"

    @property
    def about(self) -> KindInfo:
        return KINDS[self]

    @property
    def label(self) -> str:
        return KINDS[self].label

    @property
    def family(self) -> Family:
        return KINDS[self].family


@dataclass(frozen=True)
class KindInfo:
    label: str
    publisher: str
    family: Family
    formats: str  # what the publisher offers, in words for --help and the upload page
    # The status every facility on the list holds when the file has no status column: RMI's
    # Conformant and Active pages list one status each and do not repeat it in a column.
    implied_status: AuditStatus | None = None


KINDS: dict[ListKind, KindInfo] = {
    ListKind.RMI_CONFORMANT: KindInfo(
        "RMI Conformant smelters and refiners",
        "Responsible Minerals Initiative",
        Family.AUDIT_STATUS,
        "CSV or XLSX saved from RMI's Conformant page",
        AuditStatus.CONFORMANT,
    ),
    ListKind.RMI_ACTIVE: KindInfo(
        "RMI Active smelters and refiners",
        "Responsible Minerals Initiative",
        Family.AUDIT_STATUS,
        "CSV or XLSX saved from RMI's Active page",
        AuditStatus.ACTIVE,
    ),
    ListKind.RMI_ELIGIBLE: KindInfo(
        "RMI facility export (every eligible facility, with its assessment status)",
        "Responsible Minerals Initiative",
        Family.AUDIT_STATUS,
        "CSV or XLSX facility export; the status is read from its status column, or declared",
    ),
    # RMI announces a suspension in a notice naming the facilities, before its next list leaves them
    # out; the notice is read like a page of one status: every facility it names is suspended from
    # its day on.
    ListKind.RMI_SUSPENDED: KindInfo(
        "RMI notice of suspended facilities",
        "Responsible Minerals Initiative",
        Family.AUDIT_STATUS,
        "CSV or XLSX of the facilities a notice suspends (facility ID, name), as of the notice's day",
        AuditStatus.SUSPENDED,
    ),
    ListKind.TEMPLATE_REFERENCE: KindInfo(
        "Smelter reference list of an RMI template",
        "Responsible Minerals Initiative",
        Family.REFERENCE,
        "a blank CMRT, EMRT, CRT or AMRT (XLSX); its Smelter Look-up sheet",
    ),
    ListKind.LBMA_GOLD: KindInfo(
        "LBMA Good Delivery List (gold)",
        "London Bullion Market Association",
        Family.CERTIFICATION,
        "CSV or XLSX of the Good Delivery refiners",
    ),
    ListKind.LBMA_SILVER: KindInfo(
        "LBMA Good Delivery List (silver)",
        "London Bullion Market Association",
        Family.CERTIFICATION,
        "CSV or XLSX of the Good Delivery refiners",
    ),
    ListKind.RJC_MEMBERS: KindInfo(
        "RJC certified members",
        "Responsible Jewellery Council",
        Family.CERTIFICATION,
        "CSV or XLSX of the certified members",
    ),
    ListKind.OFAC_SDN: KindInfo(
        "OFAC Specially Designated Nationals (SDN) list",
        "U.S. Treasury, Office of Foreign Assets Control",
        Family.SANCTIONS,
        "sdn.xml, or sdn.csv as OFAC publishes them",
    ),
    ListKind.EU_SANCTIONS: KindInfo(
        "EU consolidated financial sanctions list",
        "European Commission (FISMA)",
        Family.SANCTIONS,
        "the Financial Sanctions Files XML (xmlFullSanctionsList_1_1)",
    ),
    ListKind.UK_SANCTIONS: KindInfo(
        "UK sanctions list",
        "UK government (FCDO; OFSI's consolidated list)",
        Family.SANCTIONS,
        "UK_Sanctions_List.xml or .csv (FCDO), or OFSI's ConList.csv / .xml",
    ),
}


def parse_kind(value: str) -> ListKind:
    """The kind a user typed ("ofac-sdn", "OFAC_SDN"); BadInput names the kinds when it is none."""
    key = value.strip().lower().replace("_", "-")
    try:
        return ListKind(key)
    except ValueError:
        raise BadInput(
            f'"{value}" is not a kind of reference list. Kinds: {", ".join(k.value for k in ListKind)}.'
        ) from None


def parse_declared_status(value: str | None) -> AuditStatus | None:
    """The status a user declared for a list ("Conformant"); None when none was declared."""
    if value is None or not value.strip():
        return None
    status = parse_status(value)
    if status is None:
        raise BadInput(
            f'"{value}" is not an audit status. Statuses: {", ".join(s.value for s in AuditStatus)}.'
        )
    return status
