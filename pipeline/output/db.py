"""Databases: SQLite (the embedded default) and PostgreSQL, through SQLAlchemy Core.

One document is written in one transaction: its old rows (same doc_id) are deleted
and the new ones inserted, so a re-run replaces and a document is wholly in or not
at all. Concurrent writers are safe: on SQLite a write transaction starts with
``BEGIN IMMEDIATE`` (WAL mode, a busy timeout, and a retry when the database stays
locked); on PostgreSQL a transaction-scoped advisory lock per doc_id serialises two
writers of the same document. ``claims_flat`` is a view joining each claim to its
value, time, source and sentence.

The schema carries a version (``schema_version``); ``create_schema`` makes the current
one on an empty database and refuses an older one, which ``db upgrade``
(pipeline.output.migrations) brings up to date.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import os
import random
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterable, Iterator

from sqlalchemy import (Boolean, Column, Float, ForeignKeyConstraint, Index, Integer, MetaData,
                        String, Table, Text, and_, column, create_engine, delete, event, func,
                        insert, select, table, text)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError

from pipeline.doc import Annotation, Attribution, Claim, Document, Mention, Span, Value

SCHEMA_VERSION = 2
DEFAULT_URL = "sqlite:///claims.db"
VIEW = "claims_flat"

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


def _value_columns() -> list[Column]:
    return [Column("amount", Float), Column("min", Float), Column("max", Float), Column("approx", Boolean),
            Column("bound", String(2)), Column("currency", String(3)), Column("unit", Text),
            Column("timex", Text), Column("range_start", Text), Column("range_end", Text)]

# Value field → column: the time range's start/end are range_start/range_end.
_VALUE_FIELDS = {"amount": "amount", "min": "min", "max": "max", "approx": "approx", "bound": "bound",
                 "currency": "currency", "unit": "unit", "timex": "timex",
                 "start": "range_start", "end": "range_end"}

mentions = Table(
    "mentions", metadata,
    Column("doc_id", String(255), primary_key=True), Column("id", String(64), primary_key=True),
    Column("type", String(16), nullable=False), Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False), Column("text", Text, nullable=False),
    *_value_columns(), Column("extractor", Text),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
    Index("ix_mentions_type", "type"),
)

_SPANS = ("cue", "source", "content")


def _span_columns(prefix: str) -> list[Column]:
    return [Column(f"{prefix}_start", Integer, nullable=False), Column(f"{prefix}_end", Integer, nullable=False),
            Column(f"{prefix}_text", Text, nullable=False)]


attributions = Table(
    "attributions", metadata,
    Column("doc_id", String(255), primary_key=True), Column("id", String(64), primary_key=True),
    *[c for p in _SPANS for c in _span_columns(p)],
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
)

claims = Table(
    "claims", metadata,
    Column("doc_id", String(255), primary_key=True), Column("id", String(64), primary_key=True),
    Column("value_id", String(64), nullable=False), Column("time_id", String(64)),
    Column("attribution_id", String(64)),
    # The sentence holding the claim's value (pipeline.text.sentences), stored at write
    # time so readers need no tokenizer. Nullable only because version 1 lacked them.
    Column("sentence_start", Integer), Column("sentence_end", Integer), Column("sentence_text", Text),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["doc_id", "value_id"], ["mentions.doc_id", "mentions.id"]),
    Index("ix_claims_value", "doc_id", "value_id"),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False), Column("error", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("doc_id", String(255)),  # when known; a later successful write clears its failures
    Index("ix_failures_doc_id", "doc_id"),
)

TABLES = {t.name: t for t in (documents, mentions, attributions, claims, failures)}


def _claims_flat_select():
    c, v, t, a = claims.alias("c"), mentions.alias("v"), mentions.alias("t"), attributions.alias("a")
    return (
        select(c.c.doc_id, c.c.id.label("claim_id"), v.c.text.label("value_text"), v.c.type.label("value_type"),
               v.c.amount, v.c.min, v.c.max, v.c.approx, v.c.bound, v.c.currency, v.c.unit,
               t.c.text.label("time_text"), func.coalesce(t.c.timex, t.c.range_start, type_=Text).label("time_value"),
               t.c.range_end.label("time_end"), a.c.source_text, a.c.cue_text.label("cue"), a.c.content_text,
               c.c.sentence_start, c.c.sentence_end, c.c.sentence_text)
        .select_from(c.join(v, and_(v.c.doc_id == c.c.doc_id, v.c.id == c.c.value_id))
                     .outerjoin(t, and_(t.c.doc_id == c.c.doc_id, t.c.id == c.c.time_id))
                     .outerjoin(a, and_(a.c.doc_id == c.c.doc_id, a.c.id == c.c.attribution_id)))
    )


CLAIMS_FLAT_SELECT = _claims_flat_select()
# The view as a selectable with typed columns, for reading it back (booleans as bool).
claims_flat = table(VIEW, *[column(col.name, col.type) for col in CLAIMS_FLAT_SELECT.selected_columns])


class SchemaError(RuntimeError):
    """The database's schema is not the one this version of the tool writes."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean PostgreSQL through psycopg 3."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def connect(url: str = DEFAULT_URL, must_exist: bool = False) -> Engine:
    """An engine for ``url``; with ``must_exist``, a missing SQLite file is a SchemaError
    (instead of a new empty database)."""
    u = make_url(normalize_url(url))
    if must_exist and u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:") \
            and not os.path.exists(u.database):
        raise SchemaError(f"no database file {u.database}")
    engine = create_engine(u)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            # Transactions are begun by us (below), not by the driver.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL: still atomic and uncorrupted on a crash
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            # A writer takes the write lock up front: a deferred transaction that reads then
            # writes can fail with "database is locked" without waiting for the busy timeout.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")
    return engine


