"""Entity-extraction throughput (words/s) on SaudiNewsNet articles, on N cores.

    python benchmarks/ner_speed.py [--articles 1000] [--workers 2] [--batch-size 64] [--data PATH]
                                   [--model ABSOLUTE_PATH]   (default: the shipped model)

Times the entities/4 component (model + gazetteer + span rules, batched through
``Entities.pipe``) on analyses that are already tokenized, as the pipeline runs it;
tokenizing is timed apart. The articles are split between ``--workers`` processes (one
per core; the model runs single-threaded in each), which load the model, tokenize
their share, then wait at a barrier so the timed part starts together; the rate is all
words over the slowest worker's time. Words are whitespace-separated words of the
article text. Prints wall-clock and CPU-time rates: these machines are shared, so the
CPU-time rate is the steadier figure. A benchmark, not a test.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import time
from pathlib import Path

from snn import DEFAULT_DATA, load  # benchmarks/snn.py

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(var, "1")   # one core per worker: the workers are the parallelism


def timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def worker(texts: list[str], batch_size: int, model: str | None, barrier, out) -> None:
    from pipeline.analysis import Analysis
    from pipeline.doc import Document
    from pipeline.entity_eval import entity_component

    try:
        component = entity_component(model)
        component.batch_size = batch_size
        component(Analysis.of(Document("warmup", texts[0])))  # load model and data outside the timing
        analyses: list[Analysis] = []
        tok_wall, tok_cpu = timed(lambda: analyses.extend(Analysis.of(Document(str(i), t))
                                                          for i, t in enumerate(texts)))
        barrier.wait()
        ner_wall, ner_cpu = timed(lambda: component.pipe(analyses))
    except BaseException as exc:   # let the others and the parent stop instead of waiting forever
        barrier.abort()
        out.put({"error": f"{type(exc).__name__}: {exc}"})
        raise
    out.put({"words": sum(len(t.split()) for t in texts), "mentions": sum(len(a.mentions) for a in analyses),
             "ner_wall": ner_wall, "ner_cpu": ner_cpu, "tok_wall": tok_wall, "tok_cpu": tok_cpu})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--model", default=None, help="a model directory (absolute path) instead of the shipped one")
    args = ap.parse_args()
    texts = load(args.data, args.articles)
    if not 1 <= args.workers <= len(texts):
        raise SystemExit(f"--workers must be between 1 and the number of articles ({len(texts)})")
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(args.workers), ctx.Queue()
    procs = [ctx.Process(target=worker, args=(texts[k::args.workers], args.batch_size, args.model,
                                                       barrier, out))
             for k in range(args.workers)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]   # every worker puts one record, result or error
    for p in procs:
        p.join()
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise SystemExit("a worker failed: " + "; ".join(errors))
    words = sum(r["words"] for r in results)
    mentions = sum(r["mentions"] for r in results)
    wall = max(r["ner_wall"] for r in results)
    cpu = sum(r["ner_cpu"] for r in results)
    print(f"{len(texts)} articles, {words:,} words, {mentions:,} entity mentions, {args.workers} workers")
    print(f"entities/4 (batch {args.batch_size}): {words / wall:,.0f} words/s wall on {args.workers} cores, "
          f"{words / cpu:,.0f} words/s per CPU-second")
    tok_wall = max(r["tok_wall"] for r in results)
    print(f"tokenize (Analysis.of), for reference: {words / tok_wall:,.0f} words/s wall on {args.workers} cores")


if __name__ == "__main__":
    main()
