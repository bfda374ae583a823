"""Document-level consistency (pipeline/ner/consistency.py): untagged repeats of a tagged
name, lone surnames, and the step inside the entity component."""
from __future__ import annotations

from typing import NamedTuple

import pytest
from spacy.tokens import Span as SpacySpan

from pipeline.ner import consistency
from pipeline.ner.consistency import Recurrence
from pipeline.registry import build
from pipeline.resources import lexicon
from pipeline.text.spacy_lang import blank, doc_from_tokens
from pipeline.text.tokenize import tokenize


class Span(NamedTuple):
    start: int
    end: int
    label: str


@pytest.fixture(scope="module")
def nlp():
    return blank()


def words(doc) -> list[str]:
    return [t.text for t in doc]


def find(doc, text: str) -> int:
    """Index of the token ``text`` (first occurrence), so tests name tokens, not positions."""
    return words(doc).index(text)


def test_a_tagged_name_is_tagged_where_it_recurs(nlp):
    doc = nlp("زار ريال مدريد ملعبه ثم غادر ريال مدريد")
    first = find(doc, "ريال")
    second = words(doc).index("ريال", first + 1)
    got = consistency.recurrences(doc, [Span(first, first + 2, "ORG")])
    assert got == [Recurrence(second, second + 2, "ORG")]
    assert doc[second:second + 2].text == "ريال مدريد"


def test_the_label_tagged_most_often_wins_and_a_tie_goes_to_the_first(nlp):
    doc = nlp("قطر قطر قطر قطر")
    q = [i for i, t in enumerate(doc) if t.text == "قطر"]
    majority = [Span(q[0], q[0] + 1, "ORG"), Span(q[1], q[1] + 1, "LOC"), Span(q[2], q[2] + 1, "LOC")]
    assert consistency.recurrences(doc, majority) == [Recurrence(q[3], q[3] + 1, "LOC")]
    tie = [Span(q[0], q[0] + 1, "ORG"), Span(q[1], q[1] + 1, "LOC")]
    assert [r.label for r in consistency.recurrences(doc, tie)] == ["ORG", "ORG"]


def test_a_lone_surname_of_a_tagged_person_is_a_person(nlp):
    doc = nlp("قال أرسين فينغر إن الفريق جاهز وأضاف فينغر أن")
    a = find(doc, "أرسين")
    later = words(doc).index("فينغر", a + 2)
    assert consistency.recurrences(doc, [Span(a, a + 2, "PER")]) == [Recurrence(later, later + 1, "PER")]
    # Only the last word: a first name alone is not taken for the person.
    doc = nlp("التقى محمد بن زايد ثم محمد")
    m = find(doc, "محمد")
    assert consistency.recurrences(doc, [Span(m, m + 3, "PER")]) == []
    # Nor a last word shorter than MIN_SURNAME letters.
    doc = nlp("التقى عيسى بن ثم بن")
    e = find(doc, "عيسى")
    assert ("بن",) not in consistency.names(doc, [Span(e, e + 2, "PER")])
    assert consistency.recurrences(doc, [Span(e, e + 2, "PER")]) == []


def test_a_surname_tagged_on_its_own_keeps_its_own_label(nlp):
    doc = nlp("وصل ألكسندر هاملتون إلى هاملتون ثم هاملتون")
    g = find(doc, "ألكسندر")
    w = [i for i, t in enumerate(doc) if t.text == "هاملتون"]
    got = consistency.recurrences(doc, [Span(g, g + 2, "PER"), Span(w[1], w[1] + 1, "LOC")])
    assert got == [Recurrence(w[2], w[2] + 1, "LOC")]


