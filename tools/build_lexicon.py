"""Build pipeline/data/lexicon.tsv.gz: normalized Arabic word forms and their counts.

The tokenizer splits a proclitic off a word only when what remains is a known word
(and more of a word than the whole); this lexicon is what "known" means. Counts come
from SaudiNewsNet (CC BY-NC-SA 4.0), normalized with pipeline.text.normalize.

    python tools/build_lexicon.py ../shared/data/saudinewsnet/saudinewsnet.jsonl.gz
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.text.normalize import normalize_str  # noqa: E402

WORD = re.compile(r"[\u0621-\u064a]+")
MIN_COUNT = 3


def main(src: str, dest: str = "pipeline/data/lexicon.tsv.gz") -> None:
    counts: Counter[str] = Counter()
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            counts.update(WORD.findall(normalize_str(art["title"] + "\n" + art["content"])))
    rows = [(w, c) for w, c in counts.items() if c >= MIN_COUNT and len(w) >= 2]
    rows.sort(key=lambda r: (-r[1], r[0]))
    # mtime=0 keeps the file byte-identical across rebuilds.
    with open(dest, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(f"{w}\t{c}\n" for w, c in rows).encode("utf-8"))
    print(f"{dest}: {len(rows)} forms")


if __name__ == "__main__":
    main(*sys.argv[1:])
