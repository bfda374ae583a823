"""Reading one number: a digit string as displayed, or a run of number words.

``read_digits`` turns the digits of one token into a float, reading separators the way
ANNOTATION.md says ("Values are read as the number is displayed"):

- "." and "٫" are decimal signs, "," and "٬" thousands signs, thin spaces group thousands;
- a lone comma is a decimal comma unless exactly three digits follow it ("10,9 مليون" =
  10.9 million, "1,000" = 1000); dots group thousands when there are several of them or
  when the only one is followed by "000" ("10.000 ريال" = 10000);
- some sources store the digits around the decimal sign in reverse order, marked by a
  right-to-left mark (U+200F) that the normalizer removes: "2.‏16" displays and means 16.2,
  so the two sides are swapped when the original token holds the mark;
- the Maghreb sign ر stores its groups reversed too ("94ر75" = 75.94); it is a decimal
  sign, except that several ر, or one followed by exactly three digits with no scale word
  after the number, group thousands ("000ر22" = 22000).

``parse_numeral`` reads digits and number words with their scale words from a sequence of
items (anything with ``norm`` and ``kind``), Arabic style: "ثلاثة ملايين", "مئتان وخمسون
ألفا", "97 مليونا و815 ألفا و186", "نصف مليون", "ألفين و180".
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Callable, Protocol, Sequence

from pipeline.resources import load_json
from pipeline.text.normalize import normalize_str

RLM = "\u200f"
THIN_SPACES = re.compile("[\u2009\u202f]")
_DIGIT_GROUPS = re.compile(r"\d+")


class Piece(Protocol):
    norm: str
    kind: str


@dataclass(frozen=True)
class NumberWords:
    """numbers.json's cardinals and scale words, normalized: norm → (kind, value)."""

    words: MappingProxyType        # norm -> (kind, value)
    teen_words: frozenset
    half: str


@cache
def number_words() -> NumberWords:
    data = load_json("numbers.json")
    w = data["words"]
    table: dict[str, tuple[str, float]] = {}

    def put(words, kind, value=None):
        for word, v in (words.items() if isinstance(words, dict) else ((x, value) for x in words)):
            table.setdefault(normalize_str(word), (kind, float(v)))

    put(w["unit"], "U")
    put(w["teen_prefix"], "P")
    put(w["ten"], "X")
    put(w["hundred"], "H")
    put(w["hundred_mult"], "M", 100)
    for scale, forms in data["scales"].items():
        if scale.startswith("_"):
            continue
        for form, words in forms.items():
            put(words, "S_" + form, float(scale))
    fr = data["fractions"]
    put(fr["single"], "F")
    put(fr["quarters"], "Q")
    return NumberWords(MappingProxyType(table), frozenset(normalize_str(x) for x in w["teen_word"]),
                       normalize_str(fr["half_after_scale"]))


def word_kind(norm: str) -> tuple[str, float] | None:
    return number_words().words.get(norm)


def is_scale(norm: str) -> bool:
    k = word_kind(norm)
    return k is not None and k[0].startswith("S_")


# ---------------------------------------------------------------- digits

def _plain(s: str) -> float | None:
    """Digits with '.' decimal and ',' thousands (already decided), or None."""
    if s.count(".") > 1:
        return None
    int_part, _, frac = s.partition(".")
    groups = int_part.split(",")
    if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
        return None
    try:
        return float("".join(groups) + ("." + frac if frac else ""))
    except ValueError:
        return None


