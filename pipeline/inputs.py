"""Where documents come from: text files, directories, standard input, JSONL(.gz).

Each source yields ``Document``s or ``InputError``s: a bad input (missing, empty,
binary, not UTF-8, too large, a JSONL line that is not a usable record) becomes one
error naming the file (and line) and the reason, and the other inputs go on.
Everything streams: one document (or one JSONL line) is in memory at a time.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from pipeline.doc import Document

MAX_BYTES = 5_000_000  # a news article is a few KB; anything this large is not one
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


@dataclass(frozen=True)
class InputError:
    name: str
    reason: str
    doc_id: str | None = None  # when the input got as far as naming its document

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


@dataclass(frozen=True)
class JsonlFields:
    """Which fields of a JSONL record hold what. With ``title``, the document text is
    title + "\\n" + text; every field not used as text, id or date is kept as metadata."""

    text: str = "text"
    id: str = "id"
    date: str | None = "date"
    title: str | None = None


def decode(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> str | InputError:
    if len(data) > max_bytes:
        return InputError(name, f"too large ({len(data):,} bytes; the limit is {max_bytes:,}, see --max-bytes)")
    if not data.strip():
        return InputError(name, "empty file")
    if b"\x00" in data:
        return InputError(name, "binary file (contains NUL bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        return InputError(name, "starts with a UTF-8 byte order mark; offsets would be ambiguous, remove it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(name, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})")


def read_meta(path: Path) -> dict:
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.exists():
        return {}
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("doc_date") is not None and not DATE.match(str(meta["doc_date"])):
        raise ValueError(f"{meta_path}: doc_date must be YYYY-MM-DD, got {meta['doc_date']!r}")
    return meta


def read_file(path: Path, doc_date: str | None = None, max_bytes: int = MAX_BYTES) -> Document | InputError:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return InputError(name, f"too large ({size:,} bytes; the limit is {max_bytes:,}, see --max-bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        return InputError(name, "no such file")
    except IsADirectoryError:
        return InputError(name, "is a directory")
    except OSError as exc:
        return InputError(name, f"cannot read: {exc.strerror or exc}")
    text = decode(name, data, max_bytes)
    if isinstance(text, InputError):
        return text
    try:
        meta = read_meta(path)
    except (ValueError, json.JSONDecodeError) as exc:
        return InputError(name, f"bad metadata: {exc}")
    return Document(path.stem, text, doc_date or meta.get("doc_date"), meta)


def is_jsonl(path: str) -> bool:
    return path.lower().endswith(JSONL_SUFFIXES)


def expand(paths: list[str]) -> Iterator[Path | InputError | str]:
    """Files to read, in a stable order: directories walked for *.txt; "-" is stdin."""
    for p in paths:
        if p == "-":
            yield "-"
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*.txt") if f.is_file())
            if not files:
                yield InputError(p, "directory holds no .txt files")
            yield from files
        elif path.exists():
            yield path
        else:
            yield InputError(p, "no such file or directory")


# ---------------------------------------------------------------- JSONL

def _lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) with lines longer than ``limit`` given as None and skipped
    without holding them in memory."""
    n = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = fh.readline(1 << 20)
            yield n, None
        else:
            yield n, line


