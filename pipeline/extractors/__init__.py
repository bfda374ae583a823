"""Extractors: rules and trained models that find mentions and attributions.

Importing this package registers every extractor with ``pipeline.registry``.
"""
