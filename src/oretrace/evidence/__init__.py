"""The evidence package for auditors: every file the inquiry rests on, with a verifiable manifest."""

from oretrace.evidence.package import (
    EvidencePackage,
    ManifestEntry,
    NamedFile,
    SupplierFile,
    build_evidence_package,
    verify_evidence_package,
)

__all__ = [
    "EvidencePackage",
    "ManifestEntry",
    "NamedFile",
    "SupplierFile",
    "build_evidence_package",
    "verify_evidence_package",
]
