"""Read the entity corpora and project their labels onto our tokens.

ANERcorp (CAMeL Lab splits: "token TAG" lines, blank line between sentences, BIO with
PERS/ORG/LOC/MISC) and WikiFANE Gold 2014 (UTF-8 with BOM, "token<TAB>TAG" lines, a
line with an empty token between sentences, tokens may carry U+200E, 51 fine types
mapped by pipeline/data/wikifane_types.json) become sentences: the text, and entity
spans as character offsets into it.

The text is the file tokens joined with spaces, except that WikiFANE's clitics, which
the file splits off ("و تعتبر", "عاصمة ها"), are glued back to their word, so the text
looks like the news text the model will read; our tokenizer then splits proclitics
again where it does at run time. Labels are projected by character offsets onto our
tokens (``pipeline.text.spacy_lang.blank()``): "وموسكو" tagged LOC trains LOC on
"موسكو" alone. A span that does not fall on our token boundaries is marked missing
(no loss either way) rather than guessed; so are WikiFANE's MISC spans (see the type
map's note).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from spacy.tokens import Doc, DocBin, Span

from pipeline import conll, entity_eval
from pipeline.ner import spans as span_rules
from pipeline.resources import load_json

ANER_TYPES = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
# What the WikiFANE file splits off: glued back to the next / previous word.
WIKIFANE_PROCLITICS = frozenset("وفبلك")
WIKIFANE_ENCLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "كم", "كما", "كن", "نا", "ي", "ني"})
ATTACHED_FORM = {"ة": "ت", "ى": "ي"}
DOCBIN_ATTRS = ["ORTH", "NORM", "SPACY", "ENT_IOB", "ENT_TYPE"]


@dataclass
class Sentence:
    text: str
    entities: list[tuple[int, int, str]] = field(default_factory=list)   # char offsets, type
    missing: list[tuple[int, int]] = field(default_factory=list)          # char offsets


@dataclass
class Stats:
    sentences: int = 0
    entities: int = 0
    missing: int = 0
    misaligned: int = 0
    trimmed: int = 0


def _bio_sentences(rows: Iterable[list[tuple[str, str]]], types: dict[str, str],
                   glue: bool) -> Iterator[Sentence]:
    """BIO-tagged token rows → sentences with character-offset spans."""
    for row in rows:
        parts: list[str] = []
        pos = 0
        offsets = []
        for k, (tok, _) in enumerate(row):
            if k and glue and _glued(row[k - 1][0], tok):
                if tok in WIKIFANE_ENCLITICS and parts[-1][-1] in ATTACHED_FORM:
                    # "عاصمة" + "ها" is written "عاصمتها" (same length: offsets hold).
                    parts[-1] = parts[-1][:-1] + ATTACHED_FORM[parts[-1][-1]]
            elif k:
                parts.append(" ")
                pos += 1
            offsets.append((pos, pos + len(tok)))
            parts.append(tok)
            pos += len(tok)
        sent = Sentence("".join(parts))
        # Chunks by conlleval's rules, as ner-eval reads gold (pipeline/conll.py).
        for ent in conll.tag_entities([tag for _, tag in row]):
            _add(sent, (offsets[ent.start][0], offsets[ent.end - 1][1], ent.type), types)
        if sent.text.strip():
            yield sent


def _glued(prev: str, tok: str) -> bool:
    if prev in WIKIFANE_PROCLITICS and tok[:1].isalpha():
        return True
    return tok in WIKIFANE_ENCLITICS and prev[-1:].isalpha() and prev not in WIKIFANE_PROCLITICS


def _add(sent: Sentence, span: tuple[int, int, str], types: dict[str, str]) -> None:
    start, end, fine = span
    label = types.get(fine)
    if label is None:
        raise ValueError(f"unknown entity type {fine!r}")
    sent.entities.append((start, end, label))


def read_anercorp(path: str | Path) -> list[Sentence]:
    return anercorp_sentences(conll.read(path))


def anercorp_sentences(sentences: list[conll.Sentence]) -> list[Sentence]:
    """ANERcorp's CoNLL sentences, one Sentence each (in the same order)."""
    rows = [list(zip(s.tokens, s.tags)) for s in sentences]
    return list(_bio_sentences(rows, ANER_TYPES, glue=False))


