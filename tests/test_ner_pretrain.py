"""Language-model pretraining of the entity model's encoder (pipeline/ner/pretrain.py) and
fit.py starting from it, on toy data."""
from __future__ import annotations

import gzip
import json
import random

import pytest
import torch

from pipeline.ner import fit, pretrain
from pipeline.text.spacy_lang import blank

from test_ner_tagger import _toy_docs, _toy_nlp

PEOPLE, PLACES = ["أحمد", "سمير", "خالد", "علي"], ["موسكو", "باريس", "دمشق", "القاهرة"]
SETTINGS = {"seed": 1, "threads": 1, "steps": 40, "batch_size": 4, "learn_rate": 0.02,
            "grad_clip": 5.0, "dropout": 0.1, "classes": 6, "cutoffs": [3]}


@pytest.fixture(scope="module")
def nlp():
    return blank()


def _corpus(tmp_path, articles):
    path = tmp_path / "snn.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for art in articles:
            fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    return path


def _vectors(tmp_path, words):
    path = tmp_path / "vectors.txt"
    path.write_text(f"{len(words)} 2\n" + "".join(f"{w} 0.1 0.2\n" for w in words), encoding="utf-8")
    return path


def test_pieces_cut_paragraphs_and_skip_excluded_articles(tmp_path, nlp):
    corpus = _corpus(tmp_path, [
        {"id": "a", "content": "قال أحمد إن الوفد وصل في موسكو أمس\nقصير جدا\n"},
        {"id": "gold", "content": "قال سمير إن الوفد وصل في باريس أمس"},
        {"id": "b", "content": "وصل الوفد إلى دمشق صباح اليوم"},
    ])
    got = list(pretrain.pieces(corpus, {"gold"}, nlp, max_len=5))
    texts = [" ".join(texts) for _, texts in got]
    # "قال أحمد إن الوفد وصل | في موسكو أمس": the second piece is too short (3 < MIN_PIECE)
    assert texts == ["قال أحمد إن الوفد وصل", "وصل الوفد إلى دمشق صباح"]
    norms, _ = got[0]
    assert norms[1] == "احمد"     # normalized forms, as the model reads them


def test_batches_hold_every_piece_once_in_similar_lengths():
    pieces = [([str(i)] * (i % 7 + 1), [str(i)] * (i % 7 + 1)) for i in range(50)]
    out = list(pretrain.batches(iter(pieces), 4, random.Random(0)))
    assert sorted(p[0][0] for b in out for p in b) == sorted(str(i) for i in range(50))
    assert all(len(b) <= 4 for b in out)
    assert sum(max(len(p[0]) for p in b) - min(len(p[0]) for p in b) for b in out) <= 7


def test_word_classes_and_targets(tmp_path):
    classes = pretrain.word_classes(_vectors(tmp_path, ["في", "0", "قال", "موسكو"]), 3)
    assert classes == {"في": 1, "0": 2, "قال": 3}
    got = pretrain.targets([["قال", "2015", "موسكو"], ["في"]], classes, 3)
    # numbers share the word "0"; words past the first n and padding are class 0
    assert got.tolist() == [[3, 2, 0], [1, 0, 0]]


def _toy_stream(nlp):
    sentences = [f"قال {p} إن الوفد وصل في {c} أمس" for p in PEOPLE for c in PLACES]

    def stream():
        for s in sentences:
            doc = nlp.make_doc(s)
            yield [t.norm_ for t in doc], [t.text for t in doc]
    return stream


def _toy_net(tmp_path):
    toy = _toy_nlp()
    docs = _toy_docs(toy, 16)
    tagger = toy.get_pipe("ner")
    torch.manual_seed(0)   # the network's first weights, as train.pretrain seeds them
    fit.initialize(tagger, docs, {}, 1, torch.Generator().manual_seed(0))
    return toy, docs, tagger


def test_pretraining_lowers_the_language_model_loss_and_touches_only_the_encoder(tmp_path, nlp):
    _, _, tagger = _toy_net(tmp_path)
    net = tagger.net
    vectors = _vectors(tmp_path, ["قال", "ان", "الوفد", "وصل", "في", "امس"])
    before = {k: v.clone() for k, v in net.state_dict().items()}
    lines = []
    state = pretrain.pretrain(net, tagger.encoder, _toy_stream(nlp), vectors, {**SETTINGS, "steps": 80},
                              log=lines.append, log_every=20)
    after = net.state_dict()
    assert set(state) == {"words.weight", "chars.weight", "conv.weight", "conv.bias",
                          "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
                          "lstm.weight_ih_l0_reverse", "lstm.weight_hh_l0_reverse",
                          "lstm.bias_ih_l0_reverse", "lstm.bias_hh_l0_reverse"}
    assert not torch.equal(before["lstm.weight_ih_l0"], after["lstm.weight_ih_l0"])
    for k in ("emit.weight", "trans", "start", "end"):
        assert torch.equal(before[k], after[k])
    assert net.drop.p == 0.0 and not net.training     # the component's dropout and mode are back
    # The words around the names are predictable: the mean loss falls well below its start.
    losses = [float(line.split("loss ")[1].split()[0]) for line in lines]
    assert len(losses) == 4 and losses[-1] < 0.5 * losses[0], lines


