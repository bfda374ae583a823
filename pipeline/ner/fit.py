"""Train the entity model (pipeline/ner/component.py) on the DocBins ``train-ner`` writes.

The settings are pipeline/ner/config.cfg's ``[fit]`` section. Word rows: every word of
the SaudiNewsNet vectors (started from its vector, scaled to unit length) and every word
seen at least ``min_word_count`` times in the distinct training texts (started at random);
character rows: every character of the training text. With a pretrained encoder
(pipeline/ner/pretrain.py, made over the same lists) the embeddings, character CNN and
BiLSTM start from its weights instead. Tokens the corpus leaves without a
tag (spans it could not place on our tokens, WikiFANE's MISC) may take any tag in the CRF's
likelihood (``BiLstmCrf.nll``). Each epoch goes once over the training Docs in batches of
similar length, in an order fixed by the seed; after each epoch the model is scored on
the dev Docs (exact entity spans on our tokens, before the component trims filler tokens
off their edges; micro F1) and the best epoch is kept, on disk and in ``nlp``. Training
stops after ``patience`` epochs without a better dev score, or at ``max_epochs``.
``finetune`` then runs the same loop on a trained model with its own settings
(config.cfg's ``[finetune]``), the trained model being the dev score to beat. Torch
runs on ``threads`` threads (set for the whole process, as is its seed), fixed because
the floating-point sums, and so the model, depend on the thread count.
"""
from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from pipeline.ner.component import EntityTagger
from pipeline import scoring
from pipeline.ner import pretrain
from pipeline.conll import tag_entities
from pipeline.ner.tagger import PAD, UNK, word_key

PADDING, UNKNOWN = "<pad>", "<unk>"


def read_docs(nlp: Language, path: Path) -> list[Doc]:
    return [d for d in DocBin().from_disk(path).get_docs(nlp.vocab) if len(d)]


MISSING = None   # a token whose tag the corpus does not give (spaCy's ent_iob_ "")


def gold_tags(doc: Doc) -> list[str | None]:
    return [MISSING if t.ent_iob_ == "" else "O" if t.ent_iob_ == "O" else f"{t.ent_iob_}-{t.ent_type_}"
            for t in doc]


