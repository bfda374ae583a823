"""The entity model's network (pipeline/ner/tagger.py), its spaCy component
(pipeline/ner/component.py) and its training loop (pipeline/ner/fit.py), on small
hand-checked cases; the shipped model itself is tested in test_entities.py."""
from __future__ import annotations

import itertools

import pytest
import spacy
import torch
from spacy.tokens import Span

from pipeline.ner import fit
from pipeline.ner.component import FACTORY
from pipeline.ner.tagger import UNK, BiLstmCrf, Encoder, Sizes, allowed, bio_tags, word_key
from pipeline.text.spacy_lang import blank

LABELS = ("PER", "LOC")
TAGS = bio_tags(LABELS)     # O B-PER I-PER B-LOC I-LOC


def test_bio_tags_and_allowed_transitions():
    assert TAGS == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    assert allowed(None, "B-PER") and allowed(None, "O") and not allowed(None, "I-PER")
    assert allowed("B-PER", "I-PER") and allowed("I-PER", "I-PER")
    assert not allowed("O", "I-LOC") and not allowed("B-PER", "I-LOC") and not allowed("I-PER", "I-LOC")
    assert allowed("I-PER", "B-PER") and allowed("I-LOC", "O")


def test_word_key_shares_one_row_for_numbers():
    assert word_key("2015") == word_key("3.5") == "0"
    assert word_key("موسكو") == "موسكو"


def test_encoder_ids_and_long_words():
    enc = Encoder(["<pad>", "<unk>", "موسكو", "0"], ["<pad>", "<unk>", "a", "b"], max_chars=4)
    assert enc.word("موسكو") == 2 and enc.word("1990") == 3 and enc.word("باريس") == UNK
    assert enc.spelling("ab") == [2, 3]
    assert enc.spelling("aabzbb") == [2, 2, 3, 3]   # first two and last two characters
    b = enc.batch([(["موسكو", "x", "موسكو"], ["ab", "z", "ab"]), (["1990"], ["a"])])
    assert b.words.tolist() == [[2, UNK, 2], [3, 0, 0]]
    # one row per distinct spelling; row 0 (all padding) for padded positions
    assert b.spellings.tolist() == [[0, 0, 0, 0], [2, 3, 0, 0], [UNK, 0, 0, 0], [2, 0, 0, 0]]
    assert b.spelling_ids.tolist() == [[1, 2, 1], [3, 0, 0]]
    assert b.lengths.tolist() == [3, 1] and b.mask.tolist() == [[True, True, True], [True, False, False]]


def test_emissions_do_not_depend_on_batch_company():
    """A sentence gets the same tag scores alone and padded in a batch with a longer one."""
    net = _net().eval()
    enc = Encoder(["<pad>", "<unk>", "a", "b"], ["<pad>", "<unk>", "a", "b"], max_chars=4)
    short, long = (["a", "b"], ["ab", "b"]), (["b", "a", "a", "b"], ["ba", "a", "aab", "b"])
    alone = net.emissions(*enc.batch([short]).inputs())[0]
    together = net.emissions(*enc.batch([long, short]).inputs())[1, :2]
    assert torch.allclose(alone, together, atol=1e-6)


def _net(seed: int = 0) -> BiLstmCrf:
    torch.manual_seed(seed)
    net = BiLstmCrf(Sizes(words=4, chars=4, tags=len(TAGS), word_dim=3, char_dim=2, char_filters=2,
                          hidden=2, dropout=0.0), TAGS)
    with torch.no_grad():   # transitions away from zero, so they matter in the sums
        net.trans.copy_(torch.randn(len(TAGS), len(TAGS)))
        net.start.copy_(torch.randn(len(TAGS)))
        net.end.copy_(torch.randn(len(TAGS)))
    return net


def _path_score(net: BiLstmCrf, em: torch.Tensor, path: tuple[int, ...]) -> float:
    """The CRF score of one tag path, summed by hand from the definitions."""
    net = net.requires_grad_(False)
    s = float(net.start[path[0]].detach()) + float(em[0, path[0]])
    for a, b in zip(path, path[1:]):
        s += float(net.trans[a, b])
    s += sum(float(em[i, k]) for i, k in enumerate(path) if i)
    return s + float(net.end[path[-1]])


