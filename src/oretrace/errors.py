"""The one exception a user can see, with a stable code and a plain message.

Every code maps to a command-line exit status, so scripts can tell one failure from another.
"""

from __future__ import annotations


class OretraceError(Exception):
    """A problem with the user's input, explained in words a compliance analyst understands.

    ``message`` is for the analyst ("Ask the supplier for the completed template"); ``for_supplier``
    says what the supplier who uploaded the file can do, for the portal (which translates it).
    """

    code = "error"
    exit_status = 1
    for_supplier = "This file cannot be read. Please upload the completed template as an Excel file (.xlsx)."

    def __init__(self, message: str, *, file: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "file": self.file}


class NotASpreadsheet(OretraceError):
    code = "not-a-spreadsheet"
    exit_status = 10
    for_supplier = (
        "This file is not an Excel workbook. Please upload the completed template as an Excel file (.xlsx)."
    )


class NotATemplate(OretraceError):
    code = "not-an-rmi-template"
    exit_status = 11
    for_supplier = (
        "This file is not an RMI reporting template. Please fill in the template from RMI's website (or the "
        "blank template on this page) without changing its layout, and upload it."
    )


class UnsupportedVersion(OretraceError):
    code = "unsupported-version"
    exit_status = 12
    for_supplier = (
        "This version of the template cannot be read. Please copy your answers into the current template "
        "from RMI's website and upload that."
    )


class WrongPassword(OretraceError):
    code = "wrong-password"
    exit_status = 13
    for_supplier = (
        "This file is protected by a password. Please save it without a password and upload it again."
    )


class CorruptFile(OretraceError):
    code = "corrupt-file"
    exit_status = 14
    for_supplier = (
        "This file cannot be opened; it may be damaged. Please save it again from Excel and upload it."
    )


class FileTooLarge(OretraceError):
    code = "file-too-large"
    exit_status = 15
    for_supplier = (
        "This file is too large. Please upload the completed template without added sheets or pictures."
    )


class ArchiveBomb(OretraceError):
    code = "archive-too-large-when-unpacked"
    exit_status = 16
    for_supplier = (
        "This file holds far more data than a template does and was not opened. Please save the completed "
        "template again from Excel and upload it."
    )


class KeyDerivationTooCostly(OretraceError):
    """An encrypted workbook asking for more rounds of password hashing than Excel writes (a CPU trap)."""

    code = "key-derivation-too-costly"
    exit_status = 18
    for_supplier = (
        "This file is protected by a password. Please save it without a password and upload it again."
    )


class BadInput(OretraceError):
    """A value or a non-template file (a reference list, a settings file) that cannot be used."""

    code = "bad-input"
    exit_status = 17


ALL_ERRORS = (
    NotASpreadsheet,
    NotATemplate,
    UnsupportedVersion,
    WrongPassword,
    CorruptFile,
    FileTooLarge,
    ArchiveBomb,
    BadInput,
    KeyDerivationTooCostly,
)


def exit_status_for(code: str | None) -> int:
    """The command-line exit status of an error code (1 for a code no class claims)."""
    return next((error.exit_status for error in ALL_ERRORS if error.code == code), 1)


def short_reason(exc: BaseException) -> str:
    """The first line of a library's exception, for "cannot be read (…)" in a message."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message[:160]
