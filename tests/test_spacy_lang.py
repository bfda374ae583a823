"""Our tokenizer inside spaCy: the Doc reproduces the text, tokens and norms match ours."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.spacy_lang import blank, doc_from_tokens
from pipeline.text.tokenize import tokenize

TEXTS = [
    "وقال وزير الخارجية لوكالة سبوتنيك إن التبادل بلغ 34.4 مليون دولار عام 2023.",
    "سطر أول\n\n  سطر   ثان\u200f بعد علامة\r\nوآخر",
    "لـ«اعتداء» وَمُوسْكُو ١٬٢٣٤٫٥ ﻻ",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def nlp():
    return blank()


@pytest.mark.parametrize("text", TEXTS)
def test_doc_text_is_the_original(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    ours = tokenize(text)
    by_start = {t.idx: t for t in doc}
    for t in ours:
        st_tok = by_start[t.start]
        assert st_tok.text == t.text
        assert st_tok.norm_ == t.norm


def test_char_spans_align_with_our_offsets(nlp):
    text = "وصل وفد إلى موسكو"
    doc = nlp(text)
    a = text.index("موسكو")
    span = doc.char_span(a, a + len("موسكو"))
    assert span is not None and span.text == "موسكو"


def test_pipeline_with_our_tokenizer_round_trips_to_disk(nlp, tmp_path):
    import spacy
    nlp.to_disk(tmp_path / "m")
    again = spacy.load(tmp_path / "m")
    assert [t.text for t in again("وموسكو")] == ["و", "موسكو"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابتو لل. \n\t\u200f\u064e١٢,") + ["ﻻ"]), max_size=40))
def test_any_text_round_trips(text):
    from spacy.vocab import Vocab
    doc = doc_from_tokens(Vocab(), text, tokenize(text))
    assert doc.text == text


def test_is_blank_covers_whitespace_and_invisible_controls():
    from pipeline.text.spacy_lang import is_blank

    assert is_blank(" ") and is_blank("\n\n") and is_blank("\u200f ") and is_blank("\u200e")
    assert not is_blank("أ") and not is_blank("\u200f،") and not is_blank("-")
