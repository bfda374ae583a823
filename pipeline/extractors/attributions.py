"""Attributions (ANNOTATION.md section 3): who says it, the cue word, and what is said.

Runs after merge, so the final mentions are known: dates trim a source noun phrase,
numbers never start one, entity names count as definite words and name the speaker a
pronoun refers to. Everything is found on tokens (``analysis.tokens``: clitics split,
normalized ``norm``, original offsets); spans are built from token offsets, never by
searching the text. The word lists are in pipeline/data/cues.json.

Cue kinds:
- verbs of saying in their finite forms (قال، تشير، أكدوا …): the source is the noun
  phrase between the verb and its complement (VSO: "قالت المصادر إن"), else the subject
  before it (SVO: "رويترز تشير إلى أن", "كانت الحكومة قالت"), else a pronoun, resolved
  to the speaker the text continues (``_antecedent``);
- participles (مؤكدًا، مشيرةً): the source of the main clause;
- prepositional cues (وفقًا لـ، بحسب، نقلًا عن …): the source is the noun phrase after
  them; the content is the clause after a leading cue, the clause before a trailing
  one, or the whole clause around a cue set inside it;
- a verbal noun after "عن X" (نقل … عن الشيخ طلال قوله "…").
A verb's content runs from after أن/إن (or its governed preposition, a colon, a
quotation, a nominalised proposition) to the end of the sentence, and stops before the
reporter's asides and before the clause of the next cue (``_settle``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from pipeline.analysis import Analysis
from pipeline.doc import ENTITY_TYPES, NUMERIC_TYPES, TEMPORAL_TYPES, Attribution, Span
from pipeline.registry import register
from pipeline.resources import load_json, normalized_phrases, normalized_words
from pipeline.text.normalize import normalize_str
from pipeline.text.tokenize import NUMBER, PUNCT, WORD

MAX_SOURCE = 24          # tokens searched after a cue verb for its complement
OPEN_QUOTES = {"«": "»", "“": "”", '"': '"', "„": "“"}
CLOSERS = frozenset("»”\"')]″")
STOPS = frozenset({".", "؟", "?", "!", "؛", ";"})
COMMAS = frozenset({"،", ","})
# Punctuation trimmed from the edges of a span ("%" and balanced brackets stay).
EDGE_PUNCT = frozenset({".", "،", ",", "؛", ";", ":", "!", "?", "؟", "…", "-", "—", "–", "ــ", "/", "*"})


@dataclass(frozen=True)
class Verb:
    lemma: str
    participle: bool
    preps: frozenset
    nominal: bool
    colon: bool
    strict: bool
    clause_initial: bool
    any_object: bool
    addressee: bool
    topic: bool


@dataclass(frozen=True)
class Lexicon:
    verbs: dict            # normalized form -> Verb
    nominal_cues: frozenset   # with an attached pronoun (قوله) and bare (القول)
    preps_by_first: dict   # prepositional cues: first word -> word tuples, longest first
    verb_after_prep: frozenset
    complementizers: frozenset
    pronoun_suffixes: tuple
    impersonal: frozenset
    inference_before: frozenset
    stack_before: frozenset
    legal_basis: frozenset
    statement_nouns: frozenset
    source_aside_verbs: frozenset
    relative_pronouns: frozenset
    left_boundaries: frozenset
    kana: frozenset
    particles_before_verb: frozenset
    clause_links: tuple
    clause_openers: frozenset
    asides_after_comma: tuple
    contrast_links: tuple
    asides_after_dash: frozenset
    dashes: frozenset
    addressee_outlets: frozenset
    skip_phrases: tuple
    no_source_words: frozenset
    nominal_heads: frozenset
    not_nominal: frozenset
    np_continuers: frozenset
    addressee_heads: frozenset
    # grammar (cues.json "grammar", clitics.json)
    conjunctions: frozenset
    clitics: frozenset
    article: str
    article_lookalikes: frozenset
    prepositions: frozenset
    np_breaking: frozenset
    stop_preposition: str
    pronouns: frozenset
    subordinators: frozenset
    date_preps: frozenset
    channel_preps: frozenset
    addressee_prep: str
    about: str
    relative_ma: str
    also: str
    leading_particles: frozenset
    aside_exceptions: tuple
    masdar: re.Pattern
    masdar_bare: re.Pattern
    masdar_suffixes: tuple
    present_prefixes: frozenset
    complementizer_preps: frozenset
    and_: str
    future_markers: frozenset
    predicate_before: frozenset
    possessive_suffixes: tuple
    source_heads: frozenset
    bare_nominal_cues: frozenset
    negations: frozenset
    right_stops: frozenset


_n, _seqs = normalized_words, normalized_phrases


def _by_first(phrases: tuple) -> dict:
    out: dict[str, list] = {}
    for p in sorted(phrases, key=len, reverse=True):
        out.setdefault(p[0], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@cache
def lexicon() -> Lexicon:
    d = load_json("cues.json")
    g = d["grammar"]
    clitics = load_json("clitics.json")
    verbs: dict[str, Verb] = {}
    for lemma, info in d["verbs"].items():
        common = dict(preps=_n(info.get("preps", ())), nominal=info.get("nominal", False),
                      colon=info.get("colon", False), strict=info.get("strict", False),
                      clause_initial=info.get("clause_initial", False),
                      any_object=info.get("any_object", False),
                      addressee=info.get("addressee", False), topic=info.get("topic", False))
        for form in info["forms"]:
            f = normalize_str(form)
            verbs.setdefault(f, Verb(lemma, False, **common))
        for form in info["participles"]:
            f = normalize_str(form)
            verbs.setdefault(f, Verb(lemma, True, **common))
    return Lexicon(
        verbs=verbs, nominal_cues=_n(d["nominal_cues"] + d["bare_nominal_cues"]),
        preps_by_first=_by_first(_seqs(d["preps"])),
        verb_after_prep=_n(d["verb_after_prep"]), complementizers=_n(d["complementizers"]),
        pronoun_suffixes=tuple(normalize_str(s) for s in d["pronoun_suffixes"]),
        impersonal=_n(d["impersonal"]), inference_before=_n(d["inference_before"]),
        stack_before=_n(d["stack_before"]), legal_basis=_n(d["legal_basis"]),
        statement_nouns=_n(d["statement_nouns"]), source_aside_verbs=_n(d["source_aside_verbs"]),
        relative_pronouns=_n(d["relative_pronouns"]), left_boundaries=_n(d["left_boundaries"]),
        kana=_n(d["kana"]), particles_before_verb=_n(d["particles_before_verb"]),
        clause_links=_seqs(p.split() for p in d["clause_links"]),
        clause_openers=_n(d["clause_openers"]),
        asides_after_comma=_seqs(p.split() for p in d["asides_after_comma"]),
        asides_after_dash=_n(d["asides_after_dash"]),
        contrast_links=_seqs(p.split() for p in d["contrast_links"]),
        dashes=frozenset(d["dashes"]), addressee_outlets=_n(d["addressee_outlets"]),
        skip_phrases=_seqs(d["skip_phrases"]), no_source_words=_n(d["no_source_words"]),
        nominal_heads=_n(d["nominal_heads"]), not_nominal=_n(d["not_nominal"]),
        negations=_n(d["negations"]), right_stops=_n(d["right_stops"]),
        np_continuers=_n(d["np_continuers"]), addressee_heads=_n(d["addressee_heads"]),
        conjunctions=_n(clitics["conjunctions"]),
        clitics=_n(clitics["conjunctions"] + clitics["prepositions"]),
        article=normalize_str(g["article"]), article_lookalikes=_n(g["article_lookalikes"]),
        prepositions=_n(g["prepositions"]), np_breaking=_n(g["np_breaking_prepositions"]),
        stop_preposition=normalize_str(g["stop_preposition"]), pronouns=_n(g["independent_pronouns"]),
        subordinators=_n(g["subordinators"]),
        date_preps=_n(g["date_prepositions"]), channel_preps=_n(g["channel_prepositions"]),
        addressee_prep=normalize_str(g["addressee_preposition"]), about=normalize_str(g["about"]),
        relative_ma=normalize_str(g["relative_ma"]), also=normalize_str(g["also"]),
        leading_particles=_n(g["leading_particles"]),
        aside_exceptions=_seqs(g["aside_exceptions"]),
        masdar=re.compile("^(?:" + "|".join(normalize_str(p) for p in g["masdar_patterns"]) + ")$"),
        masdar_bare=re.compile("^(?:" + "|".join(normalize_str(p) for p in g["masdar_bare_patterns"]) + ")$"),
        masdar_suffixes=tuple(normalize_str(x) for x in g["masdar_suffixes"]),
        present_prefixes=_n(g["present_prefixes"]), complementizer_preps=_n(g["complementizer_prepositions"]),
        and_=normalize_str(clitics["conjunctions"][0]),
        future_markers=_n(d["future_markers"]), predicate_before=_n(d["predicate_before"]),
        possessive_suffixes=tuple(normalize_str(x) for x in g["possessive_suffixes"]),
        source_heads=_n(d["source_heads"]), bare_nominal_cues=_n(d["bare_nominal_cues"]),
    )


Range = tuple[int, int]   # token indices, half-open


@dataclass
class Found:
    """An attribution in token terms, before spans are built."""

    kind: str                 # verb | participle | prep | nominal
    cue: tuple[int, int]      # original character offsets of the cue
    cue_tok: int
    source: Range | None      # None: a pronoun or participle, resolved later
    content: Range
    quoted: bool = False


class _Doc:
    """Token-level view of one analysis with the lookups the rules need."""

    def __init__(self, analysis: Analysis, lex: Lexicon):  # noqa: C901 (one pass per lookup)
        self.a = analysis
        self.lex = lex
        self.toks = analysis.tokens
        self.norms = [t.norm for t in self.toks]
        self.n = len(self.toks)
        self.sent_of = [0] * self.n
        for si, s in enumerate(analysis.sentences):
            for k in range(s.first, s.last):
                self.sent_of[k] = si
        # Paragraph of each token from analysis.paragraphs (line spans).
        para_starts = [a for a, _ in analysis.paragraphs]
        self.para_of = [max(0, bisect.bisect_right(para_starts, t.start) - 1) for t in self.toks]
        self.temporal = [False] * self.n
        self.numeric = [False] * self.n
        self.entity = [False] * self.n
        self.person = [False] * self.n
        # A straight quote opens when an even number of them precede it in the paragraph.
        self.closing = [False] * self.n
        parity, para = 0, -1
        for k, w in enumerate(self.norms):
            p = self.para_of[k]
            if p != para:
                parity, para = 0, p
            if w == '"':
                self.closing[k] = parity == 1
                parity ^= 1
        starts = [t.start for t in self.toks]
        self.persons: list[Range] = []
        for m in analysis.mentions:
            flags = (self.temporal if m.type in TEMPORAL_TYPES else
                     self.numeric if m.type in NUMERIC_TYPES else
                     self.entity if m.type in ENTITY_TYPES else None)
            if flags is None:
                continue
            k0 = k = bisect.bisect_left(starts, m.start)
            while k < self.n and self.toks[k].start < m.end:
                flags[k] = True
                if m.type == "PER":
                    self.person[k] = True
                k += 1
            if m.type == "PER" and k > k0:
                self.persons.append((k0, k))

    # ------------------------------------------------------------ token tests

    def word(self, k: int) -> bool:
        return 0 <= k < self.n and self.toks[k].kind != PUNCT

    def punct(self, k: int) -> bool:
        return 0 <= k < self.n and self.toks[k].kind == PUNCT

    def is_clitic(self, k: int) -> bool:
        """A proclitic the tokenizer split off (a one-letter token glued to the next)."""
        return (0 <= k < self.n - 1 and self.norms[k] in self.lex.clitics
                and self.toks[k].end == self.toks[k + 1].start)

    def definite(self, k: int) -> bool:
        """A word with the article, a name, or a non-Arabic token (names, numbers)."""
        w = self.norms[k]
        return ((w.startswith(self.lex.article) and w not in self.lex.article_lookalikes)
                or self.entity[k] or self.toks[k].kind != WORD)

    def accusative(self, k: int) -> bool:
        """Does the word carry the accusative tanween (وضعاً، تبادلاً), so it cannot be
        part of a subject?"""
        return "\u064b" in self.toks[k].text

    def name_like(self, k: int) -> bool:
        """A name that normalizes like a function word: the person "علي" (written with
        ي, where the preposition على ends in ى), "آن" (Anne, not أن), or any entity."""
        t = self.toks[k].text
        return (self.entity[k] or (t.endswith("\u064a") and self.norms[k] == self.lex.stop_preposition)
                or (t.startswith("\u0622") and self.norms[k] in self.lex.complementizers))

    def verb_at(self, k: int) -> Verb | None:
        """The cue verb or participle at token k. An attached object pronoun is allowed
        only in a relative clause ("مما اعتبره الكثير"), where the form cannot be a noun
        ("قدرها" = its amount)."""
        if not self.word(k):
            return None
        w = self.norms[k]
        v = self.lex.verbs.get(w)
        if v is None and w[:1] in self.lex.conjunctions and w[1:] in self.lex.verbs:
            v = self.lex.verbs[w[1:]]     # "وعزى": a rare verb the tokenizer left whole
        if v is None and k > 0 and self.norms[k - 1] in self.lex.inference_before:
            for suf in self.lex.pronoun_suffixes:
                if w.endswith(suf) and w[: -len(suf)] in self.lex.verbs:
                    v = self.lex.verbs[w[: -len(suf)]]
                    break
        if v is None or self.passive(k, v):
            return None
        if v.clause_initial and not self.clause_initial(k):
            return None
        return v

    def clause_initial(self, k: int) -> bool:
        """Is token k at the start of a clause (after و/ف, punctuation, a particle)?"""
        if k == 0 or self.sent_of[k - 1] != self.sent_of[k] or self.norms[k][:1] in self.lex.conjunctions \
                and self.norms[k] not in self.lex.verbs:
            return True
        prev = self.norms[k - 1]
        return self.punct(k - 1) or self.is_clitic(k - 1) or prev in self.lex.particles_before_verb \
            or prev in self.lex.kana

    def finite_verb(self, k: int) -> bool:
        v = self.verb_at(k)
        return v is not None and not v.participle

    def passive(self, k: int, v: Verb) -> bool:
        # A past form voweled with a damma on its first letter (قُدّرت، ذُكر) is passive:
        # it names no speaker.
        t = self.toks[k].text
        return not v.participle and self.norms[k][:1] not in self.lex.present_prefixes \
            and len(t) > 1 and t[1] == "\u064f"

    def prep_at(self, k: int) -> int:
        """Length in tokens of the prepositional cue starting at k (0 when none)."""
        for p in self.lex.preps_by_first.get(self.norms[k], ()) if 0 <= k < self.n else ():
            if tuple(self.norms[k:k + len(p)]) == p and all(self.word(k + i) for i in range(len(p))):
                return len(p)
        return 0

    def cue_start(self, k: int) -> int:
        """Original start of the cue word at k without a glued conjunction (وعزى → عزى)."""
        t = self.toks[k]
        if t.norm not in self.lex.verbs and t.norm[:1] in self.lex.conjunctions and t.norm[1:] in self.lex.verbs:
            return self.a.norm.to_original(t.nstart + 1, t.nend)[0]
        return t.start

    def cue_end(self, k: int) -> int:
        """Original end of the cue word at k without an attached pronoun (اعتبره → اعتبر)."""
        t = self.toks[k]
        if t.norm in self.lex.verbs or t.norm in self.lex.bare_nominal_cues:
            return t.end
        for suf in self.lex.pronoun_suffixes:
            stem = t.norm[: -len(suf)]
            if t.norm.endswith(suf) and (stem in self.lex.verbs or t.norm in self.lex.nominal_cues):
                return self.a.norm.to_original(t.nstart, t.nstart + len(stem))[1]
        return t.end

    def paragraph(self, k: int) -> int:
        return self.para_of[k]

    def complementizer(self, k: int) -> int:
        """Tokens taken by a complementizer at k ("أن", "بأنه" = ب + أنه), else 0."""
        if not self.word(k) or self.toks[k].text.startswith("\u0622"):
            return 0                     # "آن" (Anne) only looks like "أن" once normalized
        if k > 0 and self.norms[k - 1] in self.lex.subordinators:
            return 0                     # "بعد أن": a subordinating أن
        if self.norms[k] in self.lex.complementizers:
            return 1
        if self.norms[k] in self.lex.complementizer_preps and self.word(k + 1) \
                and self.norms[k + 1] in self.lex.complementizers:
            return 2
        return 0

    def opens(self, k: int) -> bool:
        """Does token k open a quotation?"""
        return self.norms[k] in OPEN_QUOTES and not self.closing[k]

    def quote_close(self, k: int, limit: int) -> int | None:
        """Index of the mark closing the quotation or bracket opened at k (before limit)."""
        opener = self.norms[k]
        closer = ")" if opener == "(" else OPEN_QUOTES.get(opener)
        if closer is None or self.closing[k]:
            return None
        for j in range(k + 1, min(limit, self.n)):
            if self.norms[j] == closer or (opener == '"' and self.norms[j] in "”″"):
                return j
            if opener != '"' and self.norms[j] == opener:
                return None
        return None

    def para_end(self, k: int) -> int:
        """First token index after the paragraph of token k."""
        p, j = self.paragraph(k), k
        while j < self.n and self.paragraph(j) == p:
            j += 1
        return j

    def span(self, r: Range) -> Span:
        a, b = self.toks[r[0]].start, self.toks[r[1] - 1].end
        return Span(a, b, self.a.doc.text[a:b])

    def is_masdar(self, k: int) -> bool:
        """Does token k look like the verbal noun that opens a nominalised proposition?"""
        if not self.word(k) or self.toks[k].kind != WORD or self.numeric[k] or self.temporal[k] \
                or self.entity[k]:
            return False
        w = self.norms[k]
        lex = self.lex
        if w in lex.not_nominal or w in lex.no_source_words or w in lex.complementizers:
            return False
        if w in lex.nominal_heads:
            return True
        if w.startswith(lex.article):
            return False
        for suf in lex.masdar_suffixes:
            if w.endswith(suf) and len(w) - len(suf) >= 3 and lex.masdar.match(w[: -len(suf)]):
                return True
        return bool(lex.masdar.match(w) or lex.masdar_bare.match(w))

    def content_word(self, k: int) -> bool:
        """Can a (nominal) content start at k? Any word but a number or a pronoun."""
        if k < self.n and self.opens(k):
            k += 1
        return (self.word(k) and self.toks[k].kind != NUMBER and not self.numeric[k]
                and self.norms[k] not in self.lex.complementizers)


# ------------------------------------------------------------------ noun phrases

def _np_end(d: _Doc, s: int, e: int) -> int:
    """End (exclusive) of the noun phrase starting at token s, within [s, e)."""
    lex = d.lex
    t, prev_def, after_prep, relative = s, False, True, False
    while t < e:
        w = d.norms[t]
        if d.punct(t):
            close = d.quote_close(t, min(e, t + 8)) if t > s else None
            if close is not None:
                t, prev_def, after_prep = close + 1, True, False
                continue
            break
        if w in lex.relative_pronouns and t > s:
            if d.word(t + 1) and d.norms[t + 1] in lex.source_aside_verbs:
                break
            t, prev_def, after_prep, relative = t + 1, False, True, True
            continue
        if t > s and ((d.temporal[t] and not relative) or d.complementizer(t) or d.verb_at(t) or d.prep_at(t)
                      or w in lex.verb_after_prep or w in lex.no_source_words):
            break
        if (w in lex.conjunctions and w != lex.and_ and d.is_clitic(t)) or (t > s and d.numeric[t] and not d.entity[t]):
            break
        if w in lex.np_continuers:
            t += 1
            continue
        if w in lex.prepositions or w == lex.and_:
            if w == lex.stop_preposition and t > s:
                break
            if prev_def and w in lex.np_breaking and not d.entity[t + 1 if t + 1 < d.n else t]:
                break
            t, after_prep = t + 1, True
            continue
        definite = d.definite(t)
        if t > s and ((prev_def and not definite and not after_prep) or d.accusative(t)):
            break                        # "تتوقع أوبك وضعاً": an indefinite accusative is the object
        prev_def, after_prep = definite, False
        t += 1
    while t > s and ((d.punct(t - 1) and d.norms[t - 1] not in CLOSERS) or d.norms[t - 1] in lex.clitics
                     or d.norms[t - 1] in lex.prepositions):
        t -= 1
    return t


def _trim_source(d: _Doc, i: int, j: int, right_of_verb: bool = True) -> Range | None:
    """Trim a source token range: leading adverbials and addressees (قال لـ«الرياض»),
    the channel (في بيان …), a dash aside, a coordinated aside (، وتلقت واس نسخة منه),
    a relative clause saying who saw the report, trailing dates and punctuation."""
    lex = d.lex
    changed = True
    while changed and i < j:
        changed = False
        for p in lex.skip_phrases:
            if tuple(d.norms[i:i + len(p)]) == p:
                i, changed = i + len(p), True
        if i + 1 < j and d.norms[i] == lex.addressee_prep and d.opens(i + 1):
            close = d.quote_close(i + 1, j)
            if close is not None:
                i, changed = close + 1, True
        if i < j and (d.temporal[i] or (d.punct(i) and not d.opens(i) and d.norms[i] != "(")):
            i, changed = i + 1, True
        if i + 1 < j and d.norms[i] in lex.date_preps and d.temporal[i + 1]:
            i, changed = i + 1, True
    for k in range(i + 1, j):
        w = d.norms[k]
        if (w in COMMAS and k + 1 < j and d.norms[k + 1] == lex.and_) or w in lex.dashes:
            j = k
            break
        if w in lex.relative_pronouns and k + 1 < j and d.norms[k + 1] in lex.source_aside_verbs:
            j = k
            break
        if w in lex.channel_preps and k + 1 < j and _stem_in(d, k + 1, lex.statement_nouns):
            j = k
            break
        if right_of_verb and w == lex.addressee_prep and k + 1 < j and (d.norms[k + 1] in lex.addressee_heads
                                                         or d.norms[k + 1] in lex.addressee_outlets
                                                         or d.opens(k + 1)):
            j = k
            break
    relative = any(d.norms[k] in lex.relative_pronouns for k in range(i, j))
    while j > i:
        w = d.norms[j - 1]
        if (d.temporal[j - 1] and not relative) or (d.punct(j - 1) and w not in CLOSERS) \
                or w in lex.clitics or w in lex.prepositions or (right_of_verb and j - 1 > i and w in lex.addressee_outlets):
            j -= 1
            continue
        if w in CLOSERS and not _balanced_closer(d, i, j - 1):
            j -= 1
            continue
        if w == ")" and j - 3 >= i and d.norms[j - 3] == "(" and d.temporal[j - 2]:
            j -= 3                       # "أمس (الأحد)": a bracketed date gloss
            continue
        break
    while i < j and d.is_clitic(i):
        i += 1
    if i >= j:
        return None
    w = d.norms[i]
    if not d.name_like(i) and (w in lex.no_source_words or w in lex.left_boundaries or d.toks[i].kind == NUMBER
                               or d.numeric[i] or d.complementizer(i) or w in lex.prepositions
                               or w in lex.channel_preps):
        return None                      # a pronoun, a number, an adverbial ("من جهته")
    return i, j


def _stem_in(d: _Doc, k: int, words: frozenset) -> bool:
    """Is token k, or its stem without an attached pronoun (مؤتمره), in ``words``?"""
    w = d.norms[k]
    return w in words or any(w.endswith(suf) and w[: -len(suf)] in words for suf in d.lex.pronoun_suffixes)


def _subject_left(d: _Doc, k: int, first: int) -> Range | None:
    """The subject noun phrase before the cue verb at k (SVO), if there is one."""
    lex = d.lex
    j = k
    while j > first and d.norms[j - 1] in lex.particles_before_verb:
        j -= 1
    if j <= first:
        return None
    # "وكانت حصيلة … شعبية، أفادت": the subject follows كان.
    for kk in range(j - 1, max(first, j - 16) - 1, -1):
        if d.norms[kk] in lex.kana:
            return _trim_source(d, kk + 1, j, right_of_verb=False) if kk + 1 < j else None
        if d.norms[kk] in STOPS or d.verb_at(kk):
            break
    prev = j - 1
    w = d.norms[prev]
    if (d.punct(prev) and w not in CLOSERS) or d.is_clitic(prev) or w in lex.left_boundaries \
            or w in lex.no_source_words or d.complementizer(prev):
        return None
    i = j
    while i > first:
        w = d.norms[i - 1]
        if w in CLOSERS:
            opener = next((o for o in range(i - 2, max(first, i - 10) - 1, -1)
                           if d.quote_close(o, i) == i - 1), None)
            if opener is None:
                break
            i = opener
            continue
        if (d.punct(i - 1) or w in lex.left_boundaries or d.complementizer(i - 1) or d.verb_at(i - 1)
                or d.prep_at(i - 1)):
            break
        # A definite word before an indefinite head ends the phrase ("نشرت المؤسسة
        # دراسة … تبرز": the subject starts at "دراسة").
        if i < j and d.toks[i].kind == WORD and not d.definite(i) and d.norms[i] not in lex.prepositions \
                and d.norms[i] != lex.and_ and d.norms[i] not in lex.relative_pronouns \
                and d.definite(i - 1) and d.toks[i - 1].kind == WORD \
                and w not in lex.prepositions \
                and not d.is_clitic(i - 1):
            break
        i -= 1
        if k - i > 16:
            return None
    return _trim_source(d, i, j, right_of_verb=False)


def _main_subject(d: _Doc, k: int, first: int) -> Range | None:
    """Subject of the main clause of a participle at k: the noun phrase after the
    sentence's first word (taken as its verb), after a short lead-in ("إلى ذلك،")."""
    start = first
    for c in range(first, min(k, first + 5)):
        if d.norms[c] in COMMAS:
            start = c + 1
            break
    while start < k and (d.punct(start) or d.is_clitic(start)):
        start += 1
    if start + 1 >= k or d.definite(start) or d.toks[start].kind != WORD:
        return None
    s = start + 1
    e = s
    while e < k and not (d.punct(e) and not d.opens(e) and d.norms[e] != "("):
        e += 1
    e = min(e, _np_end(d, s, k))
    return _trim_source(d, s, e) if e > s else None


