"""Pretrain the entity model's encoder as a language model on raw SaudiNewsNet text.

ANERcorp labels 125k tokens; SaudiNewsNet holds millions more, unlabelled. Before fit.py
trains the entity model, its encoder (word embeddings, character CNN and BiLSTM:
``BiLstmCrf.encode`` in pipeline/ner/tagger.py) learns to predict each token from the
tokens before it (the forward LSTM) and from the tokens after it (the backward LSTM), so
it learns what the contexts names stand in look like. Text: the paragraphs of the
articles in file order (the annotated corpus left out), as our tokenizer reads them, cut
into pieces of at most ``max_len`` tokens, in batches of pieces of similar length; the
file is read again from its start when ``steps`` asks for more. Each direction predicts
through an adaptive softmax over the ``classes`` most frequent words of the vectors (the
word2vec file lists them most frequent first), one more class standing for every other
token. Only the encoder's weights are kept: fit.py starts the entity model from them.
Settings: config.cfg ``[pretrain]``; fixed seed, one thread, as fit.py.
"""
from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import torch
from torch import nn

from pipeline.ner.tagger import BiLstmCrf, Encoder, word_key
from pipeline.ner.vectors import articles

Piece = tuple[list[str], list[str]]     # token norms, token texts
MIN_PIECE = 4                           # shorter pieces give too little to predict
POOL = 64                               # batches sorted by length together
# The encoder's parameters: everything but the tag layer and the CRF.
ENCODER = ("words", "chars", "conv", "lstm")


def pieces(corpus: Path, exclude: set[str], nlp, max_len: int) -> Iterator[Piece]:
    """(norms, texts) of every paragraph of every article's text (titles left out), in
    pieces of at most max_len tokens."""
    for art in articles(corpus, exclude):
        for para in art.get("content", "").split("\n"):
            doc = nlp.make_doc(para.strip())
            for i in range(0, len(doc), max_len):
                part = doc[i:i + max_len]
                if len(part) >= MIN_PIECE:
                    yield [t.norm_ for t in part], [t.text for t in part]


def batches(stream: Iterable[Piece], size: int, rng: random.Random) -> Iterator[list[Piece]]:
    """Batches of pieces of similar length: POOL batches' worth at a time, sorted, shuffled."""
    pool: list[Piece] = []

    def flush() -> Iterator[list[Piece]]:
        pool.sort(key=lambda p: len(p[0]))
        out = [pool[i:i + size] for i in range(0, len(pool), size)]
        rng.shuffle(out)
        pool.clear()
        yield from out

    for piece in stream:
        pool.append(piece)
        if len(pool) >= size * POOL:
            yield from flush()
    yield from flush()


def word_classes(vectors_path: Path, n: int) -> dict[str, int]:
    """The first ``n`` words of a word2vec text file → classes 1..n (0: every other token)."""
    out = {}
    with open(vectors_path, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            if len(out) >= n:
                break
            out[line.split(" ", 1)[0]] = len(out) + 1
    return out


def targets(norms: Sequence[Sequence[str]], classes: dict[str, int], length: int) -> torch.Tensor:
    return torch.tensor([[classes.get(word_key(w), 0) for w in row] + [0] * (length - len(row))
                         for row in norms])


def lm_loss(net: BiLstmCrf, heads: nn.ModuleList, encoder: Encoder, batch: Sequence[Piece],
            classes: dict[str, int]) -> torch.Tensor:
    """Mean negative log-likelihood of each next token (forward states) and each previous
    token (backward states) over the batch."""
    inputs = encoder.batch(batch)
    h = net.drop(net.encode(*inputs.inputs()))
    hidden = h.shape[2] // 2
    gold = targets([norms for norms, _ in batch], classes, h.shape[1])
    pairs = inputs.mask[:, 1:]   # (t, t + 1) both inside the piece
    forward = heads[0](h[:, :-1, :hidden][pairs], gold[:, 1:][pairs]).loss
    backward = heads[1](h[:, 1:, hidden:][pairs], gold[:, :-1][pairs]).loss
    return (forward + backward) / 2


def pretrain(net: BiLstmCrf, encoder: Encoder, stream, vectors_path: Path, settings: dict,
             log=print, log_every: int = 500) -> dict[str, torch.Tensor]:
    """Train ``net``'s encoder for ``settings["steps"]`` batches of the pieces ``stream()``
    yields (called again when it runs out); returns the encoder's weights. Every
    ``log_every`` steps the mean loss of those steps is logged."""
    torch.set_num_threads(settings["threads"])
    torch.manual_seed(settings["seed"])
    rng = random.Random(settings["seed"])
    classes = word_classes(vectors_path, settings["classes"])
    heads = nn.ModuleList(
        nn.AdaptiveLogSoftmaxWithLoss(net.sizes.hidden, len(classes) + 1, cutoffs=list(settings["cutoffs"]),
                                      div_value=4.0) for _ in range(2))
    params = [p for name, p in net.named_parameters() if name.split(".")[0] in ENCODER] + list(heads.parameters())
    opt = torch.optim.Adam(params, lr=settings["learn_rate"])
    dropout, net.drop.p = net.drop.p, settings["dropout"]
    net.train()
    step, tokens, t0, total = 0, 0, time.time(), 0.0
    try:
        while step < settings["steps"]:
            before = step
            for batch in batches(stream(), settings["batch_size"], rng):
                loss = lm_loss(net, heads, encoder, batch, classes)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, settings["grad_clip"])
                opt.step()
                step += 1
                tokens += sum(len(norms) for norms, _ in batch)
                total += float(loss.detach())
                if step % log_every == 0:
                    log(f"step {step}: {tokens} tokens, loss {total / log_every:.3f} "
                        f"({tokens / (time.time() - t0):.0f} tokens/s)")
                    total = 0.0
                if step >= settings["steps"]:
                    break
            if step == before:
                raise ValueError("no text to pretrain on: every article is excluded or too short")
    finally:
        net.drop.p = dropout
        net.eval()
    return encoder_state(net)


def encoder_state(net: BiLstmCrf) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in net.state_dict().items() if k.split(".")[0] in ENCODER}
