"""Span rules for entity mentions, over spaCy Docs built with our tokenizer.

ANNOTATION.md "Entity types" fixes where an entity span starts and ends; the model and
the training corpora do not always agree with it. The same rules trim training spans
(pipeline/ner/corpora.py) and model output (pipeline/extractors/entities.py):

- proclitics (و ف ب ل ك, split off by our tokenizer; see ``is_proclitic``) and
  punctuation are outside; a
  closing quote or bracket stays only when its opener is inside the span;
- titles and roles before a PER name are outside ("الرئيس", "الشيخ", "وزير الخارجية");
- a nationality adjective closing an ORG/LOC span is outside when the word before it
  is a bare name ("وكالة سبوتنيك الروسية" → "وكالة سبوتنيك"); after a word with the
  article it belongs to an official name and stays ("وكالة الأنباء السعودية").

Word lists live in pipeline/data/entity_spans.json; proclitics come from clitics.json.
"""
from __future__ import annotations

from functools import cache
from typing import NamedTuple

from spacy.tokens import Doc

from pipeline.resources import lexicon, load_json, normalized_words
from pipeline.text.normalize import normalize_str
from pipeline.text.spacy_lang import is_blank

PAIRS = {"»": "«", "”": "“", ")": "(", "]": "[", "'": "'", '"': '"', "’": "‘"}


class SpanRules(NamedTuple):
    proclitics: frozenset
    conjunctions: frozenset
    titles: frozenset
    role_heads: frozenset
    nationalities: frozenset


@cache
def rules() -> SpanRules:
    d = load_json("entity_spans.json")
    clitics = load_json("clitics.json")
    titles = normalized_words(d["titles"])
    role_heads = normalized_words(d["role_heads"])
    nats = set()
    for w in d["nationalities"]:
        stem = normalize_str(w)
        for form in (stem, stem + "ه", stem + "ون", stem + "ين"):
            nats.update((form, "ال" + form))
    conj = frozenset(clitics["conjunctions"])
    return SpanRules(conj | frozenset(clitics["prepositions"]), conj, titles | role_heads, role_heads,
                     frozenset(nats))


def is_proclitic(doc: Doc, i: int) -> bool:
    """Is token ``i`` a proclitic our tokenizer split off the word that follows it,
    and outside a name that starts there?

    The tokenizer splits on corpus counts, and splits some names ("بوش" → ب + وش,
    "بحيرة" → ب + حيرة). A conjunction, or a clitic before the article, is always
    outside; a preposition only when what follows is at least as common on its own as
    the whole word ("بمكة": مكة is far more common than بمكة; "بوش": وش is not).
    """
    tok = doc[i]
    r = rules()
    if tok.norm_ not in r.proclitics or tok.whitespace_ or i + 1 >= len(doc):
        return False
    rest = doc[i + 1].norm_
    if not rest[:1].isalpha():
        return False
    if tok.norm_ in r.conjunctions or rest.startswith("ال"):
        return True
    lex = lexicon()
    return lex.get(rest, 0) >= lex.get(tok.norm_ + rest, 0)


def is_filler(tok) -> bool:
    """Punctuation or blank space: never the first or last token of an entity."""
    return tok.is_punct or is_blank(tok.text)


def _closes_inside(doc: Doc, start: int, end: int) -> bool:
    opener = PAIRS.get(doc[end - 1].text)
    return opener is not None and any(doc[k].text == opener for k in range(start, end - 1))


def trim(doc: Doc, start: int, end: int, label: str) -> tuple[int, int] | None:
    """The token span ``[start, end)`` cut to the guideline, or None when nothing is left."""
    r = rules()
    while start < end and (is_proclitic(doc, start) or is_filler(doc[start])):
        start += 1
    while end > start and is_filler(doc[end - 1]) and not _closes_inside(doc, start, end):
        end -= 1
    if label == "PER":
        head = False   # the word before was a role head: its definite complement goes too
        while start < end:
            norm = doc[start].norm_
            # Nationalities only with the article: bare, they are names too ("كيني ميلر").
            if not (norm in r.titles or is_proclitic(doc, start)
                    or (norm.startswith("ال") and (head or norm in r.nationalities))):
                break
            head = norm in r.role_heads
            start += 1
    elif label in ("ORG", "LOC") and end - start >= 2:
        if doc[end - 1].norm_ in r.nationalities and not doc[end - 2].norm_.startswith("ال"):
            end -= 1
    return (start, end) if start < end else None

