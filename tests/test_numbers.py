"""The numbers extractor (numbers/1) on the example corpus tests/cases/numbers.jsonl.

Each case: ``text``, ``doc_date`` (or null), ``expect``: the MONEY, PERCENT and QUANTITY
mentions in text order, as exact surface text with type and value (unit included), as
ANNOTATION.md "Numeric types" defines them. A case with an empty ``expect`` is a
negative case: nothing may be found.
"""
import pytest
from conftest import load_cases

from pipeline.analysis import Analysis
from pipeline.doc import NUMERIC_TYPES, Document
from pipeline.extractors.numbers import NumberExtractor

CASES = load_cases("numbers.jsonl")


def test_corpus_is_large_enough():
    assert len(CASES) >= 300
    assert sum(1 for c in CASES if not c["expect"]) >= 50


@pytest.mark.parametrize("case", CASES, ids=[f"{i}:{c['text'][:30]}" for i, c in enumerate(CASES, 1)])
def test_numbers(case):
    doc = Document("case", case["text"], doc_date=case.get("doc_date"))
    analysis = Analysis.of(doc)
    NumberExtractor()(analysis)
    found = [{"type": m.type, "text": m.text, "value": m.value.to_json()}
             for m in analysis.mentions if m.type in NUMERIC_TYPES]
    for m in analysis.mentions:
        assert m.text == doc.text[m.start:m.end]
        assert m.source == "numbers/1"
    assert found == case["expect"], case.get("note", "")
