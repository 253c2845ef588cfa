"""Private files and SQLite databases (govchain.files)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from govchain.files import open_sqlite

_OTHER_PROCESS = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
for _ in range(50):
    db.execute("INSERT INTO t VALUES (2)")
db.close()
"""


def test_a_second_connection_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    """Opening a database this process already has open must not drop the locks SQLite holds on
    it (closing any descriptor on a file drops the process's POSIX locks). Else another process
    believes it is the last user, removes the WAL on closing, and this process's next connection
    fails with a disk I/O error — what the CLI run in-process beside an SDK client (or a web
    server's threads) met when a CLI subprocess wrote documents."""
    path = tmp_path / "db.sqlite3"
    keeper = open_sqlite(path)
    keeper.execute("CREATE TABLE t (x INTEGER)")
    open_sqlite(path).close()
    subprocess.run([sys.executable, "-c", _OTHER_PROCESS, str(path)], check=True)
    assert Path(f"{path}-wal").exists()  # the other process knew it was not alone
    keeper.execute("INSERT INTO t VALUES (3)")
    assert open_sqlite(path).execute("SELECT count(*) FROM t").fetchone() == (51,)
    assert path.stat().st_mode & 0o777 == 0o600
