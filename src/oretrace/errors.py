"""The one exception a user can see, with a stable code and a plain message.

Every code maps to a command-line exit status, so scripts can tell one failure from another.
"""

from __future__ import annotations


class OretraceError(Exception):
    """A problem with the user's input, explained in words a compliance analyst understands."""

    code = "error"
    exit_status = 1

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


class NotATemplate(OretraceError):
    code = "not-an-rmi-template"
    exit_status = 11


class UnsupportedVersion(OretraceError):
    code = "unsupported-version"
    exit_status = 12


class WrongPassword(OretraceError):
    code = "wrong-password"
    exit_status = 13


class CorruptFile(OretraceError):
    code = "corrupt-file"
    exit_status = 14


class FileTooLarge(OretraceError):
    code = "file-too-large"
    exit_status = 15


class ArchiveBomb(OretraceError):
    code = "archive-too-large-when-unpacked"
    exit_status = 16


class KeyDerivationTooCostly(OretraceError):
    """An encrypted workbook asking for more rounds of password hashing than Excel writes (a CPU trap)."""

    code = "key-derivation-too-costly"
    exit_status = 18


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
