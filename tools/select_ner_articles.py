"""Pick SaudiNewsNet articles for hand-annotated entity data (train and held-out splits).

Deterministic: articles are ordered by a hash of their id, taken round-robin over
outlets, trimmed at a paragraph boundary to about 180-320 words (at most 400 in the
body). Left out: the articles of corpus/ and any article sharing more than 30% of its
5-word shingles with one of them or with an article already taken (agency copies of one
story would leak gold into training). Every ``HELDOUT_EVERY``-th pick goes to the
held-out split.

    python tools/select_ner_articles.py ../shared/data/saudinewsnet/saudinewsnet.jsonl.gz corpus/ner [N]   (N = 120)
"""
from __future__ import annotations

import gzip
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

from select_corpus import overlap, shingles, trim   # tools/select_corpus.py

N = 120
HELDOUT_EVERY = 5
LICENCE = "CC BY-NC-SA 4.0 (SaudiNewsNet; article copyright its newspaper)"


def order_key(doc_id: str) -> str:
    return hashlib.sha256(doc_id.encode()).hexdigest()


def main(src: str, out_dir: str, n: int = N, corpus_dir: str = "corpus") -> None:
    corpus = Path(corpus_dir)
    gold_ids = {p.stem for p in corpus.glob("*.txt")}
    seen = [shingles(p.read_text(encoding="utf-8")) for p in corpus.glob("*.txt")]
    by_outlet: dict[str, list[tuple[str, dict, str]]] = defaultdict(list)
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            if art["id"] in gold_ids:
                continue
            body = trim(art["content"], low=180, high=320)
            if body is None:
                continue
            text = art["title"].strip() + "\n" + body
            by_outlet[art["source"]].append((order_key(art["id"]), art, text))
    for cands in by_outlet.values():
        cands.sort(key=lambda c: c[0])
    chosen: list[tuple[dict, str]] = []
    cursor = {o: 0 for o in by_outlet}
    while len(chosen) < n and any(cursor[o] < len(by_outlet[o]) for o in by_outlet):
        for outlet in sorted(by_outlet):
            cands = by_outlet[outlet]
            while cursor[outlet] < len(cands) and len(chosen) < n:
                _, art, text = cands[cursor[outlet]]
                cursor[outlet] += 1
                sh = shingles(text)
                if not any(overlap(sh, s) > 0.3 for s in seen):
                    chosen.append((art, text))
                    seen.append(sh)
                    break
    out = Path(out_dir)
    for k, (art, text) in enumerate(chosen):
        split = "heldout" if k % HELDOUT_EVERY == HELDOUT_EVERY - 1 else "train"
        d = out / split
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{art['id']}.txt").write_text(text, encoding="utf-8", newline="")
        meta = {"doc_date": art["date"], "source": art["source"], "url": art["url"],
                "licence": LICENCE, "origin": "saudinewsnet", "split": split}
        (d / f"{art['id']}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                                  encoding="utf-8")
        print(split, art["id"], art["source"], len(text.split()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4]))