def read_digits(norm: str, original: str, scale_follows: bool = False) -> float | None:
    """The value of one number token as displayed (see the module docstring)."""
    s = THIN_SPACES.sub("", norm)
    if "ر" in s:
        groups = s.split("ر")[::-1]        # stored reversed: display order
        if len(groups) > 2:
            return float("".join(groups))
        whole, frac = groups
        if len(frac) == 3 and not scale_follows:
            return float(whole + frac)
        return float(whole + "." + frac)
    if RLM in original:
        # "064.‏3": the mark sits next to the sign that separates the swapped halves.
        o = THIN_SPACES.sub("", original)
        m = re.search(r"(\d+)([.,٫٬])" + RLM + r"?(\d+)|(\d+)" + RLM + r"([.,٫٬])(\d+)", o)
        if m and o.count(RLM) == 1 and len(_DIGIT_GROUPS.findall(o)) == 2:
            left, sep, right = (m.group(1), m.group(2), m.group(3)) if m.group(1) else \
                (m.group(4), m.group(5), m.group(6))
            s = right + "." + left if sep in ".٫" else right + "," + left
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):      # "1.234,5": European grouping
            s = s.replace(".", "").replace(",", ".")
        return _plain(s)
    if "," in s:
        groups = s.split(",")
        if all(len(g) == 3 for g in groups[1:]):
            return _plain(s)
        if len(groups) == 2:                 # decimal comma: "10,9", "1,59"
            return _plain(groups[0] + "." + groups[1])
        return None
    if s.count(".") > 1 or s.endswith(".000"):
        # "1.234.567", "10.000": dots grouping thousands (a decimal is not written ".000")
        groups = s.split(".")
        if all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))
        return None
    return _plain(s)


# ---------------------------------------------------------------- words

@dataclass(frozen=True)
class Numeral:
    value: float
    start: int            # item indices, half-open
    end: int
    first_scale: float | None   # first scale word's value ("5.52 مليار" → 1e9), for ranges
    accusative: bool      # ends in an accusative scale word ("ألفًا"): no counted noun follows
    words_only: bool      # written only in words
    pieces: int           # how many number pieces were read
    fraction_only: bool   # a fraction with nothing to scale it ("ثلاثة أرباع" alone)

    @property
    def plain_digits(self) -> bool:
        """A single digit token with no scale word."""
        return self.pieces == 1 and not self.words_only and self.first_scale is None


def _piece(items: Sequence[Piece], j: int, digit_value: Callable[[int], float | None]):
    """The number piece at j: (kind, value, next index) or None."""
    it = items[j]
    if it.kind == "number":
        v = digit_value(j)
        return None if v is None else ("D", v, j + 1)
    if it.kind != "word":
        return None
    k = word_kind(it.norm)
    if k is None:
        return None
    kind, v = k
    nxt = items[j + 1] if j + 1 < len(items) else None
    if kind in ("U", "P") and nxt is not None and nxt.norm in number_words().teen_words and v < 10:
        return "T", v + 10, j + 2
    if kind == "P":
        return None
    return kind, v, j + 1


