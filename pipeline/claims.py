"""Claims: one per MONEY, PERCENT and QUANTITY mention, bound to its time and source.

``claims/1`` (the first version, kept for comparison) links a number to the attribution
whose content contains it and to the nearest DATE/DURATION of its sentence, preferring
the same clause.

``claims/2`` (the default) follows ANNOTATION.md section 4 and the project decisions in
gold/GUIDELINES-NOTES.md, with the word lists in pipeline/data/claim_links.json:
- attribution: the attribution with the smallest content span holding the number;
- time: among the sentence's dates that can date the number, the one of its own clause,
  else the nearest; else the nearest earlier date of the paragraph that the text
  continues; links never cross a paragraph (so headline figures take only the
  headline's dates). A date cannot date a number when it is
  - the base of a comparison ("مقارنة بعام 2013", "عما كانت عليه …", "عن عام 2011"),
  - the span of a record ("أدنى مستوى منذ 29 أسبوعًا", "الأعلى منذ 19 مارس"),
  - a gloss or apposed repetition of the date before it ("شهر أيار (مايو)"),
  - the date of a counterpart value ("X مقابل Y في يونيو": يونيو dates Y only),
  - in a later contrasted clause ("…، بينما أفادت تقارير … في 2024"),
  - the date of a statement that reports figures of another time ("قالت الوزارة في
    بيان أمس إن …"; an event reported that day is dated by it: "أفادت مصادر أمس بمقتل"),
  - a rate or frequency ("كل دقيقة و20 ثانية");
  and ages and distances take no time. "منذ <date>" and a delivery month are weak: taken
  only when nothing else dates the number; a date right after another number is that
  number's before it is anyone else's ("2.12% بنهاية عام 2017 و2.80% بحلول نهاية عام 2018");
  a change "بنسبة X من A <date1> إلى B <date2>" is dated by its end point; a number and
  its bracketed conversion or alternative ("خمسة سنتات أو 0.2%") share their dates.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cache

from pipeline.analysis import Analysis
from pipeline.doc import NUMERIC_TYPES, TEMPORAL_TYPES, Attribution, Claim, Mention
from pipeline.registry import register
from pipeline.resources import load_json, normalized_phrases, normalized_words
from pipeline.text.normalize import normalize_str
from pipeline.text.tokenize import PUNCT

COMMAS = frozenset({"،", ",", "؛", ";"})


def _attribution_for(m: Mention, analysis: Analysis) -> str | None:
    best = None
    for a in analysis.attributions:
        if a.content.start <= m.start and m.end <= a.content.end:
            if best is None or (a.content.end - a.content.start) < (best.content.end - best.content.start):
                best = a
    return best.id if best else None


def _time_for(m: Mention, analysis: Analysis) -> str | None:
    sent = analysis.sentence_at(m.start)
    if sent is None:
        return None
    times = [t for t in analysis.mentions
             if t.type in TEMPORAL_TYPES and sent.start <= t.start and t.end <= sent.end]
    if not times:
        return None
    text = analysis.doc.text

    def cost(t: Mention) -> tuple:
        a, b = (t.end, m.start) if t.end <= m.start else (m.end, t.start)
        between = text[a:b]
        return (between.count("،") + between.count(",") + between.count("؛"), b - a)

    return min(times, key=cost).id


@register("claims", 1)
class Claims:
    name = "claims"

    def __call__(self, analysis: Analysis) -> None:
        analysis.claims = [
            Claim(f"c{i}", m.id, _time_for(m, analysis), _attribution_for(m, analysis))
            for i, m in enumerate((m for m in analysis.mentions if m.type in NUMERIC_TYPES), 1)
        ]


# ---------------------------------------------------------------------- claims/2

_n, _seqs = normalized_words, normalized_phrases


@dataclass(frozen=True)
class Words:
    comparison_markers: frozenset
    comparison_direct: frozenset
    counterpart_markers: frozenset
    comparatives: frozenset
    superlatives: frozenset
    since: frozenset
    period_starts: frozenset
    soft_before: frozenset
    particles: frozenset
    relatives: frozenset
    value_verbs: frozenset
    gloss_phrases: tuple
    group_joiners: tuple
    date_prepositions: frozenset
    comparative_links: frozenset
    range_from: str
    range_to: str
    conjunction: str
    no_duration_before: frozenset
    contrast_links: tuple
    gloss_joiners: frozenset
    event_words: frozenset
    untimed_units: frozenset
    adjacent_tokens: int


@cache
def words() -> Words:
    d = load_json("claim_links.json")
    return Words(
        comparison_markers=_n(d["comparison_markers"]), comparison_direct=_n(d["comparison_direct"]),
        counterpart_markers=_n(d["counterpart_markers"]), comparatives=_n(d["comparatives"]),
        superlatives=_n(d["superlatives"]), since=_n(d["since"]), period_starts=_n(d["period_starts"]),
        soft_before=_n(d["soft_before"]), particles=_n(d["particles"]), relatives=_n(d["relatives"]),
        value_verbs=_n(d["value_verbs"]),
        gloss_phrases=_seqs(d["gloss_phrases"]), group_joiners=_seqs(d["group_joiners"]),
        date_prepositions=_n(d["date_prepositions"]), comparative_links=_n(d["comparative_links"]),
        range_from=normalize_str(d["range_from"]), range_to=normalize_str(d["range_to"]),
        conjunction=normalize_str(d["conjunction"]),
        no_duration_before=_n(d["no_duration_before"]),
        contrast_links=_seqs(p.split() for p in d["contrast_links"]),
        gloss_joiners=_n(d["gloss_joiners"]), event_words=_n(d["event_words"]),
        untimed_units=frozenset(d["untimed_units"]), adjacent_tokens=d["adjacent_tokens"],
    )


@dataclass
class Item:
    """A number or a date with the token facts the linker needs."""

    mention: Mention
    first: int                 # token indices, half-open
    last: int
    sent: int
    para: int
    # dates only
    excluded: bool = False     # base, record span, gloss, rate
    weak: bool = False         # "منذ <date>": only when nothing else
    soft: bool = False         # a delivery month: counts against it like a clause break
    gloss: bool = False
    glossed_by: "Item | None" = None
    owner: Mention | None = None        # the counterpart value it belongs to alone
    next_to: Mention | None = None      # the number right before it
    saying: list[Attribution] = field(default_factory=list)


class _Links:
    """Token-level facts about one analysis: numbers, dates, clauses, statements."""

    def __init__(self, analysis: Analysis, w: Words):
        self.a, self.w = analysis, w
        self.toks = analysis.tokens
        self.norms = [t.norm for t in self.toks]
        self.starts = starts = [t.start for t in self.toks]
        self.sent_of = [0] * len(self.toks)
        for si, s in enumerate(analysis.sentences):
            for k in range(s.first, s.last):
                self.sent_of[k] = si
        para_starts = [a for a, _ in analysis.paragraphs]

        def item(m: Mention) -> Item:
            i = max(0, bisect.bisect_right(starts, m.start) - 1)
            j = bisect.bisect_left(starts, m.end)
            para = max(0, bisect.bisect_right(para_starts, m.start) - 1)
            return Item(m, i, max(j, i + 1), self.sent_of[min(i, len(self.toks) - 1)], para)

        ms = sorted(analysis.mentions, key=lambda m: m.start)
        self.numbers = [item(m) for m in ms if m.type in NUMERIC_TYPES]
        self.dates = [item(m) for m in ms if m.type in TEMPORAL_TYPES]
        self.number_at = {}
        for it in self.numbers:
            for k in range(it.first, it.last):
                self.number_at[k] = it
        self.group = self._groups()
        if self.toks:
            self._mark_dates()

    def _groups(self) -> dict[str, int]:
        """Numbers that state one value twice form a group: a bracketed conversion
        ("454.4 مليار ريال (121 مليار دولار)") and an alternative ("خمسة سنتات أو 0.2%")."""
        group, g = {}, 0
        for i, it in enumerate(self.numbers):
            if i:
                prev = self.numbers[i - 1]
                between = [self.norms[k] for k in range(prev.last, it.first)]
                dated = all(self.norms[k] in self.w.date_prepositions or any(d.first <= k < d.last for d in self.dates)
                            for k in range(prev.last, it.first - 1))
                if prev.sent == it.sent and between and (
                        tuple(between) in self.w.group_joiners or (between[-1] == "(" and dated)):
                    group[it.mention.id] = group[prev.mention.id]
                    continue
            g += 1
            group[it.mention.id] = g
        return group

    def same_group(self, a: Mention, b: Mention) -> bool:
        return self.group.get(a.id) == self.group.get(b.id)

    # ------------------------------------------------------------ date facts

    def _words_before(self, k: int, n: int) -> list[int]:
        """Up to n word-token indices before k in the same sentence, nearest first."""
        out, j = [], k - 1
        while j >= 0 and len(out) < n and self.sent_of[j] == self.sent_of[k]:
            if self.toks[j].kind != PUNCT:
                out.append(j)
            j -= 1
        return out

    def _mark_dates(self) -> None:
        w = self.w
        prev: Item | None = None
        for d in self.dates:
            before = self._words_before(d.first, 5)
            near = [self.norms[j] for j in before]
            # The base of a comparison: a marker shortly before, no number between.
            for i, j in enumerate(before):
                if j in self.number_at:
                    break
                if self.norms[j] in w.comparison_markers or (
                        self.norms[j] in w.comparatives and i > 0 and self.norms[before[i - 1]] in w.comparative_links):
                    d.excluded = True
                    break
            if near and near[0] in w.comparison_direct:
                d.excluded = True
            if d.excluded and d.last + 1 < len(self.norms) and self.norms[d.last] in w.relatives \
                    and self.norms[d.last + 1] in w.value_verbs:
                # "أحجام تداولات الأسبوع الماضي التي كانت عند 685 مليون سهم": the base
                # period is the time of the base value the relative clause gives.
                after = self._number_after(d)
                if after is not None:
                    d.excluded, d.owner = False, after.mention
            since = any(x in w.since for x in near[:4]) and self.norms[d.first] not in w.period_starts
            if since:
                d.weak = True
            if any(x in w.soft_before for x in near[:2]):
                d.soft = True
            # "منذ" + date, or a DURATION, after a superlative of the sentence: a record span.
            if d.mention.type == "DURATION" or since:
                s = self.a.sentences[d.sent]
                if any(self.norms[j] in w.superlatives and j not in self.number_at
                       for j in range(max(s.first, d.first - 16), d.first)):
                    d.excluded = True
            if d.mention.type == "DURATION" and any(x in w.no_duration_before for x in near[:2]):
                d.excluded = True
            # A gloss or apposed repetition of the date just before.
            between = [self.norms[j] for j in range(prev.last, d.first)] if prev is not None else None
            if prev is not None and prev.para == d.para and len(between) <= 3 and (
                    all(x in w.gloss_joiners for x in between) or tuple(between) in w.gloss_phrases):
                d.excluded = d.gloss = True
                prev.glossed_by = d
            prev = d
            # The date of a counterpart value: "مقابل 82 مليون طن خلال الشهر ذاته".
            owner = self._number_before(d)
            if owner is not None:
                d.next_to = owner.mention
                first = min(n.first for n in self.numbers if self.same_group(n.mention, owner.mention))
                cues = self._words_before(first, 2)
                if any(self.norms[j] in w.counterpart_markers for j in cues):
                    d.owner = owner.mention
        for a in self.a.attributions:
            lo, hi = self._saying_region(a)
            for d in self.dates:
                if lo <= d.mention.start and d.mention.end <= hi and not (
                        a.content.start <= d.mention.start < a.content.end):
                    d.saying.append(a)

    def _saying_region(self, a: Attribution) -> tuple[int, int]:
        """Where a date dates the saying, not what is said: around the cue and its
        source (when the source is next to the cue, not inherited from afar), up to a
        content after them or to the end of the clause after a trailing cue, and a date
        just before the cue ("وفي يونيو حزيران قالت المؤسسة")."""
        starts = self.starts
        k = bisect.bisect_left(starts, a.cue.start)
        sent = self.a.sentences[self.sent_of[k]]
        lo, hi = a.cue.start, a.cue.end
        gap = (bisect.bisect_left(starts, a.source.start) - k - 1 if a.source.start >= a.cue.end
               else k - bisect.bisect_left(starts, a.source.end))
        if sent.start <= a.source.start < sent.end and gap <= 3:
            lo, hi = min(lo, a.source.start), max(hi, a.source.end)
        if a.content.start >= a.cue.end:
            hi = max(hi, a.content.start)
        else:
            j = bisect.bisect_left(starts, hi)
            while j < sent.last and self.norms[j] not in COMMAS:
                j += 1
            hi = max(hi, self.toks[j - 1].end)
        j = k - 1
        while j >= sent.first and self.norms[j] in self.w.particles:
            j -= 1
        for d in self.dates:
            if j >= sent.first and d.last - 1 == j:
                lo = min(lo, d.mention.start)
        return lo, hi

    def _number_after(self, d: Item) -> Item | None:
        """A number closely after the date in its clause."""
        j, n = d.last, 0
        while j < len(self.toks) and self.sent_of[j] == d.sent and n <= self.w.adjacent_tokens + 1:
            if j in self.number_at:
                return self.number_at[j]
            if self.norms[j] in COMMAS or any(x.first == j for x in self.dates):
                return None
            n += self.toks[j].kind != PUNCT
            j += 1
        return None

    def _number_before(self, d: Item) -> Item | None:
        """The number the date follows closely in its clause ("2.12% بنهاية عام 2017")."""
        j, n = d.first - 1, 0
        while j >= 0 and self.sent_of[j] == d.sent and n <= self.w.adjacent_tokens:
            if j in self.number_at:
                it = self.number_at[j]
                unit = it.mention.value.unit if it.mention.value else None
                return None if unit in self.w.untimed_units else it
            if self.norms[j] in COMMAS:
                return None
            n += self.toks[j].kind != PUNCT
            j -= 1
        return None

    # ------------------------------------------------------------ choosing

    def _event(self, a: Attribution) -> bool:
        """Does the content report an event (a death toll, an attack)?"""
        k = bisect.bisect_left(self.starts, a.content.start)
        while k < len(self.toks) and self.toks[k].start < a.content.end:
            if self.norms[k] in self.w.event_words:
                return True
            k += 1
        return False

    def _commas_between(self, a: int, b: int) -> int:
        return sum(1 for k in range(a, b) if self.norms[k] in COMMAS)

    def _contrast_between(self, a: int, b: int) -> bool:
        for k in range(a, b):
            if self.norms[k] in COMMAS:
                nxt = k + 1 + (k + 1 < len(self.norms) and self.norms[k + 1] == self.w.conjunction)
                for link in self.w.contrast_links:
                    if tuple(self.norms[nxt:nxt + len(link)]) == link:
                        return True
        return False

    def _dated(self, a: Attribution) -> bool:
        """Does the content of an attribution carry a date of its own?"""
        return any(a.content.start <= d.mention.start and d.mention.end <= a.content.end and not d.excluded
                   for d in self.dates)

    def _said_on(self, a: Attribution) -> bool:
        """Does the date of this statement date its figures (a reported event with no
        date of its own)?"""
        return self._event(a) and not self._dated(a)

    def _taken(self, d: Item, v: Item) -> bool:
        """Is the date right after another number, one before v?"""
        return d.next_to is not None and not self.same_group(d.next_to, v.mention)

    def _usable(self, d: Item, v: Item) -> bool:
        if d.excluded or (d.owner is not None and not self.same_group(d.owner, v.mention)):
            return False
        return all(self._said_on(a) for a in d.saying)

    def time_for(self, v: Item) -> str | None:
        unit = v.mention.value.unit if v.mention.value else None
        if unit in self.w.untimed_units:
            return None
        same = [d for d in self.dates if d.sent == v.sent and d.para == v.para and self._usable(d, v)
                and not (d.first > v.first and self._contrast_between(v.last, d.first))]
        if same:
            ranged = self._range_end(v, same)
            if ranged is not None:
                return ranged.mention.id

            def cost(d: Item) -> tuple:
                a, b = (d.last, v.first) if d.last <= v.first else (v.last, d.first)
                gap = sum(1 for k in range(a, b) if self.toks[k].kind != PUNCT)
                own = d.next_to is not None and self.same_group(d.next_to, v.mention)
                return (d.weak, not own, (self._commas_between(a, b) > 0) + 1.5 * d.soft + self._taken(d, v),
                        gap + (0.5 if d.last <= v.first else 0))
            best = min(same, key=cost)
            if best.mention.type == "DURATION" and best.glossed_by is not None \
                    and best.glossed_by.mention.type == "DATE":
                best = best.glossed_by       # "خلال العشر سنوات السابقة (2004 - 2014)"
            return best.mention.id
        # The nearest earlier date of the paragraph that the text continues.
        earlier = [d for d in self.dates if d.para == v.para and d.last <= v.first and d.sent < v.sent
                   and self._usable(d, v) and d.owner is None]
        if not earlier:
            return None
        return earlier[-1].mention.id

    def _range_end(self, v: Item, dates: list[Item]) -> Item | None:
        """A change "بنسبة X من A <date1> إلى B <date2>" is dated by the end point."""
        k = v.last
        if k >= len(self.norms) or self.norms[k] != self.w.range_from or k + 1 not in self.number_at:
            return None
        s = self.a.sentences[v.sent]
        for j in range(k + 2, s.last):
            if self.norms[j] in COMMAS:
                return None
            if self.norms[j] == self.w.range_to and j + 1 in self.number_at:
                target = self.number_at[j + 1]
                return next((d for d in dates if d.next_to is target.mention), None)
        return None


@register("claims", 2)
class LinkedClaims:
    """Claims with time links by clause, comparison bases and paragraph continuation."""

    name = "claims"

    def __call__(self, analysis: Analysis) -> None:
        links = _Links(analysis, words())
        analysis.claims = [
            Claim(f"c{i}", v.mention.id, links.time_for(v), _attribution_for(v.mention, analysis))
            for i, v in enumerate(links.numbers, 1)
        ]
