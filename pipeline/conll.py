"""CoNLL entity files (ANERcorp's format) and exact-match entity scoring on them.

A file has one "token TAG" per line (space or tab between them) and a blank line
between sentences. Tags are BIO (IOB2) or IOB1; both are read with conlleval's chunk
rules, which accept either: an entity starts at B-X, or at I-X after O or after a
different type, and runs while I-X follows. "PERS" and "PER" both mean a person.
(ANERcorp's CAMeL test split has 74 such stray I- tags in its BIO, so it holds 2,285
entities by these rules, as conlleval and seqeval's default mode count them, against
2,211 B- tags.)

To score our extractor, each sentence becomes a text by joining its tokens with one
space; the extractor's character spans are mapped back onto the file's tokens by
offsets (a predicted span covers every file token it shares a character with), so a
file token "وموسكو" tagged B-LOC matches our "موسكو" (the clitic split off) without
any string search. Scores are CoNLL exact match: the ``strict`` scheme of
``pipeline.scoring``, per type and micro-averaged.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

from pipeline import scoring

TYPE_ALIASES = {"PERS": "PER"}
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
DOCSTART = "-DOCSTART-"


class ConllError(ValueError):
    """A line that is not "token TAG"."""


class Entity(NamedTuple):
    """An entity over token indices ``[start, end)``; ``value`` is there for the scorer."""

    type: str
    start: int
    end: int
    value: None = None


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    line: int            # line number of the first token, for messages

    @property
    def entities(self) -> list[Entity]:
        return tag_entities(self.tags)


def _split_tag(tag: str) -> tuple[str, str]:
    if tag == "O":
        return "O", ""
    prefix, sep, kind = tag.partition("-")
    if not sep or prefix not in ("B", "I") or not kind:
        raise ConllError(f"unknown tag {tag!r}")
    return prefix, TYPE_ALIASES.get(kind, kind)


def tag_entities(tags: Sequence[str]) -> list[Entity]:
    """Entities of one sentence's BIO or IOB1 tags."""
    out: list[Entity] = []
    start, kind = None, ""
    for i, tag in enumerate((*tags, "O")):
        prefix, t = _split_tag(tag)
        continues = prefix == "I" and start is not None and t == kind
        if start is not None and not continues:
            out.append(Entity(kind, start, i))
            start = None
        if prefix != "O" and not continues:
            start, kind = i, t
    return out


def parse(lines: Iterable[str], name: str = "<conll>") -> list[Sentence]:
    """Sentences of a CoNLL text (a leading byte order mark and CR line ends are fine)."""
    sentences: list[Sentence] = []
    tokens, tags, first = [], [], 0

    def flush() -> None:
        if tokens:
            sentences.append(Sentence(tuple(tokens), tuple(tags), first))
            tokens.clear()
            tags.clear()

    for n, raw in enumerate(lines, 1):
        line = raw.lstrip("\ufeff") if n == 1 else raw
        line = line.rstrip("\r\n")
        if not line.strip():
            flush()
            continue
        parts = line.split()
        if parts[0] == DOCSTART:
            flush()
            continue
        if len(parts) < 2:
            raise ConllError(f"{name}:{n}: expected 'token TAG', got {line!r}")
        try:
            _split_tag(parts[-1])
        except ConllError as exc:
            raise ConllError(f"{name}:{n}: {exc}") from None
        if not tokens:
            first = n
        tokens.append(parts[0])
        tags.append(parts[-1])
    flush()
    return sentences


def read(path: str | Path) -> list[Sentence]:
    with open(path, encoding="utf-8", newline="") as fh:
        return parse(fh, str(path))


def write(sentences: Iterable[Sentence], path: str | Path) -> None:
    """Sentences as "token TAG" lines with a blank line after each (what ``read`` reads)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for s in sentences:
            fh.write("".join(f"{tok} {tag}\n" for tok, tag in zip(s.tokens, s.tags)) + "\n")


def sentence_text(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The tokens joined by single spaces, and each token's character span in it."""
    offsets, pos = [], 0
    for tok in tokens:
        offsets.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    return " ".join(tokens), offsets


def to_tokens(spans: Iterable, offsets: Sequence[tuple[int, int]]) -> list[Entity]:
    """Map character spans (anything with type/start/end) onto the file tokens they
    share a character with; spans touching no token are dropped, duplicates merged."""
    starts = [a for a, _ in offsets]
    out: dict[Entity, None] = {}
    for s in spans:
        i = bisect.bisect_right(starts, s.start) - 1   # token starting at or before the span
        if i < 0 or offsets[i][1] <= s.start:
            i += 1                                     # the span starts in a gap: next token
        j = bisect.bisect_left(starts, s.end)          # first token starting at or after its end
        if i < j:
            out[Entity(s.type, i, j)] = None
    return list(out)


@dataclass
class NerResult:
    scores: dict[str, scoring.TypeScore]
    sentences: int
    tokens: int

    @property
    def micro(self) -> scoring.TypeScore:
        return scoring.Score(self.scores).group(self.scores)

    @property
    def entities(self) -> scoring.TypeScore:
        """PER+ORG+LOC, the types ANNOTATION.md scores."""
        return scoring.Score(self.scores).group(scoring.GROUPS["entities"])

    def to_json(self) -> dict:
        return {"sentences": self.sentences, "tokens": self.tokens,
                "types": {t: s.strict.to_json() for t, s in self.scores.items()},
                "entities": self.entities.strict.to_json(), "micro": self.micro.strict.to_json()}


def evaluate(sentences: Sequence[Sentence], extract: Callable[[str], Iterable],
             types: Sequence[str] = ENTITY_TYPES, window: int = 1) -> NerResult:
    """Exact-match scores of ``extract`` (text → mentions with type/start/end character
    offsets) against the file's entities; mentions of other types are ignored.

    ``window`` consecutive sentences are read as one text, one sentence per line, as an
    article's paragraphs are: the extractor sees the sentences around each one (a file
    has no article boundaries). A mention belongs to the sentence it starts in; one that
    runs on into the next sentence matches no entity."""
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    scores = {t: scoring.TypeScore() for t in types}
    n_tok = 0
    for first in range(0, len(sentences), window):
        group = sentences[first:first + window]
        texts = [sentence_text(s.tokens) for s in group]
        bases = [0]
        for text, _ in texts[:-1]:
            bases.append(bases[-1] + len(text) + 1)
        found = [m for m in extract("\n".join(t for t, _ in texts)) if m.type in types]
        for sent, (text, offsets), base in zip(group, texts, bases):
            inside, crossing = [], []
            for m in found:
                if base <= m.start < base + len(text):
                    span = Entity(m.type, m.start - base, min(m.end - base, len(text)))
                    (crossing if m.end - base > len(text) else inside).append(span)
            # A mention that runs on past its sentence cannot be one of the sentence's
            # entities: it stays a false alarm rather than being cut to fit.
            pred = to_tokens(inside, offsets) + [e._replace(end=len(offsets) + 1)
                                                 for e in to_tokens(crossing, offsets)]
            for t, s in scoring.type_scores(scoring.align_spans(sent.entities, pred, types)).items():
                scores[t] = scores[t] + s
            n_tok += len(sent.tokens)
    return NerResult(scores, len(sentences), n_tok)
