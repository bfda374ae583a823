"""Claims (ANNOTATION.md section 4) on the case corpus tests/cases/claims.jsonl.

Each case gives a text, its doc_date, the mentions the extractors would find (type and
surface text, the ``nth`` occurrence when it repeats, the ``unit`` where it matters) and
the claims the guideline gives it: for every number in text order, the text of its time
mention (or null) and the source of its attribution (or null). The mentions are given so
that these cases test the linking alone (attributions, then claims, as shipped), not the
number and date extractors. A case the linker is known to get wrong carries ``xfail``.
"""
from __future__ import annotations

import pytest

from pipeline import registry
from pipeline.analysis import Analysis
from pipeline.doc import NUMERIC_TYPES, Document, Mention, Value
from conftest import case_param, load_cases

CASES = load_cases("claims.jsonl")


def test_case_corpus_size():
    assert len(CASES) >= 80


def _linkers():
    keys = [k for k, _ in registry.DEFAULT_PIPELINE]
    return [registry.build(k, **s) for k, s in registry.DEFAULT_PIPELINE[keys.index("attributions/1"):]]


@pytest.fixture(scope="module")
def linkers():
    return _linkers()


def _occurrence(text: str, surface: str, nth: int) -> int:
    """Offset of the nth occurrence of a case's surface string (test scaffolding)."""
    i = -1
    for _ in range(nth + 1):
        i = text.find(surface, i + 1)
        if i < 0:
            raise ValueError(f"{surface!r} does not occur {nth + 1} times in the case text")
    return i


def _nth_of(text: str, m: Mention) -> int:
    return text.count(m.text, 0, m.start)


@pytest.mark.parametrize("case", [case_param(c, c["id"]) for c in CASES])
def test_claims(case, linkers):
    text = case["text"]
    analysis = Analysis.of(Document("case", text, case.get("doc_date")))
    for i, m in enumerate(case["mentions"], 1):
        start = _occurrence(text, m["text"], m.get("nth", 0))
        value = Value(unit=m["unit"]) if m.get("unit") else None
        analysis.mentions.append(Mention(f"m{i}", m["type"], start, start + len(m["text"]), m["text"], value))
    analysis.mentions.sort(key=lambda m: m.start)
    for component in linkers:
        component(analysis)
    by_id = {m.id: m for m in analysis.mentions}
    atts = {a.id: a for a in analysis.attributions}
    got = []
    for c in analysis.claims:
        v = by_id[c.value]
        item = {"value": v.text, "time": by_id[c.time].text if c.time else None,
                "source": atts[c.attribution].source.text if c.attribution else None}
        if _nth_of(text, v):
            item["value_nth"] = _nth_of(text, v)
        if c.time and _nth_of(text, by_id[c.time]):
            item["time_nth"] = _nth_of(text, by_id[c.time])
        got.append(item)
    assert [m for m in analysis.mentions if m.type in NUMERIC_TYPES]
    assert got == case["expect"], case.get("note", "")
