"""Running the pipeline over many inputs and sending results to a sink.

Sinks: a folder of claims-doc/1 JSON files, one JSONL file, or a database. The
pipeline runs in an executor (pipeline.parallel: this process, a local process pool
or a Dask cluster); this module writes every result, one document at a time. A
failure in one document (bad input, an exception while processing, a failed write)
is reported and the run goes on. Ctrl-C stops the run between documents: what was
written stays, whole; ``RunStats`` counts what happened.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol

from pipeline.doc import Annotation, Document
from pipeline.inputs import InputError
from pipeline.nlp import Pipeline
from pipeline.output import jsonio
from pipeline.parallel import Executor, Failed, InProcess


class Sink(Protocol):
    def write(self, doc: Document, ann: Annotation, sentences: dict | None = None) -> None: ...
    def fail(self, name: str, error: str, doc_id: str | None = None) -> None: ...
    def stored(self, doc_ids: list[str]) -> dict[str, str]: ...
    def close(self) -> None: ...


class JsonDirSink:
    """One ``<doc_id>.json`` per document, each written atomically."""

    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)

    def write(self, doc: Document, ann: Annotation, sentences: dict | None = None) -> None:
        jsonio.write(self.out / f"{doc.doc_id}.json", ann)

    def fail(self, name: str, error: str, doc_id: str | None = None) -> None:
        pass

    def stored(self, doc_ids: list[str]) -> dict[str, str]:
        out = {}
        for doc_id in doc_ids:
            try:
                out[doc_id] = json.loads((self.out / f"{doc_id}.json").read_text("utf-8"))["text_sha256"]
            except (OSError, ValueError, KeyError):
                pass
        return out

    def close(self) -> None:
        pass


class JsonlSink:
    """All documents in ``<out>/documents.jsonl``, renamed into place when the run ends."""

    def __init__(self, out_dir: str | Path, name: str = "documents.jsonl"):
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        self.path = out / name
        self.tmp = out / f".{name}.tmp"
        self.fh = open(self.tmp, "w", encoding="utf-8", newline="")

    def write(self, doc: Document, ann: Annotation, sentences: dict | None = None) -> None:
        data = jsonio.to_json(ann)
        jsonio.validate(data)
        self.fh.write(json.dumps(data, ensure_ascii=False) + "\n")

    def fail(self, name: str, error: str, doc_id: str | None = None) -> None:
        pass

    def stored(self, doc_ids: list[str]) -> dict[str, str]:
        raise NotImplementedError("a JSONL output is rewritten whole: it cannot be resumed")

    def close(self) -> None:
        self.fh.close()
        self.tmp.replace(self.path)


class DbSink:
    def __init__(self, url: str):
        from pipeline.output import db
        self.db = db
        self.url = url
        self.engine = db.connect(url)
        db.create_schema(self.engine)

    def write(self, doc: Document, ann: Annotation, sentences: dict | None = None) -> None:
        self.db.write_document(self.engine, doc, ann, sentences)

    def fail(self, name: str, error: str, doc_id: str | None = None) -> None:
        self.db.record_failure(self.engine, name, error, doc_id)

    def stored(self, doc_ids: list[str]) -> dict[str, str]:
        return self.db.stored_hashes(self.engine, doc_ids)

    def close(self) -> None:
        self.engine.dispose()


class FailuresFile:
    """One JSON line per failure (name, doc_id, error), renamed into place on close."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def add(self, err: InputError) -> None:
        self.fh.write(json.dumps({"name": err.name, "doc_id": err.doc_id, "error": err.reason},
                                 ensure_ascii=False) + "\n")
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()
        os.replace(self.tmp, self.path)


@dataclass
class RunStats:
    documents: int = 0
    failures: list[InputError] = field(default_factory=list)
    skipped: int = 0          # already stored with the same text (--resume)
    interrupted: bool = False
    words: int = 0
    types: Counter = field(default_factory=Counter)
    attributions: int = 0
    claims: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)
    peak_kb: dict[str, int] = field(default_factory=dict)  # worker → peak resident memory
    started: float = field(default_factory=time.perf_counter)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def add(self, doc: Document, ann: Annotation) -> None:
        self.documents += 1
        self.words += len(doc.text.split())
        self.types.update(m.type for m in ann.mentions)
        self.attributions += len(ann.attributions)
        self.claims += len(ann.claims)
        if len(self.examples) < 5:
            by_id = {m.id: m for m in ann.mentions}
            atts = {a.id: a for a in ann.attributions}
            for c in ann.claims[:1]:
                parts = [by_id[c.value].text]
                if c.time:
                    parts.append(f"time: {by_id[c.time].text}")
                if c.attribution:
                    parts.append(f"source: {atts[c.attribution].source.text}")
                self.examples.append((doc.doc_id, " | ".join(parts)))


