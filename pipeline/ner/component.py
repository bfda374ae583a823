"""The entity model as a spaCy pipeline component: ``claims_bilstm_crf``.

The shipped model (pipeline/models/ner) is a spaCy pipeline with our tokenizer and this one
component, so it loads with ``spacy.load`` and runs with ``nlp.pipe`` like any spaCy NER:
it sets ``doc.ents``. The network is pipeline/ner/tagger.py; its settings are the
component's config in pipeline/ner/config.cfg. On disk the component keeps
``tagger.json`` (its word and character lists and tags) and ``weights.pt`` (the
network's parameters); pipeline/ner/fit.py trains it.

A Doc is tagged as one sequence; filler tokens (whitespace and invisible controls between
our tokens, pipeline/text/spacy_lang.py) are tagged too, as the training Docs hold them,
and an entity never starts or ends on one.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import torch
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from pipeline.conll import tag_entities
from pipeline.ner.tagger import BiLstmCrf, Encoder, Sizes, bio_tags
from pipeline.text.spacy_lang import is_blank   # also registers the tokenizer the config names

FACTORY = "claims_bilstm_crf"
STATE = "tagger.json"
WEIGHTS = "weights.pt"


class EntityTagger:
    def __init__(self, vocab, name: str, labels: Sequence[str], word_dim: int, char_dim: int,
                 char_filters: int, hidden: int, dropout: float, max_chars: int):
        self.vocab = vocab
        self.name = name
        self.labels = tuple(labels)
        self.tags = bio_tags(self.labels)
        self.settings = dict(word_dim=word_dim, char_dim=char_dim, char_filters=char_filters,
                             hidden=hidden, dropout=dropout)
        self.max_chars = max_chars
        self.net: BiLstmCrf | None = None
        self.encoder: Encoder | None = None
        self.words: list[str] = []
        self.chars: list[str] = []

    def initialize(self, words: Sequence[str], chars: Sequence[str]) -> BiLstmCrf:
        """A fresh network over these word and character lists (rows 0 and 1: padding, unknown)."""
        self.words, self.chars = list(words), list(chars)
        self.encoder = Encoder(self.words, self.chars, self.max_chars)
        sizes = Sizes(words=len(self.words), chars=len(self.chars), tags=len(self.tags), **self.settings)
        self.net = BiLstmCrf(sizes, self.tags)
        self.net.eval()
        return self.net

    def _ready(self) -> BiLstmCrf:
        if self.net is None:
            raise ValueError(f"component {self.name!r} has no trained network: load a trained model")
        return self.net

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            self.set_annotations(batch, self.predict(batch))
            yield from batch

    def predict(self, docs: Sequence[Doc]) -> list[list[str]]:
        """The best BIO tag sequence of each Doc."""
        net = self._ready()
        out: list[list[str]] = [[] for _ in docs]
        todo = [i for i, d in enumerate(docs) if len(d)]
        if not todo:
            return out
        batch = self.encoder.batch([self.features(docs[i]) for i in todo])
        with torch.no_grad():
            paths = net.decode(net.emissions(*batch.inputs()), batch.lengths.tolist())
        for i, path in zip(todo, paths):
            out[i] = [self.tags[k] for k in path]
        return out

    @staticmethod
    def features(doc: Doc) -> tuple[list[str], list[str]]:
        return [t.norm_ for t in doc], [t.text for t in doc]

    def set_annotations(self, docs: Sequence[Doc], tags: Sequence[Sequence[str]]) -> None:
        for doc, seq in zip(docs, tags):
            spans = []
            for ent in tag_entities(seq):
                start, end = ent.start, ent.end
                while start < end and is_blank(doc[start].text):
                    start += 1
                while end > start and is_blank(doc[end - 1].text):
                    end -= 1
                if start < end:
                    spans.append(Span(doc, start, end, label=ent.type))
            doc.ents = spans

    def to_disk(self, path, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        state = {"tags": self.tags, "words": self.words, "chars": self.chars}
        (path / STATE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        torch.save(self._ready().state_dict(), path / WEIGHTS)

    def from_disk(self, path, exclude=tuple()) -> "EntityTagger":
        path = Path(path)
        state = json.loads((path / STATE).read_text(encoding="utf-8"))
        if state["tags"] != self.tags:
            raise ValueError(f"{path}: tags {state['tags']} do not match the config's labels {self.labels}")
        with torch.random.fork_rng():   # the fresh weights are overwritten: leave torch's RNG as it was
            net = self.initialize(state["words"], state["chars"])
        net.load_state_dict(torch.load(path / WEIGHTS, weights_only=True))
        net.eval()
        return self


# The model's sizes. word_dim is the width of the SaudiNewsNet vectors (pipeline/ner/vectors.py);
# max_chars: the character CNN sees a word's first and last 8 letters.
@Language.factory(FACTORY, default_config={
    "labels": ["PER", "ORG", "LOC", "MISC"], "word_dim": 100, "char_dim": 32, "char_filters": 64,
    "hidden": 128, "dropout": 0.5, "max_chars": 16})
def make_entity_tagger(nlp: Language, name: str, labels: list[str], word_dim: int, char_dim: int,
                       char_filters: int, hidden: int, dropout: float, max_chars: int) -> EntityTagger:
    return EntityTagger(nlp.vocab, name, labels, word_dim, char_dim, char_filters, hidden, dropout,
                        max_chars)
