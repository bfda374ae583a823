"""CoNLL reading (BIO and IOB1, PERS → PER), offset alignment onto file tokens, and
exact-match entity scores worked out by hand."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline import conll
from pipeline.conll import Entity
from pipeline.doc import Mention
from pipeline.text.tokenize import tokenize


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_bio_with_pers():
    sents = conll.parse(lines("غيث B-PERS\nالطراونة I-PERS\n- O\nعمان B-LOC\n\nأمر O\n"))
    assert [s.tokens for s in sents] == [("غيث", "الطراونة", "-", "عمان"), ("أمر",)]
    assert sents[0].entities == [Entity("PER", 0, 2), Entity("LOC", 3, 4)]
    assert sents[1].entities == [] and sents[1].line == 6


@pytest.mark.parametrize("tags, expected", [
    # IOB1: I- opens an entity; B- only separates two adjacent ones of the same type.
    ("I-PER I-PER O I-LOC B-LOC", [("PER", 0, 2), ("LOC", 3, 4), ("LOC", 4, 5)]),
    ("I-ORG I-LOC I-LOC", [("ORG", 0, 1), ("LOC", 1, 3)]),
    # BIO: adjacent B-LOC B-LOC are two places (ANERcorp: "الصالحية B-LOC ونايفة B-LOC").
    ("B-LOC B-LOC O", [("LOC", 0, 1), ("LOC", 1, 2)]),
    ("B-ORG I-ORG I-ORG", [("ORG", 0, 3)]),
    # A type change inside I- tags starts a new entity; PERS and PER are one type.
    ("B-PERS I-PER", [("PER", 0, 2)]),
    ("B-ORG I-LOC", [("ORG", 0, 1), ("LOC", 1, 2)]),
    ("O O", []),
    ("", []),
])
def test_bio_and_iob1_chunks(tags, expected):
    assert conll.tag_entities(tags.split()) == [Entity(*e) for e in expected]


def test_bom_crlf_tabs_and_docstart():
    text = "\ufeff-DOCSTART- O\r\n\r\nKyiv\tB-LOC\r\nPost\tI-LOC\r\n"
    (sent,) = conll.parse(lines(text))
    assert sent.tokens == ("Kyiv", "Post") and sent.entities == [Entity("LOC", 0, 2)]


@pytest.mark.parametrize("text, where", [("وصل B-PERS\nخطأ\n", "f.txt:2"), ("وصل X-LOC\n", "f.txt:1")])
def test_bad_lines_name_file_and_line(text, where):
    with pytest.raises(conll.ConllError, match=where):
        conll.parse(lines(text), "f.txt")


def test_write_then_read_gives_the_same_sentences(tmp_path):
    sents = conll.parse(lines("غيث B-PERS\nالطراونة I-PERS\n\nعمان B-LOC\n"))
    conll.write(sents, tmp_path / "out.txt")
    again = conll.read(tmp_path / "out.txt")
    assert [(s.tokens, s.tags) for s in again] == [(s.tokens, s.tags) for s in sents]


def test_sentence_text_offsets():
    text, offsets = conll.sentence_text(["قال", "وموسكو", "."])
    assert text == "قال وموسكو ."
    assert offsets == [(0, 3), (4, 10), (11, 12)]
    assert [text[a:b] for a, b in offsets] == ["قال", "وموسكو", "."]


def _span(t, a, b):
    return Mention("m", t, a, b, "x" * (b - a))


def test_spans_map_to_every_file_token_they_touch():
    _, offsets = conll.sentence_text(["قال", "وموسكو", "بيونغ", "يانغ"])   # (0,3) (4,10) (11,16) (17,21)
    assert conll.to_tokens([_span("LOC", 5, 10)], offsets) == [Entity("LOC", 1, 2)]   # clitic و outside
    assert conll.to_tokens([_span("LOC", 11, 21)], offsets) == [Entity("LOC", 2, 4)]
    assert conll.to_tokens([_span("LOC", 12, 18)], offsets) == [Entity("LOC", 2, 4)]  # mid-token ends
    assert conll.to_tokens([_span("LOC", 3, 5)], offsets) == [Entity("LOC", 1, 2)]    # from the gap
    # Two spans inside one file token become one entity.
    assert conll.to_tokens([_span("LOC", 4, 5), _span("LOC", 5, 10)], offsets) == [Entity("LOC", 1, 2)]


def test_our_clitic_split_aligns_with_the_file_token():
    sent = conll.parse(lines("وصل O\nالوزير O\nوموسكو B-LOC\n"))[0]
    text, _ = conll.sentence_text(sent.tokens)
    # Our tokenizer splits the conjunction off the file token "وموسكو" ...
    toks = tokenize(text)
    assert [t.text for t in toks][-2:] == ["و", "موسكو"]
    moscow = toks[-1]

    def extract(_text):   # ... and an extractor reports the place without it.
        return [Mention("m1", "LOC", moscow.start, moscow.end, text[moscow.start:moscow.end])]

    loc = conll.evaluate([sent], extract).scores["LOC"].strict
    assert (loc.tp, loc.gold, loc.pred, loc.f1) == (1, 1, 1, 1.0)


def test_exact_match_scores_by_hand():
    data = ("وقال B-PERS\nغيث I-PERS\nفي O\nعمان B-LOC\nأمس O\n\n"
            "زار O\nمجلس B-ORG\nالأمن I-ORG\n")
    sents = conll.parse(lines(data))
    # Sentence 1 text "وقال غيث في عمان أمس": tokens (0,4) (5,8) (9,11) (12,16) (17,20).
    # Sentence 2 text "زار مجلس الأمن": tokens (0,3) (4,8) (9,14).
    preds = {
        "وقال غيث في عمان أمس": [_span("PER", 0, 8),      # tokens 0-1: exact PER
                                 _span("LOC", 12, 20),    # tokens 3-4: too long, LOC miss
                                 _span("DATE", 17, 20)],  # not an entity type: ignored
        "زار مجلس الأمن": [_span("ORG", 4, 8),            # token 1 only: ORG miss
                           _span("MISC", 0, 3)],          # false alarm
    }
    res = conll.evaluate(sents, lambda text: preds[text])
    got = {t: (s.strict.tp, s.strict.gold, s.strict.pred) for t, s in res.scores.items()}
    assert got == {"PER": (1, 1, 1), "ORG": (0, 1, 1), "LOC": (0, 1, 1), "MISC": (0, 0, 1)}
    # micro: tp 1, gold 3, pred 4 → P 1/4, R 1/3, F1 2·1/7.
    micro = res.micro.strict
    assert (micro.tp, micro.gold, micro.pred) == (1, 3, 4)
    assert micro.precision == 0.25 and micro.recall == pytest.approx(1 / 3) and micro.f1 == pytest.approx(2 / 7)
    # PER+ORG+LOC: tp 1, gold 3, pred 3 → 1/3 each.
    assert res.entities.strict.f1 == pytest.approx(1 / 3)
    assert (res.sentences, res.tokens) == (2, 8)


def test_ner_eval_cli(tmp_path):
    import cli

    f = tmp_path / "sample.txt"
    f.write_text("زار O\nسيرغي B-PERS\nلافروف I-PERS\nموسكو B-LOC\n\nقال O\nرويترز B-ORG\n", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["ner-eval", str(f)])
    assert result.exit_code == 0, result.output
    windowed = CliRunner().invoke(cli.app, ["ner-eval", str(f), "--window", "2", "--json"])
    assert windowed.exit_code == 0, windowed.output
    assert json.loads(windowed.output)[str(f)]["window"] == 2
    refused = CliRunner().invoke(cli.app, ["ner-eval", str(tmp_path), "--window", "2"])
    assert refused.exit_code == 2 and "--window" in refused.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines()[2:]}
    # Gold counts are the file's: PER 1, ORG 1, LOC 1, MISC 0; micro 3.
    assert [rows[t][4] for t in ("PER", "ORG", "LOC", "MISC", "micro")] == ["1", "1", "1", "0", "3"]
    result = CliRunner().invoke(cli.app, ["ner-eval", str(f), "--model-only", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[str(f)]["micro"]["gold"] == 3

    bad = tmp_path / "bad.txt"
    bad.write_text("زار\n", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["ner-eval", str(bad)])
    assert result.exit_code == 2 and "bad.txt:1" in result.output


def _entity_gold(tmp_path, text: str, entities: list[dict]):
    import json

    (tmp_path / "corpus" / "ner" / "heldout").mkdir(parents=True)
    (tmp_path / "gold" / "ner" / "heldout").mkdir(parents=True)
    (tmp_path / "corpus" / "ner" / "heldout" / "d1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "gold" / "ner" / "heldout" / "d1.json").write_text(
        json.dumps({"doc_id": "d1", "entities": entities}, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "gold" / "ner" / "heldout", tmp_path / "corpus" / "ner" / "heldout"


def test_entity_gold_scores_by_hand(tmp_path):
    from pipeline import entity_eval

    text = "زار سيرغي لافروف مدينة موسكو ووزارة الصحة."
    gold_dir, corpus_dir = _entity_gold(tmp_path, text, [
        {"start": 4, "end": 16, "type": "PER", "text": "سيرغي لافروف"},
        {"start": 23, "end": 28, "type": "LOC", "text": "موسكو"},
        {"start": 30, "end": 41, "type": "ORG", "text": "وزارة الصحة"}])
    docs = entity_eval.read_entity_gold(gold_dir, corpus_dir)
    # Predictions: PER exact, LOC too long (overlap only), ORG missed, one false alarm.
    pred = [Mention("x1", "PER", 4, 16, "سيرغي لافروف"), Mention("x2", "LOC", 17, 28, "مدينة موسكو"),
            Mention("x3", "LOC", 0, 3, "زار")]
    scores = entity_eval.score_docs(docs, lambda t: pred)
    total = entity_eval.total(scores)
    # strict: tp 1, gold 3, pred 3 → P = R = F1 = 1/3; overlap: tp 2 → 2/3.
    assert (total.strict.tp, total.strict.gold, total.strict.pred) == (1, 3, 3)
    assert total.strict.f1 == pytest.approx(1 / 3) and total.overlap.f1 == pytest.approx(2 / 3)
    assert scores["ORG"].overlap.recall == 0 and scores["LOC"].overlap.precision == 0.5


def test_entity_gold_that_does_not_match_its_text_is_an_error(tmp_path):
    from pipeline import entity_eval

    gold_dir, corpus_dir = _entity_gold(tmp_path, "زار موسكو.", [
        {"start": 0, "end": 3, "type": "LOC", "text": "موسكو"}])
    with pytest.raises(ValueError, match="is not 'موسكو'"):
        entity_eval.read_entity_gold(gold_dir, corpus_dir)


def test_ner_eval_cli_on_an_entity_gold_folder(tmp_path):
    import cli

    gold_dir, _ = _entity_gold(tmp_path, "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو لن تتراجع.", [
        {"start": 25, "end": 37, "type": "PER", "text": "سيرغي لافروف"},
        {"start": 41, "end": 46, "type": "LOC", "text": "موسكو"}])
    result = CliRunner().invoke(cli.app, ["ner-eval", str(gold_dir)])
    assert result.exit_code == 0, result.output
    lines_ = result.output.splitlines()
    assert ": 1 documents, " in lines_[0] and "strict" in lines_ and "overlap" in lines_
    gold_counts = [line.split()[4] for line in lines_ if line.startswith("PER+ORG+LOC")]
    assert gold_counts == ["2", "2"]      # strict and overlap rows, 2 gold entities


def test_window_reads_sentences_as_lines_of_one_text():
    sents = conll.parse(lines("زار O\nموسكو B-LOC\n\nقال O\nرويترز B-ORG\n\nفي O\nعمان B-LOC\n"))
    seen = []

    def extract(text):
        seen.append(text)
        if text.startswith("زار"):
            # "موسكو" in line 1, and a span from "رويترز" to the end of the text
            return [_span("LOC", 4, 9), _span("ORG", text.index("رويترز"), len(text))]
        return [_span("LOC", 3, 7)]   # "عمان" of "في عمان", alone in its window

    res = conll.evaluate(sents, extract, window=3)
    assert seen == ["زار موسكو\nقال رويترز\nفي عمان"]
    got = {t: (s.strict.tp, s.strict.gold, s.strict.pred) for t, s in res.scores.items()}
    # The ORG span runs on over the line break into "في عمان": a false alarm of line 2, not
    # cut to "رويترز".
    assert got == {"PER": (0, 0, 0), "ORG": (0, 1, 1), "LOC": (1, 2, 1), "MISC": (0, 0, 0)}
    seen.clear()
    res = conll.evaluate(sents, extract, window=2)
    assert seen == ["زار موسكو\nقال رويترز", "في عمان"]
    # Here it ends with line 2: "رويترز" exactly.
    assert res.micro.strict.tp == 3 and (res.sentences, res.tokens) == (3, 6)
    with pytest.raises(ValueError):
        conll.evaluate(sents, extract, window=0)
