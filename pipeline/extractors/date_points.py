"""Single dates for dates/1: months and days, years, Hijri dates, numeric dates, relative
and anaphoric expressions, weekdays, decades, halves and quarters, period modifiers,
clock times (ANNOTATION.md, "Temporal types").

Each ``p_*`` rule reads one form at token i and returns ``(spec, end, skip, span_end,
bracket)``: the ``Spec`` read, the token after everything consumed, the proclitic letters
left out of the span, the token where the span ends (before a bracketed gloss) and the
bracketed month gloss as (first, last) tokens or None. ``point`` keeps the longest.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from pipeline.analysis import Analysis
from pipeline.doc import Value
from pipeline.extractors import hijri
from pipeline.extractors import timex as tx
from pipeline.extractors.durations import DurationRules
from pipeline.extractors.temporal_scan import Hit, Parse, Piece
from pipeline.extractors.timex import Point


@dataclass
class Spec:
    """A date as read, before its year is completed and it is resolved."""

    prec: str = tx.YEAR
    cal: str = "g"                 # g (Gregorian) | h (Hijri, converted on resolution)
    y: int | None = None
    m: int | None = None
    d: int | None = None
    when: str = "nearest"          # how a missing year is found (timex.month_nearest)
    fixed: object = None           # an already resolved Point or (Point, Point)
    novalue: bool = False          # relative, and no doc_date to resolve it
    mod: str | None = None         # period modifier: start | middle | end | rest
    anaphoric: bool = False
    weekday_only: bool = False


def _value(resolved) -> Value | None:
    if resolved is None:
        return None
    if isinstance(resolved, Point):
        return Value(timex=resolved.timex())
    a, b = resolved
    if a == b:
        return Value(timex=a.timex())
    return Value(start=a.timex(), end=b.timex())


def _first(resolved) -> Point:
    return resolved if isinstance(resolved, Point) else resolved[0]


def _last(resolved) -> Point:
    return resolved if isinstance(resolved, Point) else resolved[1]


class DatePoints(DurationRules):
    """The single-date grammar over one document; values resolve left to right."""

    def __init__(self, analysis: Analysis):
        super().__init__(analysis)
        self.ref = tx.parse_iso(analysis.doc.doc_date)
        self.pieces: list[Piece] = []
        # Does the text mark years as Hijri ("1436هـ")? Then "عام 1418" is Hijri too.
        self.hijri_doc = any(self.toks[i].kind == "num" and 1300 <= self._int(i, 0) <= 1500
                             and self._era(i + 1)[0] == "h" for i in range(self.n))

    # ------------------------------------------------------------- resolution
    def resolve(self, s: Spec):
        """The Point or (start, end) pair a Spec names, or None."""
        if s.fixed is not None or s.novalue:
            return s.fixed
        if s.cal == "h":
            return self._resolve_hijri(s)
        if s.y is None and s.prec in (tx.MONTH, tx.DAY) and self.ref is not None:
            y = (tx.day_nearest(s.m, s.d, self.ref, s.when) if s.prec == tx.DAY
                 else tx.month_nearest(s.m, self.ref, s.when))
            s = replace(s, y=y)
        if s.prec == tx.DAY:
            return tx.day(s.y, s.m, s.d) if tx.valid_day(s.y, s.m, s.d) else None
        if s.prec == tx.MONTH:
            return tx.month(s.y, s.m)
        if s.prec == tx.YEAR and s.y is not None:
            return tx.year(s.y)
        return None

    def _resolve_hijri(self, s: Spec):
        y = s.y
        if y is None:
            if self.ref is None or s.m is None:
                return None
            hy, hm, hd = hijri.from_gregorian(self.ref)
            back = (hm - s.m) % 12
            y = hy if s.m <= hm else hy - 1
            if s.when == "next" or (s.when == "nearest" and back > 6):
                y = hy + 1 if s.m <= hm else hy
        if s.prec == tx.DAY:
            return hijri.day(y, s.m, s.d)
        if s.prec == tx.MONTH:
            return hijri.month_span(y, s.m)
        return hijri.year_span(y)

    def _ref_point(self, min_prec: str):
        """The latest earlier non-anaphoric single date at least this precise."""
        for p in reversed(self.pieces):
            if p.typ != "DATE" or p.anaphoric or not isinstance(p.resolved, Point):
                continue
            if p.resolved.known and not tx.ORDER.index(p.resolved.prec) < tx.ORDER.index(min_prec) \
                    and p.resolved.prec != tx.DECADE:
                return p.resolved
        return None

    def _ref_period(self):
        """The latest earlier non-anaphoric date that is a period (a day is not one: in
        "صافي ربح الربع الثاني يوم الأربعاء … الفترة المماثلة" the period is the quarter)."""
        for p in reversed(self.pieces):
            if p.typ != "DATE" or p.anaphoric or p.resolved is None or not _first(p.resolved).known:
                continue
            if isinstance(p.resolved, Point) and p.resolved.prec in (tx.DAY, tx.MINUTE):
                continue
            return p.resolved
        return None

    def _doc(self, prec: str) -> Point | None:
        return None if self.ref is None else tx.of_date(self.ref, prec)

    # ------------------------------------------------------------- months
    def month_expr(self, i: int, clitic: bool):
        """A month name with its glosses: (month, series, end, skip, bracket) or None.

        bracket = (first, last) tokens of a month glossed in brackets, or None."""
        h = self.hit(i, "month", clitic)
        if h is None:
            return None
        m, series = h.value
        if h.form in self.lex.needs_madda:
            a, _ = self.norm.to_original(self.toks[i].ns + h.skip, self.toks[i].ns + h.skip + 1)
            if self.orig[a] != "آ":
                return None
        j, bracket = h.end, None
        k = j
        if self._punct(k, self.W["dash"]) and self._same_line(i, k + 1):
            k += 1
        g = self.hit(k, "month") if self._same_line(i, k) else None
        if g and g.value[0] == m and g.value[1] != series and (series == "hijri") == (g.value[1] == "hijri"):
            j = g.end
        elif self._punct(j, "(") and (g2 := self.hit(j + 1, "month")) and g2.value[0] == m \
                and g2.value[1] != series and self._punct(g2.end, ")"):
            bracket = (j + 1, g2.end)
        return m, series, j, h.skip, bracket

    def _month_context_ok(self, i: int, series: str, form_ambiguous: bool, has_day: bool,
                          has_tail: bool, has_cal: bool, glossed: bool, in_range: bool) -> bool:
        if series == "hijri":
            return has_day or has_tail or has_cal
        if not form_ambiguous:
            return True
        return (has_day or has_tail or has_cal or glossed or in_range
                or self._in(self._prev_word(i), "date_prepositions"))

    def year_tail(self, j: int, series: str):
        """What follows a month: a year, a relative year or a relative word.

        Returns (kind, value, end, cal) with kind year | relyear | when, or None."""
        k = j
        if self._is(k, "من") and (t := self._year_tail_core(k + 1, series)) and t[0] != "when":
            return t
        return self._year_tail_core(k, series)

    def _year_tail_core(self, k: int, series: str):
        y = self._int(k)
        if y is not None and 3 <= self._digits(k) <= 4 and (1000 <= y <= 2100):
            era, e = self._era(k + 1)
            cal = "h" if era == "h" or series == "hijri" else "g"
            return "year", y, e, cal
        c = self.hit(k, "cal")
        if c and c.value == "year":
            y = self._int(c.end)
            if y is not None and 3 <= self._digits(c.end) <= 4:
                era, e = self._era(c.end + 1)
                cal = "h" if era == "h" or series == "hijri" else "g"
                return "year", y, e, cal
            r = self.hit(c.end, "rel")
            if r and r.value in ("past", "next", "current"):
                return "relyear", {"past": -1, "next": 1, "current": 0}[r.value], r.end, "g"
        t = self.hit(k, "rel")
        if t and t.value == "this" and (c := self.hit(t.end, "cal")) and c.value == "year":
            return "relyear", 0, c.end, "g"
        if t and t.value in ("past", "next", "current"):
            return "when", t.value, t.end, "g"
        return None

    def _apply_tail(self, s: Spec, tail) -> Spec:
        kind, v, _, cal = tail
        if kind == "year":
            return replace(s, y=v, cal=cal if s.cal == "g" else s.cal)
        if kind == "relyear":
            if self.ref is None:
                return replace(s, novalue=True)
            return replace(s, y=self.ref.year + v)
        return replace(s, when={"past": "past", "next": "next", "current": "current"}[v])

    # ------------------------------------------------------------- points
    def daynum(self, i: int, clitic: bool):
        """A day of the month: "7", "الـ12", "الرابع من" → (day, end, skip)."""
        k = i + 1 if self._is(i, "ال") and self._glued(i + 1) or self._is(i, "ال") and self._int(i + 1) else i
        d = self._int(k)
        if d is not None and 1 <= d <= 31 and self._digits(k) <= 2:
            return d, (k + 2 if self._is(k + 1, "من") else k + 1), 0
        h = self.hit(i, "ordday", clitic)
        if h is not None:
            j = h.end + 1 if self._is(h.end, "من") else h.end
            return h.value, j, h.skip
        h = self.hit(i, "first_day", clitic)  # "أول أغسطس", "غرة شهر ذي القعدة"
        if h is not None:
            return 1, h.end, h.skip
        return None

    def p_daymonth(self, i: int, clitic: bool, in_range: bool = False):
        """"7 أكتوبر", "الرابع من يناير 2016", "5 شوال 1436هـ", "العاشر من الشهر الحالي"."""
        dn = self.daynum(i, clitic)
        if dn is None:
            return None
        d, j, skip = dn
        has_cal = False
        c = self.hit(j, "cal")
        if c and c.value == "month" and (r := self.hit(c.end, "rel")) and \
                r.value in ("past", "next", "current", "previous", "before_last"):
            # "العاشر من الشهر الحالي"
            month = self._relative_period(j, c, r, tx.MONTH)
            p = month[0].fixed
            if isinstance(p, Point) and tx.valid_day(p.y, p.m, d):
                return Spec(fixed=tx.day(p.y, p.m, d), anaphoric=month[0].anaphoric), month[1], skip, month[1], None
            if month[0].novalue:
                return Spec(novalue=True), month[1], skip, month[1], None
            return None
        if c and c.value == "month" and self.hit(c.end, "month"):
            j, has_cal = c.end, True
        me = self.month_expr(j, False)
        if me is None or not self._same_line(i, j):
            return None
        m, series, k, _, bracket = me
        s = Spec(tx.DAY, "h" if series == "hijri" else "g", None, m, d)
        return self._finish_month_spec(i, s, k, skip, bracket, series, True, has_cal, in_range)

    def p_month(self, i: int, clitic: bool, in_range: bool = False):
        """"يونيو 2024", "شهر يوليو الماضي", "أكتوبر/تشرين الأول 2024", "شوال 1436هـ"."""
        j, skip, has_cal = i, 0, False
        c = self.hit(i, "cal", clitic)
        if c and c.value == "month":
            j, skip, has_cal = c.end, c.skip, True
            me = self.month_expr(j, False)
        else:
            me = self.month_expr(i, clitic)
            if me:
                skip = me[3]
        if me is None:
            return None
        m, series, k, _, bracket = me
        s = Spec(tx.MONTH, "h" if series == "hijri" else "g", None, m)
        return self._finish_month_spec(i, s, k, skip, bracket, series, False, has_cal, in_range)

    def _finish_month_spec(self, i, s: Spec, k, skip, bracket, series, has_day, has_cal, in_range):
        """Add what follows a month (year, relative word) and check the month reading."""
        ambiguous = self._month_form_ambiguous(i, k)
        glossed = k > i + 1 and not has_day and not has_cal and bracket is None and self._gloss_inside(i, k)
        after = k if bracket is None else bracket[1] + 1
        tail = self.year_tail(after, series)
        end = after
        if tail:
            s = self._apply_tail(s, tail)
            end = tail[2]
        elif bracket is None and (nxt := self._after_and(after)) is not None:
            # "في يوليو وأغسطس 2014": a year written once after coordinated months
            o = nxt[0]
            if o.fixed is None and not o.novalue and o.y is not None and o.cal == s.cal and o.m is not None:
                s = replace(s, y=o.y - (1 if (s.m, s.d or 0) > (o.m, o.d or 0) else 0))
        if not self._month_context_ok(i, series, ambiguous, has_day,
                                      tail is not None, has_cal, glossed or bracket is not None, in_range):
            return None
        if bracket is None:
            return s, end, skip, end, None
        # A month glossed in brackets is two mentions; a year after the bracket completes
        # both values and belongs to neither span ("28 مايو (أيار) 1990").
        return s, end, skip, k, bracket

    def _gloss_inside(self, a: int, b: int) -> bool:
        months = sum(1 for t in range(a, b) if any(h.kind == "month" for h in self.hits(t)))
        return months >= 2

    def _month_form_ambiguous(self, a: int, b: int) -> bool:
        """Are all month names written in tokens [a, b) words that are also ordinary words?"""
        forms = []
        for t in range(a, b):
            for h in self.hits(t, True):
                if h.kind == "month":
                    forms.append(h.form)
                    break
        return bool(forms) and all(f in self.lex.needs_context for f in forms)

    def p_numeric(self, i: int):
        """21/11/2026, 2026-11-21, 22-07-2015م, 6/10/1436 هـ, 1436/10/25-24 (day range)."""
        t = self.toks[i] if i < self.n else None
        if t is None or t.kind != "num":
            return None
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", t.text):
            d, m, y = (int(x) for x in t.text.split("."))
            parts, j = [d, m, y], i + 1
        else:
            parts, j = [], i
            while True:
                v = self._int(j)
                if v is None or not self._same_line(i, j):
                    break
                parts.append(v)
                if len(parts) == 3 or not self._punct(j + 1, "/-–"):
                    j += 1
                    break
                j += 2
            if len(parts) != 3:
                return None
        if self._digits(i) == 4 and t.text.isdigit():
            y, m, d = parts
        elif len(str(parts[2])) == 4:
            d, m, y = parts
        else:
            return None
        d2 = None
        if self._punct(j, "-–") and (v := self._int(j + 1)) is not None and 1 <= v <= 31 and self._glued(j):
            d2, j = v, j + 2
        era, e = self._era(j)
        cal = "h" if era == "h" or (era is None and 1300 <= y <= 1500) else "g"
        if not (1 <= m <= 12 and 1 <= d <= 31) or not (1000 <= y <= 2100):
            return None
        s = Spec(tx.DAY, cal, y, m, d)
        if d2 is not None:
            a, b = sorted((d, d2))
            r1, r2 = self.resolve(replace(s, d=a)), self.resolve(replace(s, d=b))
            if r1 is None or r2 is None:
                return None
            s = Spec(tx.DAY, fixed=(r1, r2))
        elif self.resolve(s) is None:
            return None
        return s, e, 0, e, None

    def _bare_year_ok(self, i: int) -> bool:
        """May a 4-digit number with no calendar word or era be a year? After a date
        preposition ("في 2017"), coordinated with a date ("2015 و2016"), in brackets
        ("(2014)") or closing a line or clause; never before a unit or a percent sign."""
        y = self._int(i)
        if y is None or self._digits(i) != 4 or not 1900 <= y <= 2099:
            return False
        nxt = i + 1
        if nxt < self.n and self.toks[nxt].kind == "word":
            if any(h.kind in ("unit",) for h in self.hits(nxt)):
                return False
        if nxt < self.n and self.toks[nxt].kind == "punct" and self.toks[nxt].text in "%٪":
            return False
        prev = self._prev_word(i)
        if self._in(prev, "date_prepositions") or prev in ("عام", "سنة"):
            return True
        if prev == "و" and i >= 2 and self._glued(i) and any(p.te == i - 1 and p.typ == "DATE" for p in self.pieces):
            return True
        if self._punct(i - 1, "(") and self._punct(nxt, ")"):
            return True
        if nxt >= self.n or self.toks[nxt].kind == "nl" or self._punct(nxt, ".،,:؛"):
            prevtok = self.toks[i - 1] if i > 0 else None
            return prevtok is None or prevtok.kind in ("word", "nl", "punct") and not self._punct(i - 1, "%$")
        return False

    def p_year(self, i: int, clitic: bool, allow_bare_cal: bool = False, in_range: bool = False):
        """"عام 2023", "سنة 2015", "2015م", "1436هـ", "العام الماضي", "هذا العام 1436 / 1437هـ",
        "العام الذي سبقه"; a bare "العام" only after a modifier (``allow_bare_cal``: "نهاية العام")."""
        c = self.hit(i, "cal", clitic)
        if c and c.value == "year":
            j = c.end
            opened = self._punct(j, "(")
            if opened:
                j += 1
            y = self._int(j)
            if y is not None and 3 <= self._digits(j) <= 4 and 500 <= y <= 2100:
                return self._year_number(i, j, c.skip, opened, from_cal=True)
            if opened:
                return None
            r = self.hit(j, "rel")
            if r and r.value in ("past", "next", "current", "previous", "before_last"):
                return self._relative_period(i, c, r, tx.YEAR)
            yb = self.hit(j, "year_before")
            if yb:
                return self._previous_year(), yb.end, c.skip, yb.end, None
            if allow_bare_cal:
                return self._current(tx.YEAR), j, c.skip, j, None
            return None
        t = self.hit(i, "rel", clitic)
        if t and t.value == "this" and (c := self.hit(t.end, "cal")) and c.value == "year":
            j = c.end
            y = self._int(j)
            if y is not None and 3 <= self._digits(j) <= 4:
                res = self._year_number(i, j, t.skip, False, from_cal=True)
                if res:
                    return res
            return self._current(tx.YEAR), j, t.skip, j, None
        y = self._int(i)
        if y is None or not 3 <= self._digits(i) <= 4:
            return None
        era, _ = self._era(i + 1)
        if era is None and not (self._punct(i + 1, "/") and self._int(i + 2) and self._era(i + 3)[0] == "h"):
            if not (in_range or self._bare_year_ok(i)):
                return None
        return self._year_number(i, i, 0, False, from_cal=False)

    def _year_number(self, start: int, j: int, skip: int, opened: bool, from_cal: bool):
        """The year written at token j, its era and an optional second year ("1436 / 1437هـ");
        Hijri years give their Gregorian start/end years."""
        y = self._int(j)
        k = j + 1
        pair = None
        if self._punct(k, "/") and (y2 := self._int(k + 1)) is not None and y2 == y + 1:
            pair, k = y2, k + 2
        era, e = self._era(k)
        hij = era == "h" or (era is None and 1300 <= y <= 1500 and self.hijri_doc and from_cal)
        if not from_cal and pair is None and not (1000 <= y <= 2100 and self._digits(j) == 4):
            return None
        end = e
        if opened:
            if not self._punct(end, ")"):
                return None
            end += 1
        if hij:
            a = hijri.year_span(y)
            b = hijri.year_span(pair) if pair else a
            if a is None or b is None:
                return None
            return Spec(fixed=(a[0], b[1])), end, skip, end, None
        if pair is not None:  # a fiscal or season year "2013 / 2014"
            return Spec(fixed=(tx.year(y), tx.year(pair))), end, skip, end, None
        return Spec(tx.YEAR, "g", y), end, skip, end, None

    def _current(self, prec: str) -> Spec:
        """doc_date's period at this precision (no value without doc_date)."""
        p = self._doc(prec)
        return Spec(fixed=p) if p is not None else Spec(novalue=True)

    def _relative_period(self, i: int, c: Hit, r: Hit, prec: str):
        """"العام الماضي", "الشهر المقبل", "الأسبوع الجاري", "الشهر السابق" (anaphoric)."""
        end = r.end
        if prec == tx.YEAR and (y := self._int(end)) is not None and self._digits(end) == 4:
            era, e = self._era(end + 1)
            # "العام الماضي 2014م": the written year, when it agrees
            if self.ref is None or y == self.ref.year + {"past": -1, "next": 1}.get(r.value, 0):
                return Spec(tx.YEAR, "g", y), e, c.skip, e, None
        step = {"past": -1, "next": 1, "current": 0, "previous": -1, "before_last": -2}[r.value]
        if r.value == "previous" and prec == tx.YEAR:
            return self._previous_year(), end, c.skip, end, None
        if r.value == "previous":
            ref = self._ref_point(prec)
            base = ref if ref is not None else self._doc(prec)
            if base is None:
                return Spec(novalue=True, anaphoric=True), end, c.skip, end, None
            base = tx.of_date(base.date(), prec) if base.prec != prec else base
            return Spec(fixed=self._step(base, prec, step), anaphoric=True), end, c.skip, end, None
        base = self._doc(prec)
        if base is None:
            return Spec(novalue=True), end, c.skip, end, None
        return Spec(fixed=self._step(base, prec, step)), end, c.skip, end, None

    def _previous_year(self) -> Spec:
        """"العام السابق", "العام الذي سبقه": the year (or fiscal year) before the one last named."""
        ref = self._ref_period()
        if isinstance(ref, tuple) and ref[0].prec == ref[1].prec == tx.YEAR:
            return Spec(fixed=(tx.shift(ref[0], years=-1), tx.shift(ref[1], years=-1)), anaphoric=True)
        ref = self._ref_point(tx.YEAR)
        if ref is None and self.ref is None:
            return Spec(novalue=True, anaphoric=True)
        base = ref.y if ref is not None else self.ref.year
        return Spec(fixed=tx.year(base - 1), anaphoric=True)

    @staticmethod
    def _step(p: Point, prec: str, step: int) -> Point:
        if prec == tx.YEAR:
            return tx.shift(p, years=step)
        if prec == tx.MONTH:
            return tx.shift(p, months=step)
        return tx.shift(p, days=7 * step)

    def p_calrel(self, i: int, clitic: bool, allow_bare_cal: bool = False):
        """"الشهر الماضي", "الأسبوع المقبل", "هذا الشهر", "الشهر السابق" (anaphoric), and a
        bare "الشهر" after "خلال" pointing back at the month last named."""
        c = self.hit(i, "cal", clitic)
        t = self.hit(i, "rel", clitic)
        if t and t.value == "this" and (c2 := self.hit(t.end, "cal")) and c2.value in ("month", "week"):
            prec = tx.MONTH if c2.value == "month" else tx.WEEK
            return self._current(prec), c2.end, t.skip, c2.end, None
        if not c or c.value not in ("month", "week"):
            return None
        prec = tx.MONTH if c.value == "month" else tx.WEEK
        r = self.hit(c.end, "rel")
        if r and r.value in ("past", "next", "current", "previous", "before_last"):
            return self._relative_period(i, c, r, prec)
        if allow_bare_cal:
            return self._current(prec), c.end, c.skip, c.end, None
        # "خلال الشهر" pointing back at the month just named
        if c.form == "الشهر" and c.skip == 0 and self._in(self._prev_word(i), "anaphoric_month_before"):
            nxt = c.end
            if nxt < self.n and self.toks[nxt].kind == "word" and (self.toks[nxt].text.startswith("ال")
                                                                  or self.hit(nxt, "month")):
                return None
            if nxt < self.n and self.toks[nxt].kind == "num":
                return None
            ref = self._ref_point(tx.MONTH)
            if ref is None:
                return None
            return Spec(fixed=tx.of_date(ref.date(), tx.MONTH), anaphoric=True), nxt, 0, nxt, None
        return None

    def p_relday(self, i: int, clitic: bool):
        """"أمس", "اليوم", "غدًا", "أول أمس", "الليلة الماضية", with a weekday ("أمس الخميس":
        the weekday wins) or a written date after it ("أمس الاثنين 3 أغسطس")."""
        h = self.hit(i, "relday", clitic)
        if h is None:
            return None
        if h.form in ("اليوم", "الليله") and not self._today_ok(i, h):
            return None
        off, j = h.value, h.end
        wd = self.hit(j, "weekday") if self._same_line(i, j) else None
        if wd is not None:
            j = wd.end
        # "أمس الاثنين 3 أغسطس": a written date decides
        dated = self._dated_after(j)
        if dated:
            spec, e = dated
            return replace(spec), e, h.skip, e, None
        if self.ref is None:
            return Spec(novalue=True), j, h.skip, j, None
        if wd is not None:
            if off < 0:
                day = tx.weekday_on_or_before(wd.value, self.ref, strictly=True)
            elif off == 0:
                day = tx.weekday_on_or_before(wd.value, self.ref)
            else:
                day = tx.weekday_after(wd.value, self.ref)
            return Spec(fixed=tx.of_date(day)), j, h.skip, j, None
        return Spec(fixed=tx.of_date(self.ref + dt.timedelta(days=off))), j, h.skip, j, None

    def _today_ok(self, i: int, h: Hit) -> bool:
        if h.skip == 0 and self._in(self._prev_word(i), "today_blockers_before"):
            return False
        nxt = self.toks[h.end].text if h.end < self.n and self.toks[h.end].kind == "word" else None
        if nxt is not None and (nxt in self.W["today_blockers_after"] or self.hit(h.end, "ordday")):
            return False
        q = self.W["quote_marks"]
        if self._punct(i - 1, q) and self._punct(h.end, q):
            return False
        return True

    def _dated_after(self, j: int):
        """A day-precision date right after a weekday/relative word (same mention)."""
        for parse in (self.p_numeric, lambda k: self.p_daymonth(k, False)):
            r = parse(j) if j < self.n else None
            if r is not None:
                spec, end = r[0], r[1]
                if r[4] is None:
                    return spec, end
        return None

    def p_weekday(self, i: int, clitic: bool):
        """A weekday: the latest such day on or before doc_date, the coming one after
        "القادم/المقبل", the one before after "الماضي"; a written date after it decides."""
        h = self.hit(i, "weekday", clitic)
        if h is None:
            return None
        prev = self._prev_word(i)
        if h.skip == 0 and prev is not None and prev in self.W["weekday_blockers_before"]:
            return None
        if h.end < self.n and self.toks[h.end].text in self.W["weekday_blockers_after"]:
            return None
        j = h.end
        # a chain of weekdays before one date ("الاحد / الاثنين 1436/10/25-24")
        k = j
        while (self._punct(k, "/،,") or self._is(k, "و")) and self.hit(k + 1, "weekday"):
            k = self.hit(k + 1, "weekday").end
        dated = self._dated_after(k)
        if dated:
            spec, e = dated
            return spec, e, h.skip, e, None
        r = self.hit(j, "rel")
        when = None
        if r and r.value in ("past", "next", "current", "before_last"):
            when, j = r.value, r.end
        if self.ref is None:
            return Spec(novalue=True, weekday_only=True), j, h.skip, j, None
        if when == "next":
            day = tx.weekday_after(h.value, self.ref)
        else:
            day = tx.weekday_on_or_before(h.value, self.ref, strictly=when in ("past", "before_last"))
            if when == "before_last":
                day -= dt.timedelta(days=7)
        return Spec(fixed=tx.of_date(day), weekday_only=True), j, h.skip, j, None

    def p_decade(self, i: int, clitic: bool):
        """"تسعينات القرن الماضي" → 199X, "الستينيات" → 196X, "العقد الماضي" → the decade before doc_date's."""
        h = self.hit(i, "decade", clitic)
        if h is not None:
            century, j = 19, h.end
            c = self.hit(j, "century_rel") or self.hit(j, "century")
            if c is not None:
                j = c.end
                if c.kind == "century":
                    century = c.value
                elif self.ref is not None:
                    century = self.ref.year // 100 + c.value
            return Spec(fixed=Point(tx.DECADE, century * 100 + h.value * 10)), j, h.skip, j, None
        h = self.hit(i, "decade_rel", clitic)
        if h is not None:
            if self.ref is None:
                return Spec(novalue=True), h.end, h.skip, h.end, None
            return Spec(fixed=Point(tx.DECADE, (self.ref.year // 10 + h.value) * 10)), h.end, h.skip, h.end, None
        return None

    def p_to_date(self, i: int, clitic: bool):
        """"وحتى تاريخه" (to date) → doc_date."""
        h = self.hit(i, "to_date", clitic)
        if h is None or not self._in(self._prev_word(i), "to_date_before"):
            return None
        return self._current(tx.DAY), h.end, h.skip, h.end, None

    def p_then(self, i: int, clitic: bool):
        """"منذ ذلك الحين", "حينها": the latest earlier date that is not the present one."""
        h = self.hit(i, "then", clitic)
        if h is None:
            return None
        for p in reversed(self.pieces):
            if p.typ != "DATE" or p.anaphoric or p.resolved is None:
                continue
            if self.ref is not None and _first(p.resolved).known and \
                    _first(p.resolved).date() <= self.ref <= _last(p.resolved).last_date():
                continue
            return Spec(fixed=p.resolved, anaphoric=True), h.end, h.skip, h.end, None
        return None

    def p_same_period(self, i: int, clitic: bool):
        """"نفس الفترة", "الفترة نفسها من العام السابق": the period last named, moved back a
        year if said. Where the paragraph has just compared two periods of one kind ("نهاية
        الربع الأول من عام 2015 … عما كانت عليه نهاية الربع الأول من عام 2014 … نفس الفترة"),
        the period is the stretch between them."""
        h = self.hit(i, "same_period", clitic)
        if h is None:
            return None
        j = h.end
        ref = self._ref_period()
        if isinstance(ref, Point):
            earlier = [p for p in self.pieces if p.typ == "DATE" and not p.anaphoric
                       and isinstance(p.resolved, Point) and p.resolved.known and self._same_line(p.ts, i)]
            if len(earlier) >= 2:
                a, b = earlier[-2].resolved, earlier[-1].resolved
                if b == ref and a.prec == b.prec and a != b:
                    ref = (min(a, b, key=Point.date), max(a, b, key=Point.date))
        years = 0
        k = j + 1 if self._is(j, "من") else j
        c = self.hit(k, "cal")
        if c and c.value == "year" and (r := self.hit(c.end, "rel")) and r.value in ("past", "previous"):
            years, j = -1, r.end
        if ref is None:
            return Spec(novalue=True, anaphoric=True), j, h.skip, j, None
        if isinstance(ref, Point):
            val = tx.shift(ref, years=years)
        else:
            val = (tx.shift(ref[0], years=years), tx.shift(ref[1], years=years))
        return Spec(fixed=val, anaphoric=True), j, h.skip, j, None

    def p_mod(self, i: int, clitic: bool, in_range: bool = False):
        """A period modifier, inside the span, valued as the period named: "نهاية عام 2014" → 2014."""
        h = self.hit(i, "mod", clitic)
        if h is None:
            return None
        inner = self.point(h.end, False, allow_bare_cal=True, in_range=in_range)
        if inner is None:
            return None
        s, end, _, span_end, bracket = inner
        return replace(s, mod=h.value), end, h.skip, span_end, bracket

    def p_half(self, i: int, clitic: bool):
        """"النصف الأول من 2024" → 2024-H1, "الربع الثالث من العام الجاري", "الربع المقابل من
        العام الماضي" (the quarter last named, a year back); "النصف الأول من شهر يونيو" → days
        1-15; alone, the latest such half or quarter on or before doc_date."""
        h = self.hit(i, "half", clitic) or self.hit(i, "quarter", clitic)
        if h is None:
            return None
        prec = tx.HALF if h.kind == "half" else tx.QUARTER
        j, n = h.end, h.value
        if (corr := self.hit(j, "corresponding")) is not None and self._is(corr.end, "من"):
            ref = next((p.resolved for p in reversed(self.pieces) if isinstance(p.resolved, Point)
                        and p.resolved.prec == prec and not p.anaphoric), None)
            if ref is None:
                return None
            n, j = ref.n, corr.end
        if n == 0:
            return None
        if not self._is(j, "من"):
            if self.ref is None:
                return Spec(fixed=Point(prec, None, n=n)), j, h.skip, j, None
            now = tx.of_date(self.ref, tx.MONTH)
            current = (now.m - 1) // (6 if prec == tx.HALF else 3) + 1
            y = self.ref.year if n <= current else self.ref.year - 1
            return Spec(fixed=Point(prec, y, n=n)), j, h.skip, j, None
        inner = self.point(j + 1, False, allow_bare_cal=True)
        if inner is None:
            return None
        s, end, _, span_end, _ = inner
        if s.novalue:
            return Spec(novalue=True), end, h.skip, span_end, None
        res = self.resolve(s)
        if not isinstance(res, Point) or not res.known:
            return None
        if res.prec == tx.YEAR:
            return Spec(fixed=Point(prec, res.y, n=n)), end, h.skip, span_end, None
        if res.prec == tx.MONTH and prec == tx.HALF:
            a, b = (1, 15) if n == 1 else (16, res.last_date().day)
            return Spec(fixed=(tx.day(res.y, res.m, a), tx.day(res.y, res.m, b))), end, h.skip, span_end, None
        return None

    def p_season(self, i: int, clitic: bool):
        """"صيف 2014" → 2014-SU, "شتاء العام الماضي"; a season needs a year."""
        h = self.hit(i, "season", clitic)
        if h is None:
            return None
        inner = self.p_year(h.end, False, allow_bare_cal=False, in_range=True)
        if inner is None:
            return None
        spec, end, _, span_end, _ = inner
        if spec.novalue:
            return Spec(novalue=True), end, h.skip, span_end, None
        res = self.resolve(spec)
        if not isinstance(res, Point) or res.prec != tx.YEAR:
            return None
        return Spec(fixed=Point(tx.SEASON, res.y, n=h.value)), end, h.skip, span_end, None

    def p_week_of_month(self, i: int, clitic: bool):
        """"الأسبوع الأول من أغسطس 2011" → the ISO week holding that month's first Thursday;
        "الأسبوع قبل الأخير لشهر يوليو" → the week before the one holding its last Thursday."""
        c = self.hit(i, "cal", clitic)
        if c is None or c.value != "week" or (o := self.hit(c.end, "week_ordinal")) is None:
            return None
        j = o.end
        inner = self.point(j + 1, False) if self._is(j, "من") else self.point(j, True)
        if inner is None or (not self._is(j, "من") and inner[2] == 0):
            return None
        s, end, _, span_end, _ = inner
        if s.novalue:
            return Spec(novalue=True), end, c.skip, span_end, None
        res = self.resolve(s)
        if not isinstance(res, Point) or res.prec != tx.MONTH or not res.known:
            return None
        first = res.date()
        thursdays = [first + dt.timedelta(days=k) for k in range(31)
                     if (first + dt.timedelta(days=k)).month == first.month
                     and (first + dt.timedelta(days=k)).isoweekday() == 4]
        k = o.value - 1 if o.value > 0 else len(thursdays) + o.value
        if not 0 <= k < len(thursdays):
            return None
        return Spec(fixed=tx.of_date(thursdays[k], tx.WEEK)), end, c.skip, span_end, None

    def p_first_months(self, i: int, clitic: bool):
        """"الأشهر السبعة الأولى من العام الجاري", "السبعة شهور من عام 2015" → months 1..N."""
        h = self.hit(i, "months_noun", clitic)
        count, j, skip = None, None, 0
        if h is not None:
            c = self.read_count(h.end)
            if c is not None:
                count, j, skip = c[0], c[1], h.skip
        else:
            c = self.read_count(i, clitic)
            if c is not None and c[3] and (u := self.hit(c[1], "months_noun")):
                count, j, skip = c[0], u.end, c[2]
        if count is None or not 1 <= count <= 12:
            return None
        f = self.hit(j, "first")
        if f:
            j = f.end
        if not self._is(j, "من"):
            return None
        inner = self.point(j + 1, False, allow_bare_cal=True)
        if inner is None:
            return None
        s, end, _, span_end, _ = inner
        res = self.resolve(s)
        if s.novalue:
            return Spec(novalue=True), end, skip, span_end, None
        if not isinstance(res, Point) or res.prec != tx.YEAR or not res.known:
            return None
        return Spec(fixed=(tx.month(res.y, 1), tx.month(res.y, count))), end, skip, span_end, None

    def p_prefixed(self, i: int, clitic: bool):
        """Calendar and part-of-day words before a date: "يوم 7 أكتوبر", "مساء الجمعة"."""
        h = self.hit(i, "cal", clitic)
        if h is not None and h.value == "day":
            for parse in (lambda k: self.p_weekday(k, False), lambda k: self.p_relday(k, False),
                          self.p_numeric, lambda k: self.p_daymonth(k, False)):
                r = parse(h.end)
                if r is not None:
                    s, end, _, span_end, bracket = r
                    if h.form != "يوم":  # "يوم الثلاثاء" stays a weekday a الموافق gloss may date
                        s = replace(s, weekday_only=False)
                    return s, end, h.skip, span_end, bracket
            return None
        h = self.hit(i, "pod", clitic)
        if h is not None:
            j = h.end
            if self.hit(j, "cal", value="day"):
                r = self.p_prefixed(j, False)
            else:
                r = None
                for parse in (lambda k: self.p_relday(k, False), lambda k: self.p_weekday(k, False),
                              lambda k: self.p_daymonth(k, False), self.p_numeric):
                    r = parse(j)
                    if r is not None:
                        break
            if r is not None:
                s, end, _, span_end, bracket = r
                return replace(s, weekday_only=False), end, h.skip, span_end, bracket
        return None

    def p_ago(self, i: int, clitic: bool):
        """"منذ ثلاثة أيام", "قبل عام": a date counted back from doc_date (منذ only with
        days or weeks: "منذ أربع سنوات" is a duration)."""
        w = self.toks[i].text if i < self.n and self.toks[i].kind == "word" else None
        skip = 0
        if w is not None and w not in self.W["ago_words"] and clitic and w[:1] in "وف" and w[1:] in self.W["ago_words"]:
            w, skip = w[1:], 1
        if w not in self.W["ago_words"]:
            return None
        amount, unit, j = self._counted_unit(i + 1)
        if amount is None or unit not in ("day", "week", "month", "year") or self._int(j) is not None:
            return None
        if w == "منذ" and unit not in self.W["since_point_units"]:
            return None  # "الحرب الدائرة منذ أربع سنوات": a duration
        if any(h.kind in ("relday", "weekday", "month") for h in self.hits(j)):
            return None  # "منذ يوم أمس": the date is "يوم أمس"
        if any(p in self.W["superlative_cues"] for p in self._prev_words(i, 3)):
            return None
        if self.ref is None:
            return Spec(novalue=True), j, skip, j, None
        base = tx.of_date(self.ref)
        n = int(amount)
        try:
            if unit == "day":
                val = tx.shift(base, days=-n)
            elif unit == "week":
                val = tx.shift(base, days=-7 * n)
            elif unit == "month":
                val = tx.of_date(tx.shift(base, months=-n).date(), tx.MONTH)
            else:
                val = tx.of_date(tx.shift(base, years=-n).date(), tx.MONTH)
        except (ValueError, OverflowError):
            # "قبل 2500 عام": before year 1, which ISO 8601 values here cannot name.
            return Spec(novalue=True), j, skip, j, None
        return Spec(fixed=val), j, skip, j, None

    def _counted_unit(self, i: int):
        """(amount, unit, end) for "ثلاثة أيام", "3 أيام", "عامين", "عام" (singular = 1)."""
        n = self._int(i)
        if n is not None:
            u = self.hit(i + 1, "unit")
            if u and u.value[1] in ("plural", "singular"):
                return n, u.value[0], u.end
            return None, None, i
        c = self.read_count(i)
        if c is not None and not c[3]:
            u = self.hit(c[1], "unit")
            if u and u.value[1] in ("plural", "singular"):
                return c[0], u.value[0], u.end
            return None, None, i
        u = self.hit(i, "unit")
        if u and u.value[1] == "dual":
            return 2, u.value[0], u.end
        if u and u.value[1] == "singular" and u.form in ("عام", "سنه", "شهر", "اسبوع", "يوم"):
            return 1, u.value[0], u.end
        return None, None, i

    def point(self, i: int, clitic: bool = True, allow_bare_cal: bool = False, in_range: bool = False):
        """The longest single date at token i: (Spec, end, skip, span_end, bracket)."""
        if i >= self.n:
            return None
        best = None
        for parse in (
            lambda: self.p_numeric(i),
            lambda: self.p_daymonth(i, clitic, in_range),
            lambda: self.p_month(i, clitic, in_range),
            lambda: self.p_year(i, clitic, allow_bare_cal, in_range),
            lambda: self.p_calrel(i, clitic, allow_bare_cal),
            lambda: self.p_relday(i, clitic),
            lambda: self.p_weekday(i, clitic),
            lambda: self.p_decade(i, clitic),
            lambda: self.p_to_date(i, clitic),
            lambda: self.p_then(i, clitic),
            lambda: self.p_same_period(i, clitic),
            lambda: self.p_mod(i, clitic, in_range),
            lambda: self.p_half(i, clitic),
            lambda: self.p_week_of_month(i, clitic),
            lambda: self.p_season(i, clitic),
            lambda: self.p_first_months(i, clitic),
            lambda: self.p_prefixed(i, clitic),
        ):
            r = parse()
            if r is not None and (best is None or r[1] > best[1]):
                best = r
        return best

    def _after_and(self, k: int):
        """The second end of a range after "و" (a comma may come first)."""
        if self._punct(k, "،,"):
            k += 1
        if self._is(k, "و"):
            return self.point(k + 1, False, in_range=True)
        if k < self.n and self.toks[k].text.startswith("و"):
            p = self.point(k, True, in_range=True)
            if p is not None and p[2] >= 1:
                return p
        return None

    # ------------------------------------------------------------- clock
    def clock(self, i: int, clitic: bool):
        """A clock time: ("الساعة العاشرة صباحًا", "14:30", "10:07 ت م") → (Spec, end, skip)."""
        j, skip = i, 0
        noun = self.hit(i, "hour_noun", clitic)
        if noun is not None:
            j, skip = noun.end, noun.skip
        hh = mi = None
        if self._int(j) is not None and self._digits(j) <= 2:
            hh, j = self._int(j), j + 1
            if self._punct(j, ":") and self._glued(j) and self._digits(j + 1) == 2 and self._glued(j + 1):
                mi, j = self._int(j + 1), j + 2
            elif noun is None:
                return None
        elif (hw := self.hit(j, "hour_word")) is not None:
            hh, j = hw.value, hw.end
        else:
            return None
        if hh > 24 or (mi is not None and mi > 59):
            return None
        mw = self.hit(j, "minute_word")
        if mw is not None and mi is None:
            mi, j = mw.value, mw.end
            if mi < 0:
                hh, mi = hh - 1, 60 + mi
        per = self.hit(j, "clock_period")
        half = per.value if per is not None else None
        if per is not None:
            j = per.end
        if noun is None and per is None and mi is None:
            return None  # "العاشرة" alone is an ordinal, not a time
        day = None
        if per is None and self._is(j, "من") and (pod := self.hit(j + 1, "pod")) is not None:
            # "الساعة التاسعة من صباح أمس": one mention, the day and half from the words after
            r = self.p_prefixed(j + 1, False)
            res = self.resolve(r[0]) if r is not None else None
            if r is not None and (res is None and r[0].novalue or isinstance(res, Point) and res.prec == tx.DAY):
                day, j, half = (res.date() if res is not None else None), r[1], pod.value
        if half == "pm" and hh < 12 or half == "noon" and 1 <= hh <= 5:
            hh += 12
        elif half == "am" and hh == 12:
            hh = 0
        z = self.hit(j, "zone")
        if z is not None:
            j = z.end
        if day is None:
            day = self._clock_date(i, zoned=z is not None)
        p = Point(tx.MINUTE, day.year if day else None, day.month if day else None, day.day if day else None,
                  hh=hh % 24, mi=mi or 0)
        return Spec(tx.MINUTE, fixed=p), j, skip

    def p_clock(self, i: int, clitic: bool):
        c = self.clock(i, clitic)
        if c is None:
            return None
        spec, end, skip = c
        return Parse(end, [Piece(i, end, skip, "DATE", resolved=spec.fixed)])

    def _clock_date(self, i: int, zoned: bool) -> dt.date | None:
        """The day of a clock time: a day written right before it; for a time-zone stamp
        ("10:07 ت م") doc_date; else unknown (a time alone is not assumed to be today)."""
        if self.pieces:
            p = self.pieces[-1]
            if p.typ == "DATE" and isinstance(p.resolved, Point) and p.resolved.prec == tx.DAY \
                    and p.resolved.known and i - p.te <= 1 and self._same_line(p.te - 1, i):
                return p.resolved.date()
        return self.ref if zoned else None
