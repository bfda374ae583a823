"""The word tables of the numbers extractor, read once from numbers.json, currencies.json,
units.json and months.json and normalized (pipeline.text.normalize.normalize_str).

A phrase table maps tuples of normalized words to payloads; ``match_phrase`` finds the
longest phrase at an item position, letting one phrase word span a word the tokenizer
split into a proclitic and its stem ("بالمائة" = "ب" + "المائة").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Sequence

from pipeline.resources import load_json, normalized_words
from pipeline.text.normalize import normalize_str

def _words(phrase: str) -> tuple[str, ...]:
    return tuple(normalize_str(phrase).split())


class PhraseTable:
    """Phrases (tuples of normalized words) with payloads, longest first, indexed by
    their first word so that a lookup only tries the phrases that can start there."""

    def __init__(self, pairs):
        entries: dict[tuple[str, ...], object] = {}
        for phrase, payload in pairs:
            entries.setdefault(_words(phrase), payload)
        self.entries = tuple(sorted(entries.items(), key=lambda kv: -len(kv[0])))
        index: dict[str, list] = {}
        for words, payload in self.entries:
            index.setdefault(words[0], []).append((words, payload))
        self.index = MappingProxyType({k: tuple(v) for k, v in index.items()})

    def __iter__(self):
        return iter(self.entries)


def match_phrase(items: Sequence, j: int, table: PhraseTable, stop: int | None = None):
    """The longest phrase of ``table`` starting at item j: (end index, payload) or None."""
    n = len(items) if stop is None else stop
    if j >= n:
        return None
    first = items[j].norm
    tries = table.index.get(first, ())
    if j + 1 < n and not items[j + 1].space_before:
        glued = table.index.get(first + items[j + 1].norm)
        if glued:
            tries = sorted(tries + glued, key=lambda e: -len(e[0]))
    for words, payload in tries:
        k = j
        for w in words:
            if k >= n or (k > j and items[k].line_before):
                break
            norm = items[k].norm
            if norm == w:
                k += 1
            elif k + 1 < n and not items[k + 1].space_before and norm + items[k + 1].norm == w:
                k += 2
            else:
                break
        else:
            return k, payload
    return None


@dataclass(frozen=True)
class Currency:
    code: str
    adjectives: PhraseTable      # adjective base phrase -> code
    context: tuple               # (normalized country word, code)


@dataclass(frozen=True)
class Tables:
    # numbers.json
    qual_before: PhraseTable
    qual_after_inside: PhraseTable
    qual_after_outside: PhraseTable
    distant: tuple               # (words, key, value, needs frozenset, gap frozenset|None)
    distant_gap: int
    between: PhraseTable
    between_and: frozenset
    range_from: frozenset
    range_to: frozenset
    dashes: frozenset
    change_stems: tuple
    change_window: int
    pct_signs: frozenset
    pct_after: PhraseTable
    pct_context: frozenset
    pct_window: int
    comparison: frozenset
    comparison_window: int
    comparison_ratio: float
    year_before: frozenset
    year_after: frozenset
    year_preps: frozenset
    bare_years: tuple
    months: frozenset            # first words of month names ("كانون" of "كانون الثاني")
    month_second_words: frozenset  # their second words ("الثاني")
    time_words: frozenset
    clock_after: PhraseTable
    relative_year_words: frozenset
    hijri_years: tuple
    day_of_month: PhraseTable
    ambiguous_alone: frozenset
    ordinal_units: frozenset
    ambiguous_article_ratio: float
    ordinal_marker: frozenset
    identifiers: PhraseTable
    definite_numerals: MappingProxyType
    # currencies.json
    currency_forms: PhraseTable  # -> Currency
    saudi_words: frozenset
    subunits: PhraseTable        # -> (code, factor)
    signs: MappingProxyType
    codes_after: frozenset
    # units.json
    measures: PhraseTable        # -> unit code, or None: keep as written
    time_units: PhraseTable      # -> code
    age_units: frozenset
    age_cues: PhraseTable
    age_window: int
    time_measure_cues: PhraseTable
    time_measure_window: int
    not_counted: frozenset
    compound_nouns: PhraseTable
    from_endings: tuple
    from_plurals: frozenset
    from_not: frozenset
    one_idioms: frozenset
    start_words: frozenset       # words a mention can start with
    split_words: frozenset       # stems worth splitting a proclitic off


_CODES = {"barrel", "tonne", "kilogram", "gram", "kilometer", "meter", "square_kilometer", "hectare",
          "liter", "cubic_meter", "megawatt", "kilowatt_hour", "year", "month", "day", "hour"}


@cache
def tables() -> Tables:
    num = load_json("numbers.json")
    # month names are the dates extractor's (months.json); a number next to one is a date part
    month_forms = [normalize_str(f) for m in load_json("months.json")["months"] for f in m["forms"]]
    cur = load_json("currencies.json")
    uni = load_json("units.json")

    qb = []
    for key, phrases in num["qualifiers_before"].items():
        if key.startswith("_"):
            continue
        payload = ("approx", True) if key == "approx" else ("bound", key)
        qb += [(p, payload) for p in phrases]
    qa = num["qualifiers_after"]

    def qual(v):
        return ("approx", True) if v == "approx" else ("bound", v)

    distant = tuple(sorted((
        (_words(e["phrase"]), *(("approx", True) if e.get("approx") else ("bound", e["bound"])),
         normalized_words(e.get("needs", ())), normalized_words(e["gap"]) if "gap" in e else None)
        for e in num["qualifiers_distant"]["entries"]), key=lambda e: -len(e[0])))
    rng = num["range"]
    pct = num["percent"]
    dates = num["dates"]
    nn = num["not_numbers"]
    units = num["words"]["unit"]
    definite = {normalize_str("ال" + w): float(v) for w, v in units.items() if 3 <= v <= 10}

    currencies = []
    for c in cur["currencies"]:
        entry = Currency(c["code"], PhraseTable(c.get("adjectives", {}).items()),
                         tuple((normalize_str(w), code) for w, code in c.get("context", {}).items()))
        currencies += [(f, entry) for f in c["forms"]]
    subunits = [(f, (s["code"], float(s["factor"]))) for s in cur["subunits"] for f in s["forms"]]

    measures = [(form, code if code in _CODES else None) for form, code in uni["measures"].items()]

    t = Tables(
        qual_before=PhraseTable(qb),
        qual_after_inside=PhraseTable((p, qual(v)) for p, v in qa["inside"].items()),
        qual_after_outside=PhraseTable((p, qual(v)) for p, v in qa["outside"].items()),
        distant=distant,
        distant_gap=num["qualifiers_distant"]["max_gap"],
        between=PhraseTable((p, None) for p in rng["between"]),
        between_and=normalized_words(rng["and"]),
        range_from=normalized_words(rng["from"]),
        range_to=normalized_words(rng["to"]),
        dashes=frozenset(rng["dashes"]),
        change_stems=tuple(normalize_str(s) for s in rng["change_stems"]),
        change_window=rng["change_window"],
        pct_signs=frozenset(normalize_str(s) for s in pct["sign"]),
        pct_after=PhraseTable((p, None) for p in pct["after"]),
        pct_context=normalized_words(pct["context"]),
        pct_window=pct["context_window"],
        comparison=normalized_words(num["comparison"]["words"]),
        comparison_window=num["comparison"]["window"],
        comparison_ratio=float(num["comparison"]["max_ratio"]),
        year_before=normalized_words(dates["year_before"]),
        year_after=normalized_words(dates["year_after"]),
        year_preps=normalized_words(dates["year_preps"]),
        bare_years=tuple(dates["bare_year_range"]),
        months=frozenset(w.split()[0] for w in month_forms),
        month_second_words=frozenset(x for w in month_forms for x in w.split()[1:]),
        time_words=normalized_words(dates["time_words"]),
        clock_after=PhraseTable((p, None) for p in dates["clock_after"]),
        relative_year_words=normalized_words(dates["relative_year_words"]),
        hijri_years=tuple(dates["hijri_year_range"]),
        day_of_month=PhraseTable((p, None) for p in dates["day_of_month_after"]),
        ambiguous_alone=normalized_words(num["words"]["ambiguous_alone"]),
        ordinal_units=normalized_words(num["not_numbers"]["ordinal_units"]),
        ambiguous_article_ratio=float(num["words"]["ambiguous_article_ratio"]),
        ordinal_marker=normalized_words(nn["ordinal_marker"]),
        identifiers=PhraseTable((p, None) for p in nn["identifier_before"]),
        definite_numerals=MappingProxyType(definite),
        currency_forms=PhraseTable(currencies),
        saudi_words=normalized_words(cur["saudi_words"]),
        subunits=PhraseTable(subunits),
        signs=MappingProxyType(dict(cur["signs"])),
        codes_after=frozenset(cur["codes_after"]),
        measures=PhraseTable(measures),
        time_units=PhraseTable(uni["time_units"].items()),
        age_units=frozenset(uni["age_units"]),
        age_cues=PhraseTable((p, None) for p in uni["age_cues"]),
        age_window=uni["age_window"],
        time_measure_cues=PhraseTable((p, None) for p in uni["time_measure_cues"]),
        time_measure_window=uni["time_measure_window"],
        not_counted=normalized_words(uni["not_counted"]),
        compound_nouns=PhraseTable((p, None) for p in uni["compound_nouns"]),
        from_endings=tuple(normalize_str(e) for e in uni["from_plural_endings"]),
        from_plurals=normalized_words(uni["from_plurals"]),
        from_not=normalized_words(uni["from_not_nouns"]),
        one_idioms=normalized_words(uni["one_idioms"]),
        start_words=frozenset(),
        split_words=frozenset(),
    )
    return _with_vocabulary(t)


def _with_vocabulary(t: Tables) -> Tables:
    from dataclasses import replace

    from pipeline.extractors.numparse import number_words

    first = set(number_words().words)
    for table in (t.qual_before, t.between):
        first |= {words[0] for words, _ in table}
    first |= t.pct_signs | t.range_from | set(t.signs) | set(t.definite_numerals)
    first |= {normalize_str("واحد"), normalize_str("واحدة")}
    split = set(number_words().words) | set(t.definite_numerals)
    for table in (t.qual_before, t.pct_after, t.currency_forms, t.subunits, t.measures, t.time_units,
                  t.between):
        split |= {w for words, _ in table for w in words}
    return replace(t, start_words=frozenset(first), split_words=frozenset(split))
