"""The database layer on SQLite and on the real PostgreSQL: gold round trip, idempotent
replacement, the claims_flat view with sentences, failures, the v1 → v2 upgrade,
concurrent writers, exports, and PostgreSQL = SQLite on a sample of articles."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from db_backends import ROOT, db_url, gold_pairs, pg_url, short_records, write_jsonl  # noqa: F401 (fixtures)
from pipeline.analysis import Analysis
from pipeline.output import db, migrations
from pipeline.output.export import export

GOLD = list(gold_pairs())


def by_id(ann):
    return (ann.doc_id, ann.text_sha256, ann.doc_date, sorted(ann.mentions, key=lambda m: m.id),
            sorted(ann.attributions, key=lambda a: a.id), sorted(ann.claims, key=lambda c: c.id))


@pytest.fixture
def engine(db_url):
    e = db.connect(db_url)
    db.create_schema(e)
    yield e
    e.dispose()


def test_url_postgresql_means_psycopg():
    assert db.normalize_url("postgresql://u@h:5432/test").startswith("postgresql+psycopg://u@h:5432/test")
    assert db.normalize_url("postgres://u@h/test").startswith("postgresql+psycopg://")
    assert db.normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_gold_round_trip(engine):
    for doc, ann in GOLD:
        db.write_document(engine, doc, ann)
    assert db.counts(engine)["documents"] == len(GOLD)
    for doc, ann in GOLD:
        doc2, ann2 = db.read_document(engine, doc.doc_id)
        assert by_id(ann2) == by_id(ann)
        assert doc2.text == doc.text and doc2.doc_date == doc.doc_date
        assert doc2.meta == {k: v for k, v in doc.meta.items() if v is not None and k != "doc_date"}
    totals = {k: sum(len(getattr(a, k)) for _, a in GOLD) for k in ("mentions", "attributions", "claims")}
    assert {k: db.counts(engine)[k] for k in totals} == totals


def test_rewrite_replaces_rows(engine):
    doc, ann = next((d, a) for d, a in GOLD if len(a.claims) >= 2)
    db.write_document(engine, doc, ann)
    db.write_document(engine, doc, ann)
    before = db.counts(engine)
    assert before["documents"] == 1 and before["claims"] == len(ann.claims)
    smaller = dataclasses.replace(ann, claims=ann.claims[:1])
    db.write_document(engine, doc, smaller)
    assert db.counts(engine)["claims"] == 1
    assert by_id(db.read_document(engine, doc.doc_id)[1]) == by_id(smaller)


def test_failed_write_leaves_the_old_rows(engine):
    doc, ann = GOLD[0]
    db.write_document(engine, doc, ann)
    bad = dataclasses.replace(ann, claims=(*ann.claims, dataclasses.replace(ann.claims[0], id="cX", value="nope")))
    with pytest.raises(Exception):
        db.write_document(engine, doc, bad, sentences={c.id: (0, 1) for c in bad.claims})
    assert by_id(db.read_document(engine, doc.doc_id)[1]) == by_id(ann)


def test_claims_flat_has_each_claims_sentence(engine):
    for doc, ann in GOLD:
        db.write_document(engine, doc, ann)
    with engine.connect() as conn:
        rows = conn.execute(select(db.claims_flat)).mappings().all()
    assert len(rows) == sum(len(a.claims) for _, a in GOLD)
    docs = {d.doc_id: (d, a) for d, a in GOLD}
    analyses = {}
    for r in rows:
        doc, ann = docs[r["doc_id"]]
        analysis = analyses.setdefault(doc.doc_id, Analysis.of(doc))
        claim = next(c for c in ann.claims if c.id == r["claim_id"])
        value = ann.mention(claim.value)
        start, end = analysis.sentence_at(value.start).start, analysis.sentence_at(value.end - 1).end
        assert (r["sentence_start"], r["sentence_end"]) == (start, end)
        assert r["sentence_text"] == doc.text[start:end]
        assert r["value_text"] == value.text and value.text in r["sentence_text"]
        assert r["time_text"] == (ann.mention(claim.time).text if claim.time else None)
        att = next((a for a in ann.attributions if a.id == claim.attribution), None)
        assert r["source_text"] == (att.source.text if att else None)
        assert r["approx"] in (None, True, False)


def test_failures_table_and_clearing(engine):
    doc, ann = GOLD[0]
    db.record_failure(engine, "some/file.txt", "empty file")
    db.record_failure(engine, doc.doc_id, "processing failed: bang", doc.doc_id)
    db.record_failure(engine, doc.doc_id, "processing failed: boom", doc.doc_id)  # replaces the one before
    assert db.counts(engine)["failures"] == 2
    db.write_document(engine, doc, ann)  # it worked this time: its old failure goes
    with engine.connect() as conn:
        names = conn.execute(select(db.failures.c.name)).scalars().all()
    assert names == ["some/file.txt"]


def test_stored_hashes(engine):
    doc, ann = GOLD[0]
    db.write_document(engine, doc, ann)
    assert db.stored_hashes(engine, [doc.doc_id, "nope"]) == {doc.doc_id: doc.sha256}
    assert db.stored_hashes(engine, []) == {}


# ---------------------------------------------------------------- schema versions

def _make_v1(url: str) -> None:
    """A database as version 1 of the tool left it, holding one gold document."""
    dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
    ddl = (ROOT / "tests" / "fixtures" / f"schema_v1.{dialect}.sql").read_text("utf-8")
    e = db.connect(url)
    doc, ann = next((d, a) for d, a in GOLD if a.claims)
    with e.begin() as conn:
        for stmt in ddl.split(";\n"):
            stmt = "\n".join(l for l in stmt.splitlines() if not l.startswith("--")).strip()
            if stmt:
                conn.exec_driver_sql(stmt)
        conn.execute(text("INSERT INTO documents (doc_id, text_sha256, doc_date, text, processed_at) "
                          "VALUES (:d, :s, :dt, :t, 'then')"),
                     {"d": doc.doc_id, "s": doc.sha256, "dt": doc.doc_date, "t": doc.text})
        conn.execute(text('INSERT INTO mentions (doc_id, id, type, start, "end", text) '
                          'VALUES (:d, :i, :ty, :s, :e, :t)'),
                     [{"d": doc.doc_id, "i": m.id, "ty": m.type, "s": m.start, "e": m.end, "t": m.text}
                      for m in ann.mentions])
        conn.execute(text("INSERT INTO claims (doc_id, id, value_id, time_id) VALUES (:d, :i, :v, :t)"),
                     [{"d": doc.doc_id, "i": c.id, "v": c.value, "t": c.time} for c in ann.claims])
        conn.execute(text("INSERT INTO failures (name, error, at) VALUES ('x.txt', 'empty file', 'then')"))
    e.dispose()


def test_upgrade_v1_to_current(db_url):
    _make_v1(db_url)
    e = db.connect(db_url)
    with pytest.raises(db.SchemaError, match="db upgrade"):
        db.create_schema(e)
    assert migrations.upgrade(e) == (1, db.SCHEMA_VERSION)
    assert migrations.upgrade(e) == (db.SCHEMA_VERSION, db.SCHEMA_VERSION)
    db.create_schema(e)  # accepted now
    doc, ann = next((d, a) for d, a in GOLD if a.claims)
    with e.connect() as conn:
        flat = conn.execute(select(db.claims_flat).order_by(text("claim_id"))).mappings().all()
    assert len(flat) == len(ann.claims)
    analysis = Analysis.of(doc)
    for r in flat:
        value = ann.mention(next(c for c in ann.claims if c.id == r["claim_id"]).value)
        start, end = analysis.sentence_at(value.start).start, analysis.sentence_at(value.end - 1).end
        assert (r["sentence_start"], r["sentence_end"], r["sentence_text"]) == (start, end, doc.text[start:end])
    db.write_document(e, doc, ann)  # the upgraded database takes new writes
    db.record_failure(e, "y.txt", "binary file", None)
    assert db.counts(e)["failures"] == 2
    e.dispose()


def test_upgrade_command(tmp_path):
    from cli import app

    url = f"sqlite:///{tmp_path / 'old.db'}"
    _make_v1(url)
    res = CliRunner().invoke(app, ["extract", str(ROOT / "corpus" / f"{GOLD[0][0].doc_id}.txt"), "--db", url, "-q"])
    assert res.exit_code == 2 and "db upgrade" in res.stderr
    res = CliRunner().invoke(app, ["db", "upgrade", "--db", url])
    assert res.exit_code == 0, res.output
    assert f"schema version 1 → {db.SCHEMA_VERSION}" in res.stdout
    res = CliRunner().invoke(app, ["db", "info", "--db", url])
    assert f"schema version {db.SCHEMA_VERSION}" in res.stdout and "documents 1" in res.stdout
    empty = f"sqlite:///{tmp_path / 'new.db'}"
    res = CliRunner().invoke(app, ["db", "upgrade", "--db", empty])
    assert res.exit_code == 0 and f"(none) → {db.SCHEMA_VERSION}" in res.stdout


def test_newer_schema_is_refused(engine):
    with engine.begin() as conn:
        conn.execute(db.schema_version.update().values(version=db.SCHEMA_VERSION + 1))
    with pytest.raises(db.SchemaError, match="newer"):
        db.create_schema(engine)


# ---------------------------------------------------------------- concurrency

WRITER = """
import sys
sys.path.insert(0, {tests!r})
from db_backends import gold_pairs
from pipeline.output import db
e = db.connect({url!r})
db.create_schema(e)
pairs = list(gold_pairs())[{lo}:{hi}]
for _ in range(3):
    for doc, ann in pairs:
        db.write_document(e, doc, ann)