# ------------------------------------------------------------------ content

def _content_from(d: _Doc, s: int, last: int) -> tuple[int, int, bool] | None:
    """The content starting at token s: a quotation, or the clause to the sentence end
    (cut before an aside). Returns (start, end, quoted)."""
    lex = d.lex
    while s < last and ((d.is_clitic(s) and d.norms[s] in lex.conjunctions) or d.norms[s] == ":"):
        s += 1
    if s >= last:
        return None
    if d.opens(s):
        close = d.quote_close(s, d.para_end(s))
        tail = 0                         # words after the closing mark before the clause ends
        j = close + 1 if close is not None else last
        while j < last and d.word(j):
            tail, j = tail + 1, j + 1
        if close is not None and close > s + 1 and tail <= 2:
            inner = _trim_content(d, s + 1, close)
            if inner:
                return inner[0], inner[1], True
    e = last
    for k in range(s + 1, last):
        w = d.norms[k]
        if w in COMMAS and k + 1 < last and _aside_after(d, k + 1) and not _parenthetical(d, k, last):
            e = k
            break
        if w in lex.dashes and k + 1 < last and d.norms[k + 1] in lex.asides_after_dash \
                and not any(d.norms[j] in lex.dashes for j in range(k + 2, last)):
            e = k                        # "— أي أقل بكثير …" (a paired "- أي … -" stays)
            break
    return _trim_content(d, s, e)


