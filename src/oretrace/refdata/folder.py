"""The import folder: lists dropped in a folder, each declaring its kind, imported once each.

A file declares what it is in one of two ways (the sidecar wins):

- a sidecar file beside it, named like it with ".json" added (``sdn.xml.json``), holding
  ``{"kind": "ofac-sdn", "status": "Conformant", "as_of": "2026-01-15"}`` ("status" and "as_of"
  are optional);
- its name: it starts with the kind (``ofac-sdn``, ``rmi-conformant``, …) and may hold the day
  as YYYY-MM-DD anywhere (``rmi-conformant_2026-01-15.csv``, ``eu-sanctions.xml``).

A file is imported once: the caller knows the SHA-256 of every file imported before and passes them
in. Partial downloads, hidden files and the sidecars themselves are not lists.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from oretrace.errors import BadInput
from oretrace.refdata.kinds import ListKind, parse_declared_status, parse_kind
from oretrace.refdata.model import RefList, sha256_of
from oretrace.refdata.source import MAX_LIST_BYTES
from oretrace.smelters.status import AuditStatus

SIDECAR_SUFFIX = ".json"
_NOT_LISTS = (".part", ".tmp", ".crdownload", ".partial", SIDECAR_SUFFIX)
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")

FOLDER_HELP = (
    "Each file declares its kind by a sidecar FILE.json beside it "
    '({"kind": "ofac-sdn", "status": "Conformant", "as_of": "2026-01-15"}; status and as_of optional) '
    "or by its name, which starts with the kind and may hold the day as YYYY-MM-DD "
    "(rmi-conformant_2026-01-15.csv). Kinds: " + ", ".join(k.value for k in ListKind) + "."
)


@dataclass(frozen=True)
class Dropped:
    """A file in the folder and what it declares; ``problem`` says why it cannot be imported."""

    path: Path
    sha256: str | None = None
    kind: ListKind | None = None
    status: AuditStatus | None = None
    as_of: dt.date | None = None
    problem: str | None = None


def dropped_files(folder: Path, imported: set[str] | frozenset[str] = frozenset()) -> list[Dropped]:
    """The files in ``folder`` not imported yet (by SHA-256), with their declarations, in name order."""
    if not folder.is_dir():
        raise BadInput(f"{folder} is not a folder.")
    found = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.name.endswith(_NOT_LISTS):
            continue
        if path.stat().st_size > MAX_LIST_BYTES:
            found.append(Dropped(path, problem=f"larger than {MAX_LIST_BYTES // 1_048_576} MB"))
            continue
        digest = sha256_of(path.read_bytes())
        if digest in imported:
            continue
        found.append(_declared(path, digest))
    return found


def _declared(path: Path, digest: str) -> Dropped:
    try:
        sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        if sidecar.is_file():
            return _from_sidecar(path, digest, sidecar)
        return _from_name(path, digest)
    except BadInput as error:
        return Dropped(path, digest, problem=error.message)


def _from_sidecar(path: Path, digest: str, sidecar: Path) -> Dropped:
    try:
        declared = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput(f"{sidecar.name} is not JSON ({exc}).") from None
    if not isinstance(declared, dict) or not declared.get("kind"):
        raise BadInput(f'{sidecar.name} does not say the kind ({{"kind": "ofac-sdn"}}).')
    return Dropped(
        path,
        digest,
        kind=parse_kind(str(declared["kind"])),
        status=parse_declared_status(declared.get("status")),
        as_of=_day(declared.get("as_of"), sidecar.name),
    )


def _from_name(path: Path, digest: str) -> Dropped:
    name = path.name.lower()
    # Longest first: "rmi-eligible" must not be read as a shorter kind it starts with.
    kind = next((k for k in sorted(ListKind, key=lambda k: -len(k.value)) if name.startswith(k.value)), None)
    if kind is None:
        raise BadInput(
            f"Neither a sidecar {path.name}{SIDECAR_SUFFIX} nor the file's name says which list it is."
        )
    day = _DAY.search(name)
    return Dropped(path, digest, kind=kind, as_of=_day(day.group(1) if day else None, path.name))


def _day(value: object, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(f'{where}: "{value}" is not a day written YYYY-MM-DD.') from None


def place_in_folder(folder: Path, data: bytes, listed: RefList) -> Path:
    """Put a list that was read successfully into the import folder, with a sidecar declaring it.

    The sidecar is written before the list, and each is written under a temporary name and renamed,
    so a worker scanning the folder never sees a half-written file or a list without its declaration.
    The file is named after its kind, day and SHA-256, so the same file placed twice is one file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(listed.filename).suffix.lower() or ".dat"
    target = folder / f"{listed.kind.value}_{listed.as_of:%Y-%m-%d}_{listed.sha256[:12]}{suffix}"
    declared = {"kind": listed.kind.value, "as_of": listed.as_of.isoformat(), "source": listed.filename}
    if listed.declared_status is not None:
        declared["status"] = listed.declared_status.value
    _write_atomically(target.with_name(target.name + SIDECAR_SUFFIX), json.dumps(declared, indent=2).encode())
    _write_atomically(target, data)
    return target


def _write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
