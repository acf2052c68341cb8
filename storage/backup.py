"""A consistent copy of the database while the bot keeps writing to it.

Copying ``segbot.db`` with ``cp`` while the bot runs can lose the transactions still in the
write-ahead log (``segbot.db-wal``) or catch a page half-written. SQLite's online backup API
copies the database as one consistent snapshot, WAL included, and the copy is checked with
``PRAGMA integrity_check`` before it is called good.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from storage.records import StoreError

logger = logging.getLogger(__name__)

#: Pages copied per step; between steps the bot's writers may run.
BACKUP_PAGES_PER_STEP = 4096


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote.

    Attributes:
        path: The backup file.
        size_bytes: Its size.
        uploads: Uploads (datasets) it holds, over every chat.
    """

    path: Path
    size_bytes: int
    uploads: int


def backup_database(source: str | Path, dest: str | Path) -> BackupReport:
    """Copy the database at ``source`` to ``dest`` safely while it may be in use.

    The copy is written beside ``dest`` under a temporary name, checked, then renamed into
    place, so ``dest`` is either the old file or a complete, checked backup.

    Args:
        source: The live SQLite file.
        dest: The backup file to write (an existing file is replaced); a folder gets
            ``segbot-backup.db`` inside it.

    Returns:
        The backup's path, size and number of uploads.

    Raises:
        StoreError: The source is missing or not a database, the destination cannot be
            written, or the copy fails its integrity check.
    """
    src = Path(source)
    target = Path(dest)
    if target.is_dir():
        target = target / "segbot-backup.db"
    if not src.is_file():
        raise StoreError(f"no database at {src}")
    if target.resolve() == src.resolve():
        raise StoreError("the backup must go to another file than the database itself")
    partial = target.with_name(target.name + ".partial")
    try:
        live = sqlite3.connect(src, timeout=30)
        try:
            copy = sqlite3.connect(partial)
            try:
                live.backup(copy, pages=BACKUP_PAGES_PER_STEP)
                verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
                uploads = _count_uploads(copy)
            finally:
                copy.close()
        finally:
            live.close()
        if verdict != "ok":
            raise StoreError(f"the copy failed its integrity check: {verdict}")
        os.replace(partial, target)
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"cannot back up {src}: {exc}") from None
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {exc.strerror}") from None
    except StoreError:
        partial.unlink(missing_ok=True)
        raise
    report = BackupReport(target, target.stat().st_size, uploads)
    logger.info("backed up %d uploads to %s", uploads, target)
    return report


def _count_uploads(conn: sqlite3.Connection) -> int:
    """Uploads in a database (0 for one with no ``datasets`` table yet)."""
    try:
        return int(conn.execute("SELECT count(*) FROM datasets").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
