"""The temporal vocabulary (months.json, temporal.json) as one phrase table.

Every word or phrase is normalized with ``normalize_str`` and stored as a tuple of
words → the entries it can be: ``("month", (7, "gregorian"))``, ``("weekday", 5)``,
``("cal", "year")``, ``("unit", ("year", "plural"))`` … A phrase may have several
entries ("عام" is a calendar word and a duration unit; "الأول" an ordinal day and
"first"); the rules (date_points.py, date_ranges.py, durations.py) decide which reading
applies. Number words are not here: they are read from numbers.json through
numparse (TokenView.read_count).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from pipeline.resources import load_json
from pipeline.text.normalize import normalize_str


@dataclass(frozen=True)
class Entry:
    kind: str
    value: object = None


@dataclass(frozen=True)
class Lexicon:
    phrases: MappingProxyType     # tuple of normalized words → tuple[Entry, ...]
    first_words: frozenset        # the first word of every phrase (a fast "nothing here")
    max_words: int
    needs_context: frozenset      # normalized month forms that are also ordinary words
    needs_madda: frozenset        # normalized forms that count only when written with آ
    words: MappingProxyType       # list name → frozenset of normalized words (cues, blockers)


def _norm(s: str) -> tuple[str, ...]:
    return tuple(normalize_str(s).split())


@cache
def lexicon() -> Lexicon:
    table: dict[tuple[str, ...], list[Entry]] = defaultdict(list)

    def add(phrase: str, kind: str, value=None) -> None:
        key = _norm(phrase)
        e = Entry(kind, value)
        if key and e not in table[key]:
            table[key].append(e)

    months = load_json("months.json")
    for item in months["months"]:
        for form in item["forms"]:
            add(form, "month", (item["month"], item["series"]))

    t = load_json("temporal.json")
    for wd, forms in t["weekdays"].items():
        for f in forms:
            add(f, "weekday", int(wd))
    for phrase, off in t["relative_days"].items():
        add(phrase, "relday", off)
    for kind, forms in t["calendar_words"].items():
        for f in forms:
            add(f, "cal", kind)
    for kind, forms in t["relative_adjectives"].items():
        for f in forms:
            add(f, "rel", kind)
    for f in t["year_before_phrases"]:
        add(f, "year_before")
    for kind, forms in t["period_modifiers"].items():
        for f in forms:
            add(f, "mod", kind)
    for n, forms in t["seasons"].items():
        for f in forms:
            add(f, "season", int(n))
    for n, forms in t["halves"].items():
        for f in forms:
            add(f, "half", int(n))
    for n, forms in t["quarters"].items():
        for f in forms:
            add(f, "quarter", int(n))
    for f in t["first_months_nouns"]:
        add(f, "months_noun")
    for f in t["first_words"]:
        add(f, "first")
    for f, half in t["parts_of_day"].items():
        add(f, "pod", half)
    clock = t["clock"]
    for f in clock["hour_nouns"]:
        add(f, "hour_noun")
    for h, forms in clock["hour_words"].items():
        for f in forms:
            add(f, "hour_word", int(h))
    for f, delta in clock["minute_words"].items():
        add(f, "minute_word", delta)
    for per, forms in clock["periods"].items():
        for f in forms:
            add(f, "clock_period", per)
    for f in clock["zones"]:
        add(f, "zone")
    for cal, forms in t["eras"].items():
        for f in forms:
            add(f, "era", cal)
    for f in t["then_words"]:
        add(f, "then")
    for f in t["corresponding"]:
        add(f, "corresponding")
    for n, forms in t["week_ordinals"].items():
        for f in forms:
            add(f, "week_ordinal", int(n))
    for f in t["duration_pre"]:
        add(f, "dur_pre")
    for f in t["to_date"]:
        add(f, "to_date")
    for f in t["same_period"]:
        add(f, "same_period")
    r = t["range"]
    for f in r["between"]:
        add(f, "between")
    for f in r["from"]:
        add(f, "from")
    for f in r["to"]:
        add(f, "to")
    for d, forms in t["decades"].items():
        for f in forms:
            add(f, "decade", int(d))
            add("ال" + f, "decade", int(d))
    for phrase, k in t["centuries"]["relative"].items():
        add(phrase, "century_rel", k)
    for phrase, c in t["centuries"]["named"].items():
        add(phrase, "century", c)
    for phrase, k in t["decade_relative"].items():
        add(phrase, "decade_rel", k)
    for f in t["first_day_words"]:
        add(f, "first_day")
    for n, forms in t["ordinal_days"].items():
        for f in forms:
            add(f, "ordday", int(n))
    for unit, spec in t["duration_units"].items():
        for form_kind in ("singular", "dual", "plural", "definite_plural", "definite_dual"):
            for f in spec[form_kind]:
                add(f, "unit", (unit, form_kind))
    for f in t["singular_needs"]["one"]:
        add(f, "one")
    for f in t["singular_needs"]["whole"]:
        add(f, "whole")
    for f, v in t["half_words"]["fraction_after_and"].items():
        add(f, "frac_after", v)
    for f, v in t["half_words"]["fraction_before"].items():
        add(f, "frac_before", v)
    for f in t["duration_relative"]:
        add(f, "dur_rel")
    for bound, forms in t["qualifiers_before"].items():
        for f in forms:
            add(f, "qual", bound)
    for bound, forms in t["qualifiers_after"].items():
        for f in forms:
            add(f, "qual_after", bound)

    def words(name: str) -> frozenset:
        return frozenset(" ".join(_norm(w)) for w in t[name])

    lists = {name: words(name) for name in (
        "weekday_blockers_before", "weekday_blockers_after", "today_blockers_before", "today_blockers_after",
        "age_cues_before", "age_nouns_before", "age_cues_after", "superlative_cues", "date_prepositions",
        "anaphoric_month_before", "ago_words", "since_point_units", "to_date_before", "duration_cues_before",
        "era_blockers_after")}
    lists["quote_marks"] = frozenset(t["quote_marks"])
    lists["dash"] = frozenset(r["dash"])
    units = {u: (spec["timex"], spec["mult"], bool(spec.get("time"))) for u, spec in t["duration_units"].items()}
    lists["units"] = MappingProxyType(units)

    frozen = {k: tuple(v) for k, v in table.items()}
    return Lexicon(
        phrases=MappingProxyType(frozen),
        first_words=frozenset(k[0] for k in frozen),
        max_words=max(len(k) for k in frozen),
        needs_context=frozenset(" ".join(_norm(w)) for w in months["needs_context"]),
        needs_madda=frozenset(" ".join(_norm(w)) for w in months["needs_madda"]),
        words=MappingProxyType(lists),
    )
