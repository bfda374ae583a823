"""Turn a hand-written gold draft into a claims-doc/1 gold file, computing offsets.

Annotators write surface strings, never offsets. A draft names each span by its exact
text and which occurrence of that text in the document it is (1-based, counting every
raw substring match), and this script finds the offsets, checks the span rules that
can be checked mechanically, and writes gold/<doc_id>.json.

Draft format (JSON):
    {"doc_id": "...",
     "mentions": [{"id": "m1", "type": "MONEY", "text": "34.4 مليون دولار", "occ": 1,
                   "value": {"amount": 34400000, "currency": "USD"}}, ...],
     "attributions": [{"id": "a1", "cue": ["قالت", 1], "source": ["وكالة سبوتنيك", 1],
                       "content": ["...", 1]}, ...],
     "claims": [{"value": "m1", "time": "m4", "attribution": "a1"}, ...]}

    python tools/gold_build.py DRAFT.json [DRAFT.json ...] [--corpus corpus] [--gold gold]
    python tools/gold_build.py --find DOC_ID "text"      # list occurrences with context
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import unicodedata
from pathlib import Path

NUMERIC = {"MONEY", "PERCENT", "QUANTITY"}


def read_text(corpus: Path, doc_id: str) -> str:
    with open(corpus / f"{doc_id}.txt", encoding="utf-8", newline="") as fh:
        return fh.read()


def occurrences(text: str, needle: str) -> list[int]:
    found, i = [], text.find(needle)
    while i != -1:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def locate(text: str, surface: str, occ: int, where: str) -> tuple[int, int]:
    hits = occurrences(text, surface)
    if not hits:
        raise ValueError(f"{where}: text not found: {surface!r}")
    if not 1 <= occ <= len(hits):
        raise ValueError(f"{where}: occurrence {occ} of {surface!r} asked, {len(hits)} exist")
    start = hits[occ - 1]
    return start, start + len(surface)


def edge_ok(ch: str, opening: bool) -> bool:
    cat = unicodedata.category(ch)
    if ch.isspace():
        return False
    if ch in "%٪":
        # "40–50%"; some sources store the sign first ("%0.35").
        return True
    if cat.startswith("P"):
        # A closing quote/bracket may end a span whose opening one is inside it.
        return not opening and ch in "”»)]\""
    return True


def check_edges(surface: str, where: str) -> None:
    if not edge_ok(surface[0], True) or not edge_ok(surface[-1], False):
        raise ValueError(f"{where}: span starts or ends with space/punctuation: {surface!r}")
    pairs = {"”": "“", "»": "«", ")": "(", "]": "[", '"': '"'}
    if surface[-1] == '"' and surface.count('"') < 2 or \
            surface[-1] in pairs and pairs[surface[-1]] not in surface:
        raise ValueError(f"{where}: span ends with {surface[-1]} but its opening mark is outside")


def span(text: str, spec, where: str) -> dict:
    surface, occ = (spec[0], spec[1]) if isinstance(spec, list) else (spec["text"], spec.get("occ", 1))
    check_edges(surface, where)
    start, end = locate(text, surface, occ, where)
    return {"start": start, "end": end, "text": surface}


def build(draft: dict, corpus: Path) -> dict:
    doc_id = draft["doc_id"]
    text = read_text(corpus, doc_id)
    meta_path = corpus / f"{doc_id}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    out = {"doc_id": doc_id,
           "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    if meta.get("doc_date"):
        out["doc_date"] = meta["doc_date"]
    mentions, seen = [], set()
    for m in draft["mentions"]:
        where = f"{doc_id}:{m['id']}"
        if m["id"] in seen:
            raise ValueError(f"{where}: duplicate id")
        seen.add(m["id"])
        s = span(text, {"text": m["text"], "occ": m.get("occ", 1)}, where)
        mention = {"id": m["id"], "type": m["type"], **s}
        if "value" in m and m["value"] is not None:
            mention["value"] = m["value"]
        mentions.append(mention)
    by_span = {}
    for m in mentions:
        key = (m["start"], m["end"])
        if key in by_span:
            raise ValueError(f"{doc_id}: {m['id']} and {by_span[key]} have the same span")
        by_span[key] = m["id"]
    atts = []
    for a in draft.get("attributions", []):
        where = f"{doc_id}:{a['id']}"
        if a["id"] in seen:
            raise ValueError(f"{where}: duplicate id")
        seen.add(a["id"])
        atts.append({"id": a["id"], "cue": span(text, a["cue"], where + ".cue"),
                     "source": span(text, a["source"], where + ".source"),
                     "content": span(text, a["content"], where + ".content")})
    types = {m["id"]: m["type"] for m in mentions}
    att_ids = {a["id"] for a in atts}
    claims, claimed = [], set()
    for i, c in enumerate(draft.get("claims", []), 1):
        where = f"{doc_id}:claim {c['value']}"
        if types.get(c["value"]) not in NUMERIC:
            raise ValueError(f"{where}: value is not a numeric mention")
        if c["value"] in claimed:
            raise ValueError(f"{where}: second claim for the same mention")
        claimed.add(c["value"])
        if c.get("time") is not None and types.get(c["time"]) not in {"DATE", "DURATION"}:
            raise ValueError(f"{where}: time {c['time']} is not a DATE/DURATION mention")
        if c.get("attribution") is not None and c["attribution"] not in att_ids:
            raise ValueError(f"{where}: unknown attribution {c['attribution']}")
        claims.append({"id": c.get("id", f"c{i}"), "value": c["value"],
                       "time": c.get("time"), "attribution": c.get("attribution")})
    missing = [m["id"] for m in mentions if m["type"] in NUMERIC and m["id"] not in claimed]
    if missing:
        raise ValueError(f"{doc_id}: numeric mentions without a claim: {missing}")
    out.update(mentions=sorted(mentions, key=lambda m: (m["start"], m["end"])),
               attributions=atts, claims=claims)
    return out


def find(corpus: Path, doc_id: str, needle: str) -> None:
    text = read_text(corpus, doc_id)
    for n, i in enumerate(occurrences(text, needle), 1):
        ctx = text[max(0, i - 30):i + len(needle) + 30].replace("\n", " ⏎ ")
        print(f"occ {n} @{i}: …{ctx}…")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("drafts", nargs="*")
    ap.add_argument("--corpus", default="corpus")
    ap.add_argument("--gold", default="gold")
    ap.add_argument("--find", nargs=2, metavar=("DOC_ID", "TEXT"))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if args.find:
        find(corpus, *args.find)
        return 0
    status = 0
    for path in args.drafts:
        try:
            gold = build(json.loads(Path(path).read_text(encoding="utf-8")), corpus)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = 1
            continue
        dest = Path(args.gold) / f"{gold['doc_id']}.json"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        counts = {}
        for m in gold["mentions"]:
            counts[m["type"]] = counts.get(m["type"], 0) + 1
        print(f"{dest}: {counts}, {len(gold['attributions'])} attributions, {len(gold['claims'])} claims")
    return status


if __name__ == "__main__":
    sys.exit(main())
