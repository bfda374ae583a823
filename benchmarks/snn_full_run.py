"""The whole SaudiNewsNet file (31,023 articles) into SQLite: wall time, words/s, peak
memory per worker, row counts per table, failures.

    nohup python benchmarks/snn_full_run.py --db sqlite:///runs/snn.db --workers 2 > runs/snn_full_run.log 2>&1 &

The same path as `extract FILE --text-field content --title-field title --workers N`.
Every --every seconds a line gives documents, words, words/s so far and the
extrapolated time for the whole file (so a run stopped early still gives a rate);
the end prints the figures and writes them as JSON next to the log (--json).
--limit N stops after N articles; --resume continues a stopped run.
"""
from __future__ import annotations

import argparse
import itertools
import json
import platform
import sys
import time
from pathlib import Path

from pipeline import parallel
from pipeline.inputs import Inputs, JsonlFields
from pipeline.nlp import Pipeline
from pipeline.output import db
from pipeline.run import DbSink, FailuresFile, RunStats, run
from snn import DEFAULT_DATA  # benchmarks/snn.py

SNN_FIELDS = JsonlFields(text="content", id="id", date="date", title="title")
SNN_ARTICLES = 31_023


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--db", default="sqlite:///runs/snn.db")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--every", type=float, default=60.0, help="seconds between progress lines")
    ap.add_argument("--json", type=Path, default=Path("runs/snn_full_run.json"))
    ap.add_argument("--failures", type=Path, default=Path("runs/snn_failures.jsonl"))
    args = ap.parse_args()

    nlp = Pipeline.default()
    print(f"pipeline: {', '.join(nlp.names)}; {args.workers} workers; {args.db}; python {platform.python_version()}",
          flush=True)
    source = Inputs([str(args.data)], fields=SNN_FIELDS)
    items = itertools.islice(source, args.limit) if args.limit else source
    total = args.limit or SNN_ARTICLES
    sink = DbSink(args.db)
    failures = FailuresFile(args.failures)
    executor = parallel.ProcessPool(nlp.steps, args.workers) if args.workers > 1 else parallel.InProcess(nlp)
    last = [time.perf_counter()]

    def report(stats: RunStats) -> None:
        now = time.perf_counter()
        if now - last[0] < args.every:
            return
        last[0] = now
        done = stats.documents + len(stats.failures) + stats.skipped
        rate = stats.words / stats.seconds
        eta = stats.seconds * (total - done) / max(stats.documents + len(stats.failures), 1)
        print(f"[{stats.seconds:8.0f} s] {done}/{total} articles ({stats.documents} written, {len(stats.failures)} "
              f"failed, {stats.skipped} skipped), {stats.words:,} words, {rate:,.0f} words/s, "
              f"{stats.documents / stats.seconds:.1f} docs/s; extrapolated remaining {eta / 60:.0f} min; "
              f"peak MiB per worker {[round(kb / 1024) for kb in stats.peak_kb.values()]}", flush=True)

    try:
        stats = run(items, nlp, sink, on_error=failures.add, progress=report, executor=executor, resume=args.resume)
    finally:
        executor.close()
        failures.close()
    counts = db.counts(sink.engine)
    sink.close()
    result = {
        "pipeline": nlp.names, "workers": args.workers, "db": args.db, "interrupted": stats.interrupted,
        "articles_written": stats.documents, "failed": len(stats.failures), "skipped": stats.skipped,
        "words": stats.words, "wall_seconds": round(stats.seconds, 1),
        "words_per_second": round(stats.words / stats.seconds),
        "docs_per_second": round(stats.documents / stats.seconds, 2),
        "peak_mib_per_worker": {w: round(kb / 1024) for w, kb in stats.peak_kb.items()},
        "parent_peak_mib": round(parallel.peak_kb() / 1024),  # reads, writes to the database
        "row_counts": counts, "failure_reasons": sorted({f.reason.split(":")[0] for f in stats.failures}),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1), flush=True)
    return 1 if stats.interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