"""


def test_two_concurrent_writers(db_url):
    """Two processes write overlapping document sets, each doc several times, at once."""
    n = len(GOLD)
    halves = ((0, 2 * n // 3), (n // 3, n))  # a third of the documents in both
    code = [WRITER.format(tests=str(ROOT / "tests"), url=db_url, lo=lo, hi=hi) for lo, hi in halves]
    procs = [subprocess.Popen([sys.executable, "-c", c], cwd=ROOT, stderr=subprocess.PIPE, text=True) for c in code]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    e = db.connect(db_url)
    counts = db.counts(e)
    assert counts["documents"] == n
    assert counts["mentions"] == sum(len(a.mentions) for _, a in GOLD)
    assert counts["claims"] == sum(len(a.claims) for _, a in GOLD)
    for doc, ann in GOLD:
        assert by_id(db.read_document(e, doc.doc_id)[1]) == by_id(ann)
    e.dispose()


# ---------------------------------------------------------------- exports

def test_exports(tmp_path, engine):
    for doc, ann in GOLD[:5]:
        db.write_document(engine, doc, ann)
    n_claims = sum(len(a.claims) for _, a in GOLD[:5])
    assert export(engine, "claims_flat", "jsonl", tmp_path / "c.jsonl") == n_claims
    rows = [json.loads(l) for l in (tmp_path / "c.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == n_claims and all(r["sentence_text"] for r in rows)
    assert export(engine, "mentions", "csv", tmp_path / "m.csv") == sum(len(a.mentions) for _, a in GOLD[:5])
    with open(tmp_path / "m.csv", encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == sum(len(a.mentions) for _, a in GOLD[:5])
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow (the parquet extra) is not installed")
    assert export(engine, "claims_flat", "parquet", tmp_path / "c.parquet") == n_claims
    table = pq.read_table(tmp_path / "c.parquet")
    assert table.num_rows == n_claims and table.schema.field("amount").type == "double"
    assert sorted(table.column("claim_id").to_pylist()) == sorted(r["claim_id"] for r in rows)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_command(tmp_path, monkeypatch):
    from cli import app

    url = f"sqlite:///{tmp_path / 'x.db'}"
    e = db.connect(url)
    db.create_schema(e)
    doc, ann = GOLD[0]
    db.write_document(e, doc, ann)
    res = CliRunner().invoke(app, ["export", "--db", url, "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert len(list(csv.DictReader(io.StringIO(res.stdout)))) == len(ann.claims)
    res = CliRunner().invoke(app, ["export", "--db", url, "--table", "documents", "--format", "jsonl"])
    assert json.loads(res.stdout.splitlines()[0])["doc_id"] == doc.doc_id
    missing = tmp_path / "missing.db"
    res = CliRunner().invoke(app, ["export", "--db", f"sqlite:///{missing}"])
    assert res.exit_code == 2 and "no database file" in res.stderr and not missing.exists()
    res = CliRunner().invoke(app, ["export", "--db", url, "--table", "nope"])
    assert res.exit_code == 2 and "unknown table" in res.stderr
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if the parquet extra were missing
    res = CliRunner().invoke(app, ["export", "--db", url, "--format", "parquet", "--out", str(tmp_path / "x.parquet")])
    assert res.exit_code == 2 and "pip install 'arabic-claims[parquet]'" in res.stderr
    e.dispose()


# ---------------------------------------------------------------- PostgreSQL = SQLite

def test_postgresql_and_sqlite_give_identical_claims_flat(tmp_path, pg_url):
    """The same articles extracted into each database give the same claims_flat rows."""
    from cli import app

    data = snn_sample(tmp_path, 20)
    common = [str(data), "--text-field", "content", "--title-field", "title", "-q"]
    sqlite_url = f"sqlite:///{tmp_path / 's.db'}"
    for url in (sqlite_url, pg_url):
        res = CliRunner().invoke(app, ["extract", *common, "--db", url])
        assert res.exit_code == 0, res.output
    rows = []
    for url in (sqlite_url, pg_url):
        e = db.connect(url)
        with e.connect() as conn:
            rows.append(sorted(tuple(r) for r in conn.execute(select(db.claims_flat))))
        e.dispose()
    assert rows[0] and rows[0] == rows[1]


def snn_sample(tmp_path: Path, n: int) -> Path:
    """The first ``n`` SaudiNewsNet articles, or (without shared data) short corpus records."""
    import gzip

    src = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
    if not src.exists():
        return write_jsonl(tmp_path / "sample.jsonl", [{**r, "title": r["id"]} for r in short_records(n)])
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(n)]
    out = tmp_path / "sample.jsonl"
    out.write_text("".join(lines), encoding="utf-8")
    return out
