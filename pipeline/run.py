"""Running the pipeline over many inputs and sending results to a sink.

Sinks: a folder of claims-doc/1 JSON files, one JSONL file, or a database. A failure
in one document (bad input or an exception while processing) is reported and the run
goes on; ``RunStats`` counts what happened.
"""
from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Protocol

from pipeline.doc import Annotation, Document
from pipeline.inputs import InputError
from pipeline.nlp import Pipeline
from pipeline.output import jsonio


class Sink(Protocol):
    def write(self, doc: Document, ann: Annotation) -> None: ...
    def fail(self, name: str, error: str) -> None: ...
    def close(self) -> None: ...


class JsonDirSink:
    """One ``<doc_id>.json`` per document, each written atomically."""

    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)

    def write(self, doc: Document, ann: Annotation) -> None:
        jsonio.write(self.out / f"{doc.doc_id}.json", ann)

    def fail(self, name: str, error: str) -> None:
        pass

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

    def write(self, doc: Document, ann: Annotation) -> None:
        import json
        data = jsonio.to_json(ann)
        jsonio.validate(data)
        self.fh.write(json.dumps(data, ensure_ascii=False) + "\n")

    def fail(self, name: str, error: str) -> None:
        pass

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

    def write(self, doc: Document, ann: Annotation) -> None:
        self.db.write_document(self.engine, doc, ann)

    def fail(self, name: str, error: str) -> None:
        self.db.record_failure(self.engine, name, error)

    def close(self) -> None:
        self.engine.dispose()


@dataclass
class RunStats:
    documents: int = 0
    failures: list[InputError] = field(default_factory=list)
    words: int = 0
    types: Counter = field(default_factory=Counter)
    attributions: int = 0
    claims: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)

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


def run(items: Iterable[Document | InputError], nlp: Pipeline, sink: Sink,
        on_error=None, progress=None) -> RunStats:
    stats = RunStats()
    for item in items:
        if isinstance(item, InputError):
            err = item
        else:
            try:
                ann = nlp(item)
                sink.write(item, ann)
                stats.add(item, ann)
                err = None
            except Exception as exc:  # one document's failure must not end the run
                err = InputError(item.doc_id, f"processing failed: {type(exc).__name__}: {exc}")
                err_trace = traceback.format_exc(limit=3)
                del err_trace
        if err is not None:
            stats.failures.append(err)
            sink.fail(err.name, err.reason)
            if on_error:
                on_error(err)
        if progress is not None:
            progress.update(1)
    return stats
