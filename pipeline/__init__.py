"""Arabic claim extraction: numbers, dates, entities and attributions bound into claims.

The data flows one way: text → ``text.normalize`` (with an offset map) →
``text.tokenize`` / ``text.sentences`` → ``extractors`` → ``merge`` → ``claims`` →
``output`` (JSON, databases) or ``scoring``.
"""
__version__ = "0.1.0"
