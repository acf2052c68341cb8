"""Start a big save and stop dead in the middle of it, for the SIGKILL test.

    python tests/storage_killer.py DB_PATH ROWS

Opens the store, then saves ROWS customers for chat 1. A SQLite progress handler waits until
the save's transaction has spilled pages into the write-ahead log, prints ``mid-save`` and
sleeps, still inside the transaction, until the test kills the process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from storage_factories import make_customers, make_dataset, make_run, numbered_ids

from storage import CustomerStore

#: WAL bytes that prove the unfinished transaction reached the disk.
SPILLED_BYTES = 500_000


def main() -> None:
    """Save, and freeze mid-transaction."""
    path, rows = Path(sys.argv[1]), int(sys.argv[2])
    wal = Path(f"{path}-wal")
    store = CustomerStore(path)
    conn = store.db.conn
    # A small page cache makes SQLite write uncommitted pages to the WAL early.
    conn.execute("PRAGMA cache_size = 50")
    customers = make_customers(numbered_ids(rows, "K"), seed=9)

    def freeze() -> int:
        if conn.in_transaction and wal.exists() and wal.stat().st_size > SPILLED_BYTES:
            print("mid-save", flush=True)
            time.sleep(600)
        return 0

    conn.set_progress_handler(freeze, 1)
    store.save_upload(1, make_dataset(customers, "big"), make_run(customers, k=4))
    print("finished", flush=True)


if __name__ == "__main__":
    main()
