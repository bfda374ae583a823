"""Reading and writing the claims-doc/1 JSON format (ANNOTATION.md), schema-checked."""
from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema

from pipeline.doc import Annotation, Attribution, Claim, Mention, Span, Value


class InvalidDocument(ValueError):
    """A claims-doc/1 file that does not validate or does not fit its text."""


@cache
def schema() -> dict:
    return json.loads(resources.files("pipeline").joinpath("schema/document.schema.json").read_text("utf-8"))


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def validate(data: dict) -> None:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.path) or "(root)"
        raise InvalidDocument(f"{where}: {e.message}")


def to_json(ann: Annotation) -> dict:
    out: dict = {"doc_id": ann.doc_id, "text_sha256": ann.text_sha256}
    if ann.doc_date:
        out["doc_date"] = ann.doc_date
    mentions = []
    for m in ann.mentions:
        d = {"id": m.id, "type": m.type, "start": m.start, "end": m.end, "text": m.text}
        if m.value is not None:
            d["value"] = m.value.to_json()
        mentions.append(d)
    out["mentions"] = mentions
    out["attributions"] = [{"id": a.id, "cue": a.cue.to_json(), "source": a.source.to_json(),
                            "content": a.content.to_json()} for a in ann.attributions]
    out["claims"] = [{"id": c.id, "value": c.value, "time": c.time, "attribution": c.attribution}
                     for c in ann.claims]
    return out


def from_json(data: dict, text: str | None = None) -> Annotation:
    """Build an Annotation; with ``text``, also check every span against it."""
    validate(data)
    try:
        mentions = tuple(Mention(m["id"], m["type"], m["start"], m["end"], m["text"],
                                 Value.from_json(m["value"]) if "value" in m else None)
                         for m in data["mentions"])
        atts = tuple(Attribution(a["id"], Span.from_json(a["cue"]), Span.from_json(a["source"]),
                                 Span.from_json(a["content"])) for a in data["attributions"])
    except ValueError as exc:
        raise InvalidDocument(str(exc)) from exc
    claims = tuple(Claim(c["id"], c["value"], c["time"], c["attribution"]) for c in data["claims"])
    ann = Annotation(data["doc_id"], data["text_sha256"], data.get("doc_date"), mentions, atts, claims)
    check_references(ann)
    if text is not None:
        check_spans(ann, text)
    return ann


def check_references(ann: Annotation) -> None:
    ids = [m.id for m in ann.mentions] + [a.id for a in ann.attributions] + [c.id for c in ann.claims]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise InvalidDocument(f"{ann.doc_id}: duplicate ids {sorted(dupes)}")
    mention_ids = {m.id for m in ann.mentions}
    att_ids = {a.id for a in ann.attributions}
    for c in ann.claims:
        if c.value not in mention_ids:
            raise InvalidDocument(f"{ann.doc_id}: claim {c.id} names unknown mention {c.value}")
        if c.time is not None and c.time not in mention_ids:
            raise InvalidDocument(f"{ann.doc_id}: claim {c.id} names unknown time {c.time}")
        if c.attribution is not None and c.attribution not in att_ids:
            raise InvalidDocument(f"{ann.doc_id}: claim {c.id} names unknown attribution {c.attribution}")


def check_spans(ann: Annotation, text: str) -> None:
    from pipeline.doc import sha256_text

    if sha256_text(text) != ann.text_sha256:
        raise InvalidDocument(f"{ann.doc_id}: text_sha256 does not match the text")
    spans = [(m.id, m.span) for m in ann.mentions]
    for a in ann.attributions:
        spans += [(f"{a.id}.cue", a.cue), (f"{a.id}.source", a.source), (f"{a.id}.content", a.content)]
    for name, s in spans:
        if s.end > len(text) or text[s.start:s.end] != s.text:
            raise InvalidDocument(f"{ann.doc_id}: {name} text {s.text!r} is not text[{s.start}:{s.end}]")


def read(path: str | os.PathLike, text: str | None = None) -> Annotation:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidDocument(f"{path}: not JSON: {exc}") from exc
    return from_json(data, text)


def dumps(ann: Annotation) -> str:
    data = to_json(ann)
    validate(data)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_atomic(path: str | os.PathLike, content: str) -> None:
    """Write via a temporary file in the same folder and a rename: never half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write(path: str | os.PathLike, ann: Annotation) -> None:
    write_atomic(path, dumps(ann))
