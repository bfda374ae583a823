"""The per-document working state that components read and annotate.

One ``Analysis`` belongs to one document in one run; components add to it in order
(spaCy's shape: ``__call__`` → find → set annotations) and nothing else shares it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.doc import Annotation, Attribution, Claim, Document, Mention
from pipeline.text.normalize import NormalizedText, normalize
from pipeline.text.sentences import Sentence, paragraph_spans, split_sentences
from pipeline.text.tokenize import Token, tokenize_normalized


@dataclass
class Analysis:
    doc: Document
    norm: NormalizedText
    tokens: list[Token]
    sentences: list[Sentence]
    paragraphs: list[tuple[int, int]]
    mentions: list[Mention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @classmethod
    def of(cls, doc: Document) -> "Analysis":
        norm = normalize(doc.text)
        tokens = tokenize_normalized(norm)
        return cls(doc, norm, tokens, split_sentences(doc.text, tokens), paragraph_spans(doc.text))

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding original offset ``offset``."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None

    def annotation(self) -> Annotation:
        return Annotation(self.doc.doc_id, self.doc.sha256, self.doc.doc_date,
                          tuple(self.mentions), tuple(self.attributions), tuple(self.claims))
