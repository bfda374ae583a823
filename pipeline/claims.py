"""Claims: one per MONEY, PERCENT and QUANTITY mention, bound to its time and source.

``claims/1`` links a number to an attribution whose content span contains it, and to
the nearest DATE/DURATION of the same sentence (preferring the same clause, i.e. no
comma or clause break between them), falling back to null. Issue 8 refines this.
"""
from __future__ import annotations

from pipeline.analysis import Analysis
from pipeline.doc import NUMERIC_TYPES, TEMPORAL_TYPES, Claim, Mention
from pipeline.registry import register


def _attribution_for(m: Mention, analysis: Analysis) -> str | None:
    best = None
    for a in analysis.attributions:
        if a.content.start <= m.start and m.end <= a.content.end:
            if best is None or (a.content.end - a.content.start) < (best.content.end - best.content.start):
                best = a
    return best.id if best else None


def _time_for(m: Mention, analysis: Analysis) -> str | None:
    sent = analysis.sentence_at(m.start)
    if sent is None:
        return None
    times = [t for t in analysis.mentions
             if t.type in TEMPORAL_TYPES and sent.start <= t.start and t.end <= sent.end]
    if not times:
        return None
    text = analysis.doc.text

    def cost(t: Mention) -> tuple:
        a, b = (t.end, m.start) if t.end <= m.start else (m.end, t.start)
        between = text[a:b]
        return (between.count("،") + between.count(",") + between.count("؛"), b - a)

    return min(times, key=cost).id


@register("claims", 1)
class Claims:
    name = "claims"

    def __call__(self, analysis: Analysis) -> None:
        analysis.claims = [
            Claim(f"c{i}", m.id, _time_for(m, analysis), _attribution_for(m, analysis))
            for i, m in enumerate((m for m in analysis.mentions if m.type in NUMERIC_TYPES), 1)
        ]
