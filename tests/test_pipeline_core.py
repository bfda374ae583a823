"""Registry, merge policy and the pipeline's shape."""
import pytest

from pipeline import registry
from pipeline.doc import Document, Mention, Value
from pipeline.merge import longest_wins
from pipeline.nlp import Pipeline


def test_registry_knows_the_default_pipeline():
    keys = registry.known()
    for key, _ in registry.DEFAULT_PIPELINE:
        assert key in keys
    names = [k for k, _ in registry.DEFAULT_PIPELINE]
    claims = next(n for n in names if n.startswith("claims/"))
    assert names.index("merge/1") < names.index(claims)


def test_unknown_component_and_setting_are_clear_errors():
    with pytest.raises(KeyError, match="no component"):
        registry.build("nope/1")
    with pytest.raises(ValueError, match="unknown settings"):
        registry.build("merge/1", colour="red")


def test_longest_wins_prefers_numbers_over_entities_and_longer_spans():
    ms = [
        Mention("x1", "LOC", 0, 5, "aaaaa", source="entities/4"),
        Mention("x2", "QUANTITY", 3, 9, "aaaaaa", Value(amount=1), source="numbers/1"),
        Mention("x3", "DATE", 10, 14, "bbbb", Value(timex="2024"), source="dates/1"),
        Mention("x4", "DATE", 10, 18, "bbbbbbbb", Value(timex="2024-06"), source="dates/1"),
        Mention("x5", "ORG", 20, 25, "ccccc", source="entities/4"),
    ]
    kept = longest_wins(ms)
    assert [(m.id, m.type, m.start, m.end) for m in kept] == [
        ("m1", "QUANTITY", 3, 9), ("m2", "DATE", 10, 18), ("m3", "ORG", 20, 25)]


def test_pipeline_output_spans_point_into_the_text():
    text = "قالت وزارة المالية إن العجز بلغ 3.5 مليار ريال في عام 2015، بحسب بيان صدر أمس."
    ann = Pipeline.default()(Document("d", text, "2015-08-02"))
    assert ann.mentions, "the default pipeline found nothing"
    for m in ann.mentions:
        assert text[m.start:m.end] == m.text
    ids = {m.id for m in ann.mentions}
    for c in ann.claims:
        assert c.value in ids and (c.time is None or c.time in ids)
