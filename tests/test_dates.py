"""The dates extractor (dates/1) on the example corpus tests/cases/dates.jsonl.

Each case: ``text``, ``doc_date`` (or null), ``expect``: the DATE and DURATION mentions,
in text order, as exact surface text with type and value (null: a mention without a
value). A case with an empty ``expect`` is a negative case: nothing may be found.
"""
import json
from pathlib import Path

import pytest

from pipeline.analysis import Analysis
from pipeline.doc import Document
from pipeline.extractors.dates import DateExtractor

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "cases" / "dates.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[f"{i}:{c['text'][:30]}" for i, c in enumerate(CASES, 1)])
def test_dates(case):
    doc = Document("case", case["text"], doc_date=case.get("doc_date"))
    analysis = Analysis.of(doc)
    DateExtractor()(analysis)
    found = [{"type": m.type, "text": m.text, "value": m.value.to_json() if m.value else None}
             for m in analysis.mentions if m.type in ("DATE", "DURATION")]
    for m in analysis.mentions:
        assert m.text == doc.text[m.start:m.end]
    assert found == case["expect"], case.get("note", "")
