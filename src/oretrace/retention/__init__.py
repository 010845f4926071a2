"""Records retention: how long each kind of due-diligence record is kept, under which regulation."""

from oretrace.retention.periods import (
    DEFAULT_KIND_YEARS,
    DEFAULT_REGIME_YEARS,
    LONGEST_YEARS,
    RecordKind,
    Regime,
    RetentionPolicy,
    records_date,
    regimes_for,
)

__all__ = [
    "DEFAULT_KIND_YEARS",
    "DEFAULT_REGIME_YEARS",
    "LONGEST_YEARS",
    "RecordKind",
    "Regime",
    "RetentionPolicy",
    "records_date",
    "regimes_for",
]
