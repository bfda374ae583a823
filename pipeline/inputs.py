"""Where documents come from: text files, directories, standard input.

Each source yields ``Document``s or ``InputError``s: a bad input (missing, empty,
binary, not UTF-8, too large) becomes one error naming the file and the reason, and
the other inputs go on.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from pipeline.doc import Document

MAX_BYTES = 5_000_000  # a news article is a few KB; anything this large is not one
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class InputError:
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


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


def documents(paths: list[str], doc_date: str | None = None,
              max_bytes: int = MAX_BYTES, stdin_id: str = "stdin") -> Iterator[Document | InputError]:
    for item in expand(paths):
        if isinstance(item, InputError):
            yield item
        elif item == "-":
            text = decode("<stdin>", sys.stdin.buffer.read(), max_bytes)
            yield text if isinstance(text, InputError) else Document(stdin_id, text, doc_date)
        else:
            yield read_file(item, doc_date, max_bytes)
