"""The same SaudiNewsNet articles into PostgreSQL and into SQLite: identical claims_flat?

    python benchmarks/pg_vs_sqlite.py [--articles 1000] [--workers 2] [--pg postgresql://postgres@127.0.0.1/test]

The pipeline runs once (a local process pool); every result is written to both
databases, each write timed. Then both claims_flat views are read back and compared
row by row, and the row counts of every table. PostgreSQL gets a fresh schema, dropped
at the end (--keep to keep it). Exit code 1 if anything differs.
"""
from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import select

from pipeline import parallel
from pipeline.inputs import Inputs, JsonlFields
from pipeline.nlp import Pipeline
from pipeline.output import db
from pipeline.run import DbSink, run
from snn import DEFAULT_DATA  # benchmarks/snn.py

SNN_FIELDS = JsonlFields(text="content", id="id", date="date", title="title")


class TimedSinks:
    """Writes each result to every sink, adding up the seconds each one takes."""

    def __init__(self, sinks: dict[str, DbSink]):
        self.sinks = sinks
        self.seconds = dict.fromkeys(sinks, 0.0)

    def _each(self, method: str, *args) -> None:
        for name, sink in self.sinks.items():
            t0 = time.perf_counter()
            getattr(sink, method)(*args)
            self.seconds[name] += time.perf_counter() - t0

    def write(self, doc, ann, sentences=None) -> None:
        self._each("write", doc, ann, sentences)

    def fail(self, name, error, doc_id=None) -> None:
        self._each("fail", name, error, doc_id)

    def stored(self, doc_ids):
        return {}

    def close(self) -> None:
        for sink in self.sinks.values():
            sink.close()


def flat(url: str) -> tuple[list[tuple], dict[str, int]]:
    e = db.connect(url)
    with e.connect() as conn:
        rows = sorted(tuple(r) for r in conn.execute(select(db.claims_flat)))
    counts = db.counts(e)
    e.dispose()
    return rows, counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema and the SQLite file")
    args = ap.parse_args()

    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    tmp = Path(tempfile.mkdtemp(prefix="pg_vs_sqlite_"))
    urls = {"sqlite": f"sqlite:///{tmp / 'claims.db'}",
            "postgresql": f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}"}
    try:
        nlp = Pipeline.default()
        sinks = TimedSinks({name: DbSink(url) for name, url in urls.items()})
        pool = parallel.ProcessPool(nlp.steps, args.workers)
        items = itertools.islice(Inputs([str(args.data)], fields=SNN_FIELDS), args.articles)
        t0 = time.perf_counter()
        try:
            stats = run(items, nlp, sinks, executor=pool)
        finally:
            pool.close()
            sinks.close()
        wall = time.perf_counter() - t0
        print(f"{stats.documents} articles ({stats.words:,} words), {len(stats.failures)} failed, "
              f"{wall:.1f} s with {args.workers} workers; pipeline: {', '.join(nlp.names)}")
        for name, secs in sinks.seconds.items():
            print(f"  {name:10} writes: {secs:7.2f} s ({1000 * secs / max(stats.documents, 1):.2f} ms/document)")
        (rows_s, counts_s), (rows_p, counts_p) = flat(urls["sqlite"]), flat(urls["postgresql"])
        print(f"row counts  sqlite: {counts_s}")
        print(f"            postgresql: {counts_p}")
        same = rows_s == rows_p and counts_s == counts_p
        if same:
            print(f"claims_flat: {len(rows_s)} rows, identical in PostgreSQL and SQLite")
        else:
            only_s, only_p = set(rows_s) - set(rows_p), set(rows_p) - set(rows_s)
            print(f"claims_flat DIFFERS: {len(rows_s)} vs {len(rows_p)} rows; {len(only_s)} only in SQLite, "
                  f"{len(only_p)} only in PostgreSQL")
            for r in itertools.islice(itertools.chain(only_s, only_p), 5):
                print("  ", r)
        return 0 if same else 1
    finally:
        if args.keep:
            print(f"kept: {urls['sqlite']} and schema {schema}")
        else:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
            for p in tmp.iterdir():
                p.unlink()
            tmp.rmdir()


if __name__ == "__main__":
    sys.exit(main())
