"""Rule extractor for MONEY, PERCENT and QUANTITY (ANNOTATION.md, "Numeric types").

It reads the token stream of the normalized text (proclitics split off number words, so
that "وخمسون" is و + خمسون and the clitic stays outside the span), finds

    [qualifier] [بين|ما بين|من] [qualifier] number [و|إلى|– number] [unit] [qualifier]

and reports original offsets. A number is digits (numparse.read_digits) or number words
with scale words (numparse.parse_numeral); the unit decides the type: a percent sign or
word → PERCENT, a currency → MONEY, anything else (a measure unit, a counted noun, or
nothing) → QUANTITY. Numbers that are something else are not emitted: date parts (years,
day numbers, d/m/y chains, clock times), lengths of time (DURATION, except ages and
measured hours), ordinals ("الـ30"), identifiers ("القرار 2397"), numbers inside names
and list markers. Word lists live in numbers.json, currencies.json and units.json (month
names in the dates extractor's months.json), read by pipeline/extractors/numtables.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from pipeline.analysis import Analysis
from pipeline.doc import Mention, Value
from pipeline.extractors.numparse import Numeral, is_scale, parse_numeral, read_digits, word_kind
from pipeline.extractors.numtables import Currency, Tables, match_phrase, tables
from pipeline.registry import register
from pipeline.resources import lexicon
from pipeline.text.normalize import normalize_str

PROCLITICS = "وفبلك"
AND = "و"
OR = "او"
OPEN, CLOSE = "(", ")"
BRACKETS = frozenset({(OPEN, CLOSE), ('"', '"'), ("«", "»"), ("“", "”")})
# Verb-like beginnings: imperfect ي/ت, derived forms استفعل، افتعل، انفعل.
VERB_PREFIX = re.compile("^(?:ي|ت|است|ا.ت|ان)")
# Broken-plural shapes, normalized (أفعال، أفعل، فعال، فعول، مفاعل، مفاعيل، فعلاء، فعلى،
# and three-letter فعل): after 3..10 the counted noun is a plural.
BROKEN_PLURALS = tuple(re.compile(p) for p in (
    "^ا[^ا]{2}ا[^ا]$", "^ا[^ا]{3}$", "^[^ا]{2}ا[^ا]$", "^[^ا]{2}و[^ا]$", "^[^ا][^ا]ا[^ا]{2}$",
    "^[^ا][^ا]ا[^ا]ي[^ا]$", "^[^ا]{3,4}اء$", "^[^ا]{3}ي$", "^[^ا]{3}$"))
ONE = frozenset({normalize_str("واحد"), normalize_str("واحدة")})
NEAR = 7          # items from a mention's first word to its number, at most ("ما بين نحو")
CLAUSE_STOPS = frozenset(".،,؛;:؟?!()«»“”\"")


class Item(NamedTuple):
    """A token, or a proclitic split off a number word; offsets are original."""

    norm: str
    kind: str
    start: int
    end: int
    text: str
    space_before: bool
    line_before: bool


@dataclass(frozen=True)
class Suffix:
    kind: str                 # pct | cur | measure | time | noun | from
    end: int                  # item index after the suffix
    unit: str | None = None
    currency: str | None = None
    factor: float = 1.0


@dataclass(frozen=True)
class Cand:
    """A candidate mention over items [start, end)."""

    start: int
    end: int
    num_start: int
    num_end: int
    lo: float
    hi: float | None = None   # set for a range
    type: str = "QUANTITY"
    unit: str | None = None
    currency: str | None = None
    approx: bool | None = None
    bound: str | None = None
    suffix: str | None = None
    scale: float | None = None
    words_only: bool = False
    plain: bool = False       # plain digit tokens, no scale word
    rng: str | None = None    # between | from | dash
    scan_end: int | None = None   # where scanning resumes, when past the span
    skip: bool = False
    why: str = ""             # why skipped: "date" and "id" pass on to a coordinated number


def build_items(analysis: Analysis, t: Tables) -> list[Item]:
    """Tokens as items; a proclitic is split off a word whose rest is a number word,
    qualifier, unit or currency the tokenizer left whole ("وخمسون", "وبنحو")."""
    text, norm = analysis.doc.text, analysis.norm
    items: list[Item] = []
    prev = 0
    for tok in analysis.tokens:
        pieces = [(tok.nstart, tok.nend, tok.norm)]
        if tok.kind == "word" and tok.norm[0] in PROCLITICS and len(tok.norm) > 2 and tok.norm not in t.split_words:
            pieces = _split(tok.nstart, tok.norm, t)
        for ns, ne, nrm in pieces:
            a, b = (tok.start, tok.end) if len(pieces) == 1 else norm.to_original(ns, ne)
            gap = text[prev:a]
            items.append(Item(nrm, tok.kind, a, b, text[a:b], bool(gap), "\n" in gap or "\r" in gap))
            prev = b
            if tok.kind == "number" and len(items) >= 3 and _maghreb_groups(items[-3:]):
                # "540ر999ر45": the tokenizer reads one ر group per token
                x, _, z = items[-3:]
                items[-3:] = [x._replace(norm=x.norm + "ر" + z.norm, end=z.end, text=text[x.start:z.end])]
    return items


def _maghreb_groups(three: list[Item]) -> bool:
    x, r, z = three
    return x.kind == z.kind == "number" and "ر" in x.norm and r.norm == "ر" and not r.space_before \
        and not z.space_before


def _split(nstart: int, word: str, t: Tables) -> list[tuple[int, int, str]]:
    for k in (1, 2):
        rest = word[k:]
        if len(rest) >= 2 and all(c in PROCLITICS for c in word[:k]) and rest in t.split_words:
            return [(nstart + i, nstart + i + 1, word[i]) for i in range(k)] + \
                [(nstart + k, nstart + len(word), rest)]
    return [(nstart, nstart + len(word), word)]


def _strip_al(s: str) -> str:
    return s[2:] if s.startswith("ال") and len(s) > 3 else s


def _adjective_base(norm: str) -> str:
    """"الأمريكية" → "امريكي": article, feminine and accusative endings off."""
    w = _strip_al(norm)
    for end in ("ه", "ا", "ين", "ون"):
        if w.endswith(end) and len(w) > len(end) + 2:
            w = w[: -len(end)]
            break
    return w


class _Doc:
    """One document's items and the lookups the rules share."""

    def __init__(self, analysis: Analysis, t: Tables):
        self.analysis = analysis
        self.t = t
        self.items = build_items(analysis, t)
        self.n = len(self.items)
        self._digits: dict[int, float | None] = {}
        # items that can be part of a number: a mention needs one near where it starts
        self.numeric = [it.kind == "number" or word_kind(it.norm) is not None for it in self.items]

    def digit_value(self, j: int) -> float | None:
        if j not in self._digits:
            it = self.items[j]
            nxt = self.items[j + 1] if j + 1 < self.n else None
            self._digits[j] = read_digits(it.norm, it.text, nxt is not None and is_scale(nxt.norm))
        return self._digits[j]

    def is_and(self, j: int) -> bool:
        it = self.items[j]
        return it.norm == AND and it.kind == "word" and not (j + 1 < self.n and self.items[j + 1].line_before)

    def numeral(self, j: int) -> Numeral | None:
        if j >= self.n:
            return None
        return parse_numeral(self.items, j, self.digit_value, self.is_and)

    def norm_at(self, j: int) -> str | None:
        return self.items[j].norm if 0 <= j < self.n else None

    def breaks(self, j: int) -> bool:
        """Does item j start a new line or is it clause punctuation?"""
        it = self.items[j]
        return it.line_before or (it.kind == "punct" and it.norm in CLAUSE_STOPS)

    def sentence_words(self, j: int) -> tuple[str, set[str]]:
        s = self.analysis.sentence_at(self.items[j].start)
        text = self.analysis.doc.text[s.start:s.end] if s else self.items[j].text
        norm = normalize_str(text)
        words = set(norm.split())
        words |= {w[1:] for w in list(words) if w[:1] in PROCLITICS}
        return norm, words


