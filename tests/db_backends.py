"""Database backends for the tests: a fresh SQLite file, or a fresh uniquely-named
schema in the real PostgreSQL on 127.0.0.1:5432 (database ``test``; override with
PG_TEST_URL), dropped afterwards. PostgreSQL tests skip, saying why, only when the
server cannot be reached."""
from __future__ import annotations

import json
import os
import uuid
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest

from pipeline.doc import Document
from pipeline.output import jsonio

ROOT = Path(__file__).resolve().parents[1]
PG_URLS = [os.environ["PG_TEST_URL"]] if os.environ.get("PG_TEST_URL") else [
    "postgresql://postgres@127.0.0.1:5432/test", "postgresql://root@127.0.0.1:5432/test"]


@cache
def pg_base() -> tuple[str | None, str]:
    """(a PostgreSQL URL that accepts us, or None; the reason when None)."""
    import psycopg

    errors = []
    for url in PG_URLS:
        try:
            with psycopg.connect(url, connect_timeout=3):
                return url, ""
        except psycopg.Error as exc:
            errors.append(f"{url}: {str(exc).strip()}")
    return None, "PostgreSQL unreachable: " + "; ".join(errors)


def pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def pg_url():
    """A URL whose search_path is a new empty schema, dropped after the test."""
    import psycopg

    base, reason = pg_base()
    if base is None:
        pytest.skip(reason)
    schema = f"t_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'claims.db'}"
    else:
        yield request.getfixturevalue("pg_url")


def corpus_doc(stem: str) -> Document:
    with open(ROOT / "corpus" / f"{stem}.txt", encoding="utf-8", newline="") as fh:
        text = fh.read()
    meta_path = ROOT / "corpus" / f"{stem}.meta.json"
    meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
    return Document(stem, text, meta.get("doc_date"), meta)


def gold_pairs():
    """(Document, gold Annotation) for every gold file."""
    for path in sorted((ROOT / "gold").glob("*.json")):
        doc = corpus_doc(path.stem)
        yield doc, jsonio.read(path, doc.text)


def short_records(n: int) -> list[dict]:
    """``n`` short JSONL records (a paragraph of a corpus text each, cycled), so that
    pipeline runs in tests stay quick."""
    paras = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        with open(path, encoding="utf-8", newline="") as fh:
            paras += [p.strip() for p in fh.read().split("\n") if 80 < len(p.strip()) < 600]
    return [{"id": f"doc-{i:04d}", "date": "2015-08-0%d" % (1 + i % 9), "source": "test",
             "url": f"http://example.org/{i}", "content": paras[i % len(paras)]} for i in range(n)]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path
