"""The scorer (ANNOTATION.md section 5) on small cases whose figures are worked out by hand,
and on the gold files scored against themselves and against small edits of themselves."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import scoring
from pipeline.doc import Annotation, Attribution, Claim, Document, Mention, Span, Value, sha256_text
from pipeline.output import jsonio

ROOT = Path(__file__).resolve().parents[1]
GOLD_FILES = sorted((ROOT / "gold").glob("*.json"))

# Offsets in mention tests are plain numbers over a neutral text.
FILLER = "ا" * 400
# A real sentence for attributions, claims and error context.
SENT = ("قال وزير المالية إن الإيرادات بلغت نحو 34.4 مليون دولار في يونيو 2024، "
        "وأضاف أن العجز تراجع بنسبة 5% خلال العام الماضي.")


def at(sub: str, text: str = SENT) -> tuple[int, int]:
    i = text.index(sub)
    return i, i + len(sub)


def men(mid, mtype, start, end, text=FILLER, **value) -> Mention:
    return Mention(mid, mtype, start, end, text[start:end], Value(**value) if value else None)


def span(sub: str) -> Span:
    a, b = at(sub)
    return Span(a, b, sub)


def ann(mentions=(), atts=(), claims=(), text=FILLER, doc_id="t") -> Annotation:
    return Annotation(doc_id, sha256_text(text), None, tuple(mentions), tuple(atts), tuple(claims))


def prf(p: scoring.PRF) -> tuple:
    return (p.tp, p.gold, p.pred)


def approx(x):
    return pytest.approx(x, abs=1e-9)


# ---------------------------------------------------------------- mentions

def test_exact_match_scores_one_everywhere():
    g = ann([men("g1", "MONEY", 10, 20, amount=100, currency="USD")])
    p = ann([men("p1", "MONEY", 10, 20, amount=100, currency="USD")])
    s = scoring.score_document(g, p).types["MONEY"]
    # tp 1, gold 1, pred 1 in every scheme: P = R = F1 = 1/1.
    for scheme in (s.strict, s.overlap, s.value):
        assert prf(scheme) == (1, 1, 1)
        assert (scheme.precision, scheme.recall, scheme.f1) == (1.0, 1.0, 1.0)


def test_partial_overlap_is_overlap_not_strict():
    g = ann([men("g1", "MONEY", 10, 20, amount=100, currency="USD")])
    p = ann([men("p1", "MONEY", 12, 22, amount=100, currency="USD")])
    s = scoring.score_document(g, p).types["MONEY"]
    # strict: [12,22) != [10,20): tp 0 → P = 0/1, R = 0/1, F1 = 0/2.
    assert prf(s.strict) == (0, 1, 1) and (s.strict.precision, s.strict.recall, s.strict.f1) == (0, 0, 0)
    # overlap: 8 characters in common → tp 1; value equal → tp 1.
    assert prf(s.overlap) == (1, 1, 1) and s.overlap.f1 == 1.0
    assert prf(s.value) == (1, 1, 1)


def test_one_gold_two_predictions_only_one_counts():
    g = ann([men("g1", "MONEY", 10, 30, amount=100, currency="USD")])
    p = ann([men("p1", "MONEY", 10, 25, amount=999, currency="USD"),   # overlap 15, wrong value
             men("p2", "MONEY", 25, 30, amount=100, currency="USD")])  # overlap 5, right value
    s = scoring.score_document(g, p).types["MONEY"]
    # Greedy by largest overlap pairs g1 with p1 (15 > 5); p2 stays unmatched.
    # overlap: tp 1, gold 1, pred 2 → P = 1/2, R = 1/1, F1 = 2·1/(1+2) = 0.667.
    assert prf(s.overlap) == (1, 1, 2)
    assert (s.overlap.precision, s.overlap.recall, s.overlap.f1) == (0.5, 1.0, approx(2 / 3))
    # value: the matched p1 has 999 ≠ 100 → tp 0 → P = 0/2, R = 0/1, F1 = 0.
    assert prf(s.value) == (0, 1, 2) and s.value.f1 == 0
    assert prf(s.strict) == (0, 1, 2)


def test_greedy_takes_the_largest_overlap_first():
    # A [0,10), B [10,20); P1 [5,18) overlaps A by 5 and B by 8; P2 [14,16) overlaps B by 2.
    # Largest first: (B, P1, 8); then A's only candidate P1 is taken and P2's only
    # candidate B is taken → 1 overlap match (gold-order greedy would have found 2).
    g = ann([men("A", "DATE", 0, 10, timex="2024"), men("B", "DATE", 10, 20, timex="2025")])
    p = ann([men("P1", "DATE", 5, 18, timex="2025"), men("P2", "DATE", 14, 16, timex="2024")])
    al = scoring.align(g, p)
    assert [(al.mentions.gold[gi].id, al.mentions.pred[pi].id) for gi, pi in al.mentions.pairs] == [("B", "P1")]
    s = scoring.score_alignment(al).types["DATE"]
    # overlap tp 1, gold 2, pred 2 → P = R = F1 = 1/2; value: B and P1 are both 2025 → tp 1.
    assert prf(s.overlap) == (1, 2, 2) and s.overlap.f1 == 0.5
    assert prf(s.value) == (1, 2, 2)


def test_type_must_agree_and_misc_is_never_scored():
    g = ann([men("g1", "MONEY", 10, 20, amount=5)])
    p = ann([men("p1", "QUANTITY", 10, 20, amount=5), men("p2", "MISC", 30, 40)])
    score = scoring.score_document(g, p)
    # MONEY: tp 0, gold 1, pred 0 → P undefined, R = 0, F1 = 0/(1+0) = 0.
    m = score.types["MONEY"].overlap
    assert prf(m) == (0, 1, 0) and (m.precision, m.recall, m.f1) == (None, 0.0, 0.0)
    # QUANTITY: tp 0, gold 0, pred 1 → P = 0, R undefined, F1 = 0.
    q = score.types["QUANTITY"].overlap
    assert prf(q) == (0, 0, 1) and (q.precision, q.recall, q.f1) == (0.0, None, 0.0)
    assert "MISC" not in score.types
    assert sum(t.overlap.pred for t in score.types.values()) == 1   # the MISC prediction is not counted


@pytest.mark.parametrize("gold, pred, equal", [
    # ranges: min and max each within 0.5% of gold
    (dict(min=40, max=50), dict(min=40, max=50), True),
    (dict(min=40, max=50), dict(min=40.2, max=50.25), True),     # 0.2 = 0.5% of 40, 0.25 = 0.5% of 50
    (dict(min=40, max=50), dict(min=40, max=50.3), False),       # 0.3 = 0.6% of 50
    (dict(min=40, max=50), dict(amount=45), False),              # a range is not an amount
    (dict(min=1.72e9, max=5.52e9, currency="USD"), dict(min=1.72e9, max=5.52e9, currency="USD"), True),
    # the 0.5% tolerance, relative to the gold number, inclusive
    (dict(amount=200), dict(amount=201), True),                  # 1 = 0.5% of 200
    (dict(amount=200), dict(amount=199), True),
    (dict(amount=200), dict(amount=201.01), False),              # 1.01 > 1
    (dict(amount=200), dict(amount=198.99), False),
    (dict(amount=9.1), dict(amount=9.1455), True),               # 0.0455 = 0.5% of 9.1 (float edge)
    (dict(amount=9.1), dict(amount=9.146), False),
    (dict(amount=0), dict(amount=0), True),
    (dict(amount=0), dict(amount=0.001), False),                 # 0.5% of 0 is 0
    # qualifiers
    (dict(amount=10, approx=True), dict(amount=10), False),
    (dict(amount=10, approx=True), dict(amount=10, approx=True), True),
    (dict(amount=10), dict(amount=10, approx=False), True),      # absent approx = false
    (dict(amount=10, bound="gt"), dict(amount=10, bound="ge"), False),
    (dict(amount=10, bound="gt"), dict(amount=10), False),
    (dict(amount=10, currency="USD"), dict(amount=10, currency="SAR"), False),
    (dict(amount=10, currency="USD"), dict(amount=10), False),
    # unit is not part of value equality
    (dict(amount=10, unit="جندي"), dict(amount=10, unit="جنود"), True),
    (dict(amount=10, unit="barrel"), dict(amount=10), True),
    # time values
    (dict(timex="2024-06"), dict(timex="2024-06"), True),
    (dict(timex="2024-06"), dict(timex="2024"), False),
    (dict(start="2024-03", end="2024-10"), dict(start="2024-03", end="2024-10"), True),
    (dict(start="2024-03", end="2024-10"), dict(start="2024-03", end="2024-11"), False),
    (dict(start="2024-03", end="2024-10"), dict(timex="2024"), False),
    (dict(timex="P20Y", bound="gt"), dict(timex="P20Y"), False),
    # no value on either side (an unresolved date) is equal; one side only is not
    (None, None, True),
    (None, dict(timex="2015-07-21"), False),
    (dict(timex="2015-07-21"), None, False),
])
def test_value_scheme(gold, pred, equal):
    g = ann([Mention("g1", "DATE", 10, 20, FILLER[10:20], Value(**gold) if gold is not None else None)])
    p = ann([Mention("p1", "DATE", 11, 20, FILLER[11:20], Value(**pred) if pred is not None else None)])
    s = scoring.score_document(g, p).types["DATE"]
    # One overlap match (9 characters in common); value tp is 1 exactly when the values are equal.
    assert prf(s.overlap) == (1, 1, 1)
    assert prf(s.value) == (int(equal), 1, 1)
    assert scoring.values_equal(Value(**gold) if gold else None, Value(**pred) if pred else None) is equal


def test_unit_accuracy_is_over_matches_with_a_gold_unit():
    g = ann([men("g1", "QUANTITY", 0, 10, amount=10, unit="جندي"),
             men("g2", "QUANTITY", 20, 30, amount=24, unit="لقاء"),
             men("g3", "QUANTITY", 40, 50, amount=3),                  # no unit: not counted
             men("g4", "QUANTITY", 60, 70, amount=7, unit="barrel")])  # not matched: not counted
    p = ann([men("p1", "QUANTITY", 0, 10, amount=10, unit="جندي"),      # right
             men("p2", "QUANTITY", 20, 30, amount=24, unit="لقاءات"),   # wrong
             men("p3", "QUANTITY", 40, 50, amount=3, unit="شخص")])
    s = scoring.score_document(g, p).types["QUANTITY"]
    # unit accuracy = 1 right / 2 matches with a gold unit = 0.5; value ignores units: 3 of 3 matches.
    assert (s.unit.correct, s.unit.total, s.unit.value) == (1, 2, 0.5)
    assert prf(s.value) == (3, 4, 3)


def test_groups_sum_their_types():
    g = ann([men("g1", "MONEY", 0, 5, amount=1), men("g2", "PERCENT", 10, 15, amount=2),
             men("g3", "DATE", 20, 25, timex="2024"), men("g4", "PER", 30, 35), men("g5", "LOC", 40, 45)])
    p = ann([men("p1", "MONEY", 0, 5, amount=1), men("p2", "QUANTITY", 10, 15, amount=2),
             men("p3", "DATE", 20, 24, timex="2024"), men("p4", "PER", 30, 35), men("p5", "ORG", 40, 45)])
    groups = scoring.score_document(g, p).groups
    # numbers: gold MONEY+PERCENT = 2, pred MONEY+QUANTITY = 2, only MONEY matches → overlap (1, 2, 2).
    assert prf(groups["numbers"].overlap) == (1, 2, 2)
    # temporal: DATE overlaps but [20,24) ≠ [20,25) → overlap (1, 1, 1), strict (0, 1, 1).
    assert prf(groups["temporal"].overlap) == (1, 1, 1) and prf(groups["temporal"].strict) == (0, 1, 1)
    # entities: PER matches, LOC vs ORG does not → (1, 2, 2), F1 = 2·1/4 = 0.5.
    assert prf(groups["entities"].strict) == (1, 2, 2) and groups["entities"].strict.f1 == 0.5


def test_micro_average_sums_counts_over_documents():
    g1 = ann([men("g1", "MONEY", 0, 5, amount=1)] * 1)
    g2 = ann([men(f"g{i}", "MONEY", 10 * i, 10 * i + 5, amount=1) for i in range(3)])
    p2 = ann([men("p0", "MONEY", 0, 5, amount=1)])
    total = scoring.total([scoring.score_document(g1, g1), scoring.score_document(g2, p2)])
    # doc 1: (1, 1, 1); doc 2: (1, 3, 1) → micro (2, 4, 2): P = 2/2, R = 2/4, F1 = 4/6.
    s = total.types["MONEY"].strict
    assert prf(s) == (2, 4, 2) and (s.precision, s.recall, s.f1) == (1.0, 0.5, approx(2 / 3))
    assert total.documents == 2


def test_shift_one_span_by_one_character():
    gold = ann([men(f"g{i}", "MONEY", 20 * i, 20 * i + 10, amount=i + 1, currency="USD") for i in range(4)])
    moved = list(gold.mentions)
    moved[2] = men("g2", "MONEY", 41, 51, amount=3, currency="USD")     # [40,50) → [41,51)
    s = scoring.score_document(gold, replace(gold, mentions=tuple(moved))).types["MONEY"]
    # strict: 3 of 4 → P = R = F1 = 3/4; overlap and value stay 4/4.
    assert prf(s.strict) == (3, 4, 4) and s.strict.f1 == 0.75
    assert s.overlap.f1 == 1.0 and s.value.f1 == 1.0


def test_change_one_value():
    gold = ann([men(f"g{i}", "MONEY", 20 * i, 20 * i + 10, amount=100, currency="USD") for i in range(4)])
    changed = list(gold.mentions)
    changed[1] = men("g1", "MONEY", 20, 30, amount=101, currency="USD")  # 1% off
    s = scoring.score_document(gold, replace(gold, mentions=tuple(changed))).types["MONEY"]
    # value: 3 of 4 → 0.75; strict and overlap untouched.
    assert prf(s.value) == (3, 4, 4) and s.value.f1 == 0.75
    assert s.strict.f1 == 1.0 and s.overlap.f1 == 1.0


# ---------------------------------------------------------------- attributions

def att(aid, cue, source, content) -> Attribution:
    return Attribution(aid, span(cue), span(source), span(content))


def test_attributions_match_on_source_and_content_overlap():
    gold = ann(atts=[att("a1", "قال", "وزير المالية", "الإيرادات بلغت نحو 34.4 مليون دولار")], text=SENT)
    pred = ann(atts=[
        # source exact, content shifted: matches
        att("b1", "قال", "وزير المالية", "بلغت نحو 34.4 مليون دولار في يونيو"),
        # source overlaps, content does not: no match
        att("b2", "وأضاف", "وزير المالية", "العجز تراجع بنسبة 5%"),
    ], text=SENT)
    s = scoring.score_document(gold, pred).attributions
    # match: tp 1, gold 1, pred 2 → P 0.5, R 1, F1 2/3.
    assert prf(s.match) == (1, 1, 2) and s.match.f1 == approx(2 / 3)
    # cue strict: "قال" once in gold, once in pred ("وأضاف" differs) → (1, 1, 2).
    assert prf(s.cue) == (1, 1, 2)
    # source strict, as multisets: gold has the span once, pred twice → tp 1.
    assert prf(s.source) == (1, 1, 2)
    # content strict: no exact content → (0, 1, 2).
    assert prf(s.content) == (0, 1, 2)
    # token F1 of the matched pair: gold tokens الإيرادات بلغت نحو 34.4 مليون دولار (6),
    # pred tokens بلغت نحو 34.4 مليون دولار في يونيو (7), 5 in common → 2·5/(6+7) = 10/13.
    assert s.content_tokens.n == 1 and s.content_tokens.value == approx(10 / 13)


def test_token_f1_compares_positions_and_splits_clitics():
    # "وأضاف أن العجز" vs "أضاف أن العجز": the tokenizer splits و off, so 3 tokens
    # of 4 are shared → 2·3/(4+3) = 6/7.
    g = span("وأضاف أن العجز")
    p = Span(g.start + 1, g.end, g.text[1:])
    assert scoring.token_f1(g, p) == approx(6 / 7)


# ---------------------------------------------------------------- claims

N = men("n1", "MONEY", *at("نحو 34.4 مليون دولار"), text=SENT, amount=34.4e6, approx=True, currency="USD")
T1 = men("t1", "DATE", *at("يونيو 2024"), text=SENT, timex="2024-06")
T2 = men("t2", "DATE", *at("العام الماضي"), text=SENT)
A1 = att("a1", "قال", "وزير المالية", "الإيرادات بلغت نحو 34.4 مليون دولار في يونيو 2024")


def claim_doc(time="t1", attribution="a1", mentions=(N, T1, T2), atts=(A1,)) -> Annotation:
    return ann(mentions, atts, [Claim("c1", "n1", time, attribution)], text=SENT)


def claims_of(gold, pred) -> tuple:
    c = scoring.score_document(gold, pred).claims
    return prf(c.match), (c.time_link.correct, c.time_link.total), \
        (c.attribution_link.correct, c.attribution_link.total)


def test_claim_matches_when_value_time_and_attribution_resolve():
    # Prediction ids differ from gold ids; they resolve through the matches.
    pred = ann([replace(N, id="x"), replace(T1, id="y"), replace(T2, id="z")],
               [replace(A1, id="q")], [Claim("k", "x", "y", "q")], text=SENT)
    assert claims_of(claim_doc(), pred) == ((1, 1, 1), (1, 1), (1, 1))


def test_claim_with_the_wrong_time():
    # Time resolves to gold t2, not t1: the claim does not match; time-link 0/1, attribution-link 1/1.
    assert claims_of(claim_doc(), claim_doc(time="t2")) == ((0, 1, 1), (0, 1), (1, 1))


def test_claim_null_links():
    # Gold time is null and pred time is null: that agrees. Gold attribution a1, pred null: wrong.
    gold = claim_doc(time=None)
    assert claims_of(gold, claim_doc(time=None, attribution=None)) == ((0, 1, 1), (1, 1), (0, 1))
    # Both null on both links: the claim matches.
    both = claim_doc(time=None, attribution=None)
    assert claims_of(both, both) == ((1, 1, 1), (1, 1), (1, 1))
    # Gold null, pred names a time: wrong.
    assert claims_of(both, claim_doc(attribution=None)) == ((0, 1, 1), (0, 1), (1, 1))


def test_claim_attribution_must_be_the_matched_one():
    # The predicted attribution's content does not overlap gold's (a different clause), so
    # the link cannot resolve to a1: attribution-link 0/1.
    other = att("a1", "وأضاف", "وزير المالية", "العجز تراجع بنسبة 5%")
    assert claims_of(claim_doc(), claim_doc(atts=(other,))) == ((0, 1, 1), (1, 1), (0, 1))


def test_claim_whose_number_is_missed_is_not_in_link_accuracy():
    moved = men("n1", "MONEY", *at("5%"), text=SENT, amount=34.4e6, approx=True, currency="USD")
    # The predicted number does not overlap gold's: claim (0, 1, 1); no value-matched claims → 0/0.
    assert claims_of(claim_doc(), claim_doc(mentions=(moved, T1, T2))) == ((0, 1, 1), (0, 0), (0, 0))
    c = scoring.score_document(claim_doc(), claim_doc(mentions=(moved, T1, T2))).claims
    assert c.time_link.value is None


def test_claim_link_accuracy_micro_over_documents():
    # doc 1 right; doc 2 wrong time → claims (1, 2, 2): P = R = F1 = 1/2; time 1/2; attribution 2/2.
    s = scoring.total([scoring.score_document(claim_doc(), claim_doc()),
                       scoring.score_document(claim_doc(), claim_doc(time="t2"))]).claims
    assert prf(s.match) == (1, 2, 2) and s.match.f1 == 0.5
    assert s.time_link.value == 0.5 and s.attribution_link.value == 1.0


# ---------------------------------------------------------------- errors

def test_errors_list_misses_false_alarms_and_mismatches_with_their_sentence():
    doc = Document("t", SENT)
    gold = claim_doc()
    wrong = replace(N, value=Value(amount=30e6, approx=True, currency="USD"))
    extra = men("e1", "PERCENT", *at("5%"), text=SENT, amount=5)
    pred = ann([wrong, T1, extra], [A1], [Claim("c1", "n1", "t1", "a1"), Claim("c2", "e1", None, None)], text=SENT)
    grouped = scoring.group_errors(scoring.errors(scoring.align(gold, pred), doc))
    assert {g: [e.kind for e in v] for g, v in grouped.items()} == {
        "MONEY": ["value_mismatch"], "DATE": ["miss"], "PERCENT": ["false_alarm"], "CLAIM": ["false_alarm"]}
    e = grouped["MONEY"][0]
    assert e.gold["value"]["amount"] == 34400000 and e.pred["value"]["amount"] == 30000000
    assert "⟦نحو 34.4 مليون دولار⟧" in e.sentence and e.sentence.startswith("قال وزير")
    assert grouped["DATE"][0].gold["text"] == "العام الماضي"


# ---------------------------------------------------------------- files and the CLI

def write_set(tmp_path: Path, gold: Annotation, text: str = SENT) -> tuple[Path, Path]:
    corpus, gold_dir = tmp_path / "corpus", tmp_path / "gold"
    corpus.mkdir()
    (corpus / f"{gold.doc_id}.txt").write_text(text, encoding="utf-8")
    (corpus / f"{gold.doc_id}.meta.json").write_text('{"doc_date": "2024-07-01", "licence": "test"}')
    jsonio.write(gold_dir / f"{gold.doc_id}.json", gold)
    return corpus, gold_dir


def test_missing_prediction_file_counts_as_all_misses(tmp_path):
    corpus, gold_dir = write_set(tmp_path, claim_doc())
    (tmp_path / "pred").mkdir()
    evals = scoring.evaluation_set(scoring.load_gold(corpus, gold_dir), pred_dir=tmp_path / "pred")
    assert evals[0].missing and evals[0].doc.doc_date == "2024-07-01"
    s = scoring.total(scoring.score_alignment(e.alignment()) for e in evals)
    assert s.missing == ["t"]
    # MONEY (0, 1, 0), DATE (0, 2, 0), attributions (0, 1, 0), claims (0, 1, 0).
    assert prf(s.types["MONEY"].overlap) == (0, 1, 0) and prf(s.types["DATE"].overlap) == (0, 2, 0)
    assert prf(s.attributions.match) == (0, 1, 0) and prf(s.claims.match) == (0, 1, 0)

    result = CliRunner().invoke(_cli(), ["evaluate", "--corpus", str(corpus), "--gold", str(gold_dir),
                                         "--pred", str(tmp_path / "pred")])
    assert result.exit_code == 0, result.output
    assert "no prediction file for 1 of 1 documents (scored as empty, all misses): t" in result.output


@pytest.mark.parametrize("content, message", [
    ("{not json", "not JSON"),
    (json.dumps({"doc_id": "t", "text_sha256": "0" * 64, "mentions": [{"id": "m1", "type": "FOO", "start": 0,
                 "end": 3, "text": "قال"}], "attributions": [], "claims": []}), "mentions/0/type"),
    (json.dumps({"doc_id": "t", "text_sha256": "0" * 64, "mentions": [], "attributions": [], "claims": []}),
     "text_sha256 does not match"),
])
def test_invalid_prediction_file_is_a_clear_error(tmp_path, content, message):
    corpus, gold_dir = write_set(tmp_path, claim_doc())
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "t.json").write_text(content, encoding="utf-8")
    with pytest.raises(scoring.InvalidPrediction, match=message) as info:
        scoring.evaluation_set(scoring.load_gold(corpus, gold_dir), pred_dir=pred)
    assert str(pred / "t.json") in str(info.value)

    result = CliRunner().invoke(_cli(), ["evaluate", "--corpus", str(corpus), "--gold", str(gold_dir),
                                         "--pred", str(pred)])
    assert result.exit_code == 2
    assert "invalid prediction" in result.output and message in result.output


def test_evaluate_cli_table_json_by_doc_and_errors(tmp_path):
    corpus, gold_dir = write_set(tmp_path, claim_doc())
    pred = tmp_path / "pred"
    jsonio.write(pred / "t.json", claim_doc(time="t2"))
    runner = CliRunner()
    base = ["evaluate", "--corpus", str(corpus), "--gold", str(gold_dir), "--pred", str(pred)]
    table = runner.invoke(_cli(), base + ["--by-doc", "--errors"])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    money = next(line for line in lines if line.startswith("MONEY"))
    assert money.split()[1:10] == ["1.000"] * 9 and money.split()[10:12] == ["1", "1"]
    assert any(line.startswith("CLAIMS") and "0.000 0.000 0.000" in line for line in lines)
    assert "time-link accuracy 0.000 (0/1)" in table.output
    assert "== CLAIM: 1 link_mismatch" in table.output and any(line.startswith("t ") for line in lines)

    out = json.loads(runner.invoke(_cli(), base + ["--json", "--types", "MONEY,claims"]).output)
    assert out["score"]["claims"]["time_link_accuracy"] == {"correct": 0, "total": 1, "accuracy": 0.0}
    assert out["score"]["types"]["MONEY"]["value"]["f1"] == 1.0

    only = runner.invoke(_cli(), base + ["--types", "numbers"])
    assert "[numbers]" in only.output and "DATE" not in only.output and "CLAIMS" not in only.output
    bad = runner.invoke(_cli(), base + ["--types", "NUMBERZ"])
    assert bad.exit_code != 0


def _cli():
    import cli

    return cli.app


# ---------------------------------------------------------------- gold against itself and edited

def _gold(path: Path) -> Annotation:
    return jsonio.from_json(json.loads(path.read_text(encoding="utf-8")))


def _figures(data, path=""):
    """Every P, R, F1, accuracy and mean in a score's JSON, with where it sits."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k in ("precision", "recall", "f1", "accuracy", "mean"):
                yield f"{path}/{k}", v
            else:
                yield from _figures(v, f"{path}/{k}")


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_against_itself_is_perfect(path):
    gold = _gold(path)
    figures = dict(_figures(scoring.score_document(gold, gold).to_json()))
    assert {k: v for k, v in figures.items() if v not in (None, 1.0)} == {}
    # Whatever the document holds is scored, so those figures are defined.
    for m in gold.mentions:
        if m.type in scoring.SCORED_TYPES:
            assert figures[f"/types/{m.type}/value/f1"] == 1.0


