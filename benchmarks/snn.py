"""The SaudiNewsNet file the benchmarks read, and a loader for its first N articles."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/saudinewsnet/saudinewsnet.jsonl.gz"


def load(path: Path, n: int) -> list[str]:
    """Title + newline + content of the first ``n`` articles (as `extract` stores them)."""
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            texts.append(art["title"] + "\n" + art["content"])
            if len(texts) == n:
                break
    return texts
