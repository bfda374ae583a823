"""Calendar points and their TIMEX3 values, for the dates extractor.

A ``Point`` is a Gregorian period at one precision: a decade, year, half, quarter,
month, ISO week, day or minute. ``y is None`` means the year is unknown ("7 أكتوبر"
with no year and no doc_date → ``XXXX-10-07``). Arithmetic here is plain calendar
arithmetic; what an Arabic expression means is decided in dates.py.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

# Precisions from coarse to fine.
DECADE, YEAR, HALF, SEASON, QUARTER, MONTH, WEEK, DAY, MINUTE = (
    "decade", "year", "half", "season", "quarter", "month", "week", "day", "minute")
ORDER = (DECADE, YEAR, HALF, SEASON, QUARTER, MONTH, WEEK, DAY, MINUTE)
SEASONS = ("SP", "SU", "FA", "WI")  # Point.n 1..4


@dataclass(frozen=True)
class Point:
    prec: str
    y: int | None = None          # the decade's first year for DECADE; ISO week-year for WEEK
    m: int | None = None
    d: int | None = None
    n: int | None = None          # half (1-2), season (1-4, SEASONS), quarter (1-4) or ISO week
    hh: int | None = None
    mi: int | None = None

    def timex(self) -> str:
        y = "XXXX" if self.y is None else f"{self.y:04d}"
        if self.prec == DECADE:
            return f"{self.y // 10:03d}X" if self.y is not None else "XXXX"
        if self.prec == YEAR:
            return y
        if self.prec == HALF:
            return f"{y}-H{self.n}"
        if self.prec == QUARTER:
            return f"{y}-Q{self.n}"
        if self.prec == SEASON:
            return f"{y}-{SEASONS[self.n - 1]}"
        if self.prec == WEEK:
            return f"{y}-W{self.n:02d}"
        if self.prec == MONTH:
            return f"{y}-{self.m:02d}"
        if self.prec == DAY:
            return f"{y}-{self.m:02d}-{self.d:02d}"
        if self.m is None:  # a clock time on an unknown day
            return f"XXXX-XX-XXT{self.hh:02d}:{self.mi:02d}"
        return f"{y}-{self.m:02d}-{self.d:02d}T{self.hh:02d}:{self.mi:02d}"

    @property
    def known(self) -> bool:
        return self.y is not None

    def finer_than(self, prec: str) -> bool:
        return ORDER.index(self.prec) > ORDER.index(prec)

    def date(self) -> dt.date:
        """First day of the period (the point must have a known year)."""
        if self.prec == WEEK:
            return dt.date.fromisocalendar(self.y, self.n, 1)
        if self.prec == HALF:
            return dt.date(self.y, 6 * (self.n - 1) + 1, 1)
        if self.prec == QUARTER:
            return dt.date(self.y, 3 * (self.n - 1) + 1, 1)
        if self.prec == SEASON:  # meteorological: spring from March … winter from December
            return dt.date(self.y, 3 * self.n, 1)
        return dt.date(self.y, self.m or 1, self.d or 1)

    def last_date(self) -> dt.date:
        if self.prec in (DAY, MINUTE):
            return self.date()
        if self.prec == WEEK:
            return self.date() + dt.timedelta(days=6)
        if self.prec == DECADE:
            return dt.date(self.y + 9, 12, 31)
        if self.prec == YEAR:
            return dt.date(self.y, 12, 31)
        if self.prec == SEASON:
            end = self.date().replace(day=28) + dt.timedelta(days=62)
            return dt.date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])
        if self.prec == HALF:
            last_month = 6 * self.n
        elif self.prec == QUARTER:
            last_month = 3 * self.n
        else:
            last_month = self.m
        return dt.date(self.y, last_month, calendar.monthrange(self.y, last_month)[1])


def year(y: int | None) -> Point:
    return Point(YEAR, y)


def month(y: int | None, m: int) -> Point:
    return Point(MONTH, y, m)


def day(y: int | None, m: int, d: int) -> Point:
    return Point(DAY, y, m, d)


def of_date(d: dt.date, prec: str = DAY) -> Point:
    if prec == YEAR:
        return year(d.year)
    if prec == MONTH:
        return month(d.year, d.month)
    if prec == WEEK:
        iso = d.isocalendar()
        return Point(WEEK, iso[0], n=iso[1])
    return day(d.year, d.month, d.day)


def valid_day(y: int | None, m: int, d: int) -> bool:
    if not 1 <= m <= 12 or d < 1:
        return False
    return d <= calendar.monthrange(2000 if y is None else y, m)[1]


def parse_iso(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def shift(p: Point, years: int = 0, months: int = 0, days: int = 0) -> Point:
    """The same period moved by whole years, months or days (keeping its precision)."""
    if p.y is None:
        return p
    if p.prec in (DAY, MINUTE, WEEK):
        base = p.date()
        total = base.month - 1 + months + 12 * years
        y, m = base.year + total // 12, total % 12 + 1
        moved = dt.date(y, m, min(base.day, calendar.monthrange(y, m)[1])) + dt.timedelta(days=days)
        if p.prec == WEEK:
            return of_date(moved, WEEK)
        return replace(p, y=moved.year, m=moved.month, d=moved.day)
    if p.prec == MONTH:
        total = p.m - 1 + months + 12 * years
        return replace(p, y=p.y + total // 12, m=total % 12 + 1)
    return replace(p, y=p.y + years + months // 12)


def with_year(p: Point, y: int) -> Point:
    return replace(p, y=y)


def month_nearest(m: int, ref: dt.date, when: str = "nearest") -> int:
    """The year of month ``m`` relative to the reference date.

    ``past``: the latest such month strictly before ref's month; ``past_or_now``: on or
    before; ``next``: strictly after; ``current``: ref's year; ``nearest``: the closer of
    the latest one on or before ref and the next one after, ties going to the past.
    """
    if when == "current":
        return ref.year
    if when == "past":
        return ref.year if m < ref.month else ref.year - 1
    if when == "past_or_now":
        return ref.year if m <= ref.month else ref.year - 1
    if when == "next":
        return ref.year if m > ref.month else ref.year + 1
    back = (ref.month - m) % 12          # months since the latest one on or before ref
    ahead = (m - ref.month) % 12 or 12   # months to the next one
    return ref.year - (1 if m > ref.month else 0) if back <= ahead else ref.year + (1 if m < ref.month else 0)


def day_nearest(m: int, d: int, ref: dt.date, when: str = "nearest") -> int:
    """Like month_nearest for a day-month; a day in ref's own month counts as past."""
    if when == "nearest" and m == ref.month:
        return ref.year
    if when in ("past", "past_or_now") and m == ref.month:
        return ref.year if d <= ref.day else ref.year - 1
    if when == "next" and m == ref.month:
        return ref.year if d > ref.day else ref.year + 1
    return month_nearest(m, ref, when)


def weekday_on_or_before(wd: int, ref: dt.date, strictly: bool = False) -> dt.date:
    """The latest ISO weekday ``wd`` (Mon=1) on or before ref (strictly before if asked)."""
    back = (ref.isoweekday() - wd) % 7
    if strictly and back == 0:
        back = 7
    return ref - dt.timedelta(days=back)


def weekday_after(wd: int, ref: dt.date) -> dt.date:
    ahead = (wd - ref.isoweekday()) % 7 or 7
    return ref + dt.timedelta(days=ahead)


def refine(p: Point, prec: str, at_end: bool) -> Point:
    """A coarser period read at a finer precision: its first (or last) sub-period.

    Used for range ends ("من بداية العام حتى نهاية يوليو" → start 2015-01)."""
    if p.y is None or not ORDER.index(prec) > ORDER.index(p.prec):
        return p
    d = p.last_date() if at_end else p.date()
    return of_date(d, prec)


def coarsest(a: Point, b: Point) -> str:
    return a.prec if ORDER.index(a.prec) < ORDER.index(b.prec) else b.prec