def _parenthetical(d: _Doc, k: int, last: int) -> bool:
    """Is the aside opened by the comma at k closed by another comma soon, with the
    clause going on after it ("أن الملا منصور، وهو من البشتون، سيحمل لقب …")?"""
    for j in range(k + 2, min(last, k + 12)):
        if d.norms[j] in COMMAS:
            nxt = j + 1
            return nxt < last and d.word(nxt) and not d.is_clitic(nxt)
    return False


def _aside_after(d: _Doc, k: int) -> bool:
    """Does the clause after a comma at k-1 open the reporter's aside (، وذلك بعد …)?
    "وذلك في الوقت الذي" carries more of the same figures and is not one."""
    lex = d.lex
    if d.norms[k] == lex.and_ and k + 1 < d.n:
        k += 1
    if any(tuple(d.norms[k:k + len(p)]) == p for p in lex.aside_exceptions):
        return False
    return any(tuple(d.norms[k:k + len(p)]) == p for p in lex.asides_after_comma)


def _trim_content(d: _Doc, s: int, e: int, strip_conj: bool = True) -> tuple[int, int, bool] | None:
    """Trim edge punctuation (a closing mark stays when its opener is inside), leading
    conjunctions (unless ``strip_conj`` is false: after "فيما" a glued "ف" belongs to the
    verb, "فيما فقد") and an opening "كما" (also)."""
    lex = d.lex
    while e > s and (_edge_punct(d, e - 1) and not _balanced_closer(d, s, e - 1) or d.norms[e - 1] in lex.clitics):
        e -= 1
    while s < e and ((_edge_punct(d, s) and d.norms[s] != "(")
                     or (strip_conj and d.is_clitic(s) and d.norms[s] in lex.conjunctions)
                     or (d.norms[s] in lex.leading_particles and s + 1 < e and not d.complementizer(s + 1))):
        s += 1
    return (s, e, False) if e > s else None


