"""Extractors: rules and trained models that find mentions and attributions.

Importing this package registers every extractor with ``pipeline.registry``.
"""
from pipeline.extractors import dates  # noqa: F401,E402
from pipeline.extractors import numbers  # noqa: F401,E402
from pipeline.extractors import attributions  # noqa: F401,E402
from pipeline.extractors import entities  # noqa: F401,E402
