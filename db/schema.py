"""The published tables (../shared/SCHEMA.md) and their full-text indexes.

SCHEMA.md is a contract: the columns listed there keep their names. Columns added here
beyond it are marked as extensions.
"""
from __future__ import annotations

import sqlite_utils

# Bump when parsing or extraction changes what a file yields: a build then re-parses
# files whose stored rows came from another version.
PIPELINE_VERSION = "2"

TABLES: dict[str, dict[str, type]] = {
    "documents": {
        "id": str,
        "title": str,
        "doc_type": str,
        "council": str,
        "body": str,
        "period": str,
        "year": int,
        "meeting_date": str,
        "source_file": str,
        "source_sha256": str,
        "source_format": str,
        "parent_id": str,
        "page_start": int,
        "page_end": int,
        "line_start": int,
        "line_end": int,
        # extensions
        "source_key": str,  # path relative to the build root: a file's identity
        "pipeline_version": str,
        "stored_at": str,  # UTC time the file's rows were written: what an alert feed orders by
    },
    "sections": {
        "id": str,
        "document_id": str,
        "parent_id": str,
        "heading": str,
        "level": int,
        "path": str,
        "ordinal": int,
        "text": str,
        "page": int,
        "line": int,
    },
    "figures": {
        "id": str,
        "document_id": str,
        "section_id": str,
        "value": float,
        "value_text": str,
        "unit": str,
        "label": str,
        "period": str,
        "place": str,
        "context": str,
        "page": int,
        "line": int,
        "names_measure": int,
    },
    "case_studies": {
        "id": str,
        "document_id": str,
        "section_id": str,
        "title": str,
        "subject": str,
        "theme": str,
        "text": str,
        "page": int,
        "line": int,
        "line_end": int,
    },
    "quotes": {
        "id": str,
        "document_id": str,
        "section_id": str,
        "case_study_id": str,
        "text": str,
        "speaker": str,
        "speaker_role": str,
        "speaker_kind": str,
        "page": int,
        "line": int,
    },
}

FOREIGN_KEYS = {
    "documents": [("parent_id", "documents", "id")],
    "sections": [("document_id", "documents", "id"), ("parent_id", "sections", "id")],
    "figures": [("document_id", "documents", "id"), ("section_id", "sections", "id")],
    "case_studies": [("document_id", "documents", "id"), ("section_id", "sections", "id")],
    "quotes": [
        ("document_id", "documents", "id"),
        ("section_id", "sections", "id"),
        ("case_study_id", "case_studies", "id"),
    ],
}

FULL_TEXT = {
    "sections": ["heading", "text"],
    "quotes": ["text", "speaker", "speaker_role"],
    "case_studies": ["title", "subject", "theme", "text"],
    "figures": ["label", "context"],
}

INDEXES = {
    "documents": [["source_key"], ["year"], ["doc_type"], ["parent_id"]],
    "sections": [["document_id"]],
    "figures": [["document_id"], ["unit"], ["label"]],
    "case_studies": [["document_id"]],
    "quotes": [["document_id"], ["case_study_id"], ["speaker_kind"]],
}

# Columns that record when, not what: two builds of the same inputs differ only in these.
WHEN_COLUMNS = {"stored_at"}

# Children first: the order in which a document's rows are deleted.
CHILD_TABLES = ["quotes", "case_studies", "figures", "sections"]


def open_database(path) -> sqlite_utils.Database:
    """Open (creating if needed) a database with the published schema, in WAL mode."""
    db = sqlite_utils.Database(path)
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables, indexes and FTS5 indexes that do not exist yet."""
    existing = set(db.table_names())
    for name, columns in TABLES.items():
        if name in existing:
            have = db[name].columns_dict
            for column, kind in columns.items():  # a database from an earlier version
                if column not in have:
                    db[name].add_column(column, kind)
            continue
        db[name].create(columns, pk="id", foreign_keys=FOREIGN_KEYS[name])
        for cols in INDEXES[name]:
            db[name].create_index(cols)
    for name, cols in FULL_TEXT.items():
        if f"{name}_fts" not in existing:
            db[name].enable_fts(cols, fts_version="FTS5", tokenize="porter", create_triggers=True)
