"""Language data files shipped under pipeline/data, each loaded once per process.

Data lives in files, never in code (month names, number words, cues, currencies,
clitic exceptions). Loaders are cached; what they return is read-only by convention
(tuples, frozensets, MappingProxyType), so nothing downstream can mutate shared state.
"""
from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources
from types import MappingProxyType

DATA_PACKAGE = "pipeline"
DATA_DIR = "data"


def data_path(name: str):
    return resources.files(DATA_PACKAGE).joinpath(DATA_DIR).joinpath(name)


@cache
def load_json(name: str):
    """A JSON data file from pipeline/data, parsed once."""
    return json.loads(data_path(name).read_text(encoding="utf-8"))


@cache
def lexicon() -> MappingProxyType:
    """Normalized word form → corpus count (pipeline/data/lexicon.tsv.gz)."""
    counts: dict[str, int] = {}
    with data_path("lexicon.tsv.gz").open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            word, count = line.rstrip("\n").split("\t")
            counts[word] = int(count)
    return MappingProxyType(counts)