def _edge_punct(d: _Doc, k: int) -> bool:
    w = d.norms[k]
    return d.punct(k) and (w in EDGE_PUNCT or w in CLOSERS or w in OPEN_QUOTES)


def _balanced_closer(d: _Doc, s: int, k: int) -> bool:
    """Does the closing mark at k close an opener inside [s, k)?"""
    w = d.norms[k]
    if w not in CLOSERS:
        return False
    opener = {"»": "«", "”": "“", ")": "(", "]": "[", "″": "“"}.get(w, w)
    opened = sum(1 for j in range(s, k) if d.norms[j] == opener)
    if opener == w:
        return opened % 2 == 1
    return opened > sum(1 for j in range(s, k) if d.norms[j] == w)


def _clause_start(d: _Doc, k: int, first: int, rel_ok: bool, mid: bool = False) -> int:
    """Start of the clause a trailing cue at k governs: after the last complementizer,
    at a contrastive link after a comma ("، فيما": another claim), after a relative pronoun after a comma
    (for a cue glued to its clause: rel_ok), after "و" + pronoun inside a clause ("وهو
    بحسب الفاو": mid); else the sentence start."""
    lex = d.lex
    for j in range(k - 1, first - 1, -1):
        if d.norms[j] in lex.complementizers and not (j > first and d.norms[j - 1] in lex.subordinators):
            return j + 1
        if mid and d.norms[j] == lex.and_ and d.is_clitic(j) and d.norms[j + 1] in lex.pronouns:
            return j + 1
        if d.norms[j] in COMMAS or d.norms[j] in lex.dashes:
            nxt = j + 1
            if nxt < k and d.norms[nxt] == lex.and_:
                nxt += 1
            for link in lex.contrast_links:
                if tuple(d.norms[nxt:nxt + len(link)]) == link:
                    return nxt + len(link)
            if rel_ok and nxt < k and d.norms[nxt] in lex.relative_pronouns:
                return nxt + 1
    return first