def read_entity_gold(gold_dir: Path, corpus_dir: Path) -> list[Sentence]:
    """Hand-annotated entity documents (gold/ner/<split>) as whole-article "sentences"
    (write them with ``trim=False``: they follow the guideline already)."""
    if not Path(gold_dir).is_dir():
        return []
    return [Sentence(d.text, [(e.start, e.end, e.type) for e in d.entities])
            for d in entity_eval.read_entity_gold(gold_dir, corpus_dir)]


def read_wikifane(path: str | Path) -> list[Sentence]:
    types = load_json("wikifane_types.json")["types"]
    rows, row = [], []
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            tok, _, tag = line.rstrip("\r\n").partition("\t")
            tok = tok.replace("\u200e", "").replace("\u200f", "").strip()
            if not tok:
                if row:
                    rows.append(row)
                row = []
                continue
            row.append((tok, tag.strip() or "O"))
    if row:
        rows.append(row)
    sentences = list(_bio_sentences(rows, types, glue=True))
    for s in sentences:   # WikiFANE's MISC types follow other conventions: no signal from them
        s.missing.extend((a, b) for a, b, label in s.entities if label == "MISC")
        s.entities = [e for e in s.entities if e[2] != "MISC"]
    return sentences


def to_doc(nlp, sent: Sentence, stats: Stats, trim: bool = True) -> Doc:
    """Our tokens for ``sent.text``, with its spans projected onto them and, when ``trim``,
    cut to the guideline (the corpora's conventions differ from it; hand-made gold follows
    it already, and cutting it would drop the first letter of names our tokenizer splits,
    "واس" → و + اس)."""
    doc = nlp.make_doc(sent.text)
    ents: list[Span] = []
    missing: list[Span] = []
    for a, b in sent.missing:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None:
            missing.append(span)
    for a, b, label in sent.entities:
        inner = doc.char_span(a, b, label=label, alignment_mode="contract")
        outer = doc.char_span(a, b, label=label, alignment_mode="expand")
        if inner is None or outer is None or (inner.start, inner.end) != (outer.start, outer.end):
            stats.misaligned += 1
            if outer is not None:
                missing.append(outer)
            continue
        cut = span_rules.trim(doc, inner.start, inner.end, label) if trim else (inner.start, inner.end)
        if cut is None:
            stats.trimmed += 1
            continue
        if cut != (inner.start, inner.end):
            stats.trimmed += 1
        ents.append(Span(doc, cut[0], cut[1], label=label))
    ents = _no_overlap(ents)
    taken = {i for e in ents for i in range(e.start, e.end)}
    missing = [m for m in _no_overlap(missing) if not any(i in taken for i in range(m.start, m.end))]
    doc.set_ents(ents, missing=missing, default="outside")
    stats.sentences += 1
    stats.entities += len(ents)
    stats.missing += len(missing)
    return doc


def _no_overlap(spans: list[Span]) -> list[Span]:
    out, taken = [], set()
    for s in sorted(spans, key=lambda s: (s.start, -len(s))):
        if not any(i in taken for i in range(s.start, s.end)):
            out.append(s)
            taken.update(range(s.start, s.end))
    return out


def write_docbin(nlp, sentences: Iterable[Sentence], path: Path, trim: bool = True) -> Stats:
    stats = Stats()
    db = DocBin(attrs=DOCBIN_ATTRS, store_user_data=False)
    for sent in sentences:
        db.add(to_doc(nlp, sent, stats, trim))
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return stats
