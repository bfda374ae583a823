"""Our tokenizer inside a spaCy ``Language``, so trained spaCy components run on our tokens.

The spaCy Doc reproduces the original text exactly (``doc.text == text``); each
token's NORM is our normalized form, which the NER model uses as a lexical feature.
Whitespace other than a single space after a token, and invisible controls between
tokens, become spaCy whitespace tokens that no extractor looks at.
"""
from __future__ import annotations

import regex
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.text.tokenize import Token, tokenize

TOKENIZER_NAME = "claims.arabic_tokenizer.v1"
_BLANK = regex.compile(r"[\s\p{Cf}]*")


def is_blank(text: str) -> bool:
    """Whitespace and invisible format controls only (U+200F, U+200E, …), as in the
    filler tokens ``doc_from_tokens`` makes between our tokens: never part of an entity."""
    return _BLANK.fullmatch(text) is not None


def doc_from_tokens(vocab: Vocab, text: str, tokens: list[Token]) -> Doc:
    words: list[str] = []
    spaces: list[bool] = []
    norms: list[str] = []
    pos = 0

    def gap(a: int, b: int) -> None:
        filler = text[a:b]
        if not filler:
            return
        if filler == " " and words and not spaces[-1]:
            spaces[-1] = True
            return
        if filler.startswith(" ") and words and not spaces[-1]:
            spaces[-1] = True
            filler = filler[1:]
        words.append(filler)
        spaces.append(False)
        norms.append(filler)

    for t in tokens:
        gap(pos, t.start)
        words.append(t.text)
        spaces.append(False)
        norms.append(t.norm)
        pos = t.end
    gap(pos, len(text))
    doc = Doc(vocab, words=words, spaces=spaces)
    for tok, norm in zip(doc, norms):
        tok.norm_ = norm
    return doc


class ArabicTokenizer:
    """spaCy tokenizer protocol: ``__call__(text) -> Doc``; nothing to serialize."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return doc_from_tokens(self.vocab, text, tokenize(text))

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "ArabicTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "ArabicTokenizer":
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer():
    def make(nlp):
        return ArabicTokenizer(nlp.vocab)
    return make


def blank() -> spacy.language.Language:
    """A blank Arabic spaCy pipeline with our tokenizer."""
    return spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