def read_vectors(path: Path) -> dict[str, np.ndarray]:
    """word2vec text format (pipeline/ner/vectors.py writes it)."""
    vectors = {}
    with open(path, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            word, *values = line.rstrip("\n").split(" ")
            vectors[word] = np.asarray(values, dtype=np.float32)
    return vectors


def distinct(docs: Sequence[Doc]) -> list[Doc]:
    """Each text once: the training set repeats corpora (ANER_COPIES, SNN_COPIES)."""
    first: dict[str, Doc] = {}
    for d in docs:
        first.setdefault(d.text, d)
    return list(first.values())


def word_list(train: Sequence[Doc], vectors: dict[str, np.ndarray], min_count: int) -> list[str]:
    counts = Counter(word_key(t.norm_) for d in distinct(train) for t in d)
    seen = {w for w, n in counts.items() if n >= min_count}
    return [PADDING, UNKNOWN] + sorted((set(vectors) | seen) - {PADDING, UNKNOWN})


def char_list(train: Sequence[Doc]) -> list[str]:
    return [PADDING, UNKNOWN] + sorted({c for d in train for t in d for c in t.text})


def start_embeddings(net, words: Sequence[str], vectors: dict[str, np.ndarray], gen: torch.Generator) -> None:
    widths = {len(v) for v in vectors.values()} - {net.sizes.word_dim}
    if widths:
        raise ValueError(f"vectors of width {sorted(widths)}; the model's word_dim is {net.sizes.word_dim}")
    table = torch.randn(len(words), net.sizes.word_dim, generator=gen) * 0.1
    table[PAD] = 0
    for i, w in enumerate(words):
        if w in vectors:
            v = torch.from_numpy(vectors[w])
            table[i] = v / (v.norm() + 1e-8)
    with torch.no_grad():
        net.words.weight.copy_(table)


def span_f1(tagger: EntityTagger, docs: Sequence[Doc], batch_size: int = 64) -> float:
    """Micro F1 of exact entity spans (the strict scheme, as ``ner-eval`` scores CoNLL files)."""
    total = scoring.PRF()
    for i in range(0, len(docs), batch_size):
        batch = docs[i:i + batch_size]
        for doc, pred in zip(batch, tagger.predict(batch)):
            gold = tag_entities([t or "O" for t in gold_tags(doc)])
            aligned = scoring.align_spans(gold, tag_entities(pred), tagger.labels)
            for score in scoring.type_scores(aligned).values():
                total = total + score.strict
    return total.f1 or 0.0


def batches(docs: Sequence[Doc], size: int, rng: random.Random) -> list[list[int]]:
    """Indices in batches of Docs of similar length, the batches shuffled."""
    order = sorted(range(len(docs)), key=lambda i: (len(docs[i]) + rng.random() * 8))
    out = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(out)
    return out


def initialize(tagger: EntityTagger, train: Sequence[Doc], vectors: dict[str, np.ndarray],
               min_word_count: int, gen: torch.Generator):
    """A fresh network over the training set's word and character lists, its word
    embeddings started from the vectors."""
    net = tagger.initialize(word_list(train, vectors, min_word_count), char_list(train))
    start_embeddings(net, tagger.words, vectors, gen)
    return net


def load_encoder(tagger: EntityTagger, path: Path) -> None:
    """Start the network's encoder from a pretrained one (pipeline/ner/pretrain.py), made
    over the same word and character lists."""
    saved = torch.load(path, weights_only=True)
    if saved["words"] != tagger.words or saved["chars"] != tagger.chars:
        raise ValueError(f"{path}: the pretrained encoder has other word or character lists "
                         "than this training set (delete it to pretrain again)")
    ours = pretrain.encoder_state(tagger.net)
    if saved["state"].keys() != ours.keys() or any(v.shape != ours[k].shape for k, v in saved["state"].items()):
        raise ValueError(f"{path}: not an encoder of this network (other layers or sizes; "
                         "delete it to pretrain again)")
    tagger.net.load_state_dict(saved["state"], strict=False)


def fit(nlp: Language, train: Sequence[Doc], dev: Sequence[Doc], vectors: dict[str, np.ndarray],
        settings: dict, out: Path, log=print, encoder: Path | None = None) -> float:
    """Train the pipeline's entity component, its encoder started from ``encoder`` when
    given; the best epoch's pipeline is written to ``out``. Returns its dev F1."""
    if settings["max_epochs"] < 1:
        raise ValueError(f"max_epochs must be at least 1, got {settings['max_epochs']}")
    rng, gen = _seed(settings)
    tagger: EntityTagger = nlp.get_pipe("ner")
    initialize(tagger, train, vectors, settings["min_word_count"], gen)
    if encoder is not None:
        load_encoder(tagger, encoder)
    return _epochs(nlp, train, dev, settings, out, log, rng, gen)


def finetune(nlp: Language, train: Sequence[Doc], dev: Sequence[Doc], settings: dict, out: Path,
             log=print) -> float:
    """Go on training the pipeline's trained entity component on ``train`` (fit's loop, with
    ``settings``: fewer epochs at a lower rate). The model as it starts is the one to beat:
    an epoch is kept only if its dev F1 is higher, so ``out`` is never worse on dev than the
    start. Returns the kept model's dev F1."""
    rng, gen = _seed(settings)
    tagger: EntityTagger = nlp.get_pipe("ner")
    tagger.net.eval()   # the start is scored as it predicts, without dropout
    start = span_f1(tagger, dev)
    log(f"start: dev F1 {start:.4f}")
    nlp.to_disk(out)
    best = _epochs(nlp, train, dev, settings, out, log, rng, gen, best=start)
    if best == start:
        log("no epoch beat the start: the trained model is kept as it was")
    return best


def _seed(settings: dict) -> tuple[random.Random, torch.Generator]:
    torch.set_num_threads(settings["threads"])
    torch.manual_seed(settings["seed"])
    return random.Random(settings["seed"]), torch.Generator().manual_seed(settings["seed"])


def _epochs(nlp: Language, train: Sequence[Doc], dev: Sequence[Doc], settings: dict, out: Path,
            log, rng: random.Random, gen: torch.Generator, best: float = -1.0) -> float:
    """Epochs over ``train``; each one that beats ``best`` on dev is written to ``out``.
    Ends with the best epoch's weights in ``nlp`` (the start's, when none beat it)."""
    tagger: EntityTagger = nlp.get_pipe("ner")
    net = tagger.net
    tag_ids = {t: i for i, t in enumerate(tagger.tags)}
    examples = [(tagger.features(d), [-1 if t is MISSING else tag_ids[t] for t in gold_tags(d)])
                for d in train]
    opt = torch.optim.Adam(net.parameters(), lr=settings["learn_rate"])
    best_epoch, best_state, t0 = -1, _snapshot(net), time.time()
    for epoch in range(settings["max_epochs"]):
        net.train()
        total = 0.0
        for idx in batches(train, settings["batch_size"], rng):
            feats = [examples[i][0] for i in idx]
            batch = tagger.encoder.batch(feats)
            words, mask = batch.words, batch.mask
            if settings["word_dropout"]:
                drop = torch.rand(words.shape, generator=gen) < settings["word_dropout"]
                batch = batch._replace(words=torch.where(drop & mask, torch.full_like(words, UNK), words))
            gold = torch.full_like(words, -1)
            for b, i in enumerate(idx):
                gold[b, :len(examples[i][1])] = torch.tensor(examples[i][1])
            known = gold >= 0
            loss = net.nll(net.emissions(*batch.inputs()), gold.clamp(min=0), mask, known & mask)
            opt.zero_grad()
            (loss / len(idx)).backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), settings["grad_clip"])
            opt.step()
            total += float(loss.detach())
        net.eval()
        score = span_f1(tagger, dev)
        log(f"epoch {epoch}: loss {total:.0f}, dev F1 {score:.4f} ({time.time() - t0:.0f}s)")
        if score > best:
            best, best_epoch, best_state = score, epoch, _snapshot(net)
            nlp.to_disk(out)
        elif epoch - best_epoch >= settings["patience"]:
            break
    net.load_state_dict(best_state)   # the pipeline in memory is the one written to ``out``
    log(f"best: epoch {best_epoch}, dev F1 {best:.4f}")
    return best


def _snapshot(net) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in net.state_dict().items()}
