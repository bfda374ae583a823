"""DATE and DURATION mentions by rule (ANNOTATION.md, "Temporal types"): ``dates/1``.

The text is cut into small tokens on its normalized form (temporal_scan.py), words and
phrases are looked up in the temporal vocabulary (temporal_lexicon.py: months.json,
temporal.json; number words through numparse/numbers.json) and, at each token that can
start one, a small grammar is tried — single dates and clock times (date_points.py),
ranges (date_ranges.py), durations (durations.py) — and the longest match is kept.
Values are resolved at once, left to right, against ``doc.doc_date`` and against the
dates already found (anaphoric "الشهر السابق", "نفس الفترة", "منذ ذلك الحين"); Hijri dates
go through hijri.py (Umm al-Qura). Spans are mapped back to the original text through
the offset map. The guideline's cases and the project decisions (gold/GUIDELINES-NOTES.md)
are followed; where both are silent this module decides (tests/cases/dates.jsonl holds
an example of each):

- A month or day-month without a year takes the nearer of its latest occurrence on or
  before doc_date and its next one, ties to the past; "الماضي" and "منذ" force the past,
  "المقبل"/"القادم" the future. This stands in for "unless the text says it is coming"
  ("القرار الرسمي يصدر في ديسمبر", written in August → the coming December).
- "قبل" + count + unit ("قبل عام", "قبل 11 عاماً"), and "منذ" + a count of days or weeks
  ("منذ ثلاثة أيام"), with no qualifier and no superlative before, is a DATE counted back
  from doc_date, قبل/منذ inside the span (days and weeks → day, months and years → month
  precision). "منذ" + months or years ("الحرب الدائرة منذ أربع سنوات"), a qualifier
  ("منذ أكثر من عقدين") or a superlative before ("أدنى مستوى منذ 25 عاما") make it a
  DURATION, منذ outside.
- A clock time takes the day of a DATE written right before it ("صباح اليوم الساعة
  العاشرة") or after it ("الساعة التاسعة من صباح أمس", one mention); a time-zone stamp
  ("10:07 ت م") takes doc_date; otherwise the day stays unknown: ``XXXX-XX-XXT10:00``.
- A range end that is a coarser, modified period is read at the other end's precision
  ("من بداية العام حتى نهاية يوليو" → start 2015-01, end 2015-07).
- A month glossed in brackets is two mentions, a year after the bracket completing both
  ("28 مايو (أيار) 1990" → 1990-05-28 and 1990-05).
- A half or quarter without a year is the latest one on or before doc_date; a season
  needs a year ("صيف 2014" → 2014-SU).
"""
from __future__ import annotations

from pipeline.analysis import Analysis
from pipeline.doc import Mention
from pipeline.extractors import timex as tx
from pipeline.extractors.date_points import _value
from pipeline.extractors.date_ranges import DateRanges
from pipeline.extractors.temporal_scan import Parse, Piece
from pipeline.extractors.timex import Point
from pipeline.registry import register

SOURCE = "dates/1"


class _Parser(DateRanges):
    """Finds every DATE and DURATION of one document, left to right."""

    def _can_start(self, i: int) -> bool:
        """Could a temporal expression start at token i? (Most words cannot: skip them fast.)"""
        t = self.toks[i]
        if t.kind == "num":
            return True
        if t.kind == "punct":
            return t.text == "(" and self._int(i + 1) is not None
        if t.kind != "word":
            return False
        return (t.text == "ال" and self._int(i + 1) is not None or bool(self.hits(i, True))
                or self._in(t.text, "ago_words") or self.read_count(i, True) is not None)

    def parse_at(self, i: int) -> Parse | None:
        """The longest range, date, duration or clock time starting at token i."""
        if not self._can_start(i):
            return None
        best: Parse | None = None

        def take(p: Parse | None):
            nonlocal best
            if p is not None and (best is None or p.end > best.end):
                best = p

        r = self.p_range(i, True)
        if r is not None:
            take(self._date_parse(i, r))
        r = self.p_ago(i, True)
        if r is not None:
            take(self._date_parse(i, r))
        r = self.point(i, True)
        if r is not None:
            take(self._date_parse(i, r))
        take(self.p_duration(i, True))
        take(self.p_clock(i, True))
        return best

    def _date_parse(self, i: int, r) -> Parse:
        """The mention(s) of a date read at token i: its own, and a bracketed month gloss."""
        s, end, skip, span_end, bracket = r
        resolved = self.resolve(s)
        pieces = [Piece(i, span_end, skip, "DATE", resolved=resolved, anaphoric=s.anaphoric,
                        weekday_only=s.weekday_only)]
        if bracket is not None:
            a, b = bracket
            gloss = None
            if isinstance(resolved, Point):
                gloss = tx.of_date(resolved.date(), tx.MONTH) if resolved.known else \
                    Point(tx.MONTH, None, resolved.m)
            pieces.append(Piece(a, b, 0, "DATE", resolved=gloss))
        return Parse(end, pieces)

    def run(self) -> list[Piece]:
        i = 0
        while i < self.n:
            p = self.parse_at(i)
            if p is None or p.end <= i:
                i += 1
                continue
            for piece in p.pieces:
                self.pieces.append(piece)
            i = p.end
        self._weekday_glosses()
        return self.pieces

    def _weekday_glosses(self) -> None:
        """"يوم الثلاثاء الموافق 3 – 11 - 1436هـ": the weekday takes the date it is glossed with."""
        for a, b in zip(self.pieces, self.pieces[1:]):
            if a.weekday_only and b.typ == "DATE" and isinstance(b.resolved, Point) and b.resolved.prec == tx.DAY \
                    and b.ts == a.te + 1 and self.toks[a.te].text == "الموافق":
                a.resolved = b.resolved


@register("dates", 1)
class DateExtractor:
    """DATE and DURATION mentions (see the module docstring for the rules)."""

    name = "dates"

    def __call__(self, analysis: Analysis) -> None:
        parser = _Parser(analysis)
        toks = parser.toks
        for k, piece in enumerate(parser.run()):
            ns = toks[piece.ts].ns + piece.skip
            ne = toks[piece.te - 1].ne
            a, b = analysis.norm.to_original(ns, ne)
            value = piece.value if piece.typ == "DURATION" else _value(piece.resolved)
            analysis.mentions.append(Mention(f"d{k + 1}", piece.typ, a, b, analysis.doc.text[a:b], value, SOURCE))
