"""Document-level consistency: a name the document tags is tagged where it recurs.

The model reads each mention in its own context and misses some repeats of a name it found
elsewhere in the same article: "فينغر" in a later paragraph of an article that names
"أرسين فينغر", or a club named twice, once in a context the model knows. A document rarely
uses one spelling for two kinds of thing, so an untagged run of tokens whose normalized
forms equal a tagged span's takes that span's label. So does a lone surname: the last word
of a person tagged with two or more words, unless a particle binds it into a compound name
("الله" of "عبد الله") or it closes a name without being one ("الثاني"); those word lists
are in pipeline/data/entity_spans.json.

A one-word name (a surname, or a span of one word) is repeated only if the word is rare in
news (SaudiNewsNet's counts, pipeline/data/lexicon.tsv.gz) or the document tags it at least
as often as it leaves it untagged: a common word the model once took for a name ("ريال" of
a price, "المصرف") must not spread through the article.

This runs after the model and the rules are merged (pipeline/extractors/entities.py), on
token indices of the spaCy Doc. A recurrence copies a span the merge kept, which already
follows the span rules, so it is not cut again.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from typing import Iterable, NamedTuple, Sequence

from spacy.tokens import Doc

from pipeline.ner.spans import is_filler
from pipeline.resources import lexicon, load_json, normalized_words

# A surname shorter than this is too often a clipped spelling or a particle ("بن").
MIN_SURNAME = 3
# A word seen fewer times than this in SaudiNewsNet is rare enough to be a name wherever
# the document tags it once.
RARE = 100


class Recurrence(NamedTuple):
    start: int    # token indices in the Doc, half-open
    end: int
    label: str


class SurnameRules(NamedTuple):
    particles: frozenset
    not_surnames: frozenset


@cache
def surname_rules() -> SurnameRules:
    d = load_json("entity_spans.json")
    return SurnameRules(normalized_words(d["name_particles"]), normalized_words(d["not_surnames"]))


def surname(doc: Doc, start: int, end: int) -> str | None:
    """The lone-surname form of the person ``doc[start:end]``, if it has one."""
    if end - start < 2:
        return None
    r = surname_rules()
    last = doc[end - 1].norm_
    if len(last) < MIN_SURNAME or last in r.not_surnames or doc[end - 2].norm_ in r.particles:
        return None
    return last


def names(doc: Doc, spans: Iterable, norms: Sequence[str] | None = None) -> dict[tuple[str, ...], str]:
    """Each tagged text (token norms) with its label: the one it is tagged with most
    often, the first tagged on a tie; and the surnames of tagged persons, where the
    surname is not itself tagged. One-word names only when rare or mostly tagged.
    ``norms``: the Doc's token norms, when the caller has them."""
    norms = [t.norm_ for t in doc] if norms is None else norms
    votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    surnames: dict[tuple[str, ...], str] = {}
    for s in sorted(spans, key=lambda s: s.start):
        votes[tuple(norms[s.start:s.end])][s.label] += 1
        last = surname(doc, s.start, s.end) if s.label == "PER" else None
        if last is not None:
            surnames.setdefault((last,), "PER")
    # Counter.most_common sorts stably: on a tie the label counted first comes first.
    found = {**surnames, **{key: c.most_common(1)[0][0] for key, c in votes.items()}}
    words = {key[0] for key in found if len(key) == 1}
    seen = Counter(w for w in norms if w in words)
    lex = lexicon()

    def keep(key: tuple[str, ...]) -> bool:
        if len(key) > 1 or lex.get(key[0], 0) < RARE:
            return True
        tagged = votes[key].total() if key in votes else 0
        return 2 * tagged >= seen[key[0]]

    return {key: label for key, label in found.items() if keep(key)}


def recurrences(doc: Doc, spans: Sequence) -> list[Recurrence]:
    """Untagged runs of tokens equal to a name of ``names(doc, spans)``, longest first at
    each token, left to right; none overlaps a span or another recurrence, and none starts
    on punctuation or blank space."""
    norms = [t.norm_ for t in doc]
    known = names(doc, spans, norms)
    if not known:
        return []
    longest = max(len(k) for k in known)
    taken = [False] * len(doc)
    for s in spans:
        taken[s.start:s.end] = [True] * (s.end - s.start)
    out: list[Recurrence] = []
    i = 0
    while i < len(doc):
        hit = None
        if not taken[i]:
            for n in range(min(longest, len(doc) - i), 0, -1):
                key = tuple(norms[i:i + n])
                if key in known and not any(taken[i:i + n]):
                    hit = Recurrence(i, i + n, known[key])
                    break
        if hit is None or is_filler(doc[i]):
            i += 1
            continue
        out.append(hit)
        i = hit.end
    return out
