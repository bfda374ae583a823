"""Exporting a table or the ``claims_flat`` view as JSONL, CSV or Parquet.

Rows stream from the database in batches (constant memory); a file is written to a
temporary name and renamed into place, so it is never seen half-written. Parquet
needs pyarrow (the ``parquet`` extra); its column types come from the table's own.
"""
from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterator

from sqlalchemy import Boolean, Float, Integer, select
from sqlalchemy.engine import Engine

from pipeline.output import db

FORMATS = ("jsonl", "csv", "parquet")
BATCH = 2000


def selectable(name: str):
    if name == db.VIEW:
        return db.claims_flat
    if name not in db.TABLES:
        raise ValueError(f"unknown table {name!r}; choose from {db.VIEW}, {', '.join(db.TABLES)}")
    return db.TABLES[name]


def _key_columns(sel) -> list:
    cols = sel.c
    return [cols[k] for k in ("doc_id", "claim_id", "id") if k in cols] or list(cols)[:1]


def batches(engine: Engine, name: str) -> Iterator[list[dict]]:
    """The rows of ``name`` as dicts, ordered by document and id, ``BATCH`` at a time."""
    sel = selectable(name)
    stmt = select(sel).order_by(*_key_columns(sel))
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
        for part in result.mappings().partitions(BATCH):
            yield [dict(r) for r in part]


def _write_jsonl(fh: IO[str], rows: Iterator[list[dict]]) -> int:
    n = 0
    for batch in rows:
        for r in batch:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        n += len(batch)
    return n


def _write_csv(fh: IO[str], rows: Iterator[list[dict]], columns: list[str]) -> int:
    w = csv.DictWriter(fh, fieldnames=columns)
    w.writeheader()
    n = 0
    for batch in rows:
        w.writerows(batch)
        n += len(batch)
    return n


def _arrow_schema(sel):
    import pyarrow as pa

    def arrow(t):
        if isinstance(t, Boolean):
            return pa.bool_()
        if isinstance(t, Integer):
            return pa.int64()
        if isinstance(t, Float):
            return pa.float64()
        return pa.string()
    return pa.schema([(c.name, arrow(c.type)) for c in sel.c])


def _write_parquet(path: str, rows: Iterator[list[dict]], sel) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(sel)
    n = 0
    with pq.ParquetWriter(path, schema) as w:
        for batch in rows:
            w.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def export(engine: Engine, name: str = db.VIEW, fmt: str = "jsonl", out: str | Path | None = None) -> int:
    """Write the rows of table or view ``name`` to ``out`` (stdout when None, except
    for parquet); return the number of rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    sel = selectable(name)
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise RuntimeError("parquet export needs pyarrow: pip install 'arabic-claims[parquet]'") from None
        if out is None:
            raise ValueError("parquet export needs --out PATH")
    rows = batches(engine, name)
    if out is None:
        fh = sys.stdout
        return _write_jsonl(fh, rows) if fmt == "jsonl" else _write_csv(fh, rows, [c.name for c in sel.c])
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        if fmt == "parquet":
            os.close(fd)
            n = _write_parquet(tmp, rows, sel)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                n = (_write_jsonl(fh, rows) if fmt == "jsonl"
                     else _write_csv(fh, rows, [c.name for c in sel.c]))
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return n
