"""The evidence package: one ZIP an auditor can take away and check without oretrace.

It holds every supplier file exactly as received, the review findings, the follow-up threads, the
reference data the smelters were checked against (the CAHRA list included), the roll-up, the risk
register with the evidence kept for its corrective actions, the company's own CMRT and the report, with
a manifest (CSV, JSON and ``sha256sum`` format) giving the size and SHA-256 of every file.
``verify_evidence_package`` re-hashes every member against the manifest.

The same inputs give the same bytes: members are written in a fixed order with a fixed timestamp, and
the workbooks oretrace generates have their creation dates pinned, so a package rebuilt from the same
data can be compared with the one handed to the auditor.

A package holds every version of every supplier file, so it can be gigabytes: it is written member by
member, files read in chunks and hashed as they are written, and only the manifest is kept in memory.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from oretrace.errors import BadInput
from oretrace.grievances import GrievanceCase, case_register
from oretrace.refdata.screening import Decision, decisions_csv
from oretrace.rmi.serialise import plain
from oretrace.rollup.export import rollup_tables, rollup_to_dict
from oretrace.rollup.model import FindingRow, Rollup
from oretrace.survey import Figures, Survey, survey_figures
from oretrace.survey.export import figures_table, suppliers_table
from oretrace.tabular import Table, to_csv, to_xlsx

FORMAT = "oretrace evidence package 1"
MANIFEST_FILES = ("manifest.csv", "manifest.json", "SHA256SUMS")
# ZIP timestamps cannot go before 1980; a package without a creation time gets this one.
_EPOCH = dt.datetime(1980, 1, 1)

FOLDERS = {
    "survey/": (
        "The suppliers asked and what each did (suppliers.csv), the headline figures with how each is "
        "counted from it (figures.csv), the reminders and escalations sent and the requests' history."
    ),
    "suppliers/": "Every supplier file exactly as received, byte for byte; index.csv says who sent which.",
    "review/": "The review findings for every supplier file (findings.xlsx and findings.csv).",
    "follow-ups/": "The follow-up threads with suppliers: one text file per thread, and threads.json.",
    "reference-data/": (
        "The smelter reference list, audit-status lists and CAHRA list the smelters were checked against."
    ),
    "rollup/": "The consolidated roll-up: suppliers, findings, smelters per metal, unidentified names.",
    "risk/": (
        "The risk register with its corrective actions (register.xlsx and register.csv) and the evidence "
        "kept for them (evidence/)."
    ),
    "declaration/": "The company's own CMRT, as sent to customers.",
    "report/": "The Conflict Minerals Report and the Form SD draft.",
    "grievances/": (
        "The grievance mechanism's case register (register.csv): every case the reporting period saw, "
        "with its category, severity, dates and outcome, and no reporter's name, e-mail or words."
    ),
    "audit/": "The application's append-only audit log: who did what, and when.",
}


@dataclass(frozen=True)
class SupplierFile:
    name: str
    content: bytes | str | Path  # bytes, or the path of the file as received
    metadata: Mapping[str, Any] = field(default_factory=dict)  # supplier, received, request, ...


@dataclass(frozen=True)
class NamedFile:
    name: str
    content: bytes | str | Path
    description: str | None = None


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    size: int
    sha256: str
    description: str


@dataclass(frozen=True)
class EvidencePackage:
    entries: tuple[ManifestEntry, ...]  # every member but the manifests themselves

    def paths(self) -> list[str]:
        return [e.path for e in self.entries]


def build_evidence_package(
    out: str | Path | IO[bytes],
    *,
    supplier_files: Sequence[SupplierFile | tuple] = (),
    findings: Sequence[FindingRow] | None = None,
    follow_up_threads: Sequence[Mapping[str, Any]] = (),
    reference_data: Sequence[NamedFile | tuple] = (),
    rollup: Rollup | None = None,
    risk_register: Sequence[Mapping[str, Any]] | Table = (),
    risk_evidence: Sequence[NamedFile | tuple] = (),
    declaration_files: Sequence[NamedFile | tuple] = (),
    report_files: Sequence[NamedFile | tuple] = (),
    survey: Survey | None = None,
    survey_log: Sequence[Mapping[str, Any]] = (),
    request_history: Sequence[Mapping[str, Any]] = (),
    audit_log: Sequence[Mapping[str, Any]] = (),
    grievance_cases: Sequence[GrievanceCase] | None = None,
    screening_decisions: Sequence[Decision] | None = None,
    organisation: str | None = None,
    year: int | None = None,
    created: dt.datetime | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvidencePackage:
    """Write the package to ``out`` (a path or a binary stream) and return its manifest.

    ``findings`` default to the roll-up's. ``risk_evidence`` are the files kept for the register's
    actions (letters, audit reports), filed beside it under risk/evidence/. Tuples are accepted for
    files: (name, content[, metadata or description]); content is bytes or the path of a file, which
    is read in chunks. ``created`` is recorded in the README and manifest and used as every member's
    timestamp; leave it out for a package whose bytes depend on nothing but its contents. ``survey``:
    the suppliers asked, counted as of ``today`` (default: the day ``created``, else the current date),
    with ``survey_log`` (each reminder and escalation e-mail), ``request_history`` (each change of a
    request's state) and ``audit_log`` beside it. ``progress(done, total)`` is called after each
    member is written, the manifests included. ``grievance_cases``: the grievance mechanism's cases
    of the period (oretrace.grievances.cases_in_period), written as a register without personal data.
    ``screening_decisions``: the analysts' confirmed and dismissed sanctions hits (refdata.screening),
    written as risk/screening.csv.

    Members are written one at a time and only the manifest's entries are kept, so the memory a build
    takes does not grow with the package. A path given as ``out`` is written under a temporary name
    and moved into place when the package is complete: a build that fails leaves no partial file.
    """
    stamp = _stamp(created)
    plan = _Plan()
    figures = None
    if survey is not None:
        day = today or (created.date() if created else dt.date.today())
        figures = survey_figures(survey, today=day)
        plan.add(
            "survey/suppliers.csv",
            lambda: _csv_bytes(suppliers_table(survey, today=day)),
            "every supplier asked, and what it did",
        )
        plan.add(
            "survey/figures.csv",
            lambda: _csv_bytes(figures_table(figures)),
            "the headline figures and how each is counted",
        )
    for path, rows, what in (
        ("survey/reminders.csv", survey_log, "every reminder and escalation e-mail, with its dates"),
        (
            "survey/request-history.csv",
            request_history,
            "every change of a request's state, who made it and when",
        ),
        ("audit/audit-log.csv", audit_log, "the audit log"),
    ):
        if rows:
            plan.add(path, lambda rows=rows: _csv_bytes(_rows_table(rows)), what)
    supplier_paths = []
    for item in supplier_files:
        supplier = _supplier_file(item)
        path = plan.add(
            "suppliers/" + _safe_name(supplier.name),
            _source(supplier.content, supplier.name),
            "as received from the supplier",
        )
        supplier_paths.append((path, supplier))
    if supplier_paths:
        plan.add(
            "suppliers/index.csv",
            lambda: _supplier_index([(path, s, plan.written[path]) for path, s in supplier_paths]),
            "which supplier sent which file, and when",
        )
    if findings is None and rollup is not None:
        findings = rollup.findings
    if findings is not None:
        table = _findings_table(findings)
        plan.add(
            "review/findings.xlsx",
            lambda: _stable_office(to_xlsx([table]), stamp),
            "review findings per supplier file",
        )
        plan.add("review/findings.csv", lambda: _csv_bytes(table), "review findings per supplier file")
    for number, thread in enumerate(follow_up_threads, start=1):
        title = str(thread.get("subject") or thread.get("supplier") or f"thread {number}")
        plan.add(
            f"follow-ups/{number:03d}-{_slug(title)}.txt",
            lambda thread=thread: _thread_text(thread),
            f"follow-up thread: {title}",
        )
    if follow_up_threads:
        plan.add(
            "follow-ups/threads.json",
            lambda: _json_bytes(list(follow_up_threads)),
            "every follow-up thread as data",
        )
    for item in reference_data:
        named = _named_file(item)
        plan.add(
            "reference-data/" + _safe_name(named.name),
            _source(named.content, named.name),
            named.description or "",
        )
    if rollup is not None:
        plan.add(
            "rollup/rollup.xlsx",
            lambda: _stable_office(to_xlsx(rollup_tables(rollup)), stamp),
            "the consolidated roll-up",
        )
        plan.add("rollup/rollup.json", lambda: _json_bytes(rollup_to_dict(rollup)), "the roll-up as data")
    if grievance_cases is not None:
        # Written when a case register is kept, empty or not: an empty register is evidence too.
        plan.add(
            "grievances/register.csv",
            lambda: _csv_bytes(case_register(grievance_cases)),
            "the grievance cases of the period, without reporters' personal data",
        )
    if screening_decisions is not None:
        # Written when screening was done, empty or not: "no hit needed a decision" is evidence too.
        decisions = tuple(screening_decisions)
        plan.add(
            "risk/screening.csv",
            lambda: decisions_csv(decisions).encode("utf-8-sig"),  # with a BOM, as the other tables
            "sanctions screening hits confirmed or dismissed, each with its reason and the list entry",
        )
    register = _register_table(risk_register)
    if register is not None:
        plan.add("risk/register.xlsx", lambda: _stable_office(to_xlsx([register]), stamp), "risk register")
        plan.add("risk/register.csv", lambda: _csv_bytes(register), "risk register")
    for folder, items in (
        ("risk/evidence/", risk_evidence),
        ("declaration/", declaration_files),
        ("report/", report_files),
    ):
        for item in items:
            named = _named_file(item)
            plan.add(
                folder + _safe_name(named.name),
                _source(named.content, named.name),
                named.description or "",
            )

    # The README says what each folder holds, which the members' paths alone decide: it is written
    # first, as an auditor opening the ZIP expects, while the sums are gathered for the manifests.
    readme = _readme(plan.paths(), organisation, year, created, figures)
    plan.members.insert(0, _Member("README.txt", readme, "this file"))
    total = len(plan.members) + len(MANIFEST_FILES)
    with _output(out) as stream, zipfile.ZipFile(stream, "w") as archive:
        entries = []
        for member in plan.members:
            size, digest = _write_member(archive, member.path, member.content(), stamp)
            entry = ManifestEntry(member.path, size, digest, member.description)
            plan.written[member.path] = entry
            entries.append(entry)
            if progress is not None:
                progress(len(entries), total)
        manifests = {
            "manifest.csv": _manifest_csv(entries),
            "manifest.json": _manifest_json(entries, organisation, year, created),
            "SHA256SUMS": "".join(f"{e.sha256}  {e.path}\n" for e in entries).encode("utf-8"),
        }
        for done, (path, data) in enumerate(manifests.items(), start=len(entries) + 1):
            _write_member(archive, path, data, stamp)
            if progress is not None:
                progress(done, total)
    return EvidencePackage(tuple(entries))


def verify_evidence_package(source: str | Path | bytes | IO[bytes]) -> list[str]:
    """Every way the package differs from its manifest; an empty list when every file checks out."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError) as error:
        return [f"not a readable ZIP file: {error}"]
    with archive:
        names = set(archive.namelist())
        if "manifest.json" not in names:
            return ["manifest.json is missing, so nothing can be verified"]
        try:
            manifest = json.loads(archive.read("manifest.json"))
            listed = {f["path"]: f for f in manifest["files"]}
        except (ValueError, KeyError, TypeError) as error:
            return [f"manifest.json cannot be read: {error}"]
        problems = []
        for path, entry in listed.items():
            if path not in names:
                problems.append(f"{path}: listed in the manifest but missing from the package")
                continue
            try:
                size, digest = _hash_member(archive, path)
            except (zipfile.BadZipFile, OSError) as error:  # a damaged member fails its CRC check
                problems.append(f"{path}: cannot be read ({error})")
                continue
            if size != entry.get("size"):
                problems.append(f"{path}: {size} bytes, the manifest says {entry.get('size')}")
            if digest != entry.get("sha256"):
                problems.append(
                    f"{path}: SHA-256 {digest} does not match the manifest's {entry.get('sha256')}"
                )
        for path in sorted(names - set(listed) - set(MANIFEST_FILES)):
            problems.append(f"{path}: in the package but not in the manifest")
        if "manifest.csv" in names:
            rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8"))))
            in_csv = {row["path"]: (int(row["size"]), row["sha256"]) for row in rows}
            if in_csv != {p: (e.get("size"), e.get("sha256")) for p, e in listed.items()}:
                problems.append("manifest.csv and manifest.json do not list the same files and sums")
        else:
            problems.append("manifest.csv is missing")
        return problems


def _hash_member(archive: zipfile.ZipFile, path: str) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with archive.open(path) as member:
        while chunk := member.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


# --- members -----------------------------------------------------------------------------------


def _supplier_file(item: SupplierFile | tuple) -> SupplierFile:
    if isinstance(item, SupplierFile):
        return item
    if isinstance(item, tuple) and len(item) in (2, 3):
        return SupplierFile(item[0], item[1], item[2] if len(item) == 3 and item[2] else {})
    raise BadInput(f"A supplier file is (name, bytes or path[, metadata]), not {item!r}")


def _named_file(item: NamedFile | tuple) -> NamedFile:
    if isinstance(item, NamedFile):
        return item
    if isinstance(item, tuple) and len(item) in (2, 3):
        return NamedFile(item[0], item[1], item[2] if len(item) == 3 else None)
    raise BadInput(f"A file is (name, bytes or path[, description]), not {item!r}")


@dataclass(frozen=True)
class _File:
    """A member's content on disk, read in chunks when it is written."""

    path: Path
    name: str  # as the caller named it, for the message when it cannot be read


@dataclass
class _Member:
    path: str
    source: bytes | _File | Callable[[], bytes]
    description: str

    def content(self) -> bytes | _File:
        return self.source() if callable(self.source) else self.source


class _Plan:
    """The members in the order they are written, each with a unique path; the contents of the members
    oretrace writes are made only when their turn comes, so no two of them are in memory at once."""

    def __init__(self) -> None:
        self.members: list[_Member] = []
        self.taken: set[str] = set()
        self.written: dict[str, ManifestEntry] = {}

    def add(self, path: str, source: bytes | _File | Callable[[], bytes], description: str) -> str:
        path = _unique(path, self.taken)
        self.taken.add(path)
        self.members.append(_Member(path, source, description))
        return path

    def paths(self) -> list[str]:
        return [m.path for m in self.members]


def _source(content: bytes | str | Path, name: str) -> bytes | _File:
    """Bytes as they are; a path checked now, so a missing file stops the build before it starts."""
    if isinstance(content, bytes):
        return content
    path = Path(content)
    try:
        if not path.is_file():
            raise FileNotFoundError(2, "No such file")
        with path.open("rb"):
            pass
    except OSError as error:
        raise _unreadable(name, error) from None
    return _File(path, name)


def _unreadable(name: str, error: OSError) -> BadInput:
    return BadInput(f"{name}: cannot be read for the evidence package ({error.strerror or error})")


def _safe_name(name: str) -> str:
    """A file name that stays inside its folder when unpacked: no directories, no control characters."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    return name or "unnamed"


def _unique(path: str, taken: Collection[str]) -> str:
    if path not in taken:
        return path
    stem, dot, suffix = path.rpartition(".")
    if not dot or "/" in suffix:
        stem, suffix = path, ""
    number = 2
    while True:
        candidate = f"{stem} ({number})" + (f".{suffix}" if suffix else "")
        if candidate not in taken:
            return candidate
        number += 1


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")[:60] or "thread"


def _supplier_index(rows: list[tuple[str, SupplierFile, ManifestEntry]]) -> bytes:
    keys = list(dict.fromkeys(k for _, supplier, _ in rows for k in supplier.metadata))
    table = Table(
        "Supplier files",
        ["File in package", "Name as received", "Size", "SHA-256", *keys],
        [
            [path, supplier.name, entry.size, entry.sha256] + [plain(supplier.metadata.get(k)) for k in keys]
            for path, supplier, entry in rows
        ],
    )
    return _csv_bytes(table)


def _findings_table(findings: Sequence[FindingRow]) -> Table:
    # The roll-up's own Findings sheet, so the package and `oretrace rollup` show the same columns.
    holder = Rollup(
        generated_at=_EPOCH,
        reference_release=None,
        status_lists=(),
        suppliers=(),
        findings=tuple(findings),
        smelters=(),
        unidentified=(),
    )
    return next(t for t in rollup_tables(holder) if t.name == "Findings")


def _register_table(register: Sequence[Mapping[str, Any]] | Table) -> Table | None:
    if isinstance(register, Table):
        return register
    if not register:
        return None
    return _rows_table(register, "Risk register")


def _rows_table(rows: Sequence[Mapping[str, Any]], name: str = "Rows") -> Table:
    headers = list(dict.fromkeys(k for row in rows for k in row))
    return Table(name, headers, [[plain(row.get(h)) for h in headers] for row in rows])


def _thread_text(thread: Mapping[str, Any]) -> bytes:
    lines = []
    for key, value in thread.items():
        if key != "messages":
            lines.append(f"{_label(key)}: {_text(value)}")
    for number, message in enumerate(thread.get("messages") or (), start=1):
        lines += ["", f"--- Message {number} " + "-" * 50]
        body = None
        for key, value in message.items():
            if key == "body":
                body = value
            else:
                lines.append(f"{_label(key)}: {_text(value)}")
        if body:
            lines += ["", str(body).rstrip()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _label(key: str) -> str:
    return str(key).replace("_", " ").capitalize()


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, bytes):
        return f"({len(value)} bytes)"
    converted = plain(value)
    return "" if converted is None else str(converted)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return {"bytes": len(value), "sha256": hashlib.sha256(value).hexdigest()}
    converted = plain(value)
    return converted if isinstance(converted, str | int | float | bool | type(None)) else str(converted)


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(_jsonable(value), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _csv_bytes(table: Table) -> bytes:
    return to_csv(table).encode("utf-8-sig")  # with a BOM, so Excel reads UTF-8


# --- manifest and README ------------------------------------------------------------------------


def _manifest_csv(entries: Iterable[ManifestEntry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "size", "sha256", "description"])
    for e in entries:
        writer.writerow([e.path, e.size, e.sha256, e.description])
    return out.getvalue().encode("utf-8")


def _manifest_json(
    entries: Iterable[ManifestEntry], organisation: str | None, year: int | None, created: dt.datetime | None
) -> bytes:
    document = {
        "format": FORMAT,
        "organisation": organisation,
        "reporting_year": year,
        "created": created.isoformat() if created else None,
        "algorithm": "sha256",
        "files": [
            {"path": e.path, "size": e.size, "sha256": e.sha256, "description": e.description}
            for e in entries
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _readme(
    paths: Sequence[str],
    organisation: str | None,
    year: int | None,
    created: dt.datetime | None,
    figures: Figures | None = None,
) -> bytes:
    title = "Responsible minerals due diligence: evidence package"
    lines = [title, "=" * len(title), ""]
    if organisation:
        lines.append(f"Organisation:   {organisation}")
    if year:
        lines.append(f"Reporting year: {year}")
    if created:
        lines.append(f"Created:        {created.isoformat(sep=' ')}")
    lines += ["Produced by oretrace.", "", "Contents", "--------"]
    present = {f for f in FOLDERS if any(p.startswith(f) for p in paths)}
    for folder, text in FOLDERS.items():
        if folder in present:
            count = sum(1 for p in paths if p.startswith(folder))
            lines.append(f"{folder:<16}{text} ({count} file{'s' if count != 1 else ''})")
    lines += [
        "",
        "Checking the files",
        "------------------",
        "manifest.csv and manifest.json list every file in this package (this README included) with its",
        "size in bytes and its SHA-256 checksum. SHA256SUMS holds the same sums in the format of the",
        "sha256sum tool: after unpacking, run",
        "",
        "    sha256sum -c SHA256SUMS",
        "",
        "in the unpacked folder; every line should end in OK. The supplier files are the bytes each",
        "supplier sent, so their checksums also match the copies kept by the supplier and in oretrace.",
        "",
    ]
    if figures is not None:
        lines += _counting_section(figures)
    return "\n".join(lines).encode("utf-8")


def _counting_section(figures: Figures) -> list[str]:
    """How each headline figure of the report is counted from survey/suppliers.csv."""
    lines = [
        "How the report's figures are counted",
        "------------------------------------",
        "Each figure the report gives about the survey is a count over survey/suppliers.csv, one row per",
        "supplier in scope; survey/figures.csv gives the same list with each figure's definition.",
        "",
    ]
    for row in figures_table(figures).rows:
        _key, label, value, _definition, rule = row
        lines.append(f"{label}: {value}")
        lines.append(f"    = {rule}")
    return [*lines, ""]


# --- writing ------------------------------------------------------------------------------------


def _stamp(created: dt.datetime | None) -> tuple[int, int, int, int, int, int]:
    when = created.replace(tzinfo=None) if created else _EPOCH
    when = max(when, _EPOCH)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second // 2 * 2)


# Files on disk are read and written a chunk at a time (256 KiB): the build's memory does not depend on
# the files' sizes, and the reads are still few.
CHUNK = 1 << 18


@contextlib.contextmanager
def _output(out: str | Path | IO[bytes]) -> Iterator[IO[bytes]]:
    """The stream to write the ZIP to. For a path: a temporary file beside it, moved onto the path once
    the ZIP is complete and removed if the build fails, so the path never holds half a package."""
    if not isinstance(out, str | Path):
        yield out
        return
    target = Path(out)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.partial")
    # O_EXCL: a name of our own; mode 0o666 less the umask, as the file written directly would have.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _zip_info(path: str, stamp: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    # ZipFile.writestr(info, data, compresslevel=9) sets this too; Python 3.13 names it compress_level.
    if hasattr(info, "compress_level"):
        info.compress_level = 9
    else:
        info._compresslevel = 9
    info.create_system = 3  # Unix, so the permission bits below mean the same everywhere
    info.external_attr = 0o644 << 16
    return info


def _write_member(
    archive: zipfile.ZipFile, path: str, content: bytes | _File, stamp: tuple
) -> tuple[int, str]:
    """Write one member and return its size and SHA-256, hashed as it is written."""
    info = _zip_info(path, stamp)
    if isinstance(content, bytes):
        # The size known before writing, as writestr does: the same headers, the same bytes.
        info.file_size = len(content)
        with archive.open(info, "w") as member:
            member.write(content)
        return len(content), hashlib.sha256(content).hexdigest()
    digest, size = hashlib.sha256(), 0
    try:
        with content.path.open("rb") as source:
            # The size as of now decides whether the member needs ZIP64 headers (over 4 GiB).
            info.file_size = os.fstat(source.fileno()).st_size
            with archive.open(info, "w") as member:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    member.write(chunk)
                    size += len(chunk)
    except OSError as error:
        raise _unreadable(content.name, error) from None
    return size, digest.hexdigest()


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _stable_office(data: bytes, stamp: tuple) -> bytes:
    """An XLSX written by oretrace with its dates pinned: openpyxl stamps the save time into
    docProps/core.xml and into every ZIP entry, which would make identical data differ byte for byte."""
    when = dt.datetime(*stamp).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + when + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            archive.writestr(fixed, content)
    return buffer.getvalue()
