"""Files of the data directory: private (directories 0700, files 0600), and written so that a
crash never leaves half of one (temporary file, fsync, rename)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path


def write_atomic(
    path: Path, data: bytes | str, *, mode: int | None = None, make_parents: bool = False
) -> None:
    """Replace ``path`` with ``data``: readers see the old file or the new one, never a mix; on
    failure no temporary file is left behind. ``mode`` (e.g. 0o600) is set before any byte is
    written; missing parent directories are created only with ``make_parents``."""
    payload = data.encode() if isinstance(data, str) else data
    if make_parents and not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename durable; filesystems that cannot open directories are fine."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)


def fsync_tree(directory: Path) -> None:
    """fsync every file of ``directory``, then the directory itself."""
    for path in directory.iterdir():
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    fsync_directory(directory)


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner can enter (created if missing, tightened if not)."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    with contextlib.suppress(PermissionError):
        path.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """``path`` as a file only its owner can read (created empty if missing)."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    with contextlib.suppress(PermissionError):
        path.chmod(PRIVATE_FILE)
    return path


def open_sqlite(path: Path, timeout: float = 60) -> sqlite3.Connection:
    """A connection to a private SQLite file (its -wal and -shm files inherit its mode), in WAL
    mode with normal synchronisation, committing only what a transaction says."""
    # Only create the file by hand: opening and closing a descriptor on a database this process
    # already has open would drop every POSIX lock SQLite holds on it (fcntl locks belong to the
    # process), and another connection would read a half-written page (SQLITE_IOERR_SHORT_READ).
    if path.exists():
        with contextlib.suppress(PermissionError):
            path.chmod(PRIVATE_FILE)
    else:
        private_file(path)
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db
