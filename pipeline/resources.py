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


def normalized_words(words) -> frozenset:
    """A data-file word list as a set of normalized words (data is matched normalized)."""
    from pipeline.text.normalize import normalize_str
    return frozenset(normalize_str(w) for w in words)


def normalized_phrases(phrases) -> tuple:
    """A data-file list of phrases (word lists) as tuples of normalized words."""
    from pipeline.text.normalize import normalize_str
    return tuple(tuple(normalize_str(w) for w in p) for p in phrases)


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