class ProgressBar:
    """tqdm on stderr: through the input bytes when their total is known (so the ETA is
    real), else counting documents; documents/s and failures alongside."""

    def __init__(self, inputs, enabled: bool):
        from tqdm import tqdm

        self.inputs = inputs
        total = getattr(inputs, "total_bytes", None)
        self.bytes = total is not None
        self.bar = tqdm(total=total, unit="B" if self.bytes else "doc", unit_scale=self.bytes,
                        unit_divisor=1024, file=sys.stderr, disable=not enabled, dynamic_ncols=True,
                        smoothing=0.05)

    def __call__(self, stats: RunStats) -> None:
        if self.bar.disable:
            return
        done = self.inputs.done_bytes if self.bytes else stats.documents + len(stats.failures) + stats.skipped
        self.bar.update(done - self.bar.n)
        skipped = f", {stats.skipped} skipped" if stats.skipped else ""
        self.bar.set_postfix_str(f"{stats.documents} docs, {stats.documents / max(stats.seconds, 1e-9):.1f} docs/s, "
                                 f"{len(stats.failures)} failed{skipped}", refresh=False)

    def close(self) -> None:
        self.bar.close()


def _chunks(items: Iterable[Document | InputError], size: int, fail: Callable[[InputError], None],
            fresh: Callable[[list[Document]], list[Document]]) -> Iterator[list[Document]]:
    """Documents in chunks of ``size``; input errors go to ``fail`` on the way."""
    buf: list[Document] = []
    for item in items:
        if isinstance(item, InputError):
            fail(item)
            continue
        buf.append(item)
        if len(buf) >= size:
            if todo := fresh(buf):
                yield todo
            buf = []
    if buf and (todo := fresh(buf)):
        yield todo


def run(items: Iterable[Document | InputError], nlp: Pipeline | None, sink: Sink,
        on_error: Callable[[InputError], None] | None = None,
        progress: Callable[[RunStats], None] | None = None, *,
        executor: Executor | None = None, resume: bool = False) -> RunStats:
    """Run the pipeline (``nlp`` in this process, or ``executor``) over ``items`` into
    ``sink``. With ``resume``, documents the sink already holds with the same text are
    skipped. Returns when the items are done or on Ctrl-C (``stats.interrupted``)."""
    executor = executor or InProcess(nlp)
    stats = RunStats()

    def fail(err: InputError) -> None:
        stats.failures.append(err)
        sink.fail(err.name, err.reason, err.doc_id)
        if on_error:
            on_error(err)

    def fresh(docs: list[Document]) -> list[Document]:
        if not resume:
            return docs
        stored = sink.stored([d.doc_id for d in docs])
        todo = [d for d in docs if stored.get(d.doc_id) != d.sha256]
        stats.skipped += len(docs) - len(todo)
        return todo

    try:
        for docs, outcome in executor.map(_chunks(items, executor.chunk_size, fail, fresh)):
            if isinstance(outcome, BaseException):
                for doc in docs:
                    fail(InputError(doc.doc_id, f"worker lost: {type(outcome).__name__}: {outcome}", doc.doc_id))
                continue
            stats.peak_kb[outcome.worker] = max(outcome.peak_kb, stats.peak_kb.get(outcome.worker, 0))
            for doc, res in zip(docs, outcome.results):
                if isinstance(res, Failed):
                    fail(InputError(doc.doc_id, res.error, doc.doc_id))
                    continue
                try:
                    sink.write(doc, res.ann, res.sentences)
                except Exception as exc:  # e.g. a value the database refuses: this document only
                    fail(InputError(doc.doc_id, f"write failed: {type(exc).__name__}: {exc}", doc.doc_id))
                    continue
                stats.add(doc, res.ann)
            if progress is not None:
                progress(stats)
    except KeyboardInterrupt:
        stats.interrupted = True
    return stats
