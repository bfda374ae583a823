"""Running at scale: failure isolation, bounded in-flight work, the process pool and a
Dask LocalCluster giving what one process gives, --resume, Ctrl-C and kill -9 then
resume, two concurrent CLI runs, and the progress bar."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from functools import cache

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cli import app
from db_backends import ROOT, db_url, pg_url, short_records, write_jsonl  # noqa: F401 (fixtures)
from pipeline import parallel
from pipeline.doc import Document
from pipeline.inputs import InputError
from pipeline.nlp import Pipeline
from pipeline.output import db
from pipeline.run import DbSink, FailuresFile, ProgressBar, run

NLP = Pipeline.default()


def docs_of(records) -> list[Document]:
    return [Document(r["id"], r["content"], r["date"], {"source": r["source"], "url": r["url"]}) for r in records]


@cache
def expected(doc: Document) -> tuple[list, list]:
    ann = NLP(doc)
    return sorted(ann.mentions, key=lambda m: m.id), sorted(ann.claims, key=lambda c: c.id)


def stored_ok(url: str, docs: list[Document]) -> None:
    """Every doc stored exactly once, whole, as the pipeline makes it."""
    e = db.connect(url)
    try:
        with e.connect() as conn:
            ids = conn.execute(select(db.documents.c.doc_id)).scalars().all()
        assert sorted(ids) == sorted(d.doc_id for d in docs)
        for doc in docs:
            stored_doc, ann = db.read_document(e, doc.doc_id)
            assert stored_doc.text == doc.text
            assert (sorted(ann.mentions, key=lambda m: m.id), sorted(ann.claims, key=lambda c: c.id)) == expected(doc)
    finally:
        e.dispose()


def flat_rows(url: str) -> list[tuple]:
    e = db.connect(url)
    with e.connect() as conn:
        rows = sorted(tuple(r) for r in conn.execute(select(db.claims_flat)))
    e.dispose()
    return rows


class Flaky:
    """The default pipeline, failing on chosen documents."""

    def __init__(self, bad: set[str]):
        self.bad = bad

    def analyse(self, doc):
        if doc.doc_id in self.bad:
            raise ValueError(f"cannot handle {doc.doc_id}")
        return NLP.analyse(doc)


def test_one_failure_does_not_stop_the_run(tmp_path):
    docs = docs_of(short_records(6))
    url = f"sqlite:///{tmp_path / 'x.db'}"
    sink, log = DbSink(url), FailuresFile(tmp_path / "failures.jsonl")
    items = [docs[0], InputError("bad.txt", "empty file"), *docs[1:]]
    stats = run(items, Flaky({docs[2].doc_id}), sink, on_error=log.add)
    sink.close()
    log.close()
    assert stats.documents == 5 and [f.name for f in stats.failures] == ["bad.txt", docs[2].doc_id]
    lines = [json.loads(l) for l in (tmp_path / "failures.jsonl").read_text("utf-8").splitlines()]
    assert lines[1] == {"name": docs[2].doc_id, "doc_id": docs[2].doc_id,
                        "error": f"processing failed: ValueError: cannot handle {docs[2].doc_id}"}
    e = db.connect(url)
    with e.connect() as conn:
        assert conn.execute(select(db.failures.c.name, db.failures.c.doc_id)).all() == [
            ("bad.txt", None), (docs[2].doc_id, docs[2].doc_id)]
    assert db.counts(e)["documents"] == 5
    e.dispose()


class LosingExecutor:
    """Loses the second chunk, as when a worker process dies."""

    chunk_size = 2

    def map(self, chunks):
        for i, docs in enumerate(chunks):
            yield docs, (RuntimeError("worker died") if i == 1 else
                         parallel.ChunkResult([parallel.analyse(NLP, d) for d in docs], "w", 1))


def test_a_lost_chunk_fails_its_documents_only(tmp_path):
    docs = docs_of(short_records(6))
    sink = DbSink(f"sqlite:///{tmp_path / 'x.db'}")
    stats = run(docs, None, sink, executor=LosingExecutor())
    sink.close()
    assert stats.documents == 4
    assert [f.doc_id for f in stats.failures] == [docs[2].doc_id, docs[3].doc_id]
    assert all("worker lost: RuntimeError: worker died" in f.reason for f in stats.failures)


def test_ctrl_c_stops_between_documents(tmp_path):
    docs = docs_of(short_records(8))

    def items():
        yield from docs[:3]
        raise KeyboardInterrupt

    url = f"sqlite:///{tmp_path / 'x.db'}"
    sink = DbSink(url)
    stats = run(items(), NLP, sink)
    sink.close()
    assert stats.interrupted and stats.documents == 3
    stored_ok(url, docs[:3])


def test_in_flight_work_is_bounded():
    n = {"submitted": 0, "taken": 0, "most": 0}

    def submit(docs):
        n["submitted"] += 1
        n["most"] = max(n["most"], n["submitted"] - n["taken"])
        f = Future()
        f.set_result(docs)
        return f

    got = []
    for docs, result in parallel.bounded_map(submit, ([i] for i in range(50)), window=3):
        n["taken"] += 1
        assert result == docs
        got += docs
    assert n["most"] == 3 and got == list(range(50))


def test_process_pool_gives_what_one_process_gives(tmp_path):
    docs = docs_of(short_records(16))
    urls = [f"sqlite:///{tmp_path / name}" for name in ("one.db", "pool.db")]
    pool = parallel.ProcessPool(NLP.steps, workers=2, chunk_size=2)
    try:
        for url, executor in zip(urls, (None, pool)):
            sink = DbSink(url)
            stats = run(docs, NLP, sink, executor=executor)
            sink.close()
            assert stats.documents == 16 and not stats.failures
    finally:
        pool.close()
    assert all(kb > 0 for kb in stats.peak_kb.values()) and os.getpid() not in {
        int(w.rsplit(":", 1)[1]) for w in stats.peak_kb}
    assert flat_rows(urls[0]) == flat_rows(urls[1]) and flat_rows(urls[0])


def test_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed", reason="dask[distributed] (the dask extra) is not installed")
    data = write_jsonl(tmp_path / "d.jsonl", short_records(10))
    urls = [f"sqlite:///{tmp_path / name}" for name in ("one.db", "dask.db")]
    res = CliRunner().invoke(app, ["extract", str(data), "--text-field", "content", "--db", urls[0], "-q"])
    assert res.exit_code == 0, res.output
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        res = CliRunner().invoke(app, ["extract", str(data), "--text-field", "content", "--db", urls[1],
                                       "--engine", "dask", "--scheduler", cluster.scheduler_address])
        assert res.exit_code == 0, res.output
        assert "10 documents" in res.stdout and "peak memory per worker" in res.stdout
        # Idempotent on the cluster too: a second run replaces, a resumed one skips.
        res = CliRunner().invoke(app, ["extract", str(data), "--text-field", "content", "--db", urls[1], "--resume",
                                       "--engine", "dask", "--scheduler", cluster.scheduler_address])
        assert res.exit_code == 0 and "10 skipped" in res.stdout, res.output
    assert flat_rows(urls[0]) == flat_rows(urls[1]) and flat_rows(urls[0])


def test_resume_skips_what_is_stored(tmp_path):
    records = short_records(10)
    data = write_jsonl(tmp_path / "d.jsonl", records)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    args = ["extract", str(data), "--text-field", "content", "--db", url, "--resume"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0 and "10 documents" in res.stdout, res.output
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0 and "0 documents" in res.stdout and "10 skipped" in res.stdout, res.output
    records[4]["content"] += " وارتفع إلى 5 في المئة."  # changed text: done again
    write_jsonl(data, records)
    res = CliRunner().invoke(app, args)
    assert "1 documents" in res.stdout and "9 skipped" in res.stdout, res.output
    stored_ok(url, docs_of(records))


def _start(data, url, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "cli.py", "extract", str(data), "--text-field", "content",
                             "--db", url, "-q", *extra], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _count(url: str) -> int:
    try:
        e = db.connect(url)
        try:
            return db.counts(e)["documents"]
        finally:
            e.dispose()
    except Exception:  # not created yet
        return 0


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_killed_run_then_resume(tmp_path, db_url, sig):
    records = short_records(120)
    data = write_jsonl(tmp_path / "d.jsonl", records)
    proc = _start(data, db_url, "--workers", "2")
    deadline = time.monotonic() + 120
    while _count(db_url) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be stopped: make the input larger"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    done = _count(db_url)
    assert 10 <= done < len(records)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "interrupted" in err and "--resume" in err
    e = db.connect(db_url)
    with e.connect() as conn:
        ids = set(conn.execute(select(db.documents.c.doc_id)).scalars())
    e.dispose()
    assert ids == {r["id"] for r in records[:len(ids)]}  # results are written in input order
    stored_ok(db_url, [d for d in docs_of(records) if d.doc_id in ids])
    res = subprocess.run([sys.executable, "cli.py", "extract", str(data), "--text-field", "content",
                          "--db", db_url, "--resume", "--workers", "2"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    assert f"{len(records) - len(ids)} documents" in res.stdout and f"{len(ids)} skipped" in res.stdout
    stored_ok(db_url, docs_of(records))


def test_two_cli_runs_at_once(tmp_path, db_url):
    records = short_records(40)
    a = write_jsonl(tmp_path / "a.jsonl", records[:28])
    b = write_jsonl(tmp_path / "b.jsonl", records[12:])
    procs = [_start(a, db_url), _start(b, db_url)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    stored_ok(db_url, docs_of(records))


def test_progress_bar_on_a_terminal_only(tmp_path, capsys):
    data = write_jsonl(tmp_path / "d.jsonl", short_records(3))
    res = CliRunner().invoke(app, ["extract", str(data), "--text-field", "content", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0 and "docs/s" not in res.stderr  # not a TTY: no bar
    from pipeline.inputs import Inputs, JsonlFields

    source = Inputs([str(data)], fields=JsonlFields(text="content"))
    bar = ProgressBar(source, enabled=True)
    sink = DbSink(f"sqlite:///{tmp_path / 'x.db'}")
    run(source, NLP, sink, progress=bar)
    bar.close()
    sink.close()
    err = capsys.readouterr().err
    assert "3 docs" in err and "docs/s" in err and "100%" in err