@register("numbers", 1)
class NumberExtractor:
    """MONEY, PERCENT and QUANTITY mentions from rules (see the module docstring)."""

    name = "numbers"
    source = "numbers/1"

    def __call__(self, analysis: Analysis) -> None:
        d = _Doc(analysis, tables())
        cands = self.find(d)
        for k, c in enumerate(cands):
            if not c.skip:
                analysis.mentions.append(self.mention(d, c, k))

    # ------------------------------------------------------------ finding

    def find(self, d: _Doc) -> list[Cand]:
        cands: list[Cand] = []
        p = 0
        while p < d.n:
            it = d.items[p]
            c = None
            if (it.kind == "number" or it.norm in d.t.start_words) and any(d.numeric[p:p + NEAR]):
                c = self.candidate(d, p)
            if c is None:
                p += 1
                continue
            cands.append(c)
            p = max(c.end, c.scan_end or 0)
        cands += self.word_counts(d, cands)
        cands.sort(key=lambda c: c.start)
        cands = self.inherit_from_next(d, cands)
        cands = [self.bare_filter(d, c) for c in cands]
        cands = self.inherit_qualifiers(d, cands)
        cands = [self.percent_context(d, c) for c in cands]
        cands = self.comparison_carry(d, cands)
        cands = [self.distant_qualifier(d, c) for c in cands]
        cands = [self.bare_age(d, c) for c in cands]
        return cands

    def candidate(self, d: _Doc, p: int) -> Cand | None:
        t, items = d.t, d.items
        j, qual = p, None
        q = match_phrase(items, j, t.qual_before)
        if q:
            j, qual = q
        rng, rng_at = None, None
        b = match_phrase(items, j, t.between) if j < d.n else None
        if b:
            rng, rng_at, j = "between", j, b[0]
        elif qual is None and d.norm_at(j) in t.range_from:
            rng, rng_at, j = "from", j, j + 1
        if rng:
            q2 = match_phrase(items, j, t.qual_before)
            if q2:
                j = q2[0]
                qual = qual or q2[1]
        sign = None
        if j + 1 < d.n and items[j].kind == "punct" and items[j + 1].kind == "number" and \
                (items[j].norm in t.pct_signs or items[j].norm in t.signs):
            sign = items[j].norm
            j += 1
        n1 = d.numeral(j)
        if n1 is None:
            return None
        if n1.plain_digits:
            chain = self.date_chain(d, n1.start)
            if chain:
                return Cand(p, chain, n1.start, chain, 0.0, skip=True)
        n2, suffix = None, None
        if rng == "between":
            n2, suffix = self.between_second(d, n1)
            if n2 is None:
                return None
        elif rng == "from":
            if self.change_before(d, rng_at) or self.suffix(d, n1) is not None:
                return None
            k = n1.end
            n2 = d.numeral(k + 1) if d.norm_at(k) in t.range_to else None
            if n2 is None:
                return None
            suffix = self.suffix(d, n2)
        else:
            k = n1.end
            if k + 1 < d.n and items[k].norm in t.dashes and not items[k].line_before \
                    and not n1.words_only:
                m = d.numeral(k + 1)
                if m is not None and not m.words_only:
                    lo = self.range_low(n1, m)
                    if lo <= m.value:
                        n2, rng = m, "dash"
                    elif n1.plain_digits and m.plain_digits:
                        # "3-1": a score or a reversed pair, not a quantity.
                        return Cand(p, m.end, n1.start, m.end, 0.0, skip=True)
            suffix = self.suffix(d, n2 or n1)
        last = n2 or n1
        if n1.fraction_only and suffix is None:
            return None            # "ثلاثة أرباع" with nothing to measure
        start = p if (qual or rng or sign) else n1.start
        end = suffix.end if suffix else last.end
        kind = None
        unit = currency = None
        factor = 1.0
        if sign in t.pct_signs:
            kind = "PERCENT"
        elif sign:
            kind, currency = "MONEY", t.signs[sign]
            if start > 0 and items[start - 1].kind == "latin" and items[start - 1].text.upper() == "US" \
                    and not items[start].space_before:
                start -= 1
        if suffix is not None and kind is None:
            kind = {"pct": "PERCENT", "cur": "MONEY"}.get(suffix.kind, "QUANTITY")
            unit, currency, factor = suffix.unit, suffix.currency, suffix.factor
        paren_unit, scan_end, paren_scale = None, None, None
        if suffix is None and kind is None and self.in_brackets(d, n1.start, last.end):
            # "( 13970 ) وظيفة", "(13) مليون راكب": the unit (and scale word) after the
            # bracket count, but the span is the number alone
            at = last.end + 1
            w = word_kind(d.norm_at(at) or "")
            if w is not None and w[0].startswith("S_") and w[0] != "S_dual":
                paren_scale, at = w[1], at + 1
            after = self.suffix(d, last, at=at)
            if after is None and paren_scale is None:
                return Cand(p, last.end, n1.start, last.end, 0.0, skip=True)
            scan_end = after.end if after else at
            if after is not None:
                if after.kind == "time":
                    after = replace(after, kind="time_outside")
                paren_unit = after
                kind = {"pct": "PERCENT", "cur": "MONEY"}.get(after.kind, "QUANTITY")
                unit, currency, factor = after.unit, after.currency, after.factor
        approx = bound = None
        if qual:
            approx, bound = (True, None) if qual[0] == "approx" else (None, qual[1])
        if paren_unit is None:
            tail = match_phrase(items, end, t.qual_after_inside)
            if tail:
                end = tail[0]
                approx, bound = self.merge_qual(approx, bound, tail[1])
            else:
                tail = match_phrase(items, end, t.qual_after_outside)
                if tail:
                    approx, bound = self.merge_qual(approx, bound, tail[1])
        lo = self.range_low(n1, n2) if n2 else n1.value
        hi = n2.value if n2 else None
        if paren_scale:
            lo, hi = lo * paren_scale, hi * paren_scale if hi is not None else None
        c = Cand(start, end, n1.start, last.end, lo / factor, hi / factor if hi is not None else None,
                 kind or "QUANTITY", unit, currency, approx, bound,
                 (suffix or paren_unit).kind if (suffix or paren_unit) else ("sign" if sign else None),
                 paren_scale or last.first_scale, n1.words_only,
                 n1.plain_digits and (n2 is None or n2.plain_digits) and not paren_scale,
                 rng if n2 else None, scan_end)
        return self.context_filter(d, c, n1, last, suffix or paren_unit)

    @staticmethod
    def merge_qual(approx, bound, qual):
        key, val = qual
        if key == "approx":
            return True, bound
        return approx, bound or val

    @staticmethod
    def range_low(n1: Numeral, n2: Numeral) -> float:
        """The low end; a scale word written once applies to both ends ("بين 1.72 و5.52
        مليار"), unless that would put the low end above the high one."""
        if n1.first_scale is None and n2.first_scale:
            scaled = n1.value * n2.first_scale
            if scaled <= n2.value:
                return scaled
        return n1.value

    def between_second(self, d: _Doc, n1: Numeral):
        """The Y of "بين X و Y" and the unit after it, or (None, None)."""
        s1 = self.suffix(d, n1)
        k = s1.end if s1 else n1.end
        if k + 1 >= d.n or d.items[k + 1].line_before or d.norm_at(k) not in d.t.between_and:
            return None, None
        k += 1
        q = match_phrase(d.items, k, d.t.qual_before)
        if q:
            k = q[0]
        n2 = d.numeral(k)
        if n2 is None:
            return None, None
        s2 = self.suffix(d, n2)
        if s1 is not None and (s2 is None or s2.kind != s1.kind):
            return None, None
        return n2, s2

    def change_before(self, d: _Doc, j: int) -> bool:
        """A change verb shortly before من: "ارتفع من 10 إلى 20" is two values, not a range."""
        for k in range(j - 1, max(-1, j - 1 - d.t.change_window), -1):
            if d.breaks(k + 1):
                return False
            w = d.items[k].norm
            if any(w.startswith(s) or (w[:1] in PROCLITICS and w[1:].startswith(s)) for s in d.t.change_stems):
                return True
        return False

    def date_chain(self, d: _Doc, j: int) -> int | None:
        """End of a d/m/y or h:m chain starting at number j ("22/07/2015", "11-10-1436",
        "10:07"), or None."""
        items, k, seps = d.items, j + 1, []
        while k + 1 < d.n and items[k].norm in ("/", "-", "–", ":") and items[k + 1].kind == "number" \
                and not items[k].line_before and not items[k + 1].line_before:
            seps.append(items[k].norm)
            k += 2
        if len(seps) >= 2 or (seps and seps[0] in "/:"):
            if k < d.n and items[k].norm in d.t.year_after:
                k += 1
            return k
        return None

    def in_brackets(self, d: _Doc, a: int, b: int) -> bool:
        return (d.norm_at(a - 1), d.norm_at(b)) in BRACKETS

    # ------------------------------------------------------------ units

    def suffix(self, d: _Doc, num: Numeral, at: int | None = None) -> Suffix | None:
        t, items = d.t, d.items
        j = num.end if at is None else at
        if j >= d.n or items[j].line_before:
            return None
        it = items[j]
        if it.norm in t.pct_signs:
            return Suffix("pct", j + 1)
        m = match_phrase(items, j, t.pct_after)
        if m:
            return Suffix("pct", m[0])
        if it.norm in t.signs:
            return Suffix("cur", j + 1, currency=t.signs[it.norm])
        if it.kind == "latin" and it.text in t.codes_after:
            return Suffix("cur", j + 1, currency=it.text)
        m = match_phrase(items, j, t.subunits)
        if m:
            code, factor = m[1]
            return Suffix("cur", m[0], currency=code, factor=factor)
        m = match_phrase(items, j, t.currency_forms)
        if m:
            return Suffix("cur", m[0], currency=self.currency_code(d, m[0], m[1]))
        m = match_phrase(items, j, t.measures)
        if m:
            unit = m[1] or d.analysis.doc.text[it.start:items[m[0] - 1].end]
            return Suffix("measure", m[0], unit=unit)
        m = match_phrase(items, j, t.time_units)
        if m:
            if m[0] < d.n and items[m[0]].kind == "number":
                return None        # "67.9 مليونا عام 2013": عام names the year that follows
            return Suffix("time", m[0], unit=m[1])
        if not num.accusative and self.is_counted(d, it) and (not num.words_only or self.takes_article(it)) \
                and self.fits_ambiguous(d, num, it):
            return self.counted(d, j)
        if not num.accusative and it.norm == AND:
            # a noun starting with و that the tokenizer split like a conjunction ("ولاية" →
            # و + ل + اية): whole when the whole word is the more frequent reading
            k = j
            while k + 1 < d.n and items[k].norm in PROCLITICS and not items[k + 1].space_before:
                k += 1
            if k > j:
                whole = items[k]._replace(norm="".join(x.norm for x in items[j:k + 1]), start=it.start,
                                          text=d.analysis.doc.text[it.start:items[k].end])
                lex = lexicon()
                rest = whole.norm[1:]
                if lex.get(whole.norm, 0) >= lex.get(rest, 0) and self.is_counted(d, whole):
                    return Suffix("noun", k + 1, unit=whole.text)
        return self.from_noun(d, j)

    def counted(self, d: _Doc, j: int) -> Suffix:
        """A counted noun at j, with a listed genitive complement ("قذائف هاون") or a
        coordinated feminine ("طالب وطالبة")."""
        items = d.items
        it = items[j]
        m = match_phrase(items, j, d.t.compound_nouns)
        if m:
            return Suffix("noun", m[0], unit=d.analysis.doc.text[it.start:items[m[0] - 1].end])
        stem = it.norm[:-1] if it.norm.endswith("ا") else it.norm
        if j + 2 < d.n and d.is_and(j + 1) and items[j + 2].norm == stem + "ه":
            return Suffix("noun", j + 3, unit=d.analysis.doc.text[it.start:items[j + 2].end])
        return Suffix("noun", j + 1, unit=it.text)

    def is_counted(self, d: _Doc, it: Item) -> bool:
        t, w = d.t, it.norm
        if it.kind != "word" or len(w) < 2 or it.line_before:
            return False
        if w in t.not_counted or w in t.months or w in t.year_after or w.startswith("ال"):
            return False
        if word_kind(w) or w in t.definite_numerals:
            return False
        # a word shaped like a verb ("يأذن", "تعتبر", "اجتمع") or carrying a pronoun
        # ("سجلهما", "تضرروا") that the corpus never shows with the article is not a
        # noun ("يمنيا" is one: "اليمني")
        return not ((VERB_PREFIX.match(w) or w.endswith(("وا", "هما", "هم", "ها")))
                    and not self.takes_article(it))

    def fits_ambiguous(self, d: _Doc, num: Numeral, it: Item) -> bool:
        """A number word that is also another word ("تسع" may), alone, counts only a noun
        that fits it: a plural seen with the article after 3..10 ("تسع محافظات", not the
        name in "تسع إيران"), a genitive singular after ألف (not the accusative "ألف
        قديمًا", where ألف is ألّف)."""
        first = d.items[num.start]
        if num.pieces != 1 or first.norm not in d.t.ambiguous_alone:
            return True
        if is_scale(first.norm):
            return not it.norm.endswith("ا")
        w, lex = it.norm, lexicon()
        plural = w.endswith(d.t.from_endings) or w in d.t.from_plurals or any(p.match(w) for p in BROKEN_PLURALS)
        return plural and lex.get("ال" + w, 0) >= d.t.ambiguous_article_ratio * lex.get(w, 0)

    @staticmethod
    def takes_article(it: Item) -> bool:
        """Is the word seen with the article in the corpus (a noun, not a verb)?"""
        w = it.norm
        return w.startswith("ال") or lexicon().get("ال" + w, 0) > 0 or \
            (w.endswith("ا") and lexicon().get("ال" + w[:-1], 0) > 0)

    def from_noun(self, d: _Doc, j: int) -> Suffix | None:
        """"60 ألفًا من اللاجئين", "اثنان من أفراد الأمن": من and a plural noun, definite or
        followed by its genitive, is the counted noun; not "من خارج", "من العراق"."""
        items, t = d.items, d.t
        if d.norm_at(j) != "من" or j + 1 >= d.n or items[j + 1].kind != "word" or items[j + 1].line_before:
            return None
        it = items[j + 1]
        w = it.norm
        if w.startswith("ال"):
            if len(w) < 5 or w in t.from_not or not self.plural(d, w):
                return None
            return Suffix("from", j + 2, unit=_strip_al(it.text))
        if not (self.plural(d, w) or w.endswith("ي")) or not self.is_counted(d, it):
            return None
        # the genitive chain up to its definite noun: "أفراد الأمن", "أفراد قوات الأمن"
        k = j + 2
        while k < d.n and k - j <= 4 and not d.breaks(k) and self.is_counted(d, items[k]):
            k += 1
        if k >= d.n or d.breaks(k) or not self.definite_noun(d, items[k]):
            return None
        return Suffix("from", k + 1, unit=it.text)

    def currency_code(self, d: _Doc, j: int, cur: Currency) -> str:
        """The adjective after the noun, else the sentence's country, else the default."""
        bases = [_adjective_base(d.items[k].norm) for k in range(j, min(j + 2, d.n))
                 if not d.items[k].line_before]
        for words, code in cur.adjectives:
            if tuple(bases[: len(words)]) == words:
                return code
        if cur.context:
            norm, words = d.sentence_words(j - 1)
            if not (words & d.t.saudi_words):
                for w, code in cur.context:
                    if (" " in w and w in norm) or w in words:
                        return code
        return cur.code

    # ------------------------------------------------------------ filters

    def context_filter(self, d: _Doc, c: Cand, n1: Numeral, last: Numeral, suffix: Suffix | None) -> Cand:
        """Dates, durations, ordinals and identifiers around the number."""
        t, items = d.t, d.items
        prev = d.norm_at(n1.start - 1)
        nxt = d.norm_at(last.end)
        if suffix is not None and suffix.kind in ("time", "time_outside"):
            return self.time_quantity(d, c, suffix)
        if match_phrase(items, last.end, t.clock_after) or match_phrase(items, last.end, t.day_of_month):
            return replace(c, skip=True, why="date")   # "11 مساءً", "23 من الشهر"
        if n1.words_only and self.ordinal_teen(d, n1):
            return replace(c, skip=True)
        if prev in t.ordinal_marker and c.suffix in (None, "noun") and c.scale is None:
            return replace(c, skip=True)       # "الـ30", not "الـ110 ملايين دولار"
        # A plain integer that is not an amount (no currency, percent, unit or scale word)
        # next to a month or a year word is a date part.
        datelike = c.plain and n1.value.is_integer() and c.suffix in (None, "noun")
        if datelike and (nxt in t.months or self.month_before(d, n1.start) or prev in t.year_before
                         or (prev is not None and prev[:1] in PROCLITICS and prev[1:] in t.year_before)):
            return replace(c, skip=True, why="date")
        if datelike and c.suffix is None and nxt == "من" and d.norm_at(last.end + 1) in t.months:
            return replace(c, skip=True, why="date")   # "15 من كانون الثاني"
        if (datelike and c.suffix is None or c.plain and c.rng == "dash") and prev in t.time_words:
            return replace(c, skip=True, why="date")   # "يوم 22", "الساعة 10", "الأحد ٥-١٠"
        if nxt in t.year_after and (nxt != "م" or 1000 <= last.value <= 2100):
            return replace(c, skip=True, why="date")
        if c.suffix in (None, "noun") and self.identifier_before(d, n1.start):
            return replace(c, skip=True, why="id")
        return c

    def month_before(self, d: _Doc, j: int) -> bool:
        """A month name right before item j, or before a bracketed gloss ("ديسمبر (كانون
        الأول) 2014")."""
        k = j - 1
        if d.norm_at(k) == CLOSE:
            while k >= 0 and j - k <= 5 and d.norm_at(k) != OPEN:
                k -= 1
            k -= 1
        months = d.t.months
        if d.norm_at(k) in d.t.month_second_words:     # "تشرين الثاني 2014"
            k -= 1
        return d.norm_at(k) in months or (k > 0 and d.norm_at(k - 1) in months
                                          and d.items[k].kind == "word" and d.norm_at(j - 1) == CLOSE)

    def ordinal_teen(self, d: _Doc, n1: Numeral) -> bool:
        """"الساعة الثانية عشرة", "القرن التاسع عشر": عشر after an ordinal is part of it."""
        first, prev = d.items[n1.start], d.norm_at(n1.start - 1)
        kind = word_kind(first.norm)
        return kind is not None and kind[1] == 10 and prev is not None and _strip_al(prev) in d.t.ordinal_units

    def identifier_before(self, d: _Doc, j: int) -> bool:
        if d.norm_at(j - 1) == OPEN:       # "رقم (1)"
            j -= 1
        for k in (j - 1, j - 2):
            if k < 0 or (k + 1 < j and d.breaks(k + 1)) or d.items[j].line_before:
                return False
            m = match_phrase(d.items, k, d.t.identifiers, stop=j)
            if m and m[0] == j:
                return True
        return False

    def time_quantity(self, d: _Doc, c: Cand, s: Suffix) -> Cand:
        """A number of years etc. is an age (QUANTITY) after an age word or in brackets,
        a measured number of hours after a measure word; otherwise a DURATION (not ours)."""
        t = d.t
        bracketed = s.kind == "time" and self.in_brackets(d, c.start, c.end)
        if s.unit in t.age_units and (self.cue_before(d, c.start, t.age_cues, t.age_window) or bracketed):
            return replace(c, type="QUANTITY", unit=s.unit)
        if s.unit == "hour" and self.cue_before(d, c.start, t.time_measure_cues, t.time_measure_window):
            return replace(c, type="QUANTITY", unit=s.unit)
        return replace(c, skip=True, unit=s.unit)

    def cue_before(self, d: _Doc, j: int, table, window: int) -> bool:
        for k in range(j - 1, max(-1, j - 1 - window), -1):
            if d.breaks(k + 1) or d.items[k].kind == "number":
                return False
            m = match_phrase(d.items, k, table, stop=j)
            if m:
                return True
        return False

    def bare_filter(self, d: _Doc, c: Cand) -> Cand:
        """A number with no unit: a year, a list marker, a model number, a phone number,
        a bracketed reference ("(3)")?"""
        if c.skip:
            return c
        t, items = d.t, d.items
        first = items[c.num_start]
        prev = items[c.num_start - 1] if c.num_start > 0 else None
        if prev is not None and not first.space_before and prev.kind == "word" and len(prev.norm) <= 2 \
                and prev.norm not in PROCLITICS and prev.norm not in t.ordinal_marker and c.suffix not in ("pct", "cur"):
            return replace(c, skip=True)       # a code like "ن1", "إس6"
        if prev is not None and prev.norm in ("-", "/") and not first.space_before and c.num_start > 1 \
                and not prev.space_before and items[c.num_start - 2].kind in ("word", "latin") \
                and c.suffix not in ("pct", "cur"):
            return replace(c, skip=True)       # "إف-16", "تقييم-1"
        # the word before, or before the bracket: "العام الماضي (2014) مسجلين"
        before = items[c.num_start - 2] if prev is not None and prev.norm == OPEN and c.num_start > 1 else prev
        if c.plain and c.hi is None and c.suffix in (None, "noun") and len(first.norm) == 4 and before is not None:
            if (before.norm in t.year_preps or before.norm in t.year_before or before.norm in t.relative_year_words) \
                    and t.bare_years[0] <= c.lo <= t.bare_years[1]:
                return replace(c, skip=True)   # "في 2003 لكنها"
            if before.norm in t.relative_year_words and t.hijri_years[0] <= c.lo <= t.hijri_years[1]:
                return replace(c, skip=True)   # "العام المقبل 1437 مدينة …"
        lo_y, hi_y = t.bare_years
        if c.plain and c.hi is not None and c.suffix in (None, "noun") and len(first.norm) == 4 \
                and lo_y <= c.lo <= hi_y and lo_y <= c.hi <= hi_y:
            return replace(c, skip=True, why="date")   # "من 1992 إلى 1995"
        if c.suffix is not None or c.unit is not None:
            return c
        nxt = items[c.num_end] if c.num_end < d.n else None
        if c.words_only:
            if c.num_end - c.num_start == 1 and first.norm in t.ambiguous_alone:
                return replace(c, skip=True)   # "ألف" may be ألّف, "ست" ستّ
            return c
        v = c.lo
        if c.plain and c.hi is not None and c.rng == "dash" and c.approx is None and c.bound is None:
            return replace(c, skip=True)       # "1 - 3": a score
        if c.plain and v.is_integer():
            if lo_y <= v <= hi_y and len(first.norm) == 4:
                return replace(c, skip=True)   # a bare year-like number is a year
            if len(first.norm) >= 7 and first.norm.startswith("0"):
                return replace(c, skip=True)   # a phone number
        if d.norm_at(c.num_end) in ("+", "]") or (prev is not None and prev.norm == "+"):
            return replace(c, skip=True)       # "(5+1)", "+966…"
        if prev is not None and not first.space_before and prev.kind in ("word", "latin") \
                and prev.norm not in PROCLITICS:
            return replace(c, skip=True)       # glued to a word: "إس6"
        if nxt is not None and not nxt.space_before and nxt.kind == "latin":
            return replace(c, skip=True)       # "4G"
        if prev is not None and prev.kind == "latin" and not first.line_before:
            return replace(c, skip=True)       # "Exynos 7420"
        if self.list_marker(d, c):
            return replace(c, skip=True)
        return c

    def list_marker(self, d: _Doc, c: Cand) -> bool:
        """"1)" or "2-  " / "1. " at the start of a line or after a full stop or colon."""
        items = d.items
        nxt = d.norm_at(c.num_end)
        if not c.plain or c.lo >= 100:
            return False
        prev = d.norm_at(c.num_start - 1)
        if nxt == CLOSE and c.hi is None and (prev is None or items[c.num_start].line_before
                                              or prev in (".", ":", "؟", "!", "-")):
            return True
        if nxt in ("-", "–", ".") and c.num_end + 1 < d.n and items[c.num_end + 1].kind == "word":
            return prev is None or items[c.num_start].line_before or prev in (".", ":", "؟", "!")
        return False

    # ------------------------------------------------------------ second passes

    def inherit_from_next(self, d: _Doc, cands: list[Cand]) -> list[Cand]:
        """"1500 و1404 رحلات", "1.5 و1.6 في المائة", "من 10 إلى 20%": a bare number
        coordinated with the next one takes its unit (and scale word). A date part or an
        identifier makes the bare number joined to it by و one too ("يومي 18 و19 أغسطس")."""
        links = {AND, OR} | d.t.range_to | d.t.dashes
        out = list(cands)
        for i in range(len(out) - 1):
            a, b = out[i], out[i + 1]
            if a.skip and a.why in ("date", "id") and b.plain and b.suffix is None and b.start == a.end + 1 \
                    and d.norm_at(a.end) == AND:
                out[i + 1] = replace(b, skip=True, why=a.why)   # "بين عامي 1304 و1237", "الرسم 2 و3"
                continue
            if a.skip or a.suffix is not None or a.unit is not None or a.hi is not None:
                continue
            if b.start != a.end + 1 or d.norm_at(a.end) not in links:
                continue
            if b.skip and b.why == "date" and a.plain:
                out[i] = replace(a, skip=True, why="date")   # "يومي 18 و19 أغسطس"
                continue
            if b.suffix is None:
                continue
            if b.suffix == "time" or (b.skip and self.is_duration(d, b)):
                out[i] = replace(a, skip=True)
                continue
            if b.skip:
                continue
            lo = a.lo
            if not a.words_only and a.scale is None and b.scale and lo < 1000:
                lo *= b.scale
            out[i] = replace(a, lo=lo, type=b.type, unit=b.unit, currency=b.currency,
                             suffix="inherited", scale=b.scale)
        return out

    def is_duration(self, d: _Doc, c: Cand) -> bool:
        return c.num_end < d.n and match_phrase(d.items, c.num_end, d.t.time_units) is not None

    def inherit_qualifiers(self, d: _Doc, cands: list[Cand]) -> list[Cand]:
        """A conversion in brackets inherits the qualifier of the amount it converts; a
        qualifier written once before amounts joined by أو applies to each."""
        out = list(cands)
        for i in range(1, len(out)):
            a, b = out[i - 1], out[i]
            if b.skip or a.skip or b.approx or b.bound or not (a.approx or a.bound):
                continue
            between = [d.items[k].norm for k in range(a.end, b.start)]
            bracketed = between == [OPEN]
            joined = b.type == a.type and between and between[-1] == OR and len(between) <= 2
            if bracketed or joined:
                out[i] = replace(b, approx=a.approx, bound=a.bound)
        return out

    def percent_context(self, d: _Doc, c: Cand) -> Cand:
        """"انخفضت هذه النسبة إلى 16": a bare number soon after a word for a ratio."""
        if c.skip or c.suffix is not None or c.unit is not None or c.type != "QUANTITY" or not c.plain:
            return c
        k = self.word_before(d, c.start, d.t.pct_context, d.t.pct_window)
        # "بالنسبة ل" means "as for", not "the ratio"
        if k is not None and not (d.norm_at(k - 1) == "ب" and not d.items[k].space_before):
            return replace(c, type="PERCENT", suffix="context")
        return c

    def word_before(self, d: _Doc, j: int, words: frozenset, window: int) -> int | None:
        for k in range(j - 1, max(-1, j - 1 - window), -1):
            if d.breaks(k + 1) or d.items[k].kind == "number":
                return None
            w = d.items[k].norm
            if w in words or (w[:1] in PROCLITICS and w[1:] in words):
                return k
        return None

    def comparison_carry(self, d: _Doc, cands: list[Cand]) -> list[Cand]:
        """"929.2 مليون ريال مقارنة بنحو 895": a bare number compared with an amount takes
        that amount's scale word and unit when its size fits."""
        t = d.t
        out = list(cands)
        for i in range(1, len(out)):
            b = out[i]
            if b.skip and b.suffix == "time" and self.word_before(d, b.start, t.comparison, t.comparison_window):
                # "6.‏34 ساعة … مقابل 5.‏34 ساعة": compared with a measured quantity of the
                # same unit, a length of time is a measure too.
                a = next((x for x in reversed(out[:i]) if not x.skip), None)
                if a is not None and a.type == "QUANTITY" and a.unit == b.unit and self.same_sentence(d, a, b):
                    out[i] = replace(b, skip=False, type="QUANTITY")
                continue
            if b.skip or b.suffix is not None or b.unit is not None or b.hi is not None or not b.plain:
                continue
            if self.word_before(d, b.start, t.comparison, t.comparison_window) is None:
                continue
            a = next((x for x in reversed(out[:i]) if not x.skip), None)
            if a is None or a.suffix in (None, "context") or a.hi is not None:
                continue
            if not self.same_sentence(d, a, b):
                continue
            scale = a.scale or 1.0
            ratio = b.lo / (a.lo / scale) if a.lo else 0
            if 1 / t.comparison_ratio <= ratio <= t.comparison_ratio:
                out[i] = replace(b, lo=b.lo * scale, type=a.type, unit=a.unit, currency=a.currency,
                                 suffix="carried")
        return out

    def same_sentence(self, d: _Doc, a: Cand, b: Cand) -> bool:
        if any(d.items[k].line_before for k in range(a.end, b.start + 1)):
            return False
        sent = d.analysis.sentence_at
        return sent(d.items[a.start].start) == sent(d.items[b.start].start)

    def distant_qualifier(self, d: _Doc, c: Cand) -> Cand:
        """A qualifier a few words before the number ("تزيد أعمارهم على 65 عاما",
        "تحت سن 15 سنة"): sets approx/bound, stays outside the span."""
        if c.skip or c.approx or c.bound:
            return c
        items, t = d.items, d.t
        if c.start > 0 and any(d.norm_at(c.start - 1) == o for o, _ in BRACKETS):
            # "أكثر من «400» متطوع": the qualifier before the bracket
            for k in range(max(0, c.start - 5), c.start - 1):
                m = match_phrase(items, k, t.qual_before, stop=c.start - 1)
                if m and m[0] == c.start - 1:
                    key, val = m[1]
                    return replace(c, approx=True) if key == "approx" else replace(c, bound=val)
        for words, key, val, needs, gap in t.distant:
            e = c.start
            if needs:
                if e == 0 or items[e - 1].norm not in needs:
                    continue
                e -= 1
            for g in range(1, t.distant_gap + 1):
                k = e - g - len(words)
                if k < 0:
                    break
                gap_items = items[k + len(words):e]
                if any(x.kind != "word" or d.breaks(idx) for idx, x in
                       zip(range(k + len(words), e), gap_items)):
                    break
                if gap is not None and any(x.norm not in gap for x in gap_items):
                    continue
                if tuple(x.norm for x in items[k:k + len(words)]) == words and not d.breaks(k + 1):
                    return replace(c, approx=True) if key == "approx" else replace(c, bound=val)
        return c

    def bare_age(self, d: _Doc, c: Cand) -> Cand:
        """"في سن 19": a bare number right after an age word is an age in years."""
        if c.skip or c.suffix is not None or c.unit is not None or c.type != "QUANTITY":
            return c
        k = c.start - 1
        if k >= 0 and match_phrase(d.items, k, d.t.age_cues, stop=c.start):
            return replace(c, unit="year")
        return c

    def word_counts(self, d: _Doc, cands: list[Cand]) -> list[Cand]:
        """Counts written after the noun: "رحلة واحدة" (1), "قارات العالم الست" (6)."""
        t, items = d.t, d.items
        taken = set()
        for c in cands:
            taken.update(range(c.start, c.end))
        out = []
        for j in range(1, d.n):
            if j in taken or j - 1 in taken or items[j].line_before:
                continue
            if items[j].norm in ONE and not items[j].text.startswith(("وأ", "وإ")):   # not "وأحد"
                c = self.one_count(d, j, taken)
            elif items[j].norm in t.definite_numerals:
                c = self.definite_count(d, j, taken)
            else:
                continue
            if c is not None:
                out.append(c)
        return out

    def one_count(self, d: _Doc, j: int, taken: set) -> Cand | None:
        """"رحلة واحدة", "دائرة انتخابية واحدة", "ريال واحد"; not "واحدة من" (one of)."""
        t, items = d.t, d.items
        if d.norm_at(j + 1) == "من":
            return None
        h = j - 1
        # a relational adjective between noun and numeral ("دائرة انتخابية واحدة")
        if h > 0 and h - 1 not in taken and items[h].norm.endswith(("ي", "يه")) and self.is_counted(d, items[h]) \
                and self.is_counted(d, items[h - 1]) and not d.breaks(h):
            h -= 1
        head = items[h]
        if not self.is_counted(d, head) or head.norm in t.one_idioms or match_phrase(items, h, t.time_units):
            return None
        cur = match_phrase(items, h, t.currency_forms)
        if cur is not None and cur[0] == h + 1:
            return Cand(h, j + 1, j, j + 1, 1.0, type="MONEY", currency=self.currency_code(d, h + 1, cur[1]),
                        suffix="cur", words_only=True)
        return Cand(h, j + 1, j, j + 1, 1.0, unit=head.text, suffix="noun", words_only=True)

    def definite_count(self, d: _Doc, j: int, taken: set) -> Cand | None:
        """A definite numeral after its noun: "المحتجزين الثلاثة". The noun right before is
        the counted one when it is plural; a singular one is a genitive, and the counted
        noun stands up to two words further back ("قارات العالم الست", "مراكز عمليات
        الشركة الخمسة")."""
        t, items = d.t, d.items
        nxt = items[j + 1] if j + 1 < d.n else None
        if nxt is not None and not d.breaks(j + 1) and nxt.kind == "word" and not nxt.norm.startswith("ال") \
                and nxt.norm not in t.not_counted:
            return None            # "السبعة شهور": the numeral before its noun
        h = j - 1
        if h < 0 or h in taken or d.breaks(j) or not self.definite_noun(d, items[h]):
            return None
        if items[h].norm.endswith(("يه", "ي")) and h > 0 and h - 1 not in taken and not d.breaks(h) \
                and self.definite_noun(d, items[h - 1]):
            h -= 1                 # "القوى العالمية الست": an adjective between
        if not self.plural(d, items[h].norm):
            k = h
            while k - 1 >= 0 and h - (k - 1) <= 2 and k - 1 not in taken and not d.breaks(k) \
                    and self.is_counted(d, items[k - 1]) and self.takes_article(items[k - 1]):
                k -= 1
            h = k
        if any(match_phrase([it._replace(norm=_strip_al(it.norm))], 0, t.time_units) for it in items[h:j]):
            return None            # "السنوات الخمس": a DURATION
        return Cand(h, j + 1, j, j + 1, t.definite_numerals[items[j].norm],
                    unit=_strip_al(items[h].text), suffix="noun", words_only=True)

    def definite_noun(self, d: _Doc, it: Item) -> bool:
        w = it.norm
        return it.kind == "word" and w.startswith("ال") and len(w) > 3 and w not in d.t.not_counted \
            and _strip_al(w) not in d.t.months and not word_kind(w)

    @staticmethod
    def plural(d: _Doc, norm: str) -> bool:
        return norm.endswith(d.t.from_endings) or _strip_al(norm) in d.t.from_plurals

    # ------------------------------------------------------------ output

    def mention(self, d: _Doc, c: Cand, k: int) -> Mention:
        items, text = d.items, d.analysis.doc.text
        start, end = items[c.start].start, items[c.end - 1].end
        if c.hi is not None:
            value = Value(min=_clean(c.lo), max=_clean(c.hi))
        else:
            value = Value(amount=_clean(c.lo))
        value = replace(value, approx=c.approx, bound=c.bound,
                        currency=c.currency if c.type == "MONEY" else None,
                        unit=c.unit if c.type == "QUANTITY" else None)
        return Mention(f"num{k}", c.type, start, end, text[start:end], value, source=self.source)


def _clean(v: float) -> float:
    """Drop float noise from scaling: 34.4 * 1e6 → 34400000."""
    return float(f"{v:.12g}")
