"""Entity-extraction throughput (words/s) on SaudiNewsNet articles.

    python benchmarks/ner_speed.py [--articles 1000] [--batch-size 16] [--data PATH]

Times the entities/1 component (model + gazetteer + span rules, batched through
``Entities.pipe``) on analyses that are already tokenized, as the pipeline runs it;
tokenizing is timed apart. Words are whitespace-separated words of the article text.
Prints wall-clock and CPU-time (this process) rates: these machines are shared, so the
CPU-time rate is the steadier figure. A benchmark, not a test.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.analysis import Analysis
from pipeline.doc import Document
from pipeline.registry import build
from snn import DEFAULT_DATA, load  # benchmarks/snn.py

def timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    texts = load(args.data, args.articles)
    words = sum(len(t.split()) for t in texts)
    component = build("entities/1", batch_size=args.batch_size)   # the shipped defaults
    component(Analysis.of(Document("warmup", texts[0])))  # load model and data outside the timing

    analyses: list[Analysis] = []
    tok_wall, tok_cpu = timed(lambda: analyses.extend(Analysis.of(Document(str(i), t))
                                                      for i, t in enumerate(texts)))
    ner_wall, ner_cpu = timed(lambda: component.pipe(analyses))
    mentions = sum(len(a.mentions) for a in analyses)
    print(f"{len(texts)} articles, {words:,} words, {mentions:,} entity mentions")
    print(f"entities/1 (batch {args.batch_size}): {words / ner_wall:,.0f} words/s wall, "
          f"{words / ner_cpu:,.0f} words/s CPU")
    print(f"tokenize (Analysis.of), for reference: {words / tok_wall:,.0f} words/s wall, "
          f"{words / tok_cpu:,.0f} words/s CPU")


if __name__ == "__main__":
    main()
