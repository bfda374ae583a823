"""Document model and claims-doc/1 reading/writing."""
import json

import pytest
from conftest import ROOT, read_text

from pipeline.doc import Annotation, Attribution, Claim, Mention, Span, Value, sha256_text
from pipeline.output import jsonio


def test_value_invariants():
    with pytest.raises(ValueError):
        Value(amount=1, min=0, max=2)
    with pytest.raises(ValueError):
        Value(min=1)
    with pytest.raises(ValueError):
        Value(timex="2024", start="2023")
    with pytest.raises(ValueError):
        Value(amount=1, bound="gte")
    assert Value(amount=34400000.0, currency="USD").to_json() == {"amount": 34400000, "currency": "USD"}
    assert Value(amount=9.1).to_json() == {"amount": 9.1}


def test_mention_rejects_bad_spans_and_types():
    with pytest.raises(ValueError):
        Mention("m1", "MONEY", 5, 5, "")
    with pytest.raises(ValueError):
        Mention("m1", "NUMBER", 0, 1, "x")


def _sample(text: str) -> Annotation:
    a = text.index("34.4")
    m = Mention("m1", "MONEY", a, a + 16, text[a:a + 16], Value(amount=34400000, currency="USD"))
    d = text.index("2023")
    t = Mention("m2", "DATE", d - 4, d + 4, text[d - 4:d + 4], Value(timex="2023"))
    cue = Span(0, 4, text[0:4])
    att = Attribution("a1", cue, Span(5, 10, text[5:10]), Span(11, len(text) - 1, text[11:len(text) - 1]))
    return Annotation("doc", sha256_text(text), "2024-06-19", (m, t), (att,), (Claim("c1", "m1", "m2", "a1"),))


TEXT = "قالت وكالة إن التبادل بلغ 34.4 مليون دولار عام 2023."


def test_round_trip():
    ann = _sample(TEXT)
    data = json.loads(jsonio.dumps(ann))
    back = jsonio.from_json(data, TEXT)
    assert back == ann


def test_text_mismatch_and_dangling_reference_are_errors():
    data = jsonio.to_json(_sample(TEXT))
    with pytest.raises(jsonio.InvalidDocument, match="text_sha256"):
        jsonio.from_json(data, TEXT + " ")
    data["claims"][0]["time"] = "m9"
    with pytest.raises(jsonio.InvalidDocument, match="unknown time"):
        jsonio.from_json(data)
    data = jsonio.to_json(_sample(TEXT))
    data["mentions"][0]["text"] = "x"
    with pytest.raises(jsonio.InvalidDocument, match="is not text"):
        jsonio.from_json(data, TEXT)
    data = jsonio.to_json(_sample(TEXT))
    data["mentions"][0]["value"]["extra"] = 1
    with pytest.raises(jsonio.InvalidDocument):
        jsonio.from_json(data)


def test_every_gold_file_reads_and_round_trips():
    for path in sorted((ROOT / "gold").glob("*.json")):
        text = read_text(ROOT / "corpus" / f"{path.stem}.txt")
        ann = jsonio.read(path, text)
        assert jsonio.from_json(json.loads(jsonio.dumps(ann)), text) == ann


def test_write_atomic_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    jsonio.write_atomic(target, "first")

    class Boom(Exception):
        pass

    def explode(*args, **kwargs):
        raise Boom

    monkeypatch.setattr("os.replace", explode)
    with pytest.raises(Boom):
        jsonio.write_atomic(target, "second")
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