# ------------------------------------------------------------------ cue kinds

@dataclass
class Right:
    """What follows a cue verb: its source tokens and where its content starts."""

    source: Range
    content: int
    mode: str                 # that | colon | quote | nominal | said (بقوله: …)
    said: int | None = None   # the verbal noun that is the word of saying ("تابع بقوله: …")


def _content_quote(d: _Doc, t: int, last: int) -> bool:
    """Is the quotation opened at t what is said (not a quoted name or title)? It is
    when it holds at least three words or closes the clause."""
    close = d.quote_close(t, d.para_end(t))
    if close is None or close == t + 1:
        return False
    words = sum(1 for j in range(t + 1, close) if d.word(j))
    after = close + 1
    return words >= 3 or (words == 2 and (after >= last or not d.word(after)))


def _next_to_np(d: _Doc, s: int, t: int) -> bool:
    """Does the governed preposition at t follow the source noun phrase starting at s
    (or the verb itself), with at most dates and commas between?"""
    if t == s:
        return True
    e = _np_end(d, s, t)
    while e < t and (d.temporal[e] or d.punct(e) or d.norms[e] in d.lex.date_preps):
        e += 1
    return e >= t


def _right_of_verb(d: _Doc, k: int, v: Verb, last: int) -> Right | None:
    """Scan right of a cue verb for its complement."""
    lex = d.lex
    t = src_start = k + 1
    limit = min(last, k + 1 + MAX_SOURCE)
    commas, prep_pos = 0, None
    while t < limit:
        w = d.norms[t]
        c = d.complementizer(t)
        if c:
            return Right((src_start, prep_pos or t), t + c, "that")
        if w == ":" and v.colon:
            return Right((src_start, prep_pos or t), t + 1, "colon")
        if d.opens(t) or w == "(":
            if (v.colon or v.nominal) and w != "(" and _content_quote(d, t, last) \
                    and d.norms[t - 1] not in lex.addressee_heads and d.norms[t - 1] not in lex.prepositions:
                # (after "صحيفة" or a preposition a quotation is a name: 'عضو في «مجلس شورى كويتا»')
                return Right((src_start, prep_pos or t), t, "quote")
            close = d.quote_close(t, limit)
            if close is not None:        # a quoted name or a bracket: part of the source
                t = close + 1
                continue
        if w in CLOSERS and w != "'":
            return None                  # the end of a quotation the cue stands in
        if w in v.preps and t > k:
            c = d.complementizer(t + 1)
            if c:
                return Right((src_start, t), t + 1 + c, "that")
            # A verbal noun, or any indefinite noun in construct ("عن بيع مدافعه"); a
            # definite noun is an ordinary object ("أعلنت مسؤوليتها عن الهجوم").
            q = t + 2 if d.opens(t + 1) else t + 1
            opens = d.content_word(t + 1) if v.topic else (
                d.is_masdar(q) or (w not in lex.complementizer_preps and d.content_word(q)
                                   and not d.definite(q) and not d.entity[q]))
            if v.nominal and not v.any_object and opens \
                    and d.norms[t + 1] not in lex.no_source_words and _next_to_np(d, src_start, t):
                return Right((src_start, t), t + 1, "nominal")
            if v.strict:
                prep_pos = prep_pos or t  # "عبّر … عن ثقته بأن": keep looking, the source ends here
        plen = d.prep_at(t)
        if plen and not (w == lex.also and plen == 1):
            e = _np_end(d, t + plen, limit)
            after = e
            while after < limit and d.norms[after] in COMMAS:
                after += 1
            if d.complementizer(after):
                return None               # "أكدت … نقلا عن مصادر أن": the inner speaker
            if t == src_start:
                src_start = e             # "وأضاف بحسب الوكالة: «…»"
            t = e
            continue
        if w in lex.nominal_cues:
            # "أوضح المواطن فهد الشمري بقوله: …": the verbal noun introduces the words.
            nxt = t + 1
            if any(d.norms[j] == lex.about for j in range(src_start, t)):
                return None              # "نقل … عن X قوله": the verbal noun's own attribution
            if nxt < last and (d.norms[nxt] == ":" or d.opens(nxt)):
                src_end = t - 1 if d.norms[t - 1] in lex.complementizer_preps else t
                return Right((src_start, max(src_start, src_end)), nxt + (d.norms[nxt] == ":"), "said", t)
            return None
        glued_s = t > 0 and d.norms[t - 1] in lex.future_markers and d.toks[t - 1].end == d.toks[t].start
        if w in STOPS or (w in lex.right_stops and not glued_s) or d.verb_at(t):
            return None
        if w in COMMAS:
            commas += 1
            nxt = t + 1 + (t + 1 < d.n and d.norms[t + 1] == lex.and_)
            if commas > 3 or d.finite_verb(nxt):
                return None
        if w in lex.dashes:
            limit = min(last, limit + 16)
        t += 1
    return None


