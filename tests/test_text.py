"""Normalizer, tokenizer and sentence splitter: example corpora and properties."""
import pytest
from conftest import load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.normalize import RULES, apply_rules, normalize, normalize_str
from pipeline.text.sentences import paragraph_spans, split_sentences
from pipeline.text.tokenize import tokenize

NORMALIZE = load_cases("normalize.jsonl")
TOKENIZE = load_cases("tokenize.jsonl")
SENTENCES = load_cases("sentences.jsonl")


def test_corpora_are_large_enough():
    assert len(NORMALIZE) + len(TOKENIZE) + len(SENTENCES) >= 150


@pytest.mark.parametrize("case", NORMALIZE, ids=lambda c: c["text"][:20])
def test_normalize(case):
    n = normalize(case["text"])
    assert n.text == case["normalized"]
    assert normalize_str(case["text"]) == case["normalized"]
    assert apply_rules(case["text"]) == case["normalized"]


@pytest.mark.parametrize("case", TOKENIZE, ids=lambda c: c["text"][:20])
def test_tokenize(case):
    text = case["text"]
    tokens = tokenize(text)
    assert [t.text for t in tokens] == case["tokens"]
    for t in tokens:
        assert text[t.start:t.end] == t.text


@pytest.mark.parametrize("case", SENTENCES, ids=lambda c: c["text"][:20])
def test_sentences(case):
    text = case["text"]
    got = [text[s.start:s.end] for s in split_sentences(text, tokenize(text))]
    assert got == case["sentences"]


def test_lil_contraction_gets_its_article_back():
    tokens = tokenize("للحكومة")
    assert [t.text for t in tokens] == ["ل", "لحكومة"]
    assert tokens[1].norm == "الحكومه"


def test_trailing_diacritic_stays_with_its_letter():
    text = "موسكوَ وبيونغ"
    n = normalize(text)
    assert n.original_span(0, 5) == "موسكوَ"


def test_sentences_carry_their_paragraph():
    text = "قال زيد.\nقال عمرو. وأضاف.\n\nثالث"
    got = [(text[s.start:s.end], s.paragraph) for s in split_sentences(text, tokenize(text))]
    assert got == [("قال زيد.", 0), ("قال عمرو.", 1), ("وأضاف.", 1), ("ثالث", 2)]


def test_paragraphs():
    text = "عنوان\n\n  فقرة أولى \nفقرة ثانية"
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["عنوان", "فقرة أولى", "فقرة ثانية"]


# Text drawn from the characters normalization cares about, plus ordinary ones.
ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهوي ةىأإآٱ ءؤئ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬٪.,% \n")
    + ["\u064e", "\u064b", "\u0651", "\u0652", "\u0670", "\u0640", "\u200f", "\u200e", "\u200b",
       "\u061c", "\u202b", "\u2066", "\ufeff", "ﻻ", "ﷲ", "ﺃ", "\ufe7c", "\ufe70", "a", "Z", "5"])
TEXT = st.text(alphabet=ALPHABET, max_size=60)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_rules_are_character_level(text):
    # The offset map is exact only if every rule rewrites one code point at a time.
    for rule in RULES:
        assert rule(text) == "".join(rule(ch) for ch in text), rule.name


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_map_is_monotonic_and_in_range(text):
    n = normalize(text)
    starts = [n.orig_index(i) for i in range(len(n.text) + 1)]
    assert starts[-1] == len(text)
    assert all(0 <= s <= len(text) for s in starts)
    assert all(a <= b for a, b in zip(starts, starts[1:]))
    assert n.text == apply_rules(text)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.data())
def test_span_maps_back_to_its_own_normalization(text, data):
    n = normalize(text)
    if not n.text:
        return
    # Boundaries inside the expansion of one original character (a ligature such
    # as "ﻻ" → "لا") cannot map to a smaller original span; spans are drawn on
    # boundaries between original characters.
    cuts = [i for i in range(len(n.text) + 1)
            if i in (0, len(n.text)) or n.orig_index(i) != n.orig_index(i - 1)]
    i = data.draw(st.sampled_from(cuts))
    j = data.draw(st.sampled_from([c for c in cuts if c > i] or [i]))
    if j <= i:
        return
    a, b = n.to_original(i, j)
    assert 0 <= a < b <= len(text)
    assert normalize_str(text[a:b]) == n.text[i:j]


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_tokens_point_into_the_original(text):
    last = 0
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text
        assert t.start >= last
        last = t.end


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_to_normalized_covers_original_span(text):
    n = normalize(text)
    for a in range(0, len(text), 3):
        b = min(len(text), a + 4)
        i, j = n.to_normalized(a, b)
        assert 0 <= i <= j <= len(n.text)
