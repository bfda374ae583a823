"""Static word vectors for the entity model, trained on raw SaudiNewsNet text.

ANERcorp is small (125k tokens); vectors learnt from millions of words of news let the
model generalise to names and contexts it never saw labelled. Words are our tokens'
normalized forms, so the vectors are keyed by NORM, the same attribute the tokenizer
sets at run time. Articles of the annotated corpus (corpus/ and corpus/ner/) are left out.
Word2Vec (gensim, a training-time dependency only) runs on one worker with a fixed
seed and a stable string hash (Python's own is salted per process), so the vectors
are reproducible.
"""
from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Iterator

from pipeline.text.tokenize import NUMBER, PUNCT, tokenize

NUMBER_WORD = "0"   # every number shares one vector


def articles(path: Path, exclude: set[str], limit: int | None = None) -> Iterator[dict]:
    """SaudiNewsNet's articles (one JSON object per line), in file order, except those
    whose id is in ``exclude``; ``limit``: of the first that many lines only."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            art = json.loads(line)
            if art["id"] not in exclude:
                yield art


def sentences(path: Path, exclude: set[str], limit: int | None = None) -> Iterator[list[str]]:
    """Normalized token lists, one per paragraph of each article (its title first)."""
    for art in articles(path, exclude, limit):
        for para in (art.get("title") or "", *art.get("content", "").split("\n")):
            words = [NUMBER_WORD if t.kind == NUMBER else t.norm
                     for t in tokenize(para) if t.kind != PUNCT]
            if len(words) > 2:
                yield words


def stable_hash(text: str) -> int:
    """Seeds each word's initial vector (gensim hashes ``word + str(seed)``)."""
    return zlib.crc32(text.encode("utf-8"))


def train(corpus: Path, out: Path, exclude: set[str], dim: int = 100, max_words: int = 60000,
          epochs: int = 5, seed: int = 0, limit: int | None = None) -> Path:
    """Train Word2Vec (CBOW) and write it in word2vec text format to ``out``."""
    from gensim.models import Word2Vec

    sents = list(sentences(corpus, exclude, limit))
    model = Word2Vec(vector_size=dim, window=5, min_count=5, max_final_vocab=max_words,
                     workers=1, seed=seed, sg=0, negative=5, epochs=epochs, hashfxn=stable_hash)
    model.build_vocab(sents)
    model.train(sents, total_examples=len(sents), epochs=epochs)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.wv.save_word2vec_format(str(out), binary=False)
    return out


def excluded_ids(corpus_dir: Path) -> set[str]:
    """Articles of the annotated corpus: corpus/*.txt and the entity sets corpus/ner/<split>/*.txt."""
    return {p.stem for p in (*corpus_dir.glob("*.txt"), *corpus_dir.glob("ner/*/*.txt"))}