def parse_numeral(items: Sequence[Piece], i: int, digit_value: Callable[[int], float | None],
                  is_and: Callable[[int], bool]) -> Numeral | None:
    """Read the longest number starting at item i.

    ``digit_value(j)`` gives the value of number item j; ``is_and(j)`` says whether item j
    is a conjunction و that may join two parts of one number ("ثلاثة آلاف و795").
    """
    n = len(items)
    total, cur, last = 0.0, None, None
    last_scale, first_scale = math.inf, None
    words_only, acc, pieces, fraction = True, False, 0, False
    j, joined = i, False
    saved = None        # state before the last و, restored when what follows is not a part
    while j < n:
        p = _piece(items, j, digit_value)
        ok = p is not None
        if ok:
            kind, v, nj = p
            if kind == "D":
                ok = cur is None
                if ok:
                    cur, words_only = v, False
            elif kind in ("U", "T"):
                if cur is None and (kind == "T" or v != 1 or _next_is_ten(items, nj, is_and)):
                    cur = v
                elif cur is not None and joined and last in ("H", "M"):
                    cur += v
                else:
                    ok = False
            elif kind == "X":
                if cur is None:
                    cur = v
                elif joined and last in ("U", "T", "H", "M"):
                    cur += v
                else:
                    ok = False
            elif kind == "H":
                ok = cur is None
                if ok:
                    cur = v
            elif kind == "M":
                if cur is None:
                    cur = 100.0
                elif last == "U" and not joined and cur < 10:
                    cur *= 100
                else:
                    ok = False
            elif kind.startswith("S_"):
                form = kind[2:]
                if last is not None and last.startswith("S") and not joined and v > last_scale:
                    # "100 ألف مليار": a larger scale word right after a smaller one multiplies
                    ok = form in ("sg", "acc")
                    if ok:
                        total *= v
                        last_scale, acc = v, form == "acc"
                else:
                    if form == "dual":
                        ok = cur is None
                        mult = 2.0
                    elif form == "pl":
                        ok = cur is not None and (last == "D" or 3 <= cur <= 10)
                        mult = cur
                    else:
                        mult = 1.0 if cur is None else cur
                    ok = ok and v < last_scale
                    if ok:
                        total += mult * v
                        cur, last_scale, acc = None, v, form == "acc"
                        first_scale = first_scale or v
            elif kind == "F":
                nxt = _piece(items, nj, digit_value) if nj < n else None
                if last and last.startswith("S") and joined and items[j].norm == number_words().half:
                    total += last_scale / 2
                    # "ونصف المليار": the scale word again, with the article.
                    if nj < n and items[nj].norm.startswith("ال") and is_scale(items[nj].norm[2:]):
                        nj += 1
                    j, pieces, last = nj, pieces + 1, "F"
                    break
                ok = cur is None and nxt is not None and nxt[0].startswith("S_") and nxt[0] != "S_pl"
                if ok:
                    cur = v
            elif kind == "Q":
                ok = last == "U" and not joined
                if ok:
                    cur *= v
                    fraction = True
            else:
                ok = False
        if not ok:
            if saved is not None:
                total, cur, last, last_scale, first_scale, acc, pieces, j = saved
            break
        j, last, pieces, joined = nj, kind, pieces + 1, False
        if j + 1 < n and is_and(j) and _may_continue(last, items, j + 1, digit_value):
            saved = (total, cur, last, last_scale, first_scale, acc, pieces, j)
            joined = True
            j += 1
            continue
        nxt = _piece(items, j, digit_value) if j < n else None
        if nxt is None or nxt[0] not in _DIRECT.get(last, ()):
            break
    if pieces == 0:
        return None
    value = total + (cur or 0.0)
    if value == 0 and cur is None:
        return None
    return Numeral(value, i, j, first_scale, acc and last is not None and last.startswith("S"),
                   words_only, pieces, fraction)


# Which piece may follow which with no و between: a scale word after digits or a
# number word ("34.4 مليون", "ثلاثة ملايين", "مئة ألف"), مئة after a unit ("ثلاث مئة"),
# أرباع after a unit, the scale word after a fraction ("نصف مليون").
_DIRECT = {
    "D": ("S_sg", "S_acc", "S_pl"),
    "U": ("M", "S_sg", "S_acc", "S_pl", "Q"),
    "T": ("S_sg", "S_acc"),
    "X": ("S_sg", "S_acc"),
    "H": ("S_sg", "S_acc"),
    "M": ("S_sg", "S_acc"),
    "F": ("S_sg", "S_acc"),
    # a larger scale word after a smaller one multiplies it ("100 ألف مليار")
    "S_sg": ("S_sg", "S_acc"),
    "S_pl": ("S_sg", "S_acc"),
}


def _next_is_ten(items, j, is_and) -> bool:
    """"واحد" is a number only as the first part of 21, 31, … ("واحد وعشرون")."""
    return j + 1 < len(items) and is_and(j) and (word_kind(items[j + 1].norm) or ("",))[0] == "X"


def _may_continue(last: str, items, j: int, digit_value) -> bool:
    p = _piece(items, j, digit_value)
    if p is None:
        return False
    kind = p[0]
    if last.startswith("S"):
        return kind in ("D", "U", "T", "X", "H", "M", "S_dual", "S_sg", "S_acc") or \
            (kind == "F" and items[j].norm == number_words().half)
    if last in ("U", "T"):
        return kind == "X"
    if last in ("H", "M"):
        return kind in ("U", "T", "X")
    return False
