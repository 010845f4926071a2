"""Smelter reference data, audit-status lists, and identifying the facility each Smelter List row means."""

from oretrace.smelters.identify import (
    CONFIDENT_CANDIDATE,
    Candidate,
    Exclusion,
    Identification,
    Identifier,
    Method,
    identify_smelters,
)
from oretrace.smelters.legacy import (
    LegacyReferences,
    V2Table,
    V2Translation,
    read_smelter_references,
    read_v2_translation,
)
from oretrace.smelters.reference import (
    Facility,
    ListChanges,
    ReferenceList,
    compare_lists,
    reference_from_lookup,
    reference_from_template,
)
from oretrace.smelters.status import (
    AuditStatus,
    StatusGroup,
    StatusHistory,
    StatusList,
    StatusRecord,
    parse_status,
    read_status_list,
    status_group,
    status_history,
)

__all__ = [
    "CONFIDENT_CANDIDATE",
    "AuditStatus",
    "Candidate",
    "Exclusion",
    "Facility",
    "Identification",
    "Identifier",
    "LegacyReferences",
    "ListChanges",
    "Method",
    "ReferenceList",
    "StatusGroup",
    "StatusHistory",
    "StatusList",
    "StatusRecord",
    "V2Table",
    "V2Translation",
    "compare_lists",
    "identify_smelters",
    "parse_status",
    "read_smelter_references",
    "read_status_list",
    "read_v2_translation",
    "reference_from_lookup",
    "reference_from_template",
    "status_group",
    "status_history",
]
