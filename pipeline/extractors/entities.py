"""Named entities (PER, ORG, LOC, MISC): a trained spaCy model, a gazetteer and a rule
for organization names.

The model (pipeline/models/ner, trained by ``python cli.py train-ner``) runs on our
own tokens: the spaCy Doc is built from ``analysis.tokens``, so its tokens are the
rest of the pipeline's tokens and token offsets are original offsets. Model spans are
cut to the guideline (pipeline/ner/spans.py: clitics, titles, nationality adjectives).

The gazetteer (pipeline/data/gazetteer.jsonl: ``{"label", "pattern"}`` per line, in
natural spelling) is matched over token norms (our normalized forms), longest match
first. The organization-name rule (pipeline/ner/org_names.py, words in
org_names.json) finds names built on a head noun ("صندوق التنمية الصناعية"). How these
rule spans and the model's combine is a named policy (``POLICIES``):

- ``gazetteer_first/1``: a rule span wins over every model span it overlaps;
  model spans fill the rest.
- ``model_first/1``: a model span wins over every rule span it overlaps; rule spans
  fill the rest.
- ``longest_first/1``: of overlapping spans the longer wins, a tie going to the
  source listed first in ``SOURCES``; a model span that contains a gazetteer name
  ("طيران الإمارات" around "الإمارات") keeps it.

With ``consistency`` (pipeline/ner/consistency.py), an untagged repeat of a name the merged
spans hold, or a lone surname of a tagged person, is tagged too (a one-word name only when
it is rare in news or mostly tagged in the document).

Mentions take their offsets from the tokens, never from searching the text.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

import pipeline.ner.component  # noqa: F401  (registers what the model's config names)
from pipeline.analysis import Analysis
from pipeline.doc import Mention
from pipeline.ner import org_names
from pipeline.ner.consistency import recurrences
from pipeline.ner.spans import trim
from pipeline.registry import register
from pipeline.resources import data_path
from pipeline.text.spacy_lang import doc_from_tokens
from pipeline.text.tokenize import tokenize

SOURCE = "entities/4"
LABELS = ("PER", "ORG", "LOC", "MISC")


class EntitySpan(NamedTuple):
    start: int      # token indices in the spaCy Doc, half-open
    end: int
    label: str
    source: str     # "model" | "gazetteer" | "org_names" | "consistency"


def model_path(name: str) -> Path:
    """A model shipped under pipeline/models, or (to try a checkpoint) an absolute path."""
    if Path(name).is_absolute():
        return Path(name)
    return Path(str(resources.files("pipeline").joinpath("models", name)))


@cache
def load_model(name: str) -> Language:
    """The shipped spaCy entity model, loaded once per process."""
    import spacy

    return spacy.load(model_path(name))


@cache
def gazetteer_patterns(name: str) -> tuple[tuple[str, str], ...]:
    """(label, pattern) pairs from a JSONL gazetteer under pipeline/data."""
    rows = []
    for line in data_path(name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["label"] not in LABELS:
                raise ValueError(f"{name}: unknown label {row['label']!r}")
            rows.append((row["label"], row["pattern"]))
    return tuple(rows)


@cache
def gazetteer_matcher(name: str, model: str) -> PhraseMatcher:
    """A PhraseMatcher over NORM: patterns are tokenized and normalized like the text."""
    vocab = load_model(model).vocab
    matcher = PhraseMatcher(vocab, attr="NORM")
    by_label: dict[str, list[Doc]] = {}
    for label, pattern in gazetteer_patterns(name):
        by_label.setdefault(label, []).append(doc_from_tokens(vocab, pattern, tokenize(pattern)))
    for label, docs in by_label.items():
        matcher.add(label, docs)
    return matcher


def _overlaps(a: EntitySpan, b: EntitySpan) -> bool:
    return a.start < b.end and b.start < a.end


# Which source wins when overlapping spans of the same length are resolved (_longest).
SOURCES = ("org_names", "gazetteer", "model")


def _longest(spans: list[EntitySpan]) -> list[EntitySpan]:
    """Non-overlapping spans, longer first; a tie goes to the source listed first in SOURCES."""
    ranked = sorted(spans, key=lambda s: (-(s.end - s.start), SOURCES.index(s.source), s.start))
    kept: list[EntitySpan] = []
    for s in ranked:
        if not any(_overlaps(s, k) for k in kept):
            kept.append(s)
    return sorted(kept)


def _winners_first(winners: list[EntitySpan], others: list[EntitySpan]) -> list[EntitySpan]:
    kept = _longest(winners)
    # Drop what the winners overlap before the others compete among themselves, so that a
    # span is not lost to a longer one the winners then remove.
    kept += _longest([o for o in others if not any(_overlaps(o, k) for k in kept)])
    return sorted(kept)


def gazetteer_first(rules: list[EntitySpan], model: list[EntitySpan]) -> list[EntitySpan]:
    return _winners_first(rules, model)


def model_first(rules: list[EntitySpan], model: list[EntitySpan]) -> list[EntitySpan]:
    return _winners_first(model, rules)


def longest_first(rules: list[EntitySpan], model: list[EntitySpan]) -> list[EntitySpan]:
    return _longest(rules + model)


POLICIES: dict[str, Callable[[list[EntitySpan], list[EntitySpan]], list[EntitySpan]]] = {
    "gazetteer_first/1": gazetteer_first,
    "longest_first/1": longest_first,
    "model_first/1": model_first,
}


# Version 4: document-level consistency (pipeline/ner/consistency.py) after the merge.
# Version 3: the model is a BiLSTM-CRF (pipeline/ner/component.py) instead of spaCy's CNN
# and transition-based NER. Version 2 brought the entity-annotated SaudiNewsNet articles
# and the organization-name rule. longest_first/1 keeps names the gazetteer would cut
# ("ريال مدريد", "مانشستر يونايتد" around a city).
@register("entities", 4, model="ner", gazetteer="gazetteer.jsonl", org_rule=True,
          policy="longest_first/1", consistency=True, batch_size=64)
class Entities:
    name = "entities"

    def __init__(self, model: str, gazetteer: str, org_rule: bool, policy: str, consistency: bool,
                 batch_size: int):
        if policy not in POLICIES:
            raise ValueError(f"unknown merge policy {policy!r}; known: {sorted(POLICIES)}")
        self.nlp = load_model(model)
        self.matcher = gazetteer_matcher(gazetteer, model) if gazetteer else None
        self.org_rule = org_rule
        self.merge = POLICIES[policy]
        self.consistency = consistency
        self.batch_size = batch_size

    def __call__(self, analysis: Analysis) -> None:
        self.pipe([analysis])

    def pipe(self, analyses: Iterable[Analysis]) -> None:
        """Annotate many analyses, running the model over them in batches."""
        analyses = list(analyses)
        docs = (doc_from_tokens(self.nlp.vocab, a.doc.text, a.tokens) for a in analyses)
        for analysis, doc in zip(analyses, self.nlp.pipe(docs, batch_size=self.batch_size)):
            analysis.mentions.extend(self.mentions(doc, analysis.doc.text))

    def spans(self, doc: Doc) -> list[EntitySpan]:
        """Model, gazetteer and organization-name spans of an annotated Doc, merged by the
        policy, and with ``consistency`` the untagged repeats of the names they hold."""
        model = []
        for ent in doc.ents:
            cut = trim(doc, ent.start, ent.end, ent.label_)
            if cut is not None:
                model.append(EntitySpan(cut[0], cut[1], ent.label_, "model"))
        rules = []
        if self.matcher is not None:
            found = self.matcher(doc, as_spans=True)
            rules = [EntitySpan(s.start, s.end, s.label_, "gazetteer") for s in filter_spans(found)]
        if self.org_rule:
            rules += [EntitySpan(a, b, "ORG", "org_names") for a, b in org_names.find(doc)]
        merged = self.merge(rules, model)
        if self.consistency:
            merged = sorted(merged + [EntitySpan(r.start, r.end, r.label, "consistency")
                                      for r in recurrences(doc, merged)])
        return merged

    def mentions(self, doc: Doc, text: str) -> list[Mention]:
        """Mentions of the spans of ``doc``, whose text is ``text`` (doc.text, given because
        spaCy rebuilds that string on every access)."""
        out = []
        for i, s in enumerate(self.spans(doc), 1):
            last = doc[s.end - 1]
            start, end = doc[s.start].idx, last.idx + len(last.text)
            out.append(Mention(f"e{i}", s.label, start, end, text[start:end], source=SOURCE))
        return out
