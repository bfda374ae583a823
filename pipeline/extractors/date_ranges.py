"""Date ranges for dates/1: range markers inside the span ("بين مارس وأكتوبر 2024",
"من 2010 إلى 2014", "من جوان 2017 وحتى أكتوبر 2018", "2014-2015", "عامي 2015 و2016",
"17 - 23 شوال 1436هـ", "من الساعة الخامسة عصراً وحتى العاشرة مساء"); parts written once
are shared by both ends. The value is ``{"start", "end"}``.
"""
from __future__ import annotations

from dataclasses import replace

from pipeline.extractors import timex as tx
from pipeline.extractors.date_points import DatePoints, Spec, _first, _last
from pipeline.extractors.timex import Point


class DateRanges(DatePoints):
    """Ranges of two dates, on top of the single-date grammar."""

    def p_range(self, i: int, clitic: bool):
        """A range, markers inside: "بين مارس وأكتوبر 2024", "من 2010 إلى 2014", "2014-2015",
        "عامي 2015 و2016", "تاريخ 4 – 9 - 1436هـ إلى 15- 9 - 1436هـ"."""
        b = self.hit(i, "between", clitic)
        if b is not None:
            dual = self._dual_range(b.end)
            if dual is not None:
                s1, s2, end = dual
                return self._range(s1, s2, end, b.skip)
            p1 = self.point(b.end, False, in_range=True) or self._bare_day(b.end)
            if p1 is not None and (p2 := self._after_and(p1[1])) is not None:
                return self._range(p1[0], p2[0], p2[3], b.skip)
        f = self.hit(i, "from", clitic)
        if f is not None:
            j = f.end
            if self._punct(j, "(") and (r := self._dash_range(j + 1)) is not None and self._punct(r[2], ")"):
                s1, s2, k, _ = r
                tail = self.year_tail(k + 1, "gregorian")
                k += 1
                if tail and tail[0] != "when":
                    s1, s2, k = self._apply_tail(s1, tail), self._apply_tail(s2, tail), tail[2]
                return self._range(s1, s2, k, f.skip)
            r = self._dash_range(j)
            if r is not None:
                return self._range(r[0], r[1], r[2], f.skip)
            p1 = self.point(j, False, in_range=True) or self._clock_point(j) or self._bare_day(j)
            if p1 is not None and (t := self.hit(p1[1], "to")) is not None:
                p2 = self.point(t.end, False, in_range=True) or self._clock_point(t.end)
                if p2 is not None:
                    return self._range(p1[0], p2[0], p2[3], f.skip)
        # "تاريخ X إلى Y", "X إلى Y" between two written days
        c = self.hit(i, "cal", clitic)
        prefix = c if c is not None and c.value == "day" and c.form == "تاريخ" else None
        j = prefix.end if prefix else i
        if self.p_numeric(j) is not None:
            p1 = self.point(j, False, in_range=True)
            t = self.hit(p1[1], "to") if p1 else None
            if t is not None and (p2 := self.point(t.end, False, in_range=True)) is not None \
                    and self.p_numeric(t.end) is not None:
                return self._range(p1[0], p2[0], p2[3], prefix.skip if prefix else 0)
        r = self._dash_range(i, clitic=clitic)
        if r is not None:
            return self._range(r[0], r[1], r[2], r[3])
        if c is not None:
            dual = self._dual_range(i, clitic)
            if dual is not None:
                return self._range(dual[0], dual[1], dual[2], c.skip)
        return None

    def _dual_range(self, i: int, clitic: bool = False):
        """"عامي 2015 و2016", "شهري يونيو ويوليو الماضيين" → (s1, s2, end)."""
        c = self.hit(i, "cal", clitic)
        if c is None or c.value not in ("year_dual", "month_dual"):
            return None
        p1 = self.point(c.end, False, in_range=True)
        if p1 is None or (p2 := self._after_and(p1[1])) is None:
            return None
        s1, s2, end = p1[0], p2[0], p2[3]
        r = self.hit(end, "rel")
        if r and r.value in ("past_plural", "next_plural"):
            when = "past" if r.value == "past_plural" else "next"
            s1, s2, end = replace(s1, when=when), replace(s2, when=when), r.end
        return s1, s2, end

    def _bare_day(self, i: int):
        """A day number alone, the first end of "من 1 إلى 5 يوليو" (month and year come from the second)."""
        d = self._int(i)
        if d is None or not 1 <= d <= 31 or self._digits(i) > 2:
            return None
        return Spec(tx.DAY, d=d), i + 1, 0, i + 1, None

    def _clock_point(self, i: int):
        c = self.clock(i, False)
        if c is None:
            return None
        spec, end, skip = c
        return spec, end, skip, end, None

    def _numeric_at(self, i: int) -> bool:
        return self.p_numeric(i) is not None

    def _dash_range(self, i: int, clitic: bool = False):
        """X - Y for years (2014-2015), months (سبتمبر- نوفمبر) and days (17 - 23 شوال):
        (first end, second end, end token, skip) or None."""
        d1 = self._int(i)
        if d1 is not None and self._digits(i) <= 2 and self._punct(i + 1, "-–") and 1 <= d1 <= 31:
            p2 = self.p_daymonth(i + 2, False)
            if p2 is not None and p2[4] is None:
                s2 = p2[0]
                if s2.prec == tx.DAY and d1 < s2.d:
                    return replace(s2, d=d1), s2, p2[3], 0
        p1 = self.point(i, clitic, in_range=True)
        if p1 is None or not self._punct(p1[1], "-–/"):
            return None
        if p1[0].prec not in (tx.YEAR, tx.MONTH) or p1[0].fixed is not None or p1[4] is not None:
            return None
        k = p1[1] + 1
        if p1[0].prec == tx.YEAR and (y2 := self._int(k)) is not None and self._digits(k) == 2:
            era, e = self._era(k + 1)
            y2 = p1[0].y // 100 * 100 + y2
            if y2 > p1[0].y:
                return p1[0], replace(p1[0], y=y2), e, p1[2]
        p2 = self.point(k, False, in_range=True)
        if p2 is None or p2[0].prec != p1[0].prec or p2[0].fixed is not None:
            return None
        if p1[0].prec == tx.YEAR and not (p2[0].y and p1[0].y < p2[0].y <= p1[0].y + 50):
            return None
        if p1[0].prec == tx.MONTH and p1[0].m == p2[0].m:
            return None
        return p1[0], p2[0], p2[3], p1[2]

    def _range(self, s1: Spec, s2: Spec, end: int, skip: int):
        s1, s2 = self._complete_pair(s1, s2)
        if s1.prec == tx.DAY and s1.m is None and s1.fixed is None:
            return None
        r1, r2 = self.resolve(s1), self.resolve(s2)
        if s1.novalue or s2.novalue or r1 is None or r2 is None:
            return Spec(novalue=True), end, skip, end, None
        a, b = _first(r1), _last(r2)
        if a.prec != b.prec and a.known and b.known:
            if s1.mod == "start" and b.finer_than(a.prec):
                a = tx.refine(a, b.prec, at_end=False)
            elif s2.mod == "end" and a.finer_than(b.prec):
                b = tx.refine(b, a.prec, at_end=True)
        return Spec(fixed=(a, b), anaphoric=s1.anaphoric and s2.anaphoric), end, skip, end, None

    def _complete_pair(self, s1: Spec, s2: Spec) -> tuple[Spec, Spec]:
        """Give a range's ends the parts written once ("بين مارس وأكتوبر 2024")."""
        if s1.prec == tx.DAY and s1.m is None and s1.fixed is None:
            if s2.fixed is None and s2.prec == tx.DAY and s2.m is not None:
                s1 = replace(s2, d=s1.d)
            elif isinstance(s2.fixed, Point) and s2.fixed.prec == tx.DAY:
                s1 = Spec(fixed=replace(s2.fixed, d=s1.d))
        if s1.fixed is None and not s1.novalue and s2.fixed is None and not s2.novalue:
            if s1.y is None and s2.y is not None:
                later = (s1.m or 0, s1.d or 0) > (s2.m or 0, s2.d or 0)
                s1 = replace(s1, y=s2.y - (1 if later else 0), cal=s2.cal)
            elif s2.y is None and s1.y is not None:
                earlier = (s2.m or 0, s2.d or 0) < (s1.m or 0, s1.d or 0)
                s2 = replace(s2, y=s1.y + (1 if earlier else 0), cal=s1.cal)
            elif s1.y is None and s2.y is None and self.ref is not None and s2.m is not None:
                r2 = self.resolve(s2)
                if isinstance(r2, Point) and r2.known:
                    s2 = replace(s2, y=r2.y)
                    later = (s1.m or 0, s1.d or 0) > (s2.m or 0, s2.d or 0)
                    s1 = replace(s1, y=s2.y - (1 if later else 0))
        elif s1.fixed is None and not s1.novalue and s1.y is None and s2.fixed is not None:
            r2 = _last(s2.fixed)
            if r2.known and s1.m is not None:
                later = (s1.m, s1.d or 0) > (r2.m or 12, r2.d or 31)
                s1 = replace(s1, y=r2.y - (1 if later else 0))
        elif s2.fixed is None and not s2.novalue and s2.y is None and s1.fixed is not None:
            r1 = _first(s1.fixed)
            if r1.known and s2.m is not None:
                earlier = (s2.m, s2.d or 0) < (r1.m or 1, r1.d or 1)
                s2 = replace(s2, y=r1.y + (1 if earlier else 0))
        return s1, s2
