"""Tokens and vocabulary look-up shared by the date and duration rules.

The normalized text is cut into small tokens (digit runs, Arabic words, Latin words,
newlines, single punctuation marks) on which the rules in durations.py and dates.py
match; every token keeps its normalized offsets, so a match maps back to the original
text through ``NormalizedText.to_original``. ``TokenView`` answers the questions the
rules ask about tokens: what number is this, which vocabulary phrase starts here (with
a proclitic left out of the span), which number words are written here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.analysis import Analysis
from pipeline.doc import Value
from pipeline.extractors.numparse import parse_numeral, word_kind
from pipeline.extractors.temporal_lexicon import lexicon
from pipeline.text.tokenize import ARABIC_LETTERS

_TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)"
    rf"|(?P<word>[{ARABIC_LETTERS}]+)"
    r"|(?P<latin>[A-Za-z]+)"
    r"|(?P<nl>\n)"
    r"|(?P<punct>\S)"
)
# Proclitics tried before a word; the span starts after them.
_CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")


@dataclass(frozen=True)
class Tok:
    kind: str      # num | word | latin | nl | punct
    text: str      # normalized
    ns: int        # normalized offsets
    ne: int


@dataclass(frozen=True)
class Hit:
    """A vocabulary phrase found at a token: ``end`` is the token after it, ``skip`` the
    number of proclitic letters left out of the span, ``form`` the phrase as matched."""

    kind: str
    value: object
    end: int
    skip: int
    form: str


@dataclass
class Piece:
    """One mention found: tokens [ts, te), the first ``skip`` letters of ts left out."""

    ts: int
    te: int
    skip: int
    typ: str                       # DATE | DURATION
    resolved: object = None        # DATE: a timex.Point, a (start, end) pair, or None
    value: Value | None = None     # DURATION: its value
    anaphoric: bool = False        # points back at an earlier date ("الشهر السابق")
    weekday_only: bool = False     # a weekday alone (a الموافق gloss may give its date)


@dataclass
class Parse:
    end: int                       # token index after everything consumed
    pieces: list[Piece] = field(default_factory=list)


@dataclass(frozen=True)
class _Item:
    """What numparse.parse_numeral reads: a normalized word or a number."""

    norm: str
    kind: str                      # word | number


def scan(text: str) -> list[Tok]:
    return [Tok(m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


class TokenView:
    """The tokens of one document and the vocabulary phrases found on them."""

    def __init__(self, analysis: Analysis):
        self.lex = lexicon()
        self.W = self.lex.words
        self.norm = analysis.norm
        self.orig = analysis.doc.text
        self.toks = scan(analysis.norm.text)
        self.n = len(self.toks)
        self._hits: dict[tuple[int, bool], list[Hit]] = {}

    # ---------------------------------------------------------------- tokens
    def _int(self, i: int, default=None):
        if 0 <= i < self.n and self.toks[i].kind == "num" and self.toks[i].text.isdigit():
            return int(self.toks[i].text)
        return default

    def _num_value(self, i: int) -> float | None:
        """A plain integer or decimal token ("48", "1.5"); None for grouped digits."""
        if not (0 <= i < self.n) or self.toks[i].kind != "num":
            return None
        t = self.toks[i].text
        if re.fullmatch(r"\d+", t):
            return int(t)
        if re.fullmatch(r"\d+\.\d+", t):
            return float(t)
        return None

    def _digits(self, i: int) -> int:
        return len(self.toks[i].text) if 0 <= i < self.n and self.toks[i].kind == "num" else 0

    def _is(self, i: int, *texts: str) -> bool:
        return 0 <= i < self.n and self.toks[i].text in texts

    def _punct(self, i: int, chars) -> bool:
        return 0 <= i < self.n and self.toks[i].kind == "punct" and self.toks[i].text in chars

    def _same_line(self, a: int, b: int) -> bool:
        """No newline between token a and token b (b > a)."""
        return all(self.toks[k].kind != "nl" for k in range(a + 1, b))

    def _glued(self, i: int) -> bool:
        """Token i touches token i-1 (no space between)."""
        return 0 < i < self.n and self.toks[i - 1].ne == self.toks[i].ns

    def _prev_word(self, i: int) -> str | None:
        if 0 < i <= self.n and self.toks[i - 1].kind == "word":
            return self.toks[i - 1].text
        return None

    def _prev_words(self, i: int, count: int) -> list[str]:
        """Up to ``count`` words right before token i, nearest first."""
        out = []
        k = i - 1
        while k >= 0 and len(out) < count and self.toks[k].kind == "word":
            out.append(self.toks[k].text)
            k -= 1
        return out

    def _in(self, word: str | None, name: str) -> bool:
        """Is the word (or the word after a proclitic) in the named word list?"""
        if word is None:
            return False
        words = self.W[name]
        return word in words or any(word.startswith(c) and word[1:] in words for c in "وفبل")

    # --------------------------------------------------------------- lexicon
    def hits(self, i: int, clitic: bool = False) -> list[Hit]:
        """Every vocabulary phrase starting at token i, longest first; with ``clitic``
        also after a proclitic of the first word ("وأكتوبر", "للعام" → "لعام…")."""
        key = (i, clitic)
        if key in self._hits:
            return self._hits[key]
        out: list[Hit] = []
        if 0 <= i < self.n and self.toks[i].kind == "word":
            first = self.toks[i].text
            forms = [(first, 0)]
            if clitic:
                forms += [(first[len(c):], len(c)) for c in _CLITICS
                          if first.startswith(c) and len(first) - len(c) >= 2]
                k = first.find("لل")
                if k in (0, 1) and (k == 0 or first[0] in "وف") and len(first) > k + 3:
                    # "للعام" = ل + العام: the span starts at the article's lam
                    forms.append(("ا" + first[k + 1:], k + 1))
            for form, skip in forms:
                if form not in self.lex.first_words:
                    continue
                words = [form]
                j = i + 1
                while True:
                    for e in self.lex.phrases.get(tuple(words), ()):
                        out.append(Hit(e.kind, e.value, j, skip, " ".join(words)))
                    if len(words) >= self.lex.max_words or j >= self.n or self.toks[j].kind != "word":
                        break
                    words.append(self.toks[j].text)
                    j += 1
        out.sort(key=lambda h: (-h.end, h.skip))
        self._hits[key] = out
        return out

    def hit(self, i: int, kind: str, clitic: bool = False, value=None) -> Hit | None:
        """The longest phrase of this kind at token i (of this value, if given)."""
        for h in self.hits(i, clitic):
            if h.kind == kind and (value is None or h.value == value):
                return h
        return None

    def _era(self, i: int) -> tuple[str | None, int]:
        """An era marker at token i ("م", "هـ", "هجري"): (g | h | None, next index)."""
        if 0 <= i < self.n and self.toks[i].kind == "word":
            for h in self.hits(i):
                if h.kind == "era":
                    if h.end < self.n and self.toks[h.end].text in self.W["era_blockers_after"]:
                        return None, i  # "800 م مربع": metres
                    return h.value[0], h.end
        return None, i

    # --------------------------------------------------------- number words
    def read_count(self, i: int, clitic: bool = False):
        """Number words at token i ("ثلاث", "خمسة وعشرين", "الستة"), read by the numbers
        extractor's parser (numparse.parse_numeral, numbers.json).

        Returns (value, end, skip, definite) or None; ``definite``: written with the
        article ("الأشهر الستة"). Digits are not read here."""
        if not (0 <= i < self.n) or self.toks[i].kind != "word":
            return None
        first = self.toks[i].text
        options = [(first, 0)]
        if clitic:
            options += [(first[len(c):], len(c)) for c in ("و", "ف", "ب", "ل") if first.startswith(c)]
        for word, skip in options:
            definite = word.startswith("ال") and word_kind(word[2:]) is not None
            if definite:
                word = word[2:]
            if word_kind(word) is None:
                continue
            items, owner = [_Item(word, "word")], [i]
            k = i + 1
            while k < self.n and k < i + 8 and self.toks[k].kind == "word":
                w = self.toks[k].text
                if w.startswith("و") and word_kind(w[1:]) is not None:
                    items += [_Item("و", "word"), _Item(w[1:], "word")]
                    owner += [k, k]
                else:
                    items.append(_Item(w, "word"))
                    owner.append(k)
                k += 1
            numeral = parse_numeral(items, 0, lambda j: None, lambda j: items[j].norm == "و")
            # an accusative scale word ("مليونًا") takes no counted noun after it
            if numeral is not None and numeral.words_only and not numeral.fraction_only \
                    and not numeral.accusative:
                value = int(numeral.value) if numeral.value == int(numeral.value) else numeral.value
                return value, owner[numeral.end - 1] + 1, skip, definite
        return None
