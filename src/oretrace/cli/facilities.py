"""``--facilities FILE`` of ``review``, ``rollup`` and ``report``: facilities RMI does not list, from a CSV.

The same facilities an analyst adds on the web app's reference page (smelters.unlisted), for an analyst
with no server: a graphite row of an EMRT 2.1 can only be identified against one of them.
"""

from __future__ import annotations

from pathlib import Path

# Written out rather than built from smelters.unlisted.FACILITY_COLUMNS so that --help does not load
# the core; tests/test_cli_facilities.py checks that it names every column.
FACILITIES_HELP = (
    "A CSV (or XLSX) of facilities RMI does not list, matched by ID and name like RMI's own and marked "
    "'not RMI-listed' in every table. Columns: name, mineral, country, source (required); id and "
    "programme (another programme's ID and whose it is, e.g. LBMA; blank id: an oretrace-local ID "
    "OT-LOCAL-000001 is given); source url; aliases (separated by ;)."
)


def with_unlisted(reference, path: Path | None):
    """The reference list with the file's facilities added; the list itself when no file was given.
    Raises BadInput naming every bad row."""
    if path is None:
        return reference
    from oretrace.smelters.unlisted import read_unlisted_facilities

    return reference.with_facilities(read_unlisted_facilities(path))
