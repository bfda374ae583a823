"""Every gold file keeps the contract of ANNOTATION.md: schema, offsets, hashes,
references, claims, span edges and value shapes; every corpus text has its gold file
and a licensed sidecar; the shipped schema is the shared one."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from pipeline.doc import NUMERIC_TYPES, TEMPORAL_TYPES
from pipeline.output import jsonio

ROOT = Path(__file__).resolve().parents[1]
GOLD_FILES = sorted((ROOT / "gold").glob("*.json"))
CORPUS_FILES = sorted((ROOT / "corpus").glob("*.txt"))
SHARED_SCHEMA = Path(__file__).resolve().parents[2] / "shared/spec/document.schema.json"

gold_files = pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)


def load(path: Path) -> tuple[dict, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    with open(ROOT / "corpus" / f"{path.stem}.txt", encoding="utf-8", newline="") as fh:
        return data, fh.read()


def spans(data: dict):
    """(name, span) for every mention and every attribution part."""
    for m in data["mentions"]:
        yield m["id"], m
    for a in data["attributions"]:
        for part in ("cue", "source", "content"):
            yield f"{a['id']}.{part}", a[part]


@gold_files
def test_schema_valid(path):
    data, text = load(path)
    jsonio.validate(data)
    jsonio.from_json(data, text)      # also builds the objects and checks references and spans
    assert data["doc_id"] == path.stem


@gold_files
def test_sha256_of_the_text_file(path):
    data, _ = load(path)
    assert data["text_sha256"] == hashlib.sha256((ROOT / "corpus" / f"{path.stem}.txt").read_bytes()).hexdigest()


@gold_files
def test_span_texts_are_corpus_slices(path):
    data, text = load(path)
    bad = [(name, s["start"], s["end"], s["text"], text[s["start"]:s["end"]])
           for name, s in spans(data) if text[s["start"]:s["end"]] != s["text"]]
    assert bad == []


@gold_files
def test_ids_unique_and_references_resolve(path):
    data, _ = load(path)
    ids = [x["id"] for key in ("mentions", "attributions", "claims") for x in data[key]]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    types = {m["id"]: m["type"] for m in data["mentions"]}
    atts = {a["id"] for a in data["attributions"]}
    for c in data["claims"]:
        assert types.get(c["value"]) in NUMERIC_TYPES, c
        assert c["time"] is None or types.get(c["time"]) in TEMPORAL_TYPES, c
        assert c["attribution"] is None or c["attribution"] in atts, c


@gold_files
def test_one_claim_per_numeric_mention(path):
    data, _ = load(path)
    numeric = sorted(m["id"] for m in data["mentions"] if m["type"] in NUMERIC_TYPES)
    assert sorted(c["value"] for c in data["claims"]) == numeric


@gold_files
def test_no_misc_in_gold(path):
    data, _ = load(path)
    assert [m["text"] for m in data["mentions"] if m["type"] == "MISC"] == []


# Closing mark → its opening mark (both orders of guillemets and curly quotes occur).
PAIRS = {")": "(", "]": "[", "}": "{", "»": "«", "«": "»", "”": "“", "“": "”", "’": "‘", '"': '"'}
PERCENT = frozenset("%٪")


def _loose(ch: str) -> bool:
    # Whitespace, punctuation, and invisible format marks (RLM) do not belong at an edge.
    return ch.isspace() or unicodedata.category(ch).startswith("P") or unicodedata.category(ch) == "Cf"


def edge_problem(text: str) -> str | None:
    first, last = text[0], text[-1]
    # "%0.35": a percent sign stored before its digits (right-to-left storage) is part of the number.
    if _loose(first) and not (first in PERCENT and text[1:2].isdigit()):
        return f"starts with {first!r}"
    if _loose(last) and last not in PERCENT and not (last in PAIRS and PAIRS[last] in text[:-1]):
        return f"ends with {last!r}"
    return None


@pytest.mark.parametrize("text, ok", [
    ("موسكو", True), (" موسكو", False), ("موسكو،", False), ("«رويترز»", False), ("رويترز»", False),
    ("تقرير صادر عن “مجموعة الأزمات الدولية”", True), ("40%", True), ("9.1٪", True), ("%0.35", True),
    ("عام (1345هـ)", True), ("1345هـ)", False), ("قال\u200f", False),
])
def test_edge_rule(text, ok):
    assert (edge_problem(text) is None) is ok


@gold_files
def test_span_edges(path):
    data, _ = load(path)
    bad = [(name, s["text"], problem) for name, s in spans(data) if (problem := edge_problem(s["text"]))]
    assert bad == []


@gold_files
def test_numeric_values(path):
    data, _ = load(path)
    bad = []
    for m in data["mentions"]:
        if m["type"] not in NUMERIC_TYPES:
            continue
        v = m.get("value") or {}
        if "amount" in v:
            ok = "min" not in v and "max" not in v
        else:
            ok = "min" in v and "max" in v and v["min"] <= v["max"]
        if m["type"] == "MONEY":
            ok = ok and "currency" in v
        if not ok:
            bad.append((m["id"], m["text"], v))
    assert bad == []


_YEAR = r"(?:\d{4}|\d{3}X|\d{2}XX|XXXX)"
_TIME = r"(?:T(?:(?:[01]\d|2[0-3]|XX)(?::[0-5]\d(?::[0-5]\d)?)?|MO|AF|EV|NI))?"
_DAY = rf"(?:-(?:0[1-9]|[12]\d|3[01]|XX){_TIME})"
DATE_VALUE = re.compile(
    rf"^{_YEAR}(?:-(?:H[12]|Q[1-4]|W(?:0[1-9]|[1-4]\d|5[0-3])|SP|SU|FA|WI|(?:0[1-9]|1[0-2]|XX){_DAY}?))?$")
DURATION_VALUE = re.compile(r"^P(?=.)(?:(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|DE|CE))*"
                            r"(?:T(?:(?:\d+(?:\.\d+)?|X)[HMS])+)?$")


def timex_problem(mtype: str, value: dict) -> str | None:
    for key in ("timex", "start", "end"):
        if key not in value:
            continue
        x = value[key]
        pattern = DURATION_VALUE if mtype == "DURATION" and key == "timex" else DATE_VALUE
        if not pattern.match(x):
            return f"{key} {x!r} is not a TIMEX3 {'duration' if pattern is DURATION_VALUE else 'date'}"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", x[:10]) and len(x) >= 10:
            try:
                date.fromisoformat(x[:10])
            except ValueError:
                return f"{key} {x!r} is not a calendar day"
    s, e = value.get("start"), value.get("end")
    if s and e and "X" not in s + e and len(s) == len(e) and s > e:
        return f"start {s} after end {e}"
    if ("start" in value) != ("end" in value):
        return "start and end go together"
    return None


@pytest.mark.parametrize("mtype, value, ok", [
    ("DATE", {"timex": "2024-06-19T14:30"}, True), ("DATE", {"timex": "201X"}, True),
    ("DATE", {"timex": "XXXX-10-07"}, True), ("DATE", {"timex": "2024-W25"}, True),
    ("DATE", {"timex": "2024-H1"}, True), ("DATE", {"start": "2014", "end": "2015"}, True),
    ("DATE", {"timex": "2024-13"}, False), ("DATE", {"timex": "2015-02-30"}, False),
    ("DATE", {"timex": "P3Y"}, False), ("DATE", {"start": "2015", "end": "2014"}, False),
    ("DURATION", {"timex": "P37Y6M"}, True), ("DURATION", {"timex": "PT1M20S"}, True),
    ("DURATION", {"timex": "P"}, False), ("DURATION", {"timex": "2015"}, False),
])
def test_timex_rule(mtype, value, ok):
    assert (timex_problem(mtype, value) is None) is ok


@gold_files
def test_temporal_values_well_formed(path):
    data, _ = load(path)
    bad = [(m["id"], m["text"], problem) for m in data["mentions"]
           if m["type"] in TEMPORAL_TYPES and (problem := timex_problem(m["type"], m.get("value") or {}))]
    assert bad == []


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_text_has_gold_and_licensed_meta(path):
    assert (ROOT / "gold" / f"{path.stem}.json").exists(), f"no gold/{path.stem}.json"
    meta = path.with_name(f"{path.stem}.meta.json")
    assert meta.exists(), f"no {meta.name}"
    assert str(json.loads(meta.read_text(encoding="utf-8")).get("licence") or "").strip()


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="no shared spec beside the repository")
def test_shipped_schema_is_the_shared_one():
    assert (ROOT / "pipeline/schema/document.schema.json").read_bytes() == SHARED_SCHEMA.read_bytes()


# --- entity-only gold (gold/ner/<split>): training data and a held-out test for the entity model

NER_SPLITS = ("train", "heldout")
NER_FILES = sorted((ROOT / "gold" / "ner").glob("*/*.json"))


@pytest.mark.parametrize("path", NER_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_entity_gold_file(path):
    from pipeline import entity_eval

    split = path.parent.name
    assert split in NER_SPLITS
    text_dir = ROOT / "corpus" / "ner" / split
    meta = json.loads((text_dir / f"{path.stem}.meta.json").read_text(encoding="utf-8"))
    assert meta["split"] == split and meta["licence"]
    # read_entity_gold checks that each span's text is the corpus text at its offsets.
    doc = next(d for d in entity_eval.read_entity_gold(path.parent, text_dir) if d.doc_id == path.stem)
    ents = sorted(doc.entities, key=lambda e: (e.start, e.end))
    assert all(e.type in ("PER", "ORG", "LOC") for e in ents)
    assert all(a.end <= b.start for a, b in zip(ents, ents[1:])), "overlapping entity spans"
    for e in ents:
        s = doc.text[e.start:e.end]
        assert s == s.strip(), f"space at a span edge: {s!r}"
        assert unicodedata.category(s[0])[0] in "LN" or s[0] in "\"'«“(", f"span starts on punctuation: {s!r}"


def test_entity_sets_are_apart_from_each_other_and_from_the_gold_corpus():
    ids = {split: {p.stem for p in (ROOT / "corpus" / "ner" / split).glob("*.txt")} for split in NER_SPLITS}
    assert ids["train"] and ids["heldout"] and not ids["train"] & ids["heldout"]
    gold_ids = {p.stem for p in CORPUS_FILES}
    assert not (ids["train"] | ids["heldout"]) & gold_ids
    for split in NER_SPLITS:   # every text has its annotation and vice versa
        assert ids[split] == {p.stem for p in (ROOT / "gold" / "ner" / split).glob("*.json")}