def test_a_common_word_tagged_once_does_not_spread(nlp):
    # "ريال" is common in news (a currency): tagged once of three, it is not repeated; a rare
    # word is, and so is a common one the document tags at least half the time.
    assert lexicon().get("ريال", 0) >= consistency.RARE > lexicon().get("هاملتون", 0)
    doc = nlp("دفع ريال ثم ريال ثم ريال")
    r = [i for i, t in enumerate(doc) if t.text == "ريال"]
    assert consistency.recurrences(doc, [Span(r[0], r[0] + 1, "ORG")]) == []
    spans = [Span(r[0], r[0] + 1, "ORG"), Span(r[1], r[1] + 1, "ORG")]
    assert consistency.recurrences(doc, spans) == [Recurrence(r[2], r[2] + 1, "ORG")]
    doc = nlp("دفع هاملتون ثم هاملتون ثم هاملتون")
    h = [i for i, t in enumerate(doc) if t.text == "هاملتون"]
    assert len(consistency.recurrences(doc, [Span(h[0], h[0] + 1, "PER")])) == 2


def test_longest_name_first_and_never_over_a_span(nlp):
    doc = nlp("مجلس الأمن الدولي و مجلس الأمن الدولي و مجلس الأمن")
    m = [i for i, t in enumerate(doc) if t.text == "مجلس"]
    # "مجلس الأمن الدولي" and "مجلس الأمن" are both names: the longer is taken where both fit.
    got = consistency.recurrences(doc, [Span(m[0], m[0] + 3, "ORG"), Span(m[2], m[2] + 2, "ORG")])
    assert got == [Recurrence(m[1], m[1] + 3, "ORG")]
    assert doc[m[1]:m[1] + 3].text == "مجلس الأمن الدولي"
    # Nothing is added over a token a span holds, even for a shorter name inside it.
    assert consistency.recurrences(doc, [Span(m[0], m[2] + 3, "ORG")]) == []


def test_no_recurrence_starts_on_punctuation_or_blank(nlp):
    # Spans that took a quote or a line break in (the span rules would not let one through)
    # are not repeated from that token.
    doc = nlp("« قطر » ثم « قطر »")
    q = find(doc, "قطر")
    assert doc[q - 1:q + 2].text == "« قطر »"
    assert consistency.recurrences(doc, [Span(q - 1, q + 2, "LOC")]) == []
    doc = nlp("ثم \n قطر و \n قطر")
    gaps = [i for i, t in enumerate(doc) if t.text == "\n "]
    assert len(gaps) == 2 and doc[gaps[1] + 1].text == "قطر"
    assert consistency.recurrences(doc, [Span(gaps[0], gaps[0] + 2, "LOC")]) == []
    assert consistency.recurrences(doc, []) == []


def test_compound_names_and_ordinals_give_no_surname(nlp):
    doc = nlp("قال عبد الله الثاني إن شاء الله والثاني")
    a = find(doc, "عبد")
    assert consistency.surname(doc, a, a + 2) is None          # "الله" of "عبد الله"
    assert consistency.surname(doc, a, a + 3) is None          # an ordinal closes the name
    assert consistency.recurrences(doc, [Span(a, a + 3, "PER")]) == []
    doc = nlp("التقى محمد بن راشد آل مكتوم ثم مكتوم")
    m = find(doc, "محمد")
    assert consistency.surname(doc, m, m + 5) is None          # "مكتوم" of "آل مكتوم"
    doc = nlp("التقى عمر البشير ثم البشير")
    o = find(doc, "عمر")
    assert consistency.surname(doc, o, o + 2) == "البشير"


def test_the_component_adds_recurrences_only_when_asked():
    on = build("entities/4", batch_size=4)
    off = build("entities/4", batch_size=4, consistency=False)
    text = "قال أرسين فينغر إن فريقه جاهز. وأضاف فينغر أن الإصابات كثيرة."
    doc = doc_from_tokens(on.nlp.vocab, text, tokenize(text))
    a = words(doc).index("أرسين")
    doc.ents = [SpacySpan(doc, a, a + 2, label="PER")]   # what the model might have found
    with_step, without = on.spans(doc), off.spans(doc)
    assert [s.source for s in without] == ["model"]
    added = [s for s in with_step if s.source == "consistency"]
    assert [(doc[s.start:s.end].text, s.label) for s in added] == [("فينغر", "PER")]
    assert added[0].start > a + 2