def _record(name: str, line: bytes, fields: JsonlFields, doc_date: str | None,
            max_bytes: int) -> Document | InputError:
    try:
        rec = json.loads(line)
    except UnicodeDecodeError as exc:
        return InputError(name, f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at offset {exc.start} of the line)")
    except json.JSONDecodeError as exc:
        return InputError(name, f"not JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(rec, dict):
        return InputError(name, "not a JSON object")
    doc_id = rec.get(fields.id)
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or str(doc_id).strip() == "":
        return InputError(name, f"no usable id in field {fields.id!r} (see --id-field)")
    doc_id = str(doc_id)
    body = rec.get(fields.text)
    if not isinstance(body, str):
        return InputError(name, f"no text in field {fields.text!r} (see --text-field)", doc_id)
    title = rec.get(fields.title) if fields.title else None
    text = f"{title}\n{body}" if isinstance(title, str) and title.strip() else body
    if not text.strip():
        return InputError(name, "empty text", doc_id)
    if "\x00" in text:
        return InputError(name, "text contains NUL characters", doc_id)
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        return InputError(name, f"too large ({size:,} bytes; the limit is {max_bytes:,}, see --max-bytes)", doc_id)
    date = doc_date
    if date is None and fields.date and rec.get(fields.date) is not None:
        raw = str(rec[fields.date])
        if not DATE.match(raw[:10]):
            return InputError(name, f"field {fields.date!r} is not a YYYY-MM-DD date: {raw!r}", doc_id)
        date = raw[:10]
    used = {fields.text, fields.id, fields.date}
    meta = {k: v for k, v in rec.items() if k not in used}
    return Document(doc_id, text, date, meta)


def read_jsonl(name: str, fh: BinaryIO, fields: JsonlFields = JsonlFields(), doc_date: str | None = None,
               max_bytes: int = MAX_BYTES) -> Iterator[Document | InputError]:
    """Documents from an open binary JSONL stream, one line at a time; bad lines are
    errors named ``name:LINE``."""
    found = False
    try:
        for n, line in _lines(fh, max_bytes * 2 + 1024):  # JSON escapes can double a text's size
            where = f"{name}:{n}"
            if line is None:
                yield InputError(where, f"line too large (the limit is {max_bytes:,} bytes of text, see --max-bytes)")
                continue
            if not line.strip():
                continue
            found = True
            yield _record(where, line, fields, doc_date, max_bytes)
    except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt .gz
        yield InputError(name, f"cannot read further: {exc}")
        return
    if not found:
        yield InputError(name, "no records (empty JSONL file)")


class Inputs:
    """The documents of ``paths`` (files, directories, "-" for stdin; *.jsonl[.gz] files
    as JSONL, or everything with ``fmt="jsonl"``), streamed. ``done_bytes`` and
    ``total_bytes`` (None when stdin is read) measure progress through the input files
    (compressed bytes for .gz)."""

    def __init__(self, paths: list[str], doc_date: str | None = None, max_bytes: int = MAX_BYTES,
                 stdin_id: str = "stdin", fmt: str = "auto", fields: JsonlFields = JsonlFields()):
        if fmt not in ("auto", "text", "jsonl"):
            raise ValueError(f"unknown input format {fmt!r}: auto, text or jsonl")
        self.items = list(expand(paths))
        self.doc_date, self.max_bytes, self.stdin_id = doc_date, max_bytes, stdin_id
        self.fmt, self.fields = fmt, fields
        self.done_bytes = 0
        self.total_bytes = None if "-" in self.items else sum(
            self._size(i) for i in self.items if isinstance(i, Path))

    @staticmethod
    def _size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0

    def _jsonl(self, item: Path | str) -> bool:
        return self.fmt == "jsonl" or (self.fmt == "auto" and item != "-" and is_jsonl(str(item)))

    def __iter__(self) -> Iterator[Document | InputError]:
        for item in self.items:
            if isinstance(item, InputError):
                yield item
            elif self._jsonl(item):
                yield from self._read_jsonl(item)
            elif item == "-":
                text = decode("<stdin>", sys.stdin.buffer.read(), self.max_bytes)
                yield text if isinstance(text, InputError) else Document(self.stdin_id, text, self.doc_date)
            else:
                yield read_file(item, self.doc_date, self.max_bytes)
                self.done_bytes += self._size(item)

    def _read_jsonl(self, item: Path | str) -> Iterator[Document | InputError]:
        if item == "-":
            yield from read_jsonl("<stdin>", sys.stdin.buffer, self.fields, self.doc_date, self.max_bytes)
            return
        start = self.done_bytes
        try:
            raw = open(item, "rb")
        except OSError as exc:
            yield InputError(str(item), f"cannot read: {exc.strerror or exc}")
            return
        with raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            fh = gzip.GzipFile(fileobj=raw) if gzipped else raw
            for doc in read_jsonl(str(item), fh, self.fields, self.doc_date, self.max_bytes):
                self.done_bytes = start + raw.tell()
                yield doc
        self.done_bytes = start + self._size(item)


def documents(paths: list[str], doc_date: str | None = None, max_bytes: int = MAX_BYTES,
              stdin_id: str = "stdin", fmt: str = "auto",
              fields: JsonlFields = JsonlFields()) -> Iterator[Document | InputError]:
    return iter(Inputs(paths, doc_date, max_bytes, stdin_id, fmt, fields))