def _nominal_right(d: _Doc, k: int, v: Verb, last: int) -> Right | None:
    """A nominalised proposition as a direct object: "أعلن الاتحاد تأجيل …", "توقعوا
    زيادة …", "قدّرت المنظمة إنتاج القمح بنحو …"."""
    s = k + 1
    while s < last and (d.temporal[s] or d.norms[s] in COMMAS or (d.norms[s] in "()" and d.temporal[s + (d.norms[s] == "(")])
                        or (d.norms[s] in d.lex.date_preps and d.temporal[min(s + 1, d.n - 1)])):
        s += 1
    if s >= last:
        return None
    starts_content = d.content_word if v.any_object else d.is_masdar
    if d.word(s):
        e = _np_end(d, s, last)
        c = e
        while c < last and (d.temporal[c] or d.norms[c] in COMMAS):
            c += 1
        if e > s and c < last and starts_content(c) and d.norms[c] not in d.lex.prepositions:
            return Right((s, e), c, "nominal")
    if d.is_masdar(s) or (d.opens(s) and d.is_masdar(s + 1)):
        return Right((s, s), s, "nominal")   # "توقعوا زيادة …"
    return None


def _verb_cue(d: _Doc, k: int, v: Verb, first: int, last: int) -> Found | None:
    lex = d.lex
    prev = d.norms[k - 1] if k > first else ""
    if prev in lex.stack_before and not v.participle:
        return None                      # "تابع قائلا": the cue is the second word
    if prev in lex.future_markers or (v.participle and prev in lex.predicate_before):
        return None                      # "سيعلن", "عما كان مقدرا": no saying reported
    after_prep = prev in lex.verb_after_prep or (prev == lex.relative_ma and k - 2 >= first and d.prep_at(k - 2))
    if not after_prep and (prev in lex.negations or d.complementizer(k - 1)
                           or (prev in lex.particles_before_verb and k - 2 >= first
                               and d.norms[k - 2] in lex.negations)):
        return None                      # "لا تتوقع", "أن يعلن", "أنهم يتوقعون": inside another's content
    right = _right_of_verb(d, k, v, last)
    if right is None and after_prep:
        return _trailing_verb(d, k, first, last)
    if right is None and v.nominal:
        right = _nominal_right(d, k, v, last)
    if right is None:
        return None
    if v.strict and not v.participle and right.mode not in ("that", "said") and not (right.mode == "nominal" and right.source[1] < last
                                                   and d.norms[right.source[1]] in v.preps):
        return None
    content = _content_from(d, right.content, last)
    if not content:
        return None
    i, j = right.source
    if v.addressee:
        # "أبلغ مسؤولون حكوميون رويترز أنهم": the last name is whom they told.
        j0 = j
        while j > i and (d.temporal[j - 1] or d.punct(j - 1) or d.norms[j - 1] in lex.prepositions):
            j -= 1
        while j > i and (d.entity[j - 1] or d.norms[j - 1] in lex.addressee_outlets):
            j -= 1
        if j == j0:
            j = i
    src = _trim_source(d, i, j) if j > i else None
    if src is None and not v.participle:
        inferred = k - 1 >= first and (prev in lex.inference_before or (
            d.is_clitic(k - 1) and k - 2 >= first and d.norms[k - 2] in lex.inference_before))
        if inferred or (right.source[1] == k + 1 and d.norms[k] in lex.impersonal) or prev in lex.relative_pronouns:
            return None                  # "بما أشار إلى أن", "ويذكر أن", "الذي أعلن فيه"
        src = _subject_left(d, k, first)
        if src is None and right.mode == "nominal" and d.norms[k][:1] in lex.present_prefixes:
            return None                  # "حيث يقدر استهلاك … بنحو": passive, no speaker
    cue = (d.cue_start(k), d.cue_end(k))
    if right.said is not None:       # "تابع بقوله: …": the cue is the word of saying
        cue = (d.toks[right.said].start, d.cue_end(right.said))
    return Found("participle" if v.participle else "verb", cue, k, src, content[:2], content[2])


