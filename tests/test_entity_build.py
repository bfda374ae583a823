"""tools/entity_build.py: surface-string entity drafts become offsets, and bad drafts are refused."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import entity_build  # noqa: E402

TEXT = "وقال وزير الصحة إن وزارة الصحة في الرياض وللرياض مكانة، ووزارة الصحة تعمل."


def draft(*ents):
    return {"doc_id": "d1", "entities": [dict(zip(("text", "type", "occ"), e)) for e in ents]}


def test_offsets_from_surface_and_occurrence():
    ents, warnings = entity_build.build(draft(("وزارة الصحة", "ORG", 2), ("الرياض", "LOC", 1)), TEXT)
    assert [(TEXT[e["start"]:e["end"]], e["type"]) for e in ents] == [("الرياض", "LOC"), ("وزارة الصحة", "ORG")]
    assert ents[1]["start"] == TEXT.index("ووزارة الصحة") + 1
    # The first "وزارة الصحة" was left out: warned about. (The warning looks for the annotated
    # string itself, so the "رياض" of "وللرياض" is not flagged.)
    assert len(warnings) == 1 and "وزارة الصحة" in warnings[0]


def test_a_proclitic_run_may_precede_a_span():
    # The لل rule: "وللرياض" → "لرياض" (occurrence 1 of "لرياض" is inside "الرياض").
    ents, _ = entity_build.build(draft(("لرياض", "LOC", 2)), TEXT)
    assert ents[0]["start"] == TEXT.index("وللرياض") + 2
    with pytest.raises(ValueError, match="cuts a word"):
        entity_build.build(draft(("لرياض", "LOC", 1)), TEXT)


@pytest.mark.parametrize("ents, message", [
    ((("ارة الصحة", "ORG", 1),), "cuts a word"),
    ((("الصحة ", "ORG", 1),), "space or punctuation"),
    ((("وزارة الصحة", "ORG", 9),), "occurrence 9"),
    ((("وزارة الصحة", "GPE", 1),), "type must be"),
    ((("وزارة الصحة", "ORG", 2), ("الصحة", "ORG", 3)), "overlapping"),
])
def test_bad_drafts_are_refused(ents, message):
    with pytest.raises(ValueError, match=message):
        entity_build.build(draft(*ents), TEXT)
