"""Organization names that open with a head noun, found by rule over token norms.

The model misses many institution names it never saw ("صندوق التنمية الصناعية",
"الإدارة العامة للعلاقات والتوجيه المعنوي"), and Arabic builds them one way: a head
noun ("وزارة", "جمعية", "مكتب" …) followed by its genitive and adjectives, which carry
the article, and by "ل"/"و" + article groups ("للثقافة والفنون"; our tokenizer splits
the clitic and restores the article in the norm: "لثقافة" → "الثقافه"). A name:

- an indefinite head and at least one word with the article ("مكتب الإحصاء");
- or a head with the article ("الجمعية", "الإدارة") only when a "ل" group follows
  ("الإدارة العامة للجوازات"): "الشركة الكبرى" alone is a description; some heads
  open a name only that way ("إدارة البنك" is managing the bank);
- a nationality adjective ends the chain, and closing the name it is outside
  ("مكتب الإحصاء الأوروبي" → "مكتب الإحصاء"), as the span rules do for bare names;
- a title right after the head brings the person's name: the model's PER span there
  (up to ``max_name_words`` words), else one word ("جامعة الملك سعود", "جمعية الملك
  عبد العزيز للموهوبين"). ``find`` wants a Doc the model has annotated.

Word lists live in pipeline/data/org_names.json; nationalities and titles come from
the span rules (pipeline/ner/spans.py).
"""
from __future__ import annotations

from functools import cache
from typing import NamedTuple

from spacy.tokens import Doc

from pipeline.ner.spans import rules as span_rules
from pipeline.resources import load_json, normalized_words

ARTICLE = "ال"
LINKS = ("ل", "و")   # proclitics that join a further part of the name


class OrgLists(NamedTuple):
    heads: frozenset
    definite_heads: frozenset
    stop: frozenset
    stop_definite: frozenset
    generic_first: frozenset
    named_titles: frozenset
    max_name_words: int


@cache
def lists() -> OrgLists:
    d = load_json("org_names.json")
    words = [normalized_words(d[k]) for k in ("heads", "definite_heads", "stop", "stop_definite",
                                              "generic_first", "named_titles")]
    return OrgLists(*words, int(d["max_name_words"]))


def _definite(norm: str, lst: OrgLists, titles: frozenset) -> bool:
    """A word with the article that may continue a name."""
    return (norm.startswith(ARTICLE) and len(norm) > 3 and norm not in lst.stop_definite
            and norm not in lst.stop
            and (norm not in titles or norm in lst.named_titles))


def _chain_end(doc: Doc, j: int, lst: OrgLists) -> int:
    """Where the name whose head is token ``j - 1`` ends (``j`` when nothing follows)."""
    r = span_rules()
    end, closed = j, False   # closed: a nationality adjective was taken; only a link may follow
    while end < len(doc):
        norm = doc[end].norm_
        if (not closed and _definite(norm, lst, r.titles)
                and not (end == j and norm in lst.generic_first)
                and not (norm in lst.named_titles and end > j)):
            closed = norm in r.nationalities
            end += 1
            if norm in lst.named_titles:
                end = _name_end(doc, end, lst)
            continue
        if (end > j and norm in LINKS and not doc[end].whitespace_ and end + 1 < len(doc)
                and _definite(doc[end + 1].norm_, lst, r.titles)):
            end += 2
            closed = False
            continue
        break
    # A nationality adjective closing the name is outside, and so is a link left bare by it
    # ("وزارة الصحة للسعوديين" must not end on "ل").
    while end - 1 > j and (doc[end - 1].norm_ in r.nationalities or doc[end - 1].norm_ in LINKS):
        end -= 1
    return end


def _name_end(doc: Doc, k: int, lst: OrgLists) -> int:
    """After a title at ``k - 1``: the person's name, as far as the model's PER span there
    reaches (at most ``max_name_words`` words), else one word (no article, no particle)."""
    for ent in doc.ents:
        if ent.label_ == "PER" and ent.start in (k - 1, k) and ent.end > k:
            return min(ent.end, k + lst.max_name_words)
    if (k < len(doc) and doc[k].is_alpha and len(doc[k].norm_) > 1 and doc[k].norm_ not in lst.stop
            and not doc[k].norm_.startswith(ARTICLE)):
        return k + 1
    return k


def find(doc: Doc) -> list[tuple[int, int]]:
    """Token spans ``[start, end)`` of head-noun organization names in ``doc``."""
    lst = lists()
    out, i = [], 0
    while i < len(doc):
        norm = doc[i].norm_
        definite = norm.startswith(ARTICLE)
        if norm in lst.heads or definite and (norm[2:] in lst.heads or norm[2:] in lst.definite_heads):
            end = _chain_end(doc, i + 1, lst)
            if end > i + 1 and (not definite or any(doc[k].norm_ == "ل" for k in range(i + 1, end))):
                out.append((i, end))
                i = end
                continue
        i += 1
    return out
