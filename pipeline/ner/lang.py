"""The spaCy language the entity model is trained and loaded with.

Our tokenizer ("claims.arabic_tokenizer.v1") sets each token's NORM to our normalized
form. The lexical PREFIX and SUFFIX features are taken from that normalized form too
(no diacritics, one alef, ة→ه, ى→ي), three letters each: Arabic marks definiteness,
gender and number at the word edges ("ال…", "…يه", "…ين"), where spaCy's defaults
(first letter, last three letters of the raw text) see too little or vary with
spelling. The model's config names this callback in ``[nlp.after_creation]``, so
loading the model needs this module imported (pipeline.extractors.entities does).
"""
from __future__ import annotations

import spacy
from spacy.attrs import PREFIX, SUFFIX

import pipeline.text.spacy_lang  # noqa: F401  (registers our tokenizer)
from pipeline.text.normalize import normalize_str

LEX_ATTRS_NAME = "claims.ner_lex_attrs.v1"
AFFIX = 3


def norm_prefix(text: str) -> str:
    return normalize_str(text)[:AFFIX]


def norm_suffix(text: str) -> str:
    return normalize_str(text)[-AFFIX:]


@spacy.registry.callbacks(LEX_ATTRS_NAME)
def create_lex_attrs():
    def after_creation(nlp):
        # The nlp's own vocab, not the Arabic class: other pipelines keep spaCy's defaults.
        nlp.vocab.lex_attr_getters = {**nlp.vocab.lex_attr_getters,
                                      PREFIX: norm_prefix, SUFFIX: norm_suffix}
        return nlp
    return after_creation