def _transient(exc: OperationalError) -> bool:
    msg = str(exc.orig).lower()
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return "database is locked" in msg or "database table is locked" in msg or sqlstate in ("40001", "40P01")


def retrying(fn, attempts: int = 8):
    """Run ``fn`` (one whole transaction), again after a lock timeout or a deadlock."""
    for i in range(attempts):
        try:
            return fn()
        except OperationalError as exc:
            if i == attempts - 1 or not _transient(exc):
                raise
            time.sleep(min(0.05 * 2 ** i, 2.0) * random.uniform(0.5, 1.5))


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            yield conn


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def lock(conn: Connection, name: str) -> None:
    """PostgreSQL: hold a lock on ``name`` until this transaction ends (SQLite's
    BEGIN IMMEDIATE already serialises all writers)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(name)})


def create_view(conn: Connection) -> None:
    sql = CLAIMS_FLAT_SELECT.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    conn.exec_driver_sql(f"CREATE VIEW {VIEW} AS {sql}")


def drop_view(conn: Connection) -> None:
    conn.exec_driver_sql(f"DROP VIEW IF EXISTS {VIEW}")


def stored_version(conn: Connection) -> int | None:
    """The schema version recorded in the database; None for an empty database."""
    if not conn.dialect.has_table(conn, "schema_version"):
        return None
    return conn.execute(select(func.max(schema_version.c.version))).scalar_one_or_none()


def create_current(conn: Connection) -> None:
    """The current schema, stamped with its version, in an empty database."""
    metadata.create_all(conn)
    conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
    create_view(conn)


def create_schema(engine: Engine) -> None:
    """Create the current schema in an empty database; check the version of an existing one."""
    def once() -> None:
        with write_transaction(engine) as conn:
            lock(conn, "schema")
            version = stored_version(conn)
            if version is None:
                create_current(conn)
            elif version < SCHEMA_VERSION:
                raise SchemaError(f"the database has schema version {version}, this tool writes "
                                  f"{SCHEMA_VERSION}: run `db upgrade --db URL` first")
            elif version > SCHEMA_VERSION:
                raise SchemaError(f"the database has schema version {version}, newer than this tool's "
                                  f"{SCHEMA_VERSION}: use a newer version of the tool")
    retrying(once)


# ---------------------------------------------------------------- sentences

def sentence_spans(text_: str) -> list[tuple[int, int]]:
    """The document's sentences as original-offset spans (the pipeline's own splitter)."""
    from pipeline.text.normalize import normalize
    from pipeline.text.sentences import split_sentences
    from pipeline.text.tokenize import tokenize_normalized

    return [(s.start, s.end) for s in split_sentences(text_, tokenize_normalized(normalize(text_)))]


def claim_sentences(spans: list[tuple[int, int]], ann: Annotation) -> dict[str, tuple[int, int]]:
    """Claim id → the span of the sentence holding its value (from the start of the
    sentence of the value's first character to the end of that of its last, should the
    splitter have cut the value; the value's own span if it lies outside every sentence)."""
    starts = [s for s, _ in spans]

    def at(offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(starts, offset) - 1
        return spans[i] if i >= 0 and offset < spans[i][1] else None

    by_id = {m.id: m for m in ann.mentions}
    out = {}
    for c in ann.claims:
        v = by_id[c.value]
        first, last = at(v.start), at(v.end - 1)
        out[c.id] = (first[0], last[1]) if first and last else (v.start, v.end)
    return out


# ---------------------------------------------------------------- writing

def _value_row(v: Value | None) -> dict:
    row = {col: None for col in _VALUE_FIELDS.values()}
    if v is not None:
        row.update({col: getattr(v, f) for f, col in _VALUE_FIELDS.items()})
    return row


def _document_row(doc: Document) -> dict:
    meta = {k: v for k, v in doc.meta.items() if k not in ("source", "url", "doc_date")}
    return dict(doc_id=doc.doc_id, text_sha256=doc.sha256, doc_date=doc.doc_date,
                source=doc.meta.get("source"), url=doc.meta.get("url"),
                meta=json.dumps(meta, ensure_ascii=False) if meta else None,
                text=doc.text, processed_at=_now())


def write_document(engine: Engine, doc: Document, ann: Annotation,
                   sentences: dict[str, tuple[int, int]] | None = None) -> None:
    """Replace the document's rows in one transaction. ``sentences`` maps claim id to its
    sentence span (see ``claim_sentences``); without it the text is split here."""
    if sentences is None:
        sentences = claim_sentences(sentence_spans(doc.text), ann)
    doc_row = _document_row(doc)
    mention_rows = [{"doc_id": doc.doc_id, "id": m.id, "type": m.type, "start": m.start, "end": m.end,
                     "text": m.text, "extractor": m.source or None, **_value_row(m.value)}
                    for m in ann.mentions]
    attribution_rows = [{"doc_id": doc.doc_id, "id": a.id,
                         **{f"{p}_{k}": getattr(getattr(a, p), k) for p in _SPANS for k in ("start", "end", "text")}}
                        for a in ann.attributions]
    claim_rows = []
    for c in ann.claims:
        s, e = sentences[c.id]
        claim_rows.append({"doc_id": doc.doc_id, "id": c.id, "value_id": c.value, "time_id": c.time,
                           "attribution_id": c.attribution, "sentence_start": s, "sentence_end": e,
                           "sentence_text": doc.text[s:e]})

    def once() -> None:
        with write_transaction(engine) as conn:
            if conn.dialect.name == "postgresql":
                # No fsync wait per document: a crash may lose the last few commits (a
                # --resume redoes them) but never half of one.
                conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            lock(conn, f"doc:{doc.doc_id}")
            for t in (claims, attributions, mentions, documents, failures):
                conn.execute(delete(t).where(t.c.doc_id == doc.doc_id))
            conn.execute(insert(documents).values(**doc_row))
            for t, rows in ((mentions, mention_rows), (attributions, attribution_rows), (claims, claim_rows)):
                if rows:
                    conn.execute(insert(t), rows)
    retrying(once)


def record_failure(engine: Engine, name: str, error: str, doc_id: str | None = None) -> None:
    """Record that input ``name`` failed, replacing an earlier failure of the same input
    (so re-runs do not pile up rows)."""
    def once() -> None:
        with write_transaction(engine) as conn:
            conn.execute(delete(failures).where(failures.c.name == name))
            conn.execute(insert(failures).values(name=name, error=error, at=_now(), doc_id=doc_id))
    retrying(once)


# ---------------------------------------------------------------- reading

def stored_hashes(engine: Engine, doc_ids: Iterable[str]) -> dict[str, str]:
    """doc_id → text_sha256 for those of ``doc_ids`` already stored."""
    ids = list(doc_ids)
    if not ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(documents.c.doc_id, documents.c.text_sha256)
                            .where(documents.c.doc_id.in_(ids)))
        return {r.doc_id: r.text_sha256 for r in rows}


def read_document(engine: Engine, doc_id: str) -> tuple[Document, Annotation] | None:
    """A stored document and its annotation (mentions, attributions and claims by id)."""
    with engine.connect() as conn:
        d = conn.execute(select(documents).where(documents.c.doc_id == doc_id)).first()
        if d is None:
            return None
        meta = {**json.loads(d.meta or "{}"), **{k: getattr(d, k) for k in ("source", "url") if getattr(d, k)}}
        doc = Document(d.doc_id, d.text, d.doc_date, meta)
        ms = []
        for r in conn.execute(select(mentions).where(mentions.c.doc_id == doc_id).order_by(mentions.c.id)):
            fields = {f: getattr(r, col) for f, col in _VALUE_FIELDS.items() if getattr(r, col) is not None}
            ms.append(Mention(r.id, r.type, r.start, r.end, r.text, Value(**fields) if fields else None,
                              r.extractor or ""))
        atts = [Attribution(r.id, *(Span(getattr(r, f"{p}_start"), getattr(r, f"{p}_end"), getattr(r, f"{p}_text"))
                                    for p in _SPANS))
                for r in conn.execute(select(attributions).where(attributions.c.doc_id == doc_id)
                                      .order_by(attributions.c.id))]
        cs = [Claim(r.id, r.value_id, r.time_id, r.attribution_id)
              for r in conn.execute(select(claims).where(claims.c.doc_id == doc_id).order_by(claims.c.id))]
    return doc, Annotation(doc_id, d.text_sha256, d.doc_date, tuple(ms), tuple(atts), tuple(cs))


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(t)).scalar_one() for name, t in TABLES.items()}
