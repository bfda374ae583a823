"""Schema migrations: ``db upgrade --db URL`` brings an older database to SCHEMA_VERSION.

``MIGRATIONS[n]`` turns a version n-1 database into version n. They run in order, all
in one transaction with the version bump, so an upgrade is wholly done or not at all.
The ``claims_flat`` view is derived, so it is dropped before and made again after.
To change the schema: change the tables in pipeline/output/db.py, raise SCHEMA_VERSION,
and add the step that takes an existing database there.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection, Engine

from pipeline.doc import Annotation, Claim, Mention
from pipeline.output import db


def _v2(conn: Connection) -> None:
    """Version 2: each claim's sentence (span and text); failures name their doc_id."""
    for col, typ in (("sentence_start", "INTEGER"), ("sentence_end", "INTEGER"), ("sentence_text", "TEXT")):
        conn.exec_driver_sql(f"ALTER TABLE claims ADD COLUMN {col} {typ}")
    conn.exec_driver_sql("ALTER TABLE failures ADD COLUMN doc_id VARCHAR(255)")
    conn.exec_driver_sql("CREATE INDEX ix_failures_doc_id ON failures (doc_id)")
    _fill_sentences(conn)


def _fill_sentences(conn: Connection) -> None:
    """Compute the sentence of every stored claim from its document's text, one document
    at a time (memory stays that of one document)."""
    c, m, d = db.claims, db.mentions, db.documents
    doc_ids = conn.execute(select(c.c.doc_id).distinct()).scalars().all()
    stmt = (update(c).where(c.c.doc_id == bindparam("d_id"), c.c.id == bindparam("c_id"))
            .values(sentence_start=bindparam("s"), sentence_end=bindparam("e"), sentence_text=bindparam("t")))
    for doc_id in doc_ids:
        text = conn.execute(select(d.c.text).where(d.c.doc_id == doc_id)).scalar_one()
        rows = conn.execute(select(c.c.id, c.c.value_id, m.c.start, m.c.end)
                            .join(m, (m.c.doc_id == c.c.doc_id) & (m.c.id == c.c.value_id))
                            .where(c.c.doc_id == doc_id)).all()
        ann = Annotation(doc_id, "", None,
                         tuple(Mention(r.value_id, "QUANTITY", r.start, r.end, text[r.start:r.end]) for r in rows),
                         (), tuple(Claim(r.id, r.value_id, None, None) for r in rows))
        spans = db.claim_sentences(db.sentence_spans(text), ann)
        conn.execute(stmt, [{"d_id": doc_id, "c_id": cid, "s": s, "e": e, "t": text[s:e]}
                            for cid, (s, e) in spans.items()])


MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _v2}


def upgrade(engine: Engine) -> tuple[int | None, int]:
    """Apply the missing migrations; return (version before, version after). An empty
    database gets the current schema."""
    def once() -> tuple[int | None, int]:
        with db.write_transaction(engine) as conn:
            db.lock(conn, "schema")
            before = db.stored_version(conn)
            if before is None:
                db.create_current(conn)
                return None, db.SCHEMA_VERSION
            if before > db.SCHEMA_VERSION:
                raise db.SchemaError(f"the database has schema version {before}, newer than this tool's "
                                     f"{db.SCHEMA_VERSION}")
            if before == db.SCHEMA_VERSION:
                return before, before
            db.drop_view(conn)
            for version in range(before + 1, db.SCHEMA_VERSION + 1):
                MIGRATIONS[version](conn)
            conn.execute(update(db.schema_version).values(version=db.SCHEMA_VERSION))
            db.create_view(conn)
            return before, db.SCHEMA_VERSION
    return db.retrying(once)
