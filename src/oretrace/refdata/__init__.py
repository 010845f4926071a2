"""Reference lists as data: RMI's facility lists, template reference lists, LBMA and RJC certifications,
and the OFAC, EU and UK sanctions lists, each with its kind, publisher, as-of day and file SHA-256."""

from oretrace.refdata.folder import FOLDER_HELP, Dropped, dropped_files, place_in_folder
from oretrace.refdata.importing import read_list
from oretrace.refdata.in_force import DEFAULT_MAX_AGE_DAYS, Age, age_of, all_in_force, in_force
from oretrace.refdata.kinds import KINDS, Family, KindInfo, ListKind, parse_declared_status, parse_kind
from oretrace.refdata.model import Entry, RefList, sha256_of

__all__ = [
    "DEFAULT_MAX_AGE_DAYS",
    "FOLDER_HELP",
    "KINDS",
    "Age",
    "Dropped",
    "Entry",
    "Family",
    "KindInfo",
    "ListKind",
    "RefList",
    "age_of",
    "all_in_force",
    "dropped_files",
    "in_force",
    "parse_declared_status",
    "parse_kind",
    "place_in_folder",
    "read_list",
    "sha256_of",
]
