"""Turn hand-written entity drafts into gold/ner/<split>/<doc_id>.json, computing offsets.

The entity-only annotations of corpus/ner/{train,heldout}/ (ANNOTATION.md "Entity
types": PER, ORG, LOC) are written as surface strings, never offsets; each names which
occurrence of the string it is (1-based, counting every raw substring match):

    {"doc_id": "...", "entities": [{"text": "وزارة الصحة", "type": "ORG", "occ": 1}, ...]}

    python tools/entity_build.py DRAFT.json [DRAFT.json ...] [--corpus corpus/ner] [--gold gold/ner]

Checks: the string is there, the occurrence exists, the span does not start or end in
the middle of a word or on a space or punctuation, spans do not overlap. Warns (does
not fail) when a word-bounded occurrence of an annotated string is left out, since
every occurrence is annotated.
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from gold_build import locate, occurrences, read_text   # tools/gold_build.py

TYPES = {"PER", "ORG", "LOC"}
PROCLITIC_LETTERS = set("وفبلك")


def is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN"


def bounded(text: str, start: int, end: int) -> bool:
    """Not inside a word on either side; up to three proclitic letters may precede
    ("وموسكو", "وبموسكو", "للمملكة" → "لمملكة")."""
    k = start
    while k > 0 and start - k < 3 and text[k - 1] in PROCLITIC_LETTERS:
        k -= 1
    ok_before = k == 0 or not is_word_char(text[k - 1])
    after = text[end] if end < len(text) else " "
    return ok_before and not is_word_char(after)


def build(draft: dict, text: str) -> tuple[list[dict], list[str]]:
    out, warnings = [], []
    for k, e in enumerate(draft["entities"]):
        where = f"{draft['doc_id']} entity {k + 1} {e.get('text')!r}"
        if e.get("type") not in TYPES:
            raise ValueError(f"{where}: type must be one of {sorted(TYPES)}")
        start, end = locate(text, e["text"], int(e.get("occ", 1)), where)
        span = text[start:end]
        if span != span.strip() or unicodedata.category(span[0])[0] not in "LN" and span[0] not in "\"'«“(":
            raise ValueError(f"{where}: span starts or ends on a space or punctuation")
        if not is_word_char(span[-1]) and span[-1] not in "\"'»”)":
            raise ValueError(f"{where}: span ends on punctuation")
        if not bounded(text, start, end):
            raise ValueError(f"{where}: span cuts a word ({text[max(0, start - 8):end + 8]!r})")
        out.append({"start": start, "end": end, "type": e["type"], "text": span})
    out.sort(key=lambda m: (m["start"], m["end"]))
    for a, b in zip(out, out[1:]):
        if b["start"] < a["end"]:
            raise ValueError(f"{draft['doc_id']}: overlapping spans {a['text']!r} and {b['text']!r}")
    taken = {(m["start"], m["end"]) for m in out}
    for surface in sorted({m["text"] for m in out}):
        for s in occurrences(text, surface):
            e = s + len(surface)
            if (s, e) not in taken and bounded(text, s, e) and not any(
                    m["start"] <= s and e <= m["end"] for m in out):
                warnings.append(f"{draft['doc_id']}: occurrence at {s} of {surface!r} not annotated")
    return out, warnings


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("drafts", nargs="+", type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("corpus/ner"))
    ap.add_argument("--gold", type=Path, default=Path("gold/ner"))
    args = ap.parse_args()
    failed = 0
    for path in args.drafts:
        try:
            draft = json.loads(path.read_text(encoding="utf-8"))
            doc_id = draft["doc_id"]
            hits = sorted(args.corpus.glob(f"*/{doc_id}.txt"))
            if len(hits) != 1:
                raise ValueError(f"{doc_id}: not found under {args.corpus}/<split>/")
            split = hits[0].parent.name
            text = read_text(hits[0].parent, doc_id)   # newline="": offsets index the exact text
            ents, warnings = build(draft, text)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        for w in warnings:
            print(f"warning: {w}", file=sys.stderr)
        out = args.gold / split / f"{doc_id}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"doc_id": doc_id, "entities": ents}, ensure_ascii=False, indent=1) + "\n",
                       encoding="utf-8")
        print(f"{doc_id}: {len(ents)} entities → {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