def _valid(path: tuple[int, ...]) -> bool:
    names = [TAGS[k] for k in path]
    return all(allowed(p, t) for p, t in zip([None] + names, names))


def test_crf_likelihood_and_viterbi_match_brute_force():
    net = _net()
    torch.manual_seed(1)
    em = torch.randn(2, 3, len(TAGS))
    lengths = [3, 2]                                      # the second sentence is padded
    gold = torch.tensor([[1, 2, 0], [3, 4, 0]])
    mask = torch.tensor([[True, True, True], [True, True, False]])
    expected_nll, expected_best = 0.0, []
    for b, n in enumerate(lengths):
        paths = [p for p in itertools.product(range(len(TAGS)), repeat=n) if _valid(p)]
        scores = torch.tensor([_path_score(net, em[b], p) for p in paths])
        gold_path = tuple(gold[b, :n].tolist())
        expected_nll += float(torch.logsumexp(scores, 0)) - _path_score(net, em[b], gold_path)
        expected_best.append(list(paths[int(scores.argmax())]))
    assert float(net.nll(em, gold, mask, mask)) == pytest.approx(expected_nll, abs=1e-3)
    assert net.decode(em, lengths) == expected_best


def test_crf_likelihood_with_missing_tags_sums_the_paths_that_agree():
    """A token without a gold tag may take any tag: -log(sum over agreeing paths / sum over all)."""
    net = _net(2)
    torch.manual_seed(4)
    em = torch.randn(1, 3, len(TAGS))
    gold = torch.tensor([[1, 0, 3]])                      # B-PER, (missing), B-LOC
    mask = torch.ones(1, 3, dtype=torch.bool)
    known = torch.tensor([[True, False, True]])
    paths = [p for p in itertools.product(range(len(TAGS)), repeat=3) if _valid(p)]
    scores = torch.tensor([_path_score(net, em[0], p) for p in paths])
    agree = torch.tensor([_path_score(net, em[0], p) for p in paths if p[0] == 1 and p[2] == 3])
    expected = float(torch.logsumexp(scores, 0) - torch.logsumexp(agree, 0))
    assert float(net.nll(em, gold, mask, known)) == pytest.approx(expected, abs=1e-3)
    # with the middle tag known as O the likelihood is that one path's
    assert float(net.nll(em, gold, mask, mask)) == pytest.approx(
        float(torch.logsumexp(scores, 0)) - _path_score(net, em[0], (1, 0, 3)), abs=1e-3)


def test_decoding_never_breaks_bio():
    net = _net(3)
    with torch.no_grad():
        net.trans.fill_(0.0)
        net.start.fill_(0.0)
    em = torch.zeros(4, 6, len(TAGS))
    em[:, :, TAGS.index("I-LOC")] = 5.0                   # every token prefers an I- tag
    for path in net.decode(em, [6, 5, 1, 3]):
        assert _valid(tuple(path)), [TAGS[k] for k in path]


def _toy_docs(nlp, n: int):
    """Sentences where a name after "قال" is PER and a name after "في" is LOC."""
    people, places = ["أحمد", "سمير", "خالد", "علي"], ["موسكو", "باريس", "دمشق", "القاهرة"]
    docs = []
    for i in range(n):
        doc = nlp.make_doc(f"قال {people[i % 4]} إن الوفد وصل في {places[(i // 4) % 4]} أمس")
        doc.ents = [Span(doc, 1, 2, label="PER"), Span(doc, 6, 7, label="LOC")]
        docs.append(doc)
    return docs


def _toy_nlp():
    nlp = blank()
    nlp.add_pipe(FACTORY, name="ner", config={"labels": list(LABELS), "word_dim": 8, "char_dim": 4,
                                               "char_filters": 8, "hidden": 8, "dropout": 0.0})
    return nlp


SETTINGS = {"seed": 1, "threads": 1, "max_epochs": 30, "patience": 30, "batch_size": 4,
            "learn_rate": 0.05, "grad_clip": 5.0, "word_dropout": 0.0, "min_word_count": 1}


