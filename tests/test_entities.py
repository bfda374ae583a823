"""The entity extractor (entities/1), its span rules, merge policies, corpus conversion
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

from conftest import load_cases

CASES = load_cases("entities.jsonl")


@pytest.fixture(scope="module")
def extractor():
    return build("entities/1", batch_size=4)   # the shipped defaults


@pytest.fixture(scope="module")
def nlp():
    return blank()


@pytest.mark.parametrize("case", CASES, ids=[f"{i}:{c['text'][:30]}" for i, c in enumerate(CASES, 1)])
def test_entities(case, extractor):
    doc = Document("case", case["text"])
    analysis = Analysis.of(doc)
    extractor(analysis)
    found = [{"type": m.type, "text": m.text} for m in analysis.mentions]
    for m in analysis.mentions:
        assert m.text == doc.text[m.start:m.end]
        assert m.source == "entities/1"
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
    assert "entities/1" in keys and keys.index("entities/1") < keys.index("merge/1")


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


def test_policy_is_named_and_checked():
    assert set(ent.POLICIES) == {"gazetteer_first/1", "longest_first/1"}
    with pytest.raises(ValueError):
        ent.Entities(model="ner", gazetteer="gazetteer.jsonl", policy="nope/1", batch_size=4)


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
    assert nlp.pipe_names == ["tok2vec", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC", "MISC"}
