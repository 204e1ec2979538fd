"""Write parsed documents: stable ids, one transaction per source file, replace on change."""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import datetime, timezone

import sqlite_utils

from council_papers.model import ParsedDocument, Source

from .schema import CHILD_TABLES, PIPELINE_VERSION


def stable_id(*parts: object) -> str:
    """A 16-hex-digit id from the row's identity, the same on every machine and every build."""
    key = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def stored_state(db: sqlite_utils.Database, source_key: str) -> tuple[str, str] | None:
    """(sha256, pipeline_version) of the file stored under ``source_key``, or None."""
    row = next(
        db.query(
            "select source_sha256, pipeline_version from documents where source_key = ? limit 1",
            [source_key],
        ),
        None,
    )
    return (row["source_sha256"], row["pipeline_version"]) if row else None


def is_current(db: sqlite_utils.Database, source_key: str, sha256: str) -> bool:
    """True when this exact file was already stored by this pipeline version."""
    return stored_state(db, source_key) == (sha256, PIPELINE_VERSION)


def _delete_source(db: sqlite_utils.Database, source_key: str) -> None:
    ids = [r["id"] for r in db.query("select id from documents where source_key = ?", [source_key])]
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    for table in CHILD_TABLES:
        db.execute(f"delete from {table} where document_id in ({marks})", ids)
    # children of a pack before the pack itself
    db.execute(f"delete from documents where id in ({marks}) and parent_id is not null", ids)
    db.execute(f"delete from documents where id in ({marks})", ids)


def store_source(db: sqlite_utils.Database, source: Source, parsed: list[ParsedDocument]) -> str:
    """Store every document of one file in a single transaction; return 'built' or 'replaced'.

    Rows of an earlier version of the file (same ``source_key``) are removed in the same
    transaction, so a reader sees either the old file or the new one, never a mixture.
    """
    stored_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with db.atomic():
        outcome = "replaced" if stored_state(db, source.source_key) else "built"
        _delete_source(db, source.source_key)
        doc_ids = [stable_id(source.source_key, "document", i) for i in range(len(parsed))]
        for i, doc in enumerate(parsed):
            _insert_document(db, source, doc, doc_ids[i], doc_ids, stored_at)
    return outcome


def _insert_document(db, source: Source, doc: ParsedDocument, doc_id: str, doc_ids: list[str],
                     stored_at: str) -> None:
    part, meta = doc.part, doc.part.meta
    db["documents"].insert(
        {
            "id": doc_id,
            **asdict(meta),
            "source_file": source.source_file,
            "source_sha256": source.sha256,
            "source_format": source.format,
            "parent_id": doc_ids[part.parent] if part.parent is not None else None,
            "page_start": part.page_start,
            "page_end": part.page_end,
            "line_start": part.line_start,
            "line_end": part.line_end,
            "source_key": source.source_key,
            "pipeline_version": PIPELINE_VERSION,
            "stored_at": stored_at,
        }
    )
    section_ids = [stable_id(doc_id, "section", s.ordinal) for s in doc.sections]

    def section_id(index):
        return section_ids[index] if index is not None else None

    db["sections"].insert_all(
        {
            "id": section_ids[i],
            "document_id": doc_id,
            "parent_id": section_id(s.parent),
            "heading": s.heading,
            "level": s.level,
            "path": s.path,
            "ordinal": s.ordinal,
            "text": s.text,
            "page": s.page,
            "line": s.line,
        }
        for i, s in enumerate(doc.sections)
    )
    db["figures"].insert_all(
        {
            "id": stable_id(doc_id, "figure", i),
            "document_id": doc_id,
            "section_id": section_id(f.section),
            "value": f.value,
            "value_text": f.value_text,
            "unit": f.unit,
            "label": f.label,
            "period": f.period,
            "place": f.place,
            "context": f.context,
            "page": f.page,
            "line": f.line,
            "names_measure": int(f.names_measure),
        }
        for i, f in enumerate(doc.figures)
    )
    case_ids = [stable_id(doc_id, "case_study", i) for i in range(len(doc.case_studies))]
    db["case_studies"].insert_all(
        {
            "id": case_ids[i],
            "document_id": doc_id,
            "section_id": section_id(c.section),
            "title": c.title,
            "subject": c.subject,
            "theme": c.theme,
            "text": c.text,
            "page": c.page,
            "line": c.line,
            "line_end": c.line_end,
        }
        for i, c in enumerate(doc.case_studies)
    )
    db["quotes"].insert_all(
        {
            "id": stable_id(doc_id, "quote", i),
            "document_id": doc_id,
            "section_id": section_id(q.section),
            "case_study_id": case_ids[q.case_study] if q.case_study is not None else None,
            "text": q.text,
            "speaker": q.speaker,
            "speaker_role": q.speaker_role,
            "speaker_kind": q.speaker_kind,
            "page": q.page,
            "line": q.line,
        }
        for i, q in enumerate(doc.quotes)
    )