def test_fit_learns_a_toy_task_and_the_model_round_trips(tmp_path):
    nlp = _toy_nlp()
    docs = _toy_docs(nlp, 16)
    best = fit.fit(nlp, docs, docs[:8], {}, SETTINGS, tmp_path / "m", log=lambda line: None)
    assert best == 1.0
    loaded = spacy.load(tmp_path / "m")
    assert loaded.pipe_names == ["ner"]
    assert _same(_weights(loaded), _weights(nlp))
    doc = loaded("قال خالد إن الوفد وصل في دمشق أمس")
    assert [(e.text, e.label_) for e in doc.ents] == [("خالد", "PER"), ("دمشق", "LOC")]
    again = list(loaded.pipe(["قال علي إن الوفد وصل في باريس أمس", ""], batch_size=2))
    assert [(e.text, e.label_) for e in again[0].ents] == [("علي", "PER"), ("باريس", "LOC")]
    assert again[1].ents == ()


def test_fit_is_reproducible(tmp_path):
    runs = []
    for k in range(2):
        nlp = _toy_nlp()
        docs = _toy_docs(nlp, 8)
        fit.fit(nlp, docs, docs, {}, {**SETTINGS, "max_epochs": 2, "word_dropout": 0.2},
                tmp_path / f"m{k}", log=lambda line: None)
        runs.append(_weights(nlp))
    assert _same(*runs)


def _weights(nlp) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in nlp.get_pipe("ner").net.state_dict().items()}


def _same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_finetune_goes_on_from_the_trained_model(tmp_path):
    nlp = _toy_nlp()
    docs = _toy_docs(nlp, 16)
    start = fit.fit(nlp, docs, docs[:8], {}, {**SETTINGS, "max_epochs": 1}, tmp_path / "fit", log=lambda line: None)
    assert start < 1.0                                   # one epoch is not enough
    lines = []
    best = fit.finetune(nlp, docs, docs[:8], SETTINGS, tmp_path / "tuned", log=lines.append)
    assert lines[0] == f"start: dev F1 {start:.4f}" and best == 1.0
    assert _same(_weights(spacy.load(tmp_path / "tuned")), _weights(nlp))


def test_finetune_keeps_the_start_when_no_epoch_beats_it(tmp_path):
    nlp = _toy_nlp()
    docs = _toy_docs(nlp, 16)
    assert fit.fit(nlp, docs, docs[:8], {}, SETTINGS, tmp_path / "fit", log=lambda line: None) == 1.0
    start = _weights(nlp)
    swapped = []                                         # PER and LOC the wrong way round
    for d in docs:
        d = d.copy()
        d.ents = [Span(d, e.start, e.end, label="LOC" if e.label_ == "PER" else "PER") for e in d.ents]
        swapped.append(d)
    lines = []
    best = fit.finetune(nlp, swapped, docs[:8], {**SETTINGS, "max_epochs": 3, "patience": 1},
                        tmp_path / "tuned", log=lines.append)
    epochs = [line for line in lines if line.startswith("epoch ")]
    assert best == 1.0 and lines[-2:] == ["best: epoch -1, dev F1 1.0000",
                                          "no epoch beat the start: the trained model is kept as it was"]
    assert len(epochs) == 1 and float(epochs[0].split("dev F1 ")[1].split()[0]) < 1.0   # it moved, then stopped
    assert _same(_weights(nlp), start) and _same(_weights(spacy.load(tmp_path / "tuned")), start)


def test_fit_wants_an_epoch(tmp_path):
    nlp = _toy_nlp()
    docs = _toy_docs(nlp, 4)
    with pytest.raises(ValueError, match="max_epochs"):
        fit.fit(nlp, docs, docs, {}, {**SETTINGS, "max_epochs": 0}, tmp_path / "m", log=lambda line: None)


def test_a_folder_converted_before_fine_tuning_gets_its_fine_tuning_set(tmp_path):
    from spacy.tokens import DocBin

    from pipeline.ner import train

    nlp = _toy_nlp()
    for name, n in (("anercorp_train", 3), ("snn_entities", 2), ("train", 1), ("dev", 1)):
        DocBin(attrs=["ORTH", "NORM", "SPACY", "ENT_IOB", "ENT_TYPE"], docs=_toy_docs(nlp, n)).to_disk(
            tmp_path / f"{name}.spacy")
    (tmp_path / "corpus_stats.json").write_text('{"snn_entities": {}}')
    assert train.convert(tmp_path, data=tmp_path / "absent") == {"snn_entities": {}}   # nothing re-read
    tune = fit.read_docs(nlp, tmp_path / "finetune.spacy")
    assert len(tune) == 3 + 2 * train.FINETUNE_SNN_COPIES


