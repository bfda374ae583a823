"""Normalize + tokenize throughput on SaudiNewsNet articles, one core.

    python benchmarks/text_throughput.py [--articles 2000] [--data PATH]

Prints tokens/s and chars/s for normalize alone and normalize+tokenize+sentences.
A benchmark, not a test: these machines are shared, so read the figure, don't assert it.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.text.normalize import normalize
from pipeline.text.sentences import split_sentences
from pipeline.text.tokenize import tokenize_normalized
from snn import DEFAULT_DATA, load  # benchmarks/snn.py

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = ap.parse_args()
    texts = load(args.data, args.articles)
    chars = sum(map(len, texts))
    tokenize_normalized(normalize(texts[0]))  # load data files outside the timing

    # CPU time of this process: on a shared machine, wall time also counts
    # other people's work. Both are printed; each stage is the best of N runs.
    stages = {
        "normalize": lambda t: normalize(t),
        "normalize+tokenize": lambda t: tokenize_normalized(normalize(t)),
        "normalize+tokenize+sentences": lambda t: split_sentences(t, tokenize_normalized(normalize(t))),
    }
    tokens = sum(len(tokenize_normalized(normalize(t))) for t in texts)
    print(f"{len(texts)} articles, {chars:,} chars, {tokens:,} tokens (best of {args.repeat}, one core)")
    for name, stage in stages.items():
        best = (float("inf"), float("inf"))
        for _ in range(args.repeat):
            c0, w0 = time.process_time(), time.perf_counter()
            for t in texts:
                stage(t)
            best = min(best, (time.process_time() - c0, time.perf_counter() - w0))
        cpu, wall = best
        print(f"{name:30} {tokens / cpu:>10,.0f} tokens/s CPU ({tokens / wall:,.0f} wall)"
              f"  {chars / cpu:>12,.0f} chars/s")


if __name__ == "__main__":
    main()
