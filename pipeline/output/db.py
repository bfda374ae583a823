"""Databases: SQLite (the embedded default) and PostgreSQL, through SQLAlchemy Core.

One document is written in one transaction: its old rows (same doc_id) are deleted
and the new ones inserted, so a re-run replaces and a document is wholly in or not
at all. ``claims_flat`` is a view joining each claim to its value, time and source.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import (Boolean, Column, Float, ForeignKeyConstraint, Index, Integer, MetaData,
                        String, Table, Text, create_engine, delete, event, insert, select, text)
from sqlalchemy.engine import Engine

from pipeline.doc import Annotation, Document

SCHEMA_VERSION = 1
DEFAULT_URL = "sqlite:///claims.db"

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

documents = Table(
    "documents", metadata,
    Column("doc_id", String(255), primary_key=True),
    Column("text_sha256", String(64), nullable=False),
    Column("doc_date", String(10)),
    Column("source", Text), Column("url", Text), Column("meta", Text),
    Column("text", Text, nullable=False),
    Column("processed_at", String(32), nullable=False),
)

_VALUE_COLUMNS = (
    Column("amount", Float), Column("min", Float), Column("max", Float), Column("approx", Boolean),
    Column("bound", String(2)), Column("currency", String(3)), Column("unit", Text),
    Column("timex", Text), Column("range_start", Text), Column("range_end", Text),
)

mentions = Table(
    "mentions", metadata,
    Column("doc_id", String(255), primary_key=True), Column("id", String(64), primary_key=True),
    Column("type", String(16), nullable=False), Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False), Column("text", Text, nullable=False),
    *[c.copy() for c in _VALUE_COLUMNS], Column("extractor", Text),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
    Index("ix_mentions_type", "type"),
)


def _span_columns(prefix: str) -> list[Column]:
    return [Column(f"{prefix}_start", Integer, nullable=False), Column(f"{prefix}_end", Integer, nullable=False),
            Column(f"{prefix}_text", Text, nullable=False)]


attributions = Table(
    "attributions", metadata,
    Column("doc_id", String(255), primary_key=True), Column("id", String(64), primary_key=True),
    *_span_columns("cue"), *_span_columns("source"), *_span_columns("content"),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
)

claims = Table(
    "claims", metadata,
    Column("doc_id", String(255), primary_key=True), Column("id", String(64), primary_key=True),
    Column("value_id", String(64), nullable=False), Column("time_id", String(64)),
    Column("attribution_id", String(64)),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["doc_id", "value_id"], ["mentions.doc_id", "mentions.id"]),
    Index("ix_claims_value", "doc_id", "value_id"),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False), Column("error", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

CLAIMS_FLAT = """
CREATE VIEW claims_flat AS
SELECT c.doc_id AS doc_id, c.id AS claim_id, v.text AS value_text, v.type AS value_type,
       v.amount AS amount, v.min AS min, v.max AS max, v.approx AS approx, v.bound AS bound,
       v.currency AS currency, v.unit AS unit,
       t.text AS time_text, COALESCE(t.timex, t.range_start) AS time_value, t.range_end AS time_end,
       a.source_text AS source_text, a.cue_text AS cue, a.content_text AS content_text
FROM claims c
JOIN mentions v ON v.doc_id = c.doc_id AND v.id = c.value_id
LEFT JOIN mentions t ON t.doc_id = c.doc_id AND t.id = c.time_id
LEFT JOIN attributions a ON a.doc_id = c.doc_id AND a.id = c.attribution_id
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def connect(url: str = DEFAULT_URL) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    return engine


def create_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        metadata.create_all(conn)
        if conn.execute(select(schema_version.c.version)).first() is None:
            conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
        exists = conn.execute(text(
            "SELECT 1 FROM sqlite_master WHERE type='view' AND name='claims_flat'" if engine.dialect.name == "sqlite"
            else "SELECT 1 FROM information_schema.views WHERE table_name='claims_flat' AND table_schema=current_schema()"
        )).first()
        if not exists:
            conn.execute(text(CLAIMS_FLAT))


def _value_row(v) -> dict:
    if v is None:
        return {}
    return {"amount": v.amount, "min": v.min, "max": v.max, "approx": v.approx, "bound": v.bound,
            "currency": v.currency, "unit": v.unit, "timex": v.timex,
            "range_start": v.start, "range_end": v.end}


def write_document(engine: Engine, doc: Document, ann: Annotation) -> None:
    with engine.begin() as conn:
        for table in (claims, attributions, mentions, documents):
            conn.execute(delete(table).where(table.c.doc_id == doc.doc_id))
        meta = {k: v for k, v in doc.meta.items() if k not in ("source", "url")}
        conn.execute(insert(documents).values(
            doc_id=doc.doc_id, text_sha256=doc.sha256, doc_date=doc.doc_date,
            source=doc.meta.get("source"), url=doc.meta.get("url"),
            meta=json.dumps(meta, ensure_ascii=False) if meta else None,
            text=doc.text, processed_at=_now()))
        if ann.mentions:
            conn.execute(insert(mentions), [
                {"doc_id": doc.doc_id, "id": m.id, "type": m.type, "start": m.start, "end": m.end,
                 "text": m.text, "extractor": m.source or None,
                 **{c.name: None for c in _VALUE_COLUMNS}, **_value_row(m.value)}
                for m in ann.mentions])
        if ann.attributions:
            conn.execute(insert(attributions), [
                {"doc_id": doc.doc_id, "id": a.id,
                 **{f"{p}_{k}": getattr(getattr(a, p), k) for p in ("cue", "source", "content")
                    for k in ("start", "end", "text")}}
                for a in ann.attributions])
        if ann.claims:
            conn.execute(insert(claims), [
                {"doc_id": doc.doc_id, "id": c.id, "value_id": c.value, "time_id": c.time,
                 "attribution_id": c.attribution} for c in ann.claims])


def record_failure(engine: Engine, name: str, error: str) -> None:
    with engine.begin() as conn:
        conn.execute(insert(failures).values(name=name, error=error, at=_now()))


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(text("count(*)")).select_from(t)).scalar_one()
                for t in (documents, mentions, attributions, claims, failures)}
