"""Pretrain the entity model's token-to-vector layer on raw SaudiNewsNet text.

``spacy pretrain`` with the characters objective (pipeline/ner/config.cfg,
``[pretraining]``): the tok2vec learns to predict the first and last letters of each
word from its context, on news paragraphs nobody annotated, before it sees ANERcorp.
Articles of the annotated corpus (corpus/, corpus/ner/) are left out, as for the vectors.

Kept because it measurably helps: with the same data and settings, F1 on the ANERcorp dev
split peaked at 0.678 without pretraining and 0.694 after one epoch over 1.7M words. The
shipped model is pretrained for one epoch over 4.4M words.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

MIN_WORDS = 5


def write_raw_text(corpus: Path, out: Path, exclude: set[str], skip: int, limit: int) -> int:
    """Paragraphs of articles ``skip`` .. ``skip + limit`` as spaCy JSONL ({"text": ...}).
    Returns the number of words written."""
    words = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(corpus, "rt", encoding="utf-8") as fh, open(out, "w", encoding="utf-8") as w:
        for n, line in enumerate(fh):
            if n < skip:
                continue
            if n >= skip + limit:
                break
            art = json.loads(line)
            if art["id"] in exclude:
                continue
            for para in art.get("content", "").split("\n"):
                k = len(para.split())
                if k >= MIN_WORDS:
                    w.write(json.dumps({"text": para.strip()}, ensure_ascii=False) + "\n")
                    words += k
    return words


def vector_settings(vectors_dir: Path | None) -> dict:
    """Config overrides for the static vectors (training and pretraining share them)."""
    if vectors_dir is None:
        return {"paths.vectors": None, "components.tok2vec.model.embed.include_static_vectors": False}
    return {"paths.vectors": str(vectors_dir)}


def pretrain(config: Path, vectors_dir: Path | None, raw_text: Path, out: Path,
             overrides: dict | None = None) -> Path:
    """Run spacy pretrain; returns the tok2vec weights file of the last save."""
    import pipeline.ner.lang  # noqa: F401  (registers the tokenizer and lexical attributes)
    from spacy import util
    from spacy.training.pretrain import pretrain as spacy_pretrain

    settings = {"paths.raw_text": str(raw_text), **vector_settings(vectors_dir), **(overrides or {})}
    cfg = util.load_config(config, overrides=settings, interpolate=True)
    out.mkdir(parents=True, exist_ok=True)
    spacy_pretrain(cfg, out, silent=False)
    return out / "model-last.bin"
