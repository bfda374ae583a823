"""Pick the SaudiNewsNet articles of corpus/ and write them with their metadata.

Deterministic: the same data file gives the same selection. Articles are scored by
how many numbers, dates and attribution cues they hold, bucketed by topic keywords,
and taken round-robin over outlets so the corpus spans outlets and topics. Long
articles are trimmed at a paragraph boundary to about 250-450 words.

    python tools/select_corpus.py ../shared/data/saudinewsnet/saudinewsnet.jsonl.gz corpus/ [TARGET]
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

TOPICS = {
    "economy": ["مليار", "الاقتصاد", "الناتج", "التضخم", "الأسهم", "السوق", "الميزانية", "الاستثمار"],
    "energy": ["النفط", "برميل", "أوبك", "الطاقة", "الغاز", "الكهرباء"],
    "politics": ["الرئيس", "وزير الخارجية", "الحكومة", "البرلمان", "الانتخابات", "المفاوضات"],
    "security": ["الحوثي", "داعش", "الأمن", "هجوم", "قتلى", "الجيش", "إرهاب"],
    "society": ["التعليم", "الصحة", "المستشفى", "الطلاب", "السكان", "المواطنين", "المرأة"],
}
CUES = re.compile(r"(?:قال|أكد|أوضح|أشار|وفقا|وفقًا|بحسب|أفاد|ذكر|كشف|أعلن|حسب)")
NUMBERS = re.compile(r"\d+(?:[.,]\d+)?")
DATES = re.compile(r"(?:يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|عام \d{4}|\d{4}م|هـ|أمس|الماضي)")
PER_OUTLET_TOPIC = 1
TARGET = 30
MIN_SCORE = 0.12


def trim(content: str, low: int = 250, high: int = 450) -> str | None:
    paras = [p.strip() for p in re.split(r"\n\s*\n|\n", content) if p.strip()]
    out, words = [], 0
    for p in paras:
        n = len(p.split())
        if words + n > high and words >= low:
            break
        out.append(p)
        words += n
        if words >= high:
            break
    if not (low <= words <= high + 80):
        return None
    return "\n".join(out) + "\n"


def shingles(text: str, n: int = 5) -> set:
    words = text.split()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def overlap(a: set, b: set) -> float:
    """Share of the smaller set found in the other: agency copies of one release score high."""
    return len(a & b) / max(1, min(len(a), len(b)))


def topic_of(text: str) -> str:
    scores = {t: sum(text.count(k) for k in kws) for t, kws in TOPICS.items()}
    return max(scores, key=scores.get)


def main(src: str, out_dir: str, target: int = TARGET) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    buckets: dict[tuple[str, str], list[tuple[float, dict, str]]] = defaultdict(list)
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            body = trim(art["content"])
            if body is None:
                continue
            text = art["title"].strip() + "\n" + body
            words = len(text.split())
            score = (len(NUMBERS.findall(text)) * 1.0 + len(DATES.findall(text)) * 1.5
                     + len(CUES.findall(text)) * 2.0) / words
            if len(CUES.findall(text)) < 2 or len(NUMBERS.findall(text)) < 6:
                continue
            buckets[(art["source"], topic_of(text))].append((score, art, text))
    chosen, outlets = [], sorted({s for s, _ in buckets})
    topics = list(TOPICS)
    # Each pass gives every outlet one article, rotating the topic asked of it so
    # that topics spread evenly; an outlet with nothing dense enough in that topic
    # is skipped for the pass.
    taken: set[str] = set()
    seen_shingles: list[set] = []
    for rank in range(20):
        for j, outlet in enumerate(outlets):
            topic = topics[(j + rank) % len(topics)]
            cands = [c for c in sorted(buckets.get((outlet, topic), []), key=lambda x: -x[0])
                     if c[0] >= MIN_SCORE and c[1]["id"] not in taken
                     and not any(overlap(shingles(c[2]), s) > 0.3 for s in seen_shingles)]
            if cands and len(chosen) < target:
                chosen.append(cands[0])
                taken.add(cands[0][1]["id"])
                seen_shingles.append(shingles(cands[0][2]))
        if len(chosen) >= target:
            break
    for score, art, text in chosen:
        doc_id = art["id"]
        (out / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
        meta = {"doc_date": art["date"], "source": art["source"], "url": art["url"],
                "licence": "CC BY-NC-SA 4.0 (SaudiNewsNet; article copyright its newspaper)",
                "topic": topic_of(text), "origin": "saudinewsnet"}
        (out / f"{doc_id}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(doc_id, art["source"], meta["topic"], len(text.split()), round(score, 3),
              hashlib.sha256(text.encode()).hexdigest()[:8])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4]))
