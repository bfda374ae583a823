"""Normalization for matching, with an exact map back to the original text.

Every rule is a tiny character-level rewrite with one precompiled regex. Because each
rule looks at one code point at a time, the rules compose into one translation table
(fast, in C), and each normalized character comes from exactly one original code
point. That is what makes the offset map exact: ``starts[i]`` is the original index
of normalized character ``i``; a normalized span ``[i, j)`` is the original span
``[starts[i], starts[j-1] + 1)``.

Normalization is never used for output: extractors match on ``NormalizedText.text``
and report ``to_original`` spans, whose text is sliced from the original.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Rule:
    """One character-level rewrite: every match of ``pattern`` becomes ``replace``."""

    name: str
    pattern: re.Pattern
    replace: str | Callable[[re.Match], str]

    def __call__(self, s: str) -> str:
        return self.pattern.sub(self.replace, s)


def _presentation_base(m: re.Match) -> str:
    # NFKC turns presentation forms into base letters; the isolated diacritic forms
    # (U+FE70..) become "space + mark", and the space must not survive.
    out = unicodedata.normalize("NFKC", m.group())
    return out.strip() if out.strip() != out else out


PRESENTATION_FORMS = Rule("presentation_forms", re.compile("[\ufb50-\ufdff\ufe70-\ufefe]"), _presentation_base)
CONTROLS = Rule("controls", re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]"), "")
DIACRITICS = Rule("diacritics", re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]"), "")
TATWEEL = Rule("tatweel", re.compile("\u0640"), "")
ALEF = Rule("alef", re.compile("[\u0623\u0625\u0622\u0671]"), "\u0627")
ALEF_MAKSURA = Rule("alef_maksura", re.compile("\u0649"), "\u064a")
TA_MARBUTA = Rule("ta_marbuta", re.compile("\u0629"), "\u0647")
ARABIC_INDIC_DIGITS = Rule("arabic_indic_digits", re.compile("[\u0660-\u0669]"), lambda m: str(ord(m.group()) - 0x660))
PERSIAN_DIGITS = Rule("persian_digits", re.compile("[\u06f0-\u06f9]"), lambda m: str(ord(m.group()) - 0x6F0))
DECIMAL_SIGN = Rule("decimal_sign", re.compile("\u066b"), ".")
THOUSANDS_SIGN = Rule("thousands_sign", re.compile("\u066c"), ",")
PERCENT_SIGN = Rule("percent_sign", re.compile("\u066a"), "%")

# Order matters only where one rule's output feeds another (presentation forms
# first, so that "ﺃ" → "أ" → "ا").
RULES: tuple[Rule, ...] = (
    PRESENTATION_FORMS, CONTROLS, DIACRITICS, TATWEEL, ALEF, ALEF_MAKSURA, TA_MARBUTA,
    ARABIC_INDIC_DIGITS, PERSIAN_DIGITS, DECIMAL_SIGN, THOUSANDS_SIGN, PERCENT_SIGN,
)

# Removed characters that attach to the letter before them.
_TRAILING_MARKS = re.compile(DIACRITICS.pattern.pattern[:-1] + "\u0640]+")

# Every code point any rule can touch lies in these ranges.
_CANDIDATES = [range(0x0600, 0x0700), range(0x2000, 0x2070), range(0xFB50, 0xFF00)]


def apply_rules(s: str, rules: tuple[Rule, ...] = RULES) -> str:
    """Reference implementation: apply each rule in turn (slow, used by tests)."""
    for rule in rules:
        s = rule(s)
    return s


@cache
def _table() -> tuple[dict[int, str], re.Pattern]:
    table: dict[int, str] = {}
    for block in _CANDIDATES:
        for cp in block:
            ch = chr(cp)
            out = apply_rules(ch)
            if out != ch:
                table[cp] = out
    # Characters that vanish or expand change lengths; the offset map needs their positions.
    uneven = "".join(chr(cp) for cp, out in table.items() if len(out) != 1)
    return table, re.compile("[" + re.escape(uneven) + "]")


# Presentation forms, some of which expand to several letters.
_EXPANDING = PRESENTATION_FORMS.pattern


@dataclass(frozen=True)
class NormalizedText:
    original: str
    text: str
    # Original index of each normalized character, plus len(original) as sentinel;
    # None when the map is the identity (nothing removed or expanded).
    starts: list[int] | None
    # True when only marks that attach to a letter were removed and nothing was
    # expanded: then a span's original end is simply starts[end].
    simple_ends: bool = True

    def orig_index(self, i: int) -> int:
        return i if self.starts is None else self.starts[i]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span to the original span whose normalization it is.

        Removed marks that belong to the last letter (diacritics, tatweel) stay with
        it: "موسكوَ" is one span, not "موسكو" plus a stray fatha.
        """
        if self.starts is None:
            return start, end
        if start >= end:
            o = self.starts[start]
            return o, o
        if self.simple_ends:
            return self.starts[start], self.starts[end]
        e = self.starts[end - 1] + 1
        m = _TRAILING_MARKS.match(self.original, e)
        return self.starts[start], m.end() if m else e

    def to_normalized(self, start: int, end: int) -> tuple[int, int]:
        """Map an original span to the smallest normalized span covering it."""
        if self.starts is None:
            return start, end
        n = len(self.text)
        i = bisect.bisect_left(self.starts, start, 0, n)
        j = bisect.bisect_left(self.starts, end, 0, n)
        return i, max(i, j)

    def original_span(self, start: int, end: int) -> str:
        a, b = self.to_original(start, end)
        return self.original[a:b]


@cache
def _vector_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per BMP code point: its 1:1 replacement, and whether it is removed."""
    table, _ = _table()
    replace = np.arange(0x10000, dtype=np.uint32)
    remove = np.zeros(0x10000, dtype=bool)
    for cp, out in table.items():
        if len(out) == 1:
            replace[cp] = ord(out)
        elif not out:
            remove[cp] = True
    return replace, remove


def normalize(text: str) -> NormalizedText:
    if _EXPANDING.search(text):
        return _normalize_expanding(text)
    # Vectorized: map every code point through a lookup table and keep the
    # positions of those not removed, which is exactly the offset map.
    replace, remove = _vector_tables()
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bmp = cps < 0x10000
    idx = np.where(bmp, cps, 0)
    mapped = np.where(bmp, replace[idx], cps)
    removed = remove[idx] & bmp
    if not removed.any():
        return NormalizedText(text, mapped.tobytes().decode("utf-32-le", "surrogatepass"), None)
    kept = ~removed
    normalized = mapped[kept].tobytes().decode("utf-32-le", "surrogatepass")
    starts = np.flatnonzero(kept).tolist()
    starts.append(len(text))
    return NormalizedText(text, normalized, starts, not CONTROLS.pattern.search(text))


def _normalize_expanding(text: str) -> NormalizedText:
    # Presentation forms can expand one code point into several letters ("ﻻ" →
    # "لا"); rare, so this path favours clarity over speed.
    table, uneven = _table()
    starts: list[int] = []
    last = 0
    for m in uneven.finditer(text):
        p = m.start()
        starts.extend(range(last, p))
        starts.extend([p] * len(table[ord(text[p])]))
        last = p + 1
    starts.extend(range(last, len(text)))
    starts.append(len(text))
    return NormalizedText(text, text.translate(table), starts, False)


def normalize_str(text: str) -> str:
    """The normalized string alone, for lexicon keys and data files."""
    return text.translate(_table()[0])
