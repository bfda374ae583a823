"""Peer comparison: dates/1 against dateparser on the gold DATE spans.

    pip install -e ".[bench]"        # dateparser
    python benchmarks/dates_vs_dateparser.py [--gold gold/] [--corpus corpus/]

Every gold DATE mention that has a value is one item; the document's doc_date is the
relative base. Methods:

- dateparser: ``dateparser.parse(span, languages=['ar'])``, ``locales=['ar-SY']``, and the
  two in turn (ar, then ar-SY when ar finds nothing), with settings RELATIVE_BASE =
  doc_date (today for documents without one) and PREFER_DATES_FROM = 'past' (the
  guideline's "latest such day on or before doc_date").
- dates/1 on the span text alone (with the document's doc_date), first DATE found.
- dates/1 on the whole document, the predicted DATE overlapping the gold span most.

Scoring rule. dates/1 gives TIMEX3 values: correct when equal to gold (timex, or start and
end), as the project scorer counts values. dateparser gives one datetime with the missing
parts filled from the base: correct when it falls inside the gold period at the gold's
precision (gold "2024-06" → any day of June 2024; "2015-W29" → that ISO week; "199X" →
1990–1999; "XXXX-10-07" → any year's 7 October; "…T10:07" → that minute). A gold range
(start/end) cannot be one datetime, so it counts as a miss for dateparser; the table also
gives accuracy without ranges. Speed: items per second of wall time for the parsing calls
alone (dates/1 document mode: analysing whole documents, divided over their items);
each method is warmed up once before timing.
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.analysis import Analysis  # noqa: E402
from pipeline.doc import Document  # noqa: E402
from pipeline.extractors.dates import DateExtractor  # noqa: E402


def gold_period(timex: str) -> tuple[dt.datetime, dt.datetime] | None:
    """The [first, last] instants a gold timex covers (None for an unknown year)."""
    if m := re.fullmatch(r"(\d{3})X", timex):
        y = int(m.group(1)) * 10
        return dt.datetime(y, 1, 1), dt.datetime(y + 9, 12, 31, 23, 59)
    if m := re.fullmatch(r"(\d{4})", timex):
        y = int(m.group(1))
        return dt.datetime(y, 1, 1), dt.datetime(y, 12, 31, 23, 59)
    if m := re.fullmatch(r"(\d{4})-([HQ])(\d)", timex):
        y, kind, n = int(m.group(1)), m.group(2), int(m.group(3))
        size = 6 if kind == "H" else 3
        a, b = size * (n - 1) + 1, size * n
        return dt.datetime(y, a, 1), dt.datetime(y, b, calendar.monthrange(y, b)[1], 23, 59)
    if m := re.fullmatch(r"(\d{4})-W(\d\d)", timex):
        first = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        last = first + dt.timedelta(days=6)
        return dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23, 59))
    if m := re.fullmatch(r"(\d{4})-(\d\d)", timex):
        y, mo = int(m.group(1)), int(m.group(2))
        return dt.datetime(y, mo, 1), dt.datetime(y, mo, calendar.monthrange(y, mo)[1], 23, 59)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", timex):
        d = dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d, d.replace(hour=23, minute=59)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)", timex):
        d = dt.datetime(*(int(g) for g in m.groups()))
        return d, d
    return None


def dateparser_correct(pred: dt.datetime | None, gold: dict) -> bool:
    if pred is None or "timex" not in gold:
        return False
    timex = gold["timex"]
    if m := re.fullmatch(r"XXXX-(\d\d)(?:-(\d\d))?", timex):  # unknown year: month/day only
        return pred.month == int(m.group(1)) and (m.group(2) is None or pred.day == int(m.group(2)))
    if m := re.fullmatch(r"XXXX-XX-XXT(\d\d):(\d\d)", timex):
        return (pred.hour, pred.minute) == (int(m.group(1)), int(m.group(2)))
    period = gold_period(timex)
    if period is None:
        return False
    pred = pred.replace(tzinfo=None, second=0, microsecond=0)
    return period[0] <= pred <= period[1]


def ours_correct(value, gold: dict) -> bool:
    if value is None:
        return False
    got = {k: v for k, v in value.to_json().items() if k in ("timex", "start", "end", "bound", "approx")}
    want = {k: v for k, v in gold.items() if k in ("timex", "start", "end", "bound", "approx")}
    return got == want


def load(gold_dir: Path, corpus_dir: Path):
    docs, items = [], []
    for path in sorted(gold_dir.glob("*.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        with open(corpus_dir / f"{g['doc_id']}.txt", encoding="utf-8", newline="") as fh:
            text = fh.read()
        doc = Document(g["doc_id"], text, doc_date=g.get("doc_date"))
        docs.append(doc)
        for m in g["mentions"]:
            if m["type"] == "DATE" and m.get("value"):
                items.append((doc, m))
    return docs, items


def kind(m: dict) -> str:
    if "start" in m["value"]:
        return "range"
    if re.search(r"\d\s*هـ?(?!\w)|هجري|محرم|صفر|ربيع الأ|جماد|رجب|شعبان|رمضان|شوال|القعدة|الحجة|1[34]\d\d", m["text"]):
        return "hijri"
    if re.search(r"\d", m["text"]):
        return "numeric/absolute"
    return "words/relative"


def run(gold_dir: Path, corpus_dir: Path) -> None:
    import dateparser

    docs, items = load(gold_dir, corpus_dir)
    base = {d.doc_id: (dt.datetime.fromisoformat(d.doc_date) if d.doc_date else dt.datetime.now()) for d in docs}

    def dp(config):
        def parse(doc, text):
            settings = {"RELATIVE_BASE": base[doc.doc_id], "PREFER_DATES_FROM": "past"}
            for kwargs in config:
                r = dateparser.parse(text, settings=settings, **kwargs)
                if r is not None:
                    return r
            return None
        return parse

    extractor = DateExtractor()

    def ours_span(doc, text):
        a = Analysis.of(Document("span", text, doc_date=doc.doc_date))
        extractor(a)
        return next((m.value for m in a.mentions if m.type == "DATE"), None)

    methods = [
        ("dateparser languages=['ar']", dp([{"languages": ["ar"]}]), dateparser_correct),
        ("dateparser locales=['ar-SY']", dp([{"locales": ["ar-SY"]}]), dateparser_correct),
        ("dateparser ar, then ar-SY", dp([{"languages": ["ar"]}, {"locales": ["ar-SY"]}]), dateparser_correct),
        ("dates/1 on the span text", ours_span, ours_correct),
    ]
    kinds = sorted({kind(m) for _, m in items})
    rows = []
    for name, parse, correct in methods:
        parse(items[0][0], items[0][1]["text"])  # warm-up (dateparser loads its language data)
        t0 = time.perf_counter()
        preds = [parse(doc, m["text"]) for doc, m in items]
        elapsed = time.perf_counter() - t0
        ok = [correct(p, m["value"]) for p, (_, m) in zip(preds, items)]
        rows.append((name, ok, elapsed))

    # dates/1 on whole documents: the prediction overlapping each gold span most
    extractor(Analysis.of(docs[0]))  # warm-up
    t0 = time.perf_counter()
    predicted = {}
    for doc in docs:
        a = Analysis.of(doc)
        extractor(a)
        predicted[doc.doc_id] = [m for m in a.mentions if m.type == "DATE"]
    elapsed = time.perf_counter() - t0
    ok = []
    for doc, m in items:
        best = max(predicted[doc.doc_id], default=None,
                   key=lambda p: min(p.end, m["end"]) - max(p.start, m["start"]))
        overlap = best is not None and min(best.end, m["end"]) > max(best.start, m["start"])
        ok.append(overlap and ours_correct(best.value, m["value"]))
    rows.append(("dates/1 on the document", ok, elapsed))

    n = len(items)
    no_range = [i for i, (_, m) in enumerate(items) if "start" not in m["value"]]
    by_kind = {k: [i for i, (_, m) in enumerate(items) if kind(m) == k] for k in kinds}
    print(f"{n} gold DATE spans with a value in {len(docs)} documents "
          f"({n - len(no_range)} ranges; " + ", ".join(f"{k} {len(v)}" for k, v in by_kind.items()) + ")")
    head = f"{'method':32s} {'correct':>8s} {'accuracy':>9s} {'no ranges':>10s} " + \
        " ".join(f"{k[:14]:>14s}" for k in kinds) + f" {'spans/s':>10s}"
    print(head)
    print("-" * len(head))
    for name, ok, elapsed in rows:
        acc = sum(ok) / n
        acc_nr = sum(ok[i] for i in no_range) / len(no_range) if no_range else 0.0
        per_kind = " ".join(f"{sum(ok[i] for i in by_kind[k]) / len(by_kind[k]):>14.3f}" for k in kinds)
        print(f"{name:32s} {sum(ok):>8d} {acc:>9.3f} {acc_nr:>10.3f} {per_kind} {n / elapsed:>10.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "gold")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args()
    run(args.gold, args.corpus)


if __name__ == "__main__":
    main()
