"""Hijri → Gregorian, Umm al-Qura (hijridate), keeping the granularity written.

Project decision (gold/GUIDELINES-NOTES.md): a Hijri day gives the Gregorian day; a
Hijri month gives the Gregorian month, or a start/end pair of months when it straddles
two; a Hijri year gives a start/end pair of years ("1436هـ" → 2014..2015). Outside the
Umm al-Qura table (1343–1500 AH) the arithmetic (tabular) Islamic calendar is used.
"""
from __future__ import annotations

import datetime as dt

from hijridate import Gregorian, Hijri

from pipeline.extractors import timex as tx
from pipeline.extractors.timex import Point

_UMM_AL_QURA = range(1343, 1501)
_EPOCH = dt.date(622, 7, 19).toordinal()  # 1 Muharram 1 AH (tabular, civil)


def _tabular_to_ordinal(y: int, m: int, d: int) -> int:
    return (d + (59 * (m - 1) + 1) // 2 + (y - 1) * 354 + (3 + 11 * y) // 30 + _EPOCH - 1)


def _month_length(y: int, m: int) -> int:
    if y in _UMM_AL_QURA:
        return Hijri(y, m, 1).month_length()
    nxt = (y, m + 1) if m < 12 else (y + 1, 1)
    return _tabular_to_ordinal(*nxt, 1) - _tabular_to_ordinal(y, m, 1)


def to_gregorian(y: int, m: int, d: int) -> dt.date | None:
    """The Gregorian date of a Hijri day, or None if the day does not exist."""
    if not (1 <= m <= 12 and 1 <= d <= 30) or y < 1:
        return None
    if d > _month_length(y, m):
        return None
    if y in _UMM_AL_QURA:
        return dt.date(*Hijri(y, m, d).to_gregorian().datetuple())
    return dt.date.fromordinal(_tabular_to_ordinal(y, m, d))


def day(y: int, m: int, d: int) -> Point | None:
    g = to_gregorian(y, m, d)
    return None if g is None else tx.of_date(g)


def month_span(y: int, m: int) -> tuple[Point, Point] | None:
    """First and last Gregorian month of a Hijri month (equal when it fits in one)."""
    first = to_gregorian(y, m, 1)
    if first is None:
        return None
    last = to_gregorian(y, m, _month_length(y, m))
    return tx.of_date(first, tx.MONTH), tx.of_date(last, tx.MONTH)


def year_span(y: int) -> tuple[Point, Point] | None:
    """First and last Gregorian year of a Hijri year (equal when it fits in one)."""
    first = to_gregorian(y, 1, 1)
    last = to_gregorian(y, 12, _month_length(y, 12))
    if first is None or last is None:
        return None
    return tx.year(first.year), tx.year(last.year)


def from_gregorian(d: dt.date) -> tuple[int, int, int]:
    """The Hijri (y, m, d) of a Gregorian date (Umm al-Qura range only; else tabular)."""
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
        return h.year, h.month, h.day
    except (ValueError, OverflowError):
        o = d.toordinal()
        y = (30 * (o - _EPOCH) + 10646) // 10631
        while _tabular_to_ordinal(y + 1, 1, 1) <= o:
            y += 1
        while _tabular_to_ordinal(y, 1, 1) > o:
            y -= 1
        m = 1
        while m < 12 and _tabular_to_ordinal(y, m + 1, 1) <= o:
            m += 1
        return y, m, o - _tabular_to_ordinal(y, m, 1) + 1
