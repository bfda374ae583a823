"""The pipeline: a document in, its annotation out.

    from pipeline.nlp import Pipeline
    nlp = Pipeline.default()
    annotation = nlp(Document("doc1", text, doc_date="2015-08-02"))
"""
from __future__ import annotations

from pipeline import registry
from pipeline.analysis import Analysis
from pipeline.doc import Annotation, Document


class Pipeline:
    def __init__(self, steps: tuple[tuple[str, dict], ...] = registry.DEFAULT_PIPELINE):
        self.steps = tuple((key, dict(settings)) for key, settings in steps)
        self.components = [registry.build(key, **settings) for key, settings in self.steps]

    @classmethod
    def default(cls) -> "Pipeline":
        return cls()

    @property
    def names(self) -> list[str]:
        return [key for key, _ in self.steps]

    def analyse(self, doc: Document) -> Analysis:
        analysis = Analysis.of(doc)
        for component in self.components:
            component(analysis)
        return analysis

    def __call__(self, doc: Document) -> Annotation:
        return self.analyse(doc).annotation()
