"""Attachment bytes on disk, outside the database.

Each distinct content is one file at `ab/abcdef…` (its SHA-256 in hex, fanned out by the first two
characters) under XINFANG_ATTACHMENT_DIR. An upload is streamed into `.incoming/` on the same file
system while it is hashed, then renamed into place: a reader never sees half a file, and the same
content uploaded twice is kept once.
"""

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)
CHUNK = 64 * 1024


class TooLarge(Exception):
    """The upload turned out larger than allowed while it was being read."""

    def __init__(self, size: int):
        self.size = size
        super().__init__(size)


class StoredFileDamaged(Exception):
    """The stored file is missing or its content no longer matches the recorded checksum."""


@dataclass
class Incoming:
    """An upload written to a temporary file and hashed, not yet in place."""

    temp: Path
    sha256: str
    size: int

    def discard(self) -> None:
        self.temp.unlink(missing_ok=True)


def root() -> Path:
    return Path(settings.XINFANG_ATTACHMENT_DIR)


def relative_path(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


def absolute(relative: str) -> Path:
    """The file for a stored relative path; never anywhere but under the storage root."""
    base = root().resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        raise StoredFileDamaged(f"存储路径不在附件目录之内：{relative}")
    return path


def receive(upload, *, max_bytes: int) -> Incoming:
    """Stream an upload to a temporary file, hashing as it goes; stops past `max_bytes`."""
    incoming = root() / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(dir=incoming, prefix="upload-")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(size)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Incoming(temp=temp, sha256=digest.hexdigest(), size=size)


def place(incoming: Incoming) -> tuple[str, bool]:
    """Move a received file to its content address. Returns the relative path and whether this call
    created the file (False when the same content was already stored)."""
    relative = relative_path(incoming.sha256)
    target = absolute(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.exists() and file_sha256(target) == incoming.sha256:
            incoming.discard()
            return relative, False
    except OSError:
        pass
    os.chmod(incoming.temp, 0o440)
    # A damaged copy at the address (should one exist) is replaced by the good one.
    os.replace(incoming.temp, target)
    return relative, True


def remove(relative: str) -> None:
    try:
        absolute(relative).unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove attachment file %s", relative, exc_info=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def open_verified(relative: str, sha256: str):
    """The stored file, opened for reading, after its content was checked against `sha256`."""
    path = absolute(relative)
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        raise StoredFileDamaged("存储的文件已不存在") from None
    digest = hashlib.sha256()
    while chunk := f.read(CHUNK):
        digest.update(chunk)
    if digest.hexdigest() != sha256:
        f.close()
        raise StoredFileDamaged("存储的文件内容与上传时的校验值不符")
    f.seek(0)
    return f