def _trailing_verb(d: _Doc, k: int, first: int, last: int) -> Found | None:
    """"<content>، حسبما أعلن X" / "بحسب ما أفادت X": the verb governs the clause before."""
    src = _trim_source(d, k + 1, _np_end(d, k + 1, last))
    if not src:
        return None
    j = k - 1 if d.norms[k - 1] in d.lex.verb_after_prep else k - 2
    content = _trim_content(d, _clause_start(d, j, first, rel_ok=False), j)
    if not content:
        return None
    return Found("verb", (d.cue_start(k), d.cue_end(k)), k, src, content[:2])


def _nominal_cue(d: _Doc, k: int, first: int, last: int) -> Found | None:
    """"نقل … عن الشيخ طلال قوله «…»": the source is between عن and the cue."""
    j = next((j for j in range(k - 1, max(first, k - 14) - 1, -1) if d.norms[j] == d.lex.about), None)
    if j is None:
        # "ومضى المركز بالقول: …": the noun phrase after the verb of going on.
        j = next((j for j in range(k - 1, max(first, k - 8) - 1, -1) if d.norms[j] in d.lex.stack_before), None)
        if j is None or not (k + 1 < last and (d.norms[k + 1] == ":" or d.opens(k + 1))):
            return None
    src = _trim_source(d, j + 1, k)
    if not src:
        return None
    t = k + 1
    while t < last and not (d.opens(t) or d.complementizer(t) or d.norms[t] == ":"):
        t += 1
    if t >= last:
        return None
    content = _content_from(d, t + d.complementizer(t), last)
    if not content:
        return None
    return Found("nominal", (d.cue_start(k), d.cue_end(k)), k, src, content[:2], content[2])


def _prep_cue(d: _Doc, k: int, plen: int, first: int, last: int) -> Found | None:
    lex = d.lex
    s = k + plen
    if s >= last:
        return None
    w = d.norms[s]
    if w in lex.legal_basis or w in lex.no_source_words or (k > first and d.verb_at(k - 1)):
        return None                      # "وفقا لقرار", "بحسب ما أفادت", "وأضاف بحسب …"
    if d.punct(s):                       # "بحسب «رويترز»": a quoted source
        close = d.quote_close(s, min(last, s + 8))
        if close is None:
            return None
        e = close + 1
    else:
        e = _np_end(d, s, last)
    src = _trim_source(d, s, e)
    if not src or (src[1] - src[0] == 1 and not d.entity[src[0]]
                   and any(d.norms[src[0]].endswith(x) for x in lex.possessive_suffixes)):
        return None                      # "وفق اختصاصاتها": a possession, not a source
    h = src[0]
    if not d.definite(h) and d.toks[h].text.endswith("\u0629") and not _stem_in(d, h, lex.source_heads):
        return None                      # "وفق ميزانية معينة": a standard, not a source
    # Stacked cues ("وبحسب «رويترز» قالت الوزارة"): the inner speaker only.
    nxt = e
    while nxt < last and (d.punct(nxt) or d.is_clitic(nxt) or d.norms[nxt] in lex.particles_before_verb
                          or d.norms[nxt] in lex.no_source_words):
        nxt += 1                         # "وحسب أول تصريح له قال …"
    if nxt < last and d.finite_verb(nxt):
        return None
    cue_last = k + plen - 1 if plen == 3 else k
    cue = (d.toks[k].start, d.toks[cue_last].end)
    after = e
    while after < last and (d.norms[after] in COMMAS or d.norms[after] in lex.dashes):
        after += 1
    if after < last and d.complementizer(after):      # "نقلا عن مصادر أن …"
        content = _content_from(d, after + d.complementizer(after), last)
        return Found("prep", cue, k, src, content[:2], content[2]) if content else None
    before = [j for j in range(first, k) if d.word(j) and not d.is_clitic(j)]
    lead_in = not before or (len(before) <= 4 and any(d.norms[j] in COMMAS for j in range(first, k))) \
        or d.norms[before[-1]] in lex.clause_openers   # "بل بحسب تقرير … كانت …"
    if lead_in:
        c = after
        if c < last and d.norms[c] in lex.conjunctions and d.is_clitic(c):
            c += 1
        c += d.complementizer(c) if c < last else 0
        content = _content_from(d, c, last)
        return Found("prep", cue, k, src, content[:2], content[2]) if content else None
    prev = d.norms[k - 1]
    glued = not (prev in COMMAS or prev in lex.dashes or (prev == lex.and_ and d.norms[k - 2] in COMMAS))
    tail = [j for j in range(e, last) if not _edge_punct(d, j)]
    short_tail = len(tail) <= 3 and not any(d.norms[j] in lex.prepositions or d.numeric[j]
                                            or d.toks[j].kind == NUMBER for j in tail)
    if e >= last or after > e or after >= last or not glued or short_tail:
        # A trailing cue: its source runs to the next comma or the sentence end.
        end = s
        while end < last and not (d.norms[end] in COMMAS or d.norms[end] in STOPS or d.verb_at(end)
                                  or d.complementizer(end) or (d.norms[end] in lex.dashes and end > s)):
            end += 1
        src = _trim_source(d, s, end) or src
        cs = _clause_start(d, k, first, rel_ok=glued)
        after_link = cs > first and any(tuple(d.norms[cs - len(x):cs]) == x for x in lex.contrast_links)
        content = _trim_content(d, cs, k, strip_conj=not after_link)
        return Found("prep", cue, k, src, content[:2]) if content else None
    # A cue set inside the clause it governs: the whole clause, cue included.
    content = _content_from(d, _clause_start(d, k, first, rel_ok=False, mid=True), last)
    return Found("prep", cue, k, src, content[:2], content[2]) if content else None


