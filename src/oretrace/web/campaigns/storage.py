"""Content-addressed file storage: a file lives under its SHA-256 name and is never overwritten."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_for(folder: Path, sha256: str) -> Path:
    # Two levels of fan-out keep any one folder small after years of campaigns.
    return folder / sha256[:2] / sha256


def store_bytes(folder: Path, data: bytes) -> str:
    """Write ``data`` under its hash (once) and return the hash. An existing file is left untouched."""
    digest = sha256_of(data)
    target = path_for(folder, digest)
    if target.exists():
        return digest
    private_dir(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # link() fails if another writer got there first, so a stored file is never replaced.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, target)
    finally:
        os.unlink(tmp)
    return digest


def store_path(folder: Path, source: Path) -> tuple[str, int]:
    """Keep the file at ``source`` under its hash (once), as ``store_bytes`` keeps bytes, reading it in
    chunks; return its hash and size. ``source`` must be in ``folder``'s file system; it is left as it is."""
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    target = path_for(folder, digest.hexdigest())
    private_dir(target.parent)
    with contextlib.suppress(FileExistsError):  # the same bytes are kept already
        os.link(source, target)
    return digest.hexdigest(), size


def private_dir(folder: Path) -> None:
    """Make ``folder``; each level made here is readable by its owner only (0700), like the files
    (mkstemp makes them 0600): supplier files are nobody else's business on a shared machine."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        level.mkdir(mode=0o700, exist_ok=True)
        level.chmod(0o700)


def read_bytes(folder: Path, sha256: str) -> bytes:
    return path_for(folder, sha256).read_bytes()


def upload_size_problem(size: int) -> str | None:
    """What to tell the uploader when a file is over the limit (ORETRACE_MAX_UPLOAD_BYTES), else None;
    the one size check of every upload form, in the reader's language (the portal's catalogue)."""
    limit = settings.MAX_UPLOAD_BYTES
    if size <= limit:
        return None
    return gettext("This file is %(size).1f MB; files up to %(limit)d MB are accepted.") % {
        "size": size / 1_048_576,
        "limit": limit // 1_048_576,
    }
