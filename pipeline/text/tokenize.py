"""Offset-preserving tokenizer for Arabic news text.

Tokens are found on the normalized text and carry original offsets (``start``/``end``
index the text the user gave us). Numbers stay whole ("34.4", "1,000", "1 000" with
thin spaces, "94ر75"); punctuation is split off; proclitics are split off only when
what remains is a known word (lexicon + exception list in pipeline/data/clitics.json).
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from pipeline.resources import lexicon, load_json, normalized_words
from pipeline.text.normalize import NormalizedText, normalize

WORD, NUMBER, PUNCT, LATIN = "word", "number", "punct", "latin"

ARABIC_LETTERS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06fa-\u06ff"


class Token(NamedTuple):
    start: int          # original offsets, half-open
    end: int
    text: str           # original text[start:end]
    norm: str           # normalized form for matching ("للوكالة" → "ل" + "الوكاله")
    kind: str           # word | number | punct | latin
    nstart: int         # offsets on the normalized text
    nend: int


@cache
def _patterns() -> re.Pattern:
    abbrs = sorted(load_json("abbreviations.json")["abbreviations"], key=len, reverse=True)
    abbr = "|".join(re.escape(a) for a in abbrs)
    return re.compile(
        rf"(?P<abbr>(?<![\w.])(?:{abbr})\.(?=\s|$)(?!\s*\n))"  # "د." — not at a line end
        r"|(?P<number>\d{1,3}(?:[\u2009\u202f]\d{3})+(?:\.\d+)?|\d+ر\d+|\d+(?:[.,]\d+)*)"
        rf"|(?P<word>[{ARABIC_LETTERS}]+)"
        r"|(?P<latin>[^\W\d_]+(?:['’][^\W\d_]+)*)"
        r"|(?P<punct>\S)"
    )


@cache
def _clitic_rules() -> tuple:
    d = load_json("clitics.json")
    keep = normalized_words(d["keep_whole"])
    return (tuple(d["conjunctions"]), tuple(d["prepositions"]), d["future"],
            tuple(d["future_next"]), d["min_count"], dict(d["ratio"]), keep)


def _known(rest: str, whole: str, clitic: str) -> bool:
    """Is ``rest`` a word in its own right, more plausibly than ``whole`` is one word?"""
    _, preps, _, _, min_count, ratio, keep = _clitic_rules()
    if len(rest) < 2:
        return False
    if rest in keep:
        return True
    if rest.startswith("ال") and len(rest) > 3:
        return True
    lex = lexicon()
    n = lex.get(rest, 0)
    if n >= min_count and n >= ratio[clitic] * lex.get(whole, 0):
        return True
    # A conjunction before a preposition: "وبالمعاهدة" is و + ب + المعاهدة.
    return clitic not in preps and rest[0] in preps and _known(rest[1:], rest, rest[0])


@lru_cache(maxsize=1 << 18)
def split_proclitics(word: str) -> tuple[tuple[int, str], ...]:
    """Split a normalized word into (length, norm) pieces: proclitics, then the stem.

    Lengths add up to len(word); the norm of a stem after "لل" gets its article back.
    """
    conj, preps, future, future_next, _, _, keep = _clitic_rules()
    pieces: tuple[tuple[int, str], ...] = ()
    w = word
    if w in keep:
        return ((len(w), w),)
    if w[0] in conj and len(w) > 2 and _known(w[1:], w, w[0]):
        pieces = ((1, w[0]),)
        w = w[1:]
    if len(w) > 2 and w not in keep:
        c = w[0]
        if c == "ل" and w[1] == "ل" and len(w) > 3 and _known("ا" + w[1:], w, c):
            # "لل" = ل + ال: the stem keeps its lam, its norm gets the alef back.
            return pieces + ((1, c), (len(w) - 1, "ا" + w[1:]))
        if c in preps and _known(w[1:], w, c):
            return pieces + ((1, c), (len(w) - 1, w[1:]))
        if c == future and w[1] in future_next and _known(w[1:], w, c):
            return pieces + ((1, c), (len(w) - 1, w[1:]))
    return pieces + ((len(w), w),)


def _splits_between_characters(nt: NormalizedText, start: int, pieces: tuple[tuple[int, str], ...]) -> bool:
    # A split inside a ligature's expansion ("ﻻ" → "لا") has no original offset.
    p = start
    for length, _ in pieces[:-1]:
        p += length
        if nt.orig_index(p) == nt.orig_index(p - 1):
            return False
    return True


def tokenize_normalized(nt: NormalizedText) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    text, orig = nt.text, nt.original
    to_orig = nt.to_original
    identity = nt.starts is None
    starts = nt.starts
    simple = nt.simple_ends
    new = tuple.__new__  # skips NamedTuple's keyword handling on the hot path
    split = split_proclitics
    for m in _patterns().finditer(text):
        kind = m.lastgroup
        ns, ne = m.span()
        norm = m.group()
        if kind == "word":
            pieces = split(norm)
            if len(pieces) > 1 and (simple or _splits_between_characters(nt, ns, pieces)):
                p = ns
                for length, piece in pieces:
                    a, b = to_orig(p, p + length)
                    append(new(Token, (a, b, orig[a:b], piece, WORD, p, p + length)))
                    p += length
                continue
        elif kind == "abbr":
            kind = WORD
        if identity:
            append(new(Token, (ns, ne, orig[ns:ne], norm, kind, ns, ne)))
        elif simple:
            a, b = starts[ns], starts[ne]
            append(new(Token, (a, b, orig[a:b], norm, kind, ns, ne)))
        else:
            a, b = to_orig(ns, ne)
            append(new(Token, (a, b, orig[a:b], norm, kind, ns, ne)))
    return tokens


def tokenize(text: str) -> list[Token]:
    return tokenize_normalized(normalize(text))
