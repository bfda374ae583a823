"""The entity model's network: a BiLSTM-CRF over our tokens, with a character CNN.

Each token is its word embedding (looked up by NORM, started from the SaudiNewsNet word
vectors) joined to a character CNN over its letters (max-pooled), so a name never seen in
training still has its spelling to go on. A bidirectional LSTM reads the sentence; a
linear layer scores the BIO tags of each token; a CRF scores tag transitions, so the best
sequence is found as a whole (Viterbi) rather than token by token. Transitions the BIO
scheme forbids (O → I-X, B-X → I-Y, I-X → I-Y, sentence start → I-X) are masked, in
training and in decoding, so every decoded sequence reads as entities without repair
(``pipeline.conll.tag_entities`` reads them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple, Sequence

import torch
from torch import nn

from pipeline.ner.vectors import NUMBER_WORD

PAD, UNK = 0, 1                 # row 0: padding; row 1: unknown word or character
# The vectors give every token of kind NUMBER the row NUMBER_WORD; a spaCy token has no
# kind, but our tokenizer's words never hold a digit, so a digit marks a number.
_DIGIT = re.compile(r"\d")
FORBIDDEN = -10000.0            # score of a transition BIO does not allow


def bio_tags(labels: Sequence[str]) -> list[str]:
    """O, then B-X and I-X for each label X."""
    return ["O"] + [f"{p}-{label}" for label in labels for p in "BI"]


def allowed(prev: str, tag: str) -> bool:
    """May ``tag`` follow ``prev`` (None: sentence start) in BIO?"""
    if not tag.startswith("I-"):
        return True
    return prev is not None and prev != "O" and prev[2:] == tag[2:]


def word_key(norm: str) -> str:
    """The embedding key of a token: its normalized form, or one key for every number."""
    return NUMBER_WORD if _DIGIT.search(norm) else norm


@dataclass(frozen=True)
class Sizes:
    words: int
    chars: int
    tags: int
    word_dim: int
    char_dim: int
    char_filters: int
    hidden: int
    dropout: float


class BiLstmCrf(nn.Module):
    def __init__(self, sizes: Sizes, tags: Sequence[str]):
        super().__init__()
        self.sizes = sizes
        self.words = nn.Embedding(sizes.words, sizes.word_dim, padding_idx=PAD)
        self.chars = nn.Embedding(sizes.chars, sizes.char_dim, padding_idx=PAD)
        self.conv = nn.Conv1d(sizes.char_dim, sizes.char_filters, kernel_size=3, padding=1)
        self.drop = nn.Dropout(sizes.dropout)
        self.lstm = nn.LSTM(sizes.word_dim + sizes.char_filters, sizes.hidden,
                            batch_first=True, bidirectional=True)
        self.emit = nn.Linear(2 * sizes.hidden, sizes.tags)
        self.trans = nn.Parameter(torch.zeros(sizes.tags, sizes.tags))   # trans[i, j]: i → j
        self.start = nn.Parameter(torch.zeros(sizes.tags))
        self.end = nn.Parameter(torch.zeros(sizes.tags))
        mask = torch.tensor([[0.0 if allowed(a, b) else FORBIDDEN for b in tags] for a in tags])
        start_mask = torch.tensor([0.0 if allowed(None, b) else FORBIDDEN for b in tags])
        self.register_buffer("trans_mask", mask, persistent=False)
        self.register_buffer("start_mask", start_mask, persistent=False)

    def encode(self, words: torch.Tensor, spellings: torch.Tensor, spelling_ids: torch.Tensor,
               lengths: torch.Tensor) -> torch.Tensor:
        """words (B, L), spellings (S, C) with spelling_ids (B, L) into them, lengths (B,) →
        the BiLSTM's states (B, L, 2 * hidden): forward first, then backward. The character
        CNN runs once per distinct spelling of the batch."""
        ch = self.chars(spellings).transpose(1, 2)
        ch = torch.relu(self.conv(ch)).max(dim=2).values[spelling_ids]
        x = self.drop(torch.cat([self.words(words), ch], dim=-1))
        n = words.shape[1]
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=n)
        return h

    def emissions(self, words: torch.Tensor, spellings: torch.Tensor, spelling_ids: torch.Tensor,
                  lengths: torch.Tensor) -> torch.Tensor:
        """Tag scores (B, L, T) of ``encode``'s states."""
        return self.emit(self.drop(self.encode(words, spellings, spelling_ids, lengths)))

    def _trans(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.trans + self.trans_mask, self.start + self.start_mask

    def _log_z(self, emissions: torch.Tensor, mask: torch.Tensor, trans: torch.Tensor,
               start: torch.Tensor) -> torch.Tensor:
        """Log of the summed scores of every tag path of each sentence (forward algorithm)."""
        alpha = start + emissions[:, 0]
        for t in range(1, emissions.shape[1]):
            step = torch.logsumexp(alpha.unsqueeze(2) + trans + emissions[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, t].unsqueeze(1), step, alpha)
        return torch.logsumexp(alpha + self.end, dim=1)

    def nll(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor,
            known: torch.Tensor) -> torch.Tensor:
        """Summed negative log-likelihood of the gold tags (B, L) under the CRF. Where
        ``known`` is false the gold tag is missing (spans the corpus could not place on our
        tokens, WikiFANE's MISC): every tag is allowed there, so the likelihood is that of all the
        paths that agree with the known tags, and a missing token is never taught as O."""
        trans, start = self._trans()
        one_hot = nn.functional.one_hot(tags, emissions.shape[2]).bool()
        agree = one_hot | ~known.unsqueeze(2)     # the tags each position may take
        clamped = emissions.masked_fill(~agree, FORBIDDEN)
        gold = self._log_z(clamped, mask, trans, start)
        return (self._log_z(emissions, mask, trans, start) - gold).sum()

    @torch.no_grad()
    def decode(self, emissions: torch.Tensor, lengths: Sequence[int]) -> list[list[int]]:
        """The best tag sequence of each sentence (Viterbi, batched over sentences)."""
        trans, start = self._trans()
        b, n, _ = emissions.shape
        score = start + emissions[:, 0]
        back = []
        lens = torch.as_tensor(lengths)
        for t in range(1, n):
            best, idx = (score.unsqueeze(2) + trans).max(dim=1)
            on = (t < lens).unsqueeze(1)
            score = torch.where(on, best + emissions[:, t], score)
            back.append(idx)
        last = (score + self.end).argmax(dim=1).tolist()
        back = torch.stack(back).numpy() if back else None   # (L - 1, B, T)
        paths = []
        for i, length in enumerate(lengths):
            k = last[i]
            path = [k]
            for t in range(length - 1, 0, -1):
                k = int(back[t - 1, i, k])
                path.append(k)
            paths.append(path[::-1])
        return paths


class Batch(NamedTuple):
    words: torch.Tensor          # (B, L) word rows
    spellings: torch.Tensor      # (S, C) character rows of each distinct spelling
    spelling_ids: torch.Tensor   # (B, L) rows of ``spellings``
    lengths: torch.Tensor        # (B,)
    mask: torch.Tensor           # (B, L) true on real tokens

    def inputs(self) -> tuple[torch.Tensor, ...]:
        """The arguments of ``BiLstmCrf.encode`` and ``BiLstmCrf.emissions``."""
        return self.words, self.spellings, self.spelling_ids, self.lengths


class Encoder:
    """Token strings → index tensors for the network, from the model's word and character lists."""

    def __init__(self, words: Sequence[str], chars: Sequence[str], max_chars: int):
        self.word_ids = {w: i for i, w in enumerate(words)}
        self.char_ids = {c: i for i, c in enumerate(chars)}
        self.max_chars = max_chars

    def word(self, norm: str) -> int:
        return self.word_ids.get(word_key(norm), UNK)

    def spelling(self, text: str) -> list[int]:
        """Character ids of a token: all of them, or its first and last max_chars/2."""
        if self.max_chars < 2:
            raise ValueError(f"max_chars must be at least 2, not {self.max_chars}")
        if len(text) > self.max_chars:
            half = self.max_chars // 2
            text = text[:half] + text[-half:]
        return [self.char_ids.get(c, UNK) for c in text]

    def batch(self, sentences: Sequence[tuple[Sequence[str], Sequence[str]]]) -> Batch:
        """(norms, texts) per sentence → the network's inputs. Row 0 of ``spellings`` is all
        padding, the spelling of padded positions."""
        lengths = [len(norms) for norms, _ in sentences]
        n = max(lengths)
        spelling_rows: dict[str, int] = {}
        spellings = [[PAD] * self.max_chars]
        words, spelling_ids = [], []
        for norms, texts in sentences:
            words.append([self.word(w) for w in norms] + [PAD] * (n - len(norms)))
            row = []
            for text in texts:
                k = spelling_rows.get(text)
                if k is None:
                    ids = self.spelling(text)
                    k = spelling_rows[text] = len(spellings)
                    spellings.append(ids + [PAD] * (self.max_chars - len(ids)))
                row.append(k)
            spelling_ids.append(row + [0] * (n - len(texts)))
        lens = torch.tensor(lengths)
        mask = torch.arange(n).unsqueeze(0) < lens.unsqueeze(1)
        return Batch(torch.tensor(words), torch.tensor(spellings), torch.tensor(spelling_ids), lens, mask)
