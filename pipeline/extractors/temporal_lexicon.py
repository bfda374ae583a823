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

    def add_all(forms, kind: str) -> None:
        for f in forms:
            add(f, kind)

    def add_grouped(groups: dict, kind: str, value=lambda k: k) -> None:
        # {"1": ["form", …], …}: each form with its group's key (as ``value`` reads it).
        for key, forms in groups.items():
            for f in forms:
                add(f, kind, value(key))

    months = load_json("months.json")
    for item in months["months"]:
        for form in item["forms"]:
            add(form, "month", (item["month"], item["series"]))

    t = load_json("temporal.json")
    add_grouped(t["weekdays"], "weekday", int)
    for phrase, off in t["relative_days"].items():
        add(phrase, "relday", off)
    add_grouped(t["calendar_words"], "cal")
    add_grouped(t["relative_adjectives"], "rel")
    add_all(t["year_before_phrases"], "year_before")
    add_grouped(t["period_modifiers"], "mod")
    add_grouped(t["seasons"], "season", int)
    add_grouped(t["halves"], "half", int)
    add_grouped(t["quarters"], "quarter", int)
    add_all(t["first_months_nouns"], "months_noun")
    add_all(t["first_words"], "first")
    for f, half in t["parts_of_day"].items():
        add(f, "pod", half)
    clock = t["clock"]
    add_all(clock["hour_nouns"], "hour_noun")
    add_grouped(clock["hour_words"], "hour_word", int)
    for f, delta in clock["minute_words"].items():
        add(f, "minute_word", delta)
    add_grouped(clock["periods"], "clock_period")
    add_all(clock["zones"], "zone")
    add_grouped(t["eras"], "era")
    add_all(t["then_words"], "then")
    add_all(t["corresponding"], "corresponding")
    add_grouped(t["week_ordinals"], "week_ordinal", int)
    add_all(t["duration_pre"], "dur_pre")
    add_all(t["to_date"], "to_date")
    add_all(t["same_period"], "same_period")
    r = t["range"]
    add_all(r["between"], "between")
    add_all(r["from"], "from")
    add_all(r["to"], "to")
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
    add_all(t["first_day_words"], "first_day")
    add_grouped(t["ordinal_days"], "ordday", int)
    for unit, spec in t["duration_units"].items():
        for form_kind in ("singular", "dual", "plural", "definite_plural", "definite_dual"):
            for f in spec[form_kind]:
                add(f, "unit", (unit, form_kind))
    add_all(t["singular_needs"]["one"], "one")
    add_all(t["singular_needs"]["whole"], "whole")
    for f, v in t["half_words"]["fraction_after_and"].items():
        add(f, "frac_after", v)
    for f, v in t["half_words"]["fraction_before"].items():
        add(f, "frac_before", v)
    add_all(t["duration_relative"], "dur_rel")
    add_grouped(t["qualifiers_before"], "qual")
    add_grouped(t["qualifiers_after"], "qual_after")

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
