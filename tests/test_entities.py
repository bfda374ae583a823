"""The entity extractor (entities/4), its span rules, merge policies, corpus conversion
and data files.

tests/cases/entities.jsonl: each case has ``text`` and ``expect`` (entity mentions that
must be found, as type + exact surface text); ``absent`` lists surface texts that must
not be an entity span; ``exhaustive: true`` means nothing else may be found (with an
empty ``expect``: a negative case).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.analysis import Analysis
from pipeline.doc import Document
from pipeline.extractors import entities as ent
from pipeline.ner import corpora, spans
from pipeline.registry import build
from pipeline.resources import load_json
from pipeline.text.spacy_lang import blank
from pipeline.text.tokenize import tokenize

from conftest import case_param, load_cases

CASES = load_cases("entities.jsonl")


@pytest.fixture(scope="module")
def extractor():
    return build("entities/4", batch_size=4)   # the shipped defaults


@pytest.fixture(scope="module")
def nlp():
    return blank()


@pytest.mark.parametrize("case", [case_param(c, f"{i}:{c['text'][:30]}") for i, c in enumerate(CASES, 1)])
def test_entities(case, extractor):
    doc = Document("case", case["text"])
    analysis = Analysis.of(doc)
    extractor(analysis)
    found = [{"type": m.type, "text": m.text} for m in analysis.mentions]
    for m in analysis.mentions:
        assert m.text == doc.text[m.start:m.end]
        assert m.source == "entities/4"
    for e in case["expect"]:
        assert e in found, (e, found, case.get("note", ""))
    texts = {f["text"] for f in found}
    for a in case.get("absent", []):
        assert a not in texts, (a, found, case.get("note", ""))
    if case.get("exhaustive"):
        assert found == case["expect"], case.get("note", "")


def test_pipe_matches_one_by_one(extractor):
    texts = [c["text"] for c in CASES[:8]]
    one = []
    for t in texts:
        a = Analysis.of(Document("d", t))
        extractor(a)
        one.append([(m.type, m.start, m.end) for m in a.mentions])
    batch = [Analysis.of(Document("d", t)) for t in texts]
    extractor.pipe(batch)
    assert [[(m.type, m.start, m.end) for m in a.mentions] for a in batch] == one


def test_offsets_with_marks_and_whitespace(extractor):
    text = "وقالت  رويترز\u200f\n\nإن موسكـــو وكييفَ تتفاوضان."
    a = Analysis.of(Document("d", text))
    extractor(a)
    got = {(m.type, m.text) for m in a.mentions}
    assert ("ORG", "رويترز") in got and ("LOC", "موسكـــو") in got
    for m in a.mentions:
        assert m.text == text[m.start:m.end]


def test_default_pipeline_has_entities_before_merge():
    from pipeline.registry import DEFAULT_PIPELINE

    keys = [k for k, _ in DEFAULT_PIPELINE]
    assert "entities/4" in keys and keys.index("entities/4") < keys.index("merge/1")


# --- span rules -------------------------------------------------------------------------


def _trimmed(nlp, text: str, label: str, whole: bool = True) -> str | None:
    doc = nlp.make_doc(text)
    cut = spans.trim(doc, 0, len(doc), label)
    return None if cut is None else doc[cut[0]:cut[1]].text


@pytest.mark.parametrize("text,label,want", [
    ("الرئيس فلاديمير بوتين", "PER", "فلاديمير بوتين"),
    ("وزير الخارجية", "PER", None),
    ("وزير الخارجية الروسي سيرغي لافروف", "PER", "سيرغي لافروف"),
    ("رئيس الوزراء البريطاني ديفيد كاميرون", "PER", "ديفيد كاميرون"),
    ("الرئيس الأمريكي باراك أوباما", "PER", "باراك أوباما"),
    ("وموسكو", "LOC", "موسكو"),
    ("للأمم المتحدة", "ORG", "لأمم المتحدة"),
    ("وكالة سبوتنيك الروسية", "ORG", "وكالة سبوتنيك"),
    ("وكالة الأنباء السعودية", "ORG", "وكالة الأنباء السعودية"),
    ("كوريا الشمالية", "LOC", "كوريا الشمالية"),
    ("«رويترز»", "ORG", "رويترز"),
    ("“مجموعة الأزمات الدولية”", "ORG", "مجموعة الأزمات الدولية"),
    ("شركة “الأمل”", "ORG", "شركة “الأمل”"),
    ("بوش", "PER", "بوش"),
    ("كيني ميلر", "PER", "كيني ميلر"),
])
def test_trim(nlp, text, label, want):
    assert _trimmed(nlp, text, label) == want


# --- merge policies -----------------------------------------------------------------


def S(a, b, label, source):
    return ent.EntitySpan(a, b, label, source)


def test_gazetteer_first_wins_over_overlapping_model_span():
    gaz = [S(2, 3, "LOC", "gazetteer")]
    model = [S(0, 3, "ORG", "model"), S(5, 7, "PER", "model")]
    assert ent.gazetteer_first(gaz, model) == [S(2, 3, "LOC", "gazetteer"), S(5, 7, "PER", "model")]


def test_longest_first_keeps_a_model_name_around_a_gazetteer_name():
    gaz = [S(2, 3, "LOC", "gazetteer"), S(8, 10, "ORG", "gazetteer")]
    model = [S(1, 3, "ORG", "model"), S(8, 10, "LOC", "model")]
    assert ent.longest_first(gaz, model) == [S(1, 3, "ORG", "model"), S(8, 10, "ORG", "gazetteer")]


def test_rule_spans_resolve_among_themselves_before_the_model():
    gaz = [S(2, 3, "LOC", "gazetteer"), S(1, 4, "ORG", "org_names")]
    model = [S(3, 6, "PER", "model"), S(7, 8, "LOC", "model")]
    assert ent.gazetteer_first(gaz, model) == [S(1, 4, "ORG", "org_names"), S(7, 8, "LOC", "model")]
    # Same length: the organization-name rule wins over the gazetteer, which wins over the model.
    assert ent.longest_first([S(0, 2, "LOC", "gazetteer"), S(0, 2, "ORG", "org_names")],
                             [S(0, 2, "PER", "model")]) == [S(0, 2, "ORG", "org_names")]


def test_model_first_lets_the_gazetteer_fill_only_gaps():
    gaz = [S(2, 3, "LOC", "gazetteer"), S(8, 10, "ORG", "gazetteer")]
    model = [S(1, 4, "ORG", "model")]
    assert ent.model_first(gaz, model) == [S(1, 4, "ORG", "model"), S(8, 10, "ORG", "gazetteer")]
    # Rule spans that overlap each other are resolved too (the longer wins) before filling gaps.
    rules = [S(8, 10, "LOC", "gazetteer"), S(7, 10, "ORG", "org_names")]
    assert ent.model_first(rules, model) == [S(1, 4, "ORG", "model"), S(7, 10, "ORG", "org_names")]


def test_policy_is_named_and_checked():
    assert set(ent.POLICIES) == {"gazetteer_first/1", "longest_first/1", "model_first/1"}
    with pytest.raises(ValueError):
        ent.Entities(model="ner", gazetteer="gazetteer.jsonl", org_rule=True, policy="nope/1",
                     consistency=True, batch_size=4)


# --- corpus conversion ----------------------------------------------------------------


def test_anercorp_projection_puts_the_clitic_outside(tmp_path, nlp):
    f = tmp_path / "aner.txt"
    f.write_text("زار O\nوموسكو B-LOC\nأمس O\n\nقال O\nكوفي B-PERS\nأنان I-PERS\n", encoding="utf-8")
    sents = corpora.read_anercorp(f)
    assert [s.text for s in sents] == ["زار وموسكو أمس", "قال كوفي أنان"]
    stats = corpora.Stats()
    doc = corpora.to_doc(nlp, sents[0], stats)
    assert [(e.text, e.label_) for e in doc.ents] == [("موسكو", "LOC")]
    assert stats.trimmed == 1


def test_wikifane_reading_glues_clitics_and_skips_misc(tmp_path, nlp):
    f = tmp_path / "wiki.txt"
    rows = ["\u200eو\tO", "\u200eتعتبر\tO", "\u200eمدينة\tO", "\u200eجوبا\tB-Population-Center",
            "\u200eعاصمة\tO", "\u200eها\tO", "\u200eو\tO", "\u200eالمسلمين\tB-Group", ".\tO", "\t",
            "\u200eالشيخ\tB-Politician", "\u200eمحمد\tI-Politician", "\u200eعبده\tI-Politician", "\t"]
    f.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    sents = corpora.read_wikifane(f)
    assert sents[0].text == "وتعتبر مدينة جوبا عاصمتها والمسلمين ."
    assert sents[0].entities == [(13, 17, "LOC")]
    assert [sents[0].text[a:b] for a, b in sents[0].missing] == ["المسلمين"]
    doc = corpora.to_doc(nlp, sents[1], corpora.Stats())
    assert [(e.text, e.label_) for e in doc.ents] == [("محمد عبده", "PER")]


def test_entity_gold_documents_train_on_our_tokens(tmp_path, nlp):
    (tmp_path / "gold").mkdir()
    (tmp_path / "corpus").mkdir()
    text = "وقالت وزارة الصحة في الرياض"
    (tmp_path / "corpus" / "d1.txt").write_text(text, encoding="utf-8")
    ents = [{"start": 6, "end": 17, "type": "ORG", "text": "وزارة الصحة"},
            {"start": 21, "end": 27, "type": "LOC", "text": "الرياض"}]
    (tmp_path / "gold" / "d1.json").write_text(json.dumps({"doc_id": "d1", "entities": ents}), encoding="utf-8")
    sents = corpora.read_entity_gold(tmp_path / "gold", tmp_path / "corpus")
    doc = corpora.to_doc(nlp, sents[0], corpora.Stats())
    assert [(e.text, e.label_) for e in doc.ents] == [("وزارة الصحة", "ORG"), ("الرياض", "LOC")]
    assert corpora.read_entity_gold(tmp_path / "absent", tmp_path / "corpus") == []


def test_wikifane_type_map_covers_51_types():
    types = load_json("wikifane_types.json")["types"]
    assert len(types) == 51
    assert set(types.values()) == {"PER", "ORG", "LOC", "MISC"}
    assert types["Nation"] == types["Population-Center"] == types["State-or-Province"] == "LOC"


# --- data files and the shipped model ----------------------------------------------------


def test_gazetteer_patterns_are_valid():
    rows = ent.gazetteer_patterns("gazetteer.jsonl")
    assert len(rows) > 500
    seen = set()
    for label, pattern in rows:
        toks = tokenize(pattern)
        assert toks, pattern
        key = (label, tuple(t.norm for t in toks))
        assert key not in seen, f"duplicate after normalization: {pattern}"
        seen.add(key)


def test_title_and_nationality_lists_are_normalized_at_load():
    r = spans.rules()
    assert "الامير" in r.titles and "الروسيه" in r.nationalities and "الامريكيين" in r.nationalities


def test_shipped_model_is_small_and_loads():
    path = ent.model_path("ner")
    size = sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())
    assert size <= 40 * 1024 * 1024
    nlp = ent.load_model("ner")
    assert nlp.pipe_names == ["ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC", "MISC"}
    doc = nlp("وقال الرئيس الروسي فلاديمير بوتين في موسكو")
    assert ("فلاديمير بوتين", "PER") in [(e.text, e.label_) for e in doc.ents]


# --- the organization-name rule (pipeline/ner/org_names.py) ----------------------------------

ORG_CASES = load_cases("org_names.jsonl")


@pytest.mark.parametrize("case", ORG_CASES, ids=[f"{i}:{c['text'][:30]}" for i, c in enumerate(ORG_CASES, 1)])
def test_org_names(case):
    from pipeline.ner import org_names

    from pipeline.text.spacy_lang import doc_from_tokens

    nlp = ent.load_model("ner")
    doc = nlp(doc_from_tokens(nlp.vocab, case["text"], tokenize(case["text"])))
    found = [doc[a:b].text for a, b in org_names.find(doc)]
    assert found == case["expect"], case.get("note", "")


def test_org_name_lists_are_normalized_at_load():
    from pipeline.ner import org_names

    lst = org_names.lists()
    assert "وزاره" in lst.heads and "اداره" in lst.definite_heads and "اداره" not in lst.heads
    assert "الملك" in lst.named_titles and "الاداره" in lst.generic_first


def test_model_only_component_keeps_model_spans_and_drops_the_rules():
    from pipeline.entity_eval import entity_component
    from pipeline.extractors.entities import doc_from_tokens

    text = "وقال صندوق التنمية الصناعية السعودي إن وكالة الأنباء السعودية نقلت عن سيرغي لافروف في موسكو."
    full, bare = entity_component(), entity_component(rules=False)
    assert bare.matcher is None and not bare.org_rule
    a = Analysis.of(Document("d", text))
    doc = bare.nlp(doc_from_tokens(bare.nlp.vocab, text, a.tokens))
    with_rules, without = full.spans(doc), bare.spans(doc)
    assert "gazetteer" in {s.source for s in with_rules}
    assert without and {s.source for s in without} == {"model"}
    # longest_first/1 drops a model span only for a longer rule span over it.
    assert all(any(o.start < s.end and s.start < o.end for o in with_rules) for s in without)
