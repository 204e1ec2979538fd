"""What a database holds, for comparing two builds: every published row, ids included,
without the columns that only record when a row was written."""
from __future__ import annotations

import sqlite3

from council_papers.db.schema import TABLES, WHEN_COLUMNS


def content_columns(table: str) -> str:
    return ", ".join(c for c in TABLES[table] if c not in WHEN_COLUMNS)


def dump(db_path, tables=TABLES) -> dict[str, list[tuple]]:
    """Rows of each table ordered by id."""
    with sqlite3.connect(db_path) as conn:
        return {t: conn.execute(f"select {content_columns(t)} from {t} order by id").fetchall() for t in tables}