def test_word_counts_are_over_distinct_texts():
    nlp = _toy_nlp()
    docs = _toy_docs(nlp, 4)
    assert "احمد" not in fit.word_list(docs * 3, {}, min_count=2)   # three copies of one sentence
    assert "احمد" in fit.word_list(docs, {}, min_count=1)


def test_missing_tags_are_not_taught_as_outside():
    nlp = _toy_nlp()
    doc = nlp.make_doc("قال أحمد في موسكو")
    doc.set_ents([Span(doc, 1, 2, label="PER")], missing=[Span(doc, 3, 4)], default="outside")
    assert fit.gold_tags(doc) == ["O", "B-PER", "O", fit.MISSING]


def test_embeddings_start_from_the_vectors(tmp_path):
    import numpy as np

    nlp = _toy_nlp()
    docs = _toy_docs(nlp, 4)
    words = fit.word_list(docs, {"موسكو": np.ones(8, dtype=np.float32)}, min_count=2)
    assert words[:2] == ["<pad>", "<unk>"] and "موسكو" in words
    # words are normalized forms; each name is seen once, so it is left to the unknown row
    assert "قال" in words and "احمد" not in words and "سمير" not in words
    net = nlp.get_pipe("ner").initialize(words, fit.char_list(docs))
    fit.start_embeddings(net, words, {"موسكو": np.ones(8, dtype=np.float32)}, torch.Generator().manual_seed(0))
    row = net.words.weight[words.index("موسكو")]
    assert torch.allclose(row, torch.full((8,), 8 ** -0.5))
    assert torch.count_nonzero(net.words.weight[0]) == 0


def test_vectors_of_another_width_are_refused():
    import numpy as np

    nlp = _toy_nlp()
    docs = _toy_docs(nlp, 4)
    net = nlp.get_pipe("ner").initialize(fit.word_list(docs, {}, 1), fit.char_list(docs))
    with pytest.raises(ValueError, match="word_dim is 8"):
        fit.start_embeddings(net, ["<pad>", "<unk>"], {"x": np.ones(5, dtype=np.float32)},
                             torch.Generator().manual_seed(0))


def test_component_errors():
    nlp = _toy_nlp()
    with pytest.raises(ValueError, match="no trained network"):
        nlp("قال أحمد")


def test_loading_weights_under_other_labels_fails(tmp_path):
    nlp = _toy_nlp()
    tagger = nlp.get_pipe("ner")
    tagger.initialize(["<pad>", "<unk>"], ["<pad>", "<unk>"])
    tagger.to_disk(tmp_path)
    other = blank().add_pipe(FACTORY, config={"labels": ["PER"], "word_dim": 8, "char_dim": 4,
                                              "char_filters": 8, "hidden": 8})
    with pytest.raises(ValueError, match="do not match"):
        other.from_disk(tmp_path)


@pytest.mark.parametrize("text, tags, expect", [
    ("قال أحمد\n\nفي موسكو", ["O", "B-PER", "I-PER", "O", "B-LOC"], [("أحمد", "PER"), ("موسكو", "LOC")]),
    ("قال\n\nأحمد", ["O", "B-PER", "I-PER"], [("أحمد", "PER")]),                # leading filler
    ("قال أحمد\u200f في", ["O", "B-PER", "I-PER", "O"], [("أحمد", "PER")]),     # an invisible control
    ("قال\n\nأحمد", ["O", "B-PER", "O"], []),                                # nothing but filler
])
def test_entities_never_start_or_end_on_filler_tokens(text, tags, expect):
    nlp = _toy_nlp()
    doc = nlp.make_doc(text)
    assert len(doc) == len(tags), [t.text for t in doc]
    nlp.get_pipe("ner").set_annotations([doc], [tags])
    assert [(e.text, e.label_) for e in doc.ents] == expect
