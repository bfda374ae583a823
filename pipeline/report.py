"""Plain-text tables for scores: what `evaluate` and `ner-eval` print."""
from __future__ import annotations

import json
from collections import Counter
from typing import Optional


def fmt(x: Optional[float]) -> str:
    """A score to three decimals; – where it is undefined (nothing to divide by)."""
    return "    –" if x is None else f"{x:5.3f}"


def prf(p) -> str:
    return f"{fmt(p.precision)} {fmt(p.recall)} {fmt(p.f1)}"


_BLANK_PRF = " " * 17


def score_table(score, rows: list[str]) -> list[str]:
    head = (f"{'':14} {'strict':^17}   {'overlap':^17}   {'value':^17}   {'gold':>5} {'pred':>5}   unit acc")
    sub = f"{'':14} " + "   ".join(["    P     R    F1"] * 3)
    lines = [head, sub]
    for r in rows:
        if r == "attributions":
            a = score.attributions
            lines.append(f"{'ATTRIBUTIONS':14} {_BLANK_PRF}   {prf(a.match)}   {_BLANK_PRF}   "
                         f"{a.match.gold:5d} {a.match.pred:5d}")
            lines.append(f"{'':14} strict F1: cue {fmt(a.cue.f1)}  source {fmt(a.source.f1)}  content "
                         f"{fmt(a.content.f1)};  content token F1 {fmt(a.content_tokens.value)} "
                         f"(mean over {a.content_tokens.n} matched)")
        elif r == "claims":
            c = score.claims
            lines.append(f"{'CLAIMS':14} {_BLANK_PRF}   {prf(c.match)}   {_BLANK_PRF}   "
                         f"{c.match.gold:5d} {c.match.pred:5d}")
            lines.append(f"{'':14} time-link accuracy {fmt(c.time_link.value)} "
                         f"({c.time_link.correct}/{c.time_link.total}),  attribution-link accuracy "
                         f"{fmt(c.attribution_link.value)} ({c.attribution_link.correct}/"
                         f"{c.attribution_link.total}) over claims whose number matched")
        else:
            s = score.types[r] if r in score.types else score.groups[r]
            unit = f"{fmt(s.unit.value)} ({s.unit.correct}/{s.unit.total})" if s.unit.total else ""
            name = r if r in score.types else f"[{r}]"
            lines.append(f"{name:14} {prf(s.strict)}   {prf(s.overlap)}   {prf(s.value)}   "
                         f"{s.strict.gold:5d} {s.strict.pred:5d}   {unit}")
    return lines


def by_doc_table(per_doc, mention_types: list[str]) -> list[str]:
    lines = [f"{'document':28} {'gold':>5} {'pred':>5}  {'strict':>6} {'overlap':>7} {'value':>6}"
             f"  {'attr F1':>7} {'claim F1':>8}"]
    for doc_id, s, missing in per_doc:
        m = s.group(mention_types)
        note = "  (no prediction file)" if missing else ""
        lines.append(f"{doc_id:28} {m.strict.gold:5d} {m.strict.pred:5d}  {fmt(m.strict.f1):>6} "
                     f"{fmt(m.overlap.f1):>7} {fmt(m.value.f1):>6}  {fmt(s.attributions.match.f1):>7} "
                     f"{fmt(s.claims.match.f1):>8}{note}")
    return lines


def error_lines(grouped) -> list[str]:
    def show(d) -> str:
        return json.dumps(d, ensure_ascii=False) if d is not None else "–"

    lines = []
    for group, items in grouped.items():
        counts = Counter(e.kind for e in items)
        lines.append(f"== {group}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        for e in items:
            lines.append(f"  {e.kind:15} {e.doc_id} [{e.start}:{e.end}]")
            if e.gold is not None:
                lines.append(f"      gold: {show(e.gold)}")
            if e.pred is not None:
                lines.append(f"      pred: {show(e.pred)}")
            lines.append(f"      sentence: {e.sentence}")
    return lines