@pytest.mark.skipif(not GOLD_FILES, reason="no gold files")
def test_whole_gold_set_against_itself_is_perfect():
    golds = [_gold(p) for p in GOLD_FILES]
    s = scoring.total(scoring.score_document(g, g) for g in golds)
    figures = dict(_figures(s.to_json()))
    assert {k: v for k, v in figures.items() if v not in (None, 1.0)} == {}
    assert all(s.types[t].strict.f1 == 1.0 for t in scoring.SCORED_TYPES if s.types[t].strict.gold)
    assert s.claims.match.f1 == 1.0 and s.claims.match.gold == sum(len(g.claims) for g in golds)


def _first_claimed(gold: Annotation, pred=lambda m: True) -> Mention | None:
    claimed = {c.value for c in gold.claims}
    return next((m for m in gold.mentions if m.id in claimed and m.end - m.start > 1 and pred(m)), None)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_with_one_span_shifted_by_one_character(path):
    gold = _gold(path)
    m = _first_claimed(gold)
    if m is None:
        pytest.skip("no claimed number")
    shifted = replace(m, start=m.start + 1, text=m.text[1:])     # drop its first character
    pred = replace(gold, mentions=tuple(shifted if x is m else x for x in gold.mentions))
    s = scoring.score_document(gold, pred)
    n = sum(x.type == m.type for x in gold.mentions)
    # That type loses one strict match: P = R = F1 = (n-1)/n; overlap, value, claims stay 1.
    t = s.types[m.type]
    assert prf(t.strict) == (n - 1, n, n) and t.strict.f1 == approx((n - 1) / n)
    assert t.overlap.f1 == 1.0 and t.value.f1 == 1.0 and s.claims.match.f1 == 1.0
    others = [x for x in scoring.SCORED_TYPES if x != m.type and s.types[x].strict.gold]
    assert all(s.types[x].strict.f1 == 1.0 for x in others)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_with_one_value_changed(path):
    gold = _gold(path)
    m = _first_claimed(gold, lambda m: m.value is not None and m.value.amount)
    if m is None:
        pytest.skip("no claimed number with an amount")
    changed = replace(m, value=replace(m.value, amount=m.value.amount * 1.01))   # 1% > 0.5%
    pred = replace(gold, mentions=tuple(changed if x is m else x for x in gold.mentions))
    s = scoring.score_document(gold, pred)
    n = sum(x.type == m.type for x in gold.mentions)
    # That type loses one value match: (n-1)/n; strict, overlap and claims stay 1.
    t = s.types[m.type]
    assert prf(t.value) == (n - 1, n, n) and t.value.f1 == approx((n - 1) / n)
    assert t.strict.f1 == 1.0 and t.overlap.f1 == 1.0 and s.claims.match.f1 == 1.0
