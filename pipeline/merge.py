"""Merge the extractors' mentions into one consistent, non-overlapping set with ids.

Policy ``longest_wins/1``: mentions of the same family (numeric, temporal, entity)
may not overlap; among overlapping ones the longest wins, ties going to the earlier
component in the pipeline. Mentions of different families may not overlap either,
except that an entity never removes a number or date (numbers and dates are rule
output with values; an entity span overlapping one is the less reliable of the two).
Ids are then assigned in text order: m1, m2, …
"""
from __future__ import annotations

from pipeline.analysis import Analysis
from pipeline.doc import ENTITY_TYPES, Mention
from pipeline.registry import register


def _rank(m: Mention, order: int) -> tuple:
    # Numbers/dates before entities, then longer first, then pipeline order.
    return (m.type in ENTITY_TYPES, -(m.end - m.start), order, m.start)


def longest_wins(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for order, m in sorted(enumerate(mentions), key=lambda om: _rank(om[1], om[0])):
        if any(m.start < e and s < m.end for s, e in taken):
            continue
        kept.append(m)
        taken.append((m.start, m.end))
    kept.sort(key=lambda m: (m.start, m.end))
    return [m.with_id(f"m{i}") for i, m in enumerate(kept, 1)]


@register("merge", 1)
class Merge:
    name = "merge"

    def __call__(self, analysis: Analysis) -> None:
        analysis.mentions = longest_wins(analysis.mentions)