def _find_in_sentence(d: _Doc, first: int, last: int) -> list[Found]:
    out: list[Found] = []
    k = first
    while k < last:
        if not d.word(k):
            k += 1
            continue
        plen = d.prep_at(k)
        if plen:
            f = _prep_cue(d, k, plen, first, last)
        elif d.norms[k] in d.lex.nominal_cues:
            f = _nominal_cue(d, k, first, last)
        else:
            v = d.verb_at(k)
            f = _verb_cue(d, k, v, first, last) if v else None
        if f:
            out.append(f)
        k += max(plen, 1)
    return out


# ------------------------------------------------------------------ document pass

def _resolve_sources(d: _Doc, found: list[Found]) -> list[Found]:
    """Give pronoun and participle cues the source they continue."""
    out: list[Found] = []
    for f in found:
        if f.source is None:
            k = f.cue_tok
            sent = d.sent_of[k]
            if f.kind == "participle":
                same = [g for g in out if d.sent_of[g.cue_tok] == sent]
                f.source = (same[-1].source if same else
                            _main_subject(d, k, d.a.sentences[sent].first) or _antecedent(d, out, f))
            else:
                f.source = _antecedent(d, out, f)
            if f.source is None:
                continue
        out.append(f)
    return out


def _opens_paragraph(d: _Doc, k: int) -> bool:
    p = d.paragraph(k)
    j = k - 1
    while j >= 0 and d.paragraph(j) == p and (d.is_clitic(j) or d.punct(j)):
        j -= 1
    return j < 0 or d.paragraph(j) != p


def _antecedent(d: _Doc, done: list[Found], f: Found) -> Range | None:
    """The speaker a pronoun (or participle) cue continues: the source of the nearest
    earlier attribution of the paragraph, else the nearest earlier person named in the
    paragraph, else the last speaker of an earlier paragraph. A speaker is a verb cue's
    source or one naming a person; a prepositional cue's report ("وفقا لبيكر هيوز")
    comes last."""
    k = f.cue_tok
    para = d.paragraph(k)
    earlier = [g for g in done if g.cue_tok < k and g.source is not None]

    def speaker(g: Found) -> bool:
        return g.kind != "prep" or any(d.person[i] for i in range(*g.source))

    same = [g for g in earlier if d.paragraph(g.cue_tok) == para]
    if same and not _opens_paragraph(d, k):
        pool = [g for g in same if speaker(g)] or same
        return _named(d, pool[-1].source)
    if not _opens_paragraph(d, k):
        persons = [r for r in d.persons if r[1] <= k and d.paragraph(r[0]) == para]
        if persons:
            return persons[-1]
    prior = [g for g in earlier if d.paragraph(g.cue_tok) < para] or same
    if not prior:
        # No speaker named by a cue yet: the subject of the paragraph's (or, for a
        # paragraph opening with the cue, the previous paragraph's) first sentence.
        sents = [s for s in d.a.sentences if s.first < k and d.paragraph(s.first) == (
            para if not _opens_paragraph(d, k) else para - 1)]
        return _main_subject(d, min(sents[0].last, k), sents[0].first) if sents else None
    last_para = d.paragraph(prior[-1].cue_tok)
    pool = [g for g in prior if d.paragraph(g.cue_tok) == last_para]
    pool = [g for g in pool if speaker(g)] or pool
    return _named(d, pool[-1].source)


def _named(d: _Doc, source: Range) -> Range:
    """The person named in a source noun phrase, if there is one ("المتحدث … عاصم جهاد"
    → "عاصم جهاد"): a pronoun refers back to that mention of the speaker."""
    persons = [r for r in d.persons if source[0] <= r[0] and r[1] <= source[1]]
    return persons[-1] if persons else source


def _settle(d: _Doc, found: list[Found]) -> list[Found]:
    """Stacked cues keep the inner one; words of saying inside a quotation belong to it;
    a content stops before the clause of the next cue."""
    found.sort(key=lambda f: f.cue[0])
    keep = [True] * len(found)
    for ai, a in enumerate(found):
        for bi, b in enumerate(found):
            if ai == bi or not (keep[ai] and keep[bi]):
                continue
            if a.quoted and a.content[0] <= b.cue_tok < a.content[1]:
                keep[bi] = False          # words of saying inside a quotation
            elif (not a.quoted and b.kind == "verb" and b.source is not None and a.cue_tok < b.cue_tok
                  and a.content[0] <= b.source[0] <= a.content[0] + 1 and b.source[1] <= b.cue_tok):
                keep[ai] = False          # "قال إن التوقعات العالمية تشير …": the inner speaker
            elif (a.kind in ("verb", "participle", "nominal") and b.kind == "prep" and a.cue_tok < b.cue_tok
                  and b.content[0] == a.content[0] and b.cue_tok >= a.content[0]):
                keep[bi] = False          # "قال X إنه …، وذلك حسب الوكالة": the speaker is X
    found = [f for f, ok in zip(found, keep) if ok]
    for ai, a in enumerate(found):
        if a.quoted:
            continue
        for b in found[ai + 1:]:
            lo, hi = a.content
            cut = None
            if lo < b.content[0] < hi:
                cut = b.content[0]
            if lo < b.cue_tok < hi:
                cut = min(cut if cut is not None else b.cue_tok, b.cue_tok)
            if cut is not None and cut > lo:
                t = _trim_content(d, lo, _before_link(d, lo, cut))
                if t:
                    a.content = t[:2]
    return found


def _before_link(d: _Doc, s: int, cut: int) -> int:
    """Move a cut point back over the comma and clause link that open the next clause."""
    j = cut
    while j > s and (_edge_punct(d, j - 1) or d.norms[j - 1] in d.lex.clitics):
        j -= 1
    for link in d.lex.clause_links:
        n = len(link)
        if j - n > s and tuple(d.norms[j - n:j]) == link:
            j -= n
            while j > s and (_edge_punct(d, j - 1) or d.norms[j - 1] in d.lex.clitics):
                j -= 1
            break
    return j


def find_attributions(analysis: Analysis) -> list[Attribution]:
    d = _Doc(analysis, lexicon())
    found: list[Found] = []
    for s in analysis.sentences:
        found.extend(_find_in_sentence(d, s.first, s.last))
    found.sort(key=lambda f: f.cue[0])
    found = _settle(d, _resolve_sources(d, found))
    text = analysis.doc.text
    return [Attribution(f"a{i}", Span(f.cue[0], f.cue[1], text[f.cue[0]:f.cue[1]]),
                        d.span(f.source), d.span(f.content))
            for i, f in enumerate(found, 1)]


@register("attributions", 1)
class Attributions:
    """Finds attributions with the cue lexicon in pipeline/data/cues.json."""

    name = "attributions"

    def __call__(self, analysis: Analysis) -> None:
        analysis.attributions = find_attributions(analysis)
