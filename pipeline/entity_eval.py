"""Score the entity extractor alone: on CoNLL files and on entity-only gold documents.

What is scored is the shipped entity component (the default pipeline's ``entities/N``
with its settings: model, gazetteer, organization-name rule, merge policy, span rules,
document-level consistency) on our tokens,
without the rest of the pipeline: the merge step there keeps a number or date over an
entity that overlaps it ("كأس العالم 2006"), which is a pipeline policy, not the entity
model's accuracy that published NER results measure.
With ``rules=False`` (``ner-eval --model-only``) the gazetteer and the organization-name rule
are left out: they follow ANNOTATION.md, whose organization and place conventions differ
from ANERcorp's, so the model's own accuracy on a CoNLL corpus can be told apart from theirs.

Entity-only gold (gold/ner/<split>/<doc_id>.json, made by tools/entity_build.py) holds
``{"doc_id", "entities": [{"start", "end", "type", "text"}]}`` over the text in
corpus/ner/<split>/<doc_id>.txt; it is scored with the strict and overlap schemes of
``pipeline.scoring`` on PER, ORG and LOC.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from pipeline import scoring
from pipeline.analysis import Analysis
from pipeline.doc import Document, Mention
from pipeline.registry import DEFAULT_PIPELINE, build

GOLD_TYPES = ("PER", "ORG", "LOC")


def entity_component(model: str | None = None, rules: bool = True):
    """The default pipeline's entity component, with its settings; ``rules=False`` leaves
    out the gazetteer and the organization-name rule (the model, the span rules and the
    consistency step remain)."""
    key, settings = next((k, s) for k, s in DEFAULT_PIPELINE if k.startswith("entities/"))
    if model is not None:
        settings = {**settings, "model": model}
    if not rules:
        settings = {**settings, "gazetteer": None, "org_rule": False}
    return build(key, **settings)


def extractor(model: str | None = None, rules: bool = True) -> Callable[[str], list[Mention]]:
    """text → the entity component's mentions (character offsets into the text)."""
    component = entity_component(model, rules)

    def extract(text: str) -> list[Mention]:
        analysis = Analysis.of(Document("entities", text))
        component(analysis)
        return analysis.mentions
    return extract


class GoldEntity(NamedTuple):
    type: str
    start: int
    end: int
    value: None = None


@dataclass(frozen=True)
class EntityDoc:
    doc_id: str
    text: str
    entities: tuple[GoldEntity, ...]


def read_entity_gold(gold_dir: Path, corpus_dir: Path) -> list[EntityDoc]:
    """Every gold_dir/<doc_id>.json with its text corpus_dir/<doc_id>.txt; a span whose
    text does not match the file is an error (the text changed under the gold)."""
    docs = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        text_path = Path(corpus_dir) / f"{row['doc_id']}.txt"
        with open(text_path, encoding="utf-8", newline="") as fh:
            text = fh.read()
        ents = []
        for e in row["entities"]:
            if text[e["start"]:e["end"]] != e["text"]:
                raise ValueError(f"{path}: span {e['start']}-{e['end']} is not {e['text']!r} in {text_path}")
            ents.append(GoldEntity(e["type"], e["start"], e["end"]))
        docs.append(EntityDoc(row["doc_id"], text, tuple(ents)))
    if not docs:
        raise ValueError(f"{gold_dir}: no gold files")
    return docs


def score_docs(docs: Iterable[EntityDoc], extract: Callable[[str], Iterable],
               types: tuple[str, ...] = GOLD_TYPES) -> dict[str, scoring.TypeScore]:
    """Strict/overlap scores per type of ``extract`` on the documents, micro-summed."""
    totals = {t: scoring.TypeScore() for t in types}
    for doc in docs:
        al = scoring.align_spans(doc.entities, extract(doc.text), types)   # other types ignored
        for t, s in scoring.type_scores(al).items():
            totals[t] = totals[t] + s
    return totals


def total(scores: dict[str, scoring.TypeScore]) -> scoring.TypeScore:
    """The types' counts summed (micro-average)."""
    out = scoring.TypeScore()
    for s in scores.values():
        out = out + s
    return out