def test_pretraining_is_reproducible(tmp_path, nlp):
    vectors = _vectors(tmp_path, ["قال", "ان", "الوفد", "وصل", "في", "امس"])
    states = []
    for _ in range(2):
        _, _, tagger = _toy_net(tmp_path)
        states.append(pretrain.pretrain(tagger.net, tagger.encoder, _toy_stream(nlp), vectors,
                                        {**SETTINGS, "steps": 6}, log=lambda line: None))
    assert all(torch.equal(states[0][k], states[1][k]) for k in states[0])


def test_fit_starts_from_the_pretrained_encoder(tmp_path, nlp):
    _, _, tagger = _toy_net(tmp_path)
    vectors = _vectors(tmp_path, ["قال", "ان", "الوفد", "وصل", "في", "امس"])
    state = pretrain.pretrain(tagger.net, tagger.encoder, _toy_stream(nlp), vectors,
                              {**SETTINGS, "steps": 3}, log=lambda line: None)
    path = tmp_path / "encoder.pt"
    torch.save({"words": tagger.words, "chars": tagger.chars, "state": state}, path)
    toy, docs, other = _toy_net(tmp_path)
    fit.load_encoder(other, path)
    assert torch.equal(other.net.lstm.weight_hh_l0, state["lstm.weight_hh_l0"])
    assert torch.equal(other.net.words.weight, state["words.weight"])
    # fit() itself starts there: with a learning rate of 0 the weights stay the encoder's.
    best = fit.fit(toy, docs, docs[:4], {}, {"seed": 1, "threads": 1, "max_epochs": 1, "patience": 1,
                                            "batch_size": 4, "learn_rate": 0.0, "grad_clip": 5.0,
                                            "word_dropout": 0.0, "min_word_count": 1},
                   tmp_path / "m", log=lambda line: None, encoder=path)
    assert best >= 0.0
    assert torch.equal(other.net.conv.weight, state["conv.weight"])


def test_an_encoder_of_other_lists_or_another_network_is_refused(tmp_path, nlp):
    _, _, tagger = _toy_net(tmp_path)
    state = pretrain.encoder_state(tagger.net)
    path = tmp_path / "encoder.pt"
    torch.save({"words": tagger.words[:-1], "chars": tagger.chars, "state": state}, path)
    with pytest.raises(ValueError, match="other word or character lists"):
        fit.load_encoder(tagger, path)
    partial = {k: v for k, v in state.items() if not k.startswith("lstm.")}
    torch.save({"words": tagger.words, "chars": tagger.chars, "state": partial}, path)
    with pytest.raises(ValueError, match="not an encoder"):
        fit.load_encoder(tagger, path)


def test_each_direction_predicts_a_token_it_has_not_read(tmp_path):
    """lm_loss predicts token t + 1 from the forward states at t and token t from the
    backward states at t + 1: the forward half of ``encode`` must not change with later
    tokens, nor the backward half with earlier ones."""
    _, _, tagger = _toy_net(tmp_path)
    net, enc = tagger.net.eval(), tagger.encoder
    hidden = net.sizes.hidden
    base = (["قال", "احمد", "ان", "الوفد", "وصل"], ["قال", "أحمد", "إن", "الوفد", "وصل"])
    h = net.encode(*enc.batch([base]).inputs())[0]
    for t in range(5):
        changed = ([*base[0][:t], "في", *base[0][t + 1:]], [*base[1][:t], "في", *base[1][t + 1:]])
        g = net.encode(*enc.batch([changed]).inputs())[0]
        assert torch.equal(g[:t, :hidden], h[:t, :hidden])           # forward: before t
        assert torch.equal(g[t + 1:, hidden:], h[t + 1:, hidden:])   # backward: after t
        assert not torch.equal(g[t, :hidden], h[t, :hidden])


def test_pretraining_without_text_fails(tmp_path):
    _, _, tagger = _toy_net(tmp_path)
    vectors = _vectors(tmp_path, ["قال", "ان", "الوفد", "وصل", "في", "امس"])
    with pytest.raises(ValueError, match="no text"):
        pretrain.pretrain(tagger.net, tagger.encoder, lambda: iter(()), vectors, SETTINGS, log=lambda line: None)


def test_train_ner_refuses_an_encoder_pretrained_with_other_settings(tmp_path):
    from pipeline.ner import train

    torch.save({"words": [], "chars": [], "state": {}, "settings": {"pretrain": {"steps": 1}}},
               tmp_path / "encoder.pt")
    with pytest.raises(ValueError, match="other settings"):
        train.pretrain(tmp_path, tmp_path / "vectors.txt")
