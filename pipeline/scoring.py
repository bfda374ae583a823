"""Scoring output against gold, exactly as ANNOTATION.md section 5 defines it.

Mentions are scored per type under three named schemes (nervaluate's shape), each
implemented once:

- ``strict``: same type and same ``start``/``end``;
- ``overlap``: same type and any character in common; each gold and each predicted
  mention is matched at most once, greedily by largest overlap (ties: the pair whose
  boundaries differ least, then text order);
- ``value``: an overlap match whose value equals gold's (``values_equal``): numbers
  (amount, min, max) within 0.5% of the gold number, inclusive; ``approx`` (absent =
  false), ``bound``, ``currency``, ``timex``, ``start`` and ``end`` equal. ``unit`` is
  not part of value equality; it is reported as the accuracy of exact unit strings
  over overlap matches whose gold mention has a unit.

For each scheme P = tp / predicted, R = tp / gold, F1 = 2·tp / (gold + predicted);
a figure whose denominator is 0 is undefined (None, shown as "–"), never 0 or 1.

Attributions: a prediction matches a gold attribution when their source spans and
their content spans both overlap (one-to-one, greedy by the summed overlap). Cue,
source and content are also scored strictly, each as its own multiset of exact spans.
Content token F1 is averaged over matched pairs; tokens are the word and number
tokens of ``pipeline.text.tokenize`` (clitics split, punctuation dropped) compared by
their offsets, so a word counts only where it stands, not wherever it recurs.

Claims: a predicted claim matches a gold claim when its value mention is the overlap
match of the gold claim's value mention and its ``time`` and ``attribution`` resolve
(through the mention and attribution matches) to the gold claim's (or both are null).
Time-link and attribution-link accuracy are given over the claims whose value
mentions matched.

Everything is micro-averaged: counts are summed over documents, then divided. MISC
is never scored. Groups: numbers, temporal, entities (``GROUPS``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence, TypeVar

from pipeline import inputs
from pipeline.doc import Annotation, Attribution, Claim, Document, Mention, Span, Value
from pipeline.output import jsonio

SCORED_TYPES: tuple[str, ...] = ("MONEY", "PERCENT", "QUANTITY", "DATE", "DURATION", "PER", "ORG", "LOC")
GROUPS: dict[str, tuple[str, ...]] = {
    "numbers": ("MONEY", "PERCENT", "QUANTITY"),
    "temporal": ("DATE", "DURATION"),
    "entities": ("PER", "ORG", "LOC"),
}
SCHEMES = ("strict", "overlap", "value")
REL_TOL = 0.005  # numbers within 0.5% of the gold number are equal
# Slack for binary floating point at the tolerance edge (9.1 vs 9.1455 is exactly 0.5%).
_FLOAT_SLACK = 1e-9


# ---------------------------------------------------------------- score objects

def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


@dataclass
class PRF:
    """Counts for one scheme; P, R and F1 derive from them (None when undefined)."""

    tp: int = 0
    gold: int = 0
    pred: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.pred)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.gold)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, self.gold + self.pred)

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.gold + other.gold, self.pred + other.pred)

    def to_json(self) -> dict:
        return {"tp": self.tp, "gold": self.gold, "pred": self.pred,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return _ratio(self.correct, self.total)

    def __add__(self, other: "Accuracy") -> "Accuracy":
        return Accuracy(self.correct + other.correct, self.total + other.total)

    def to_json(self) -> dict:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


@dataclass
class Mean:
    total: float = 0.0
    n: int = 0

    @property
    def value(self) -> float | None:
        return _ratio(self.total, self.n)

    def __add__(self, other: "Mean") -> "Mean":
        return Mean(self.total + other.total, self.n + other.n)

    def to_json(self) -> dict:
        return {"mean": self.value, "n": self.n}


@dataclass
class TypeScore:
    strict: PRF = field(default_factory=PRF)
    overlap: PRF = field(default_factory=PRF)
    value: PRF = field(default_factory=PRF)
    unit: Accuracy = field(default_factory=Accuracy)

    def __add__(self, other: "TypeScore") -> "TypeScore":
        return TypeScore(self.strict + other.strict, self.overlap + other.overlap,
                         self.value + other.value, self.unit + other.unit)

    def to_json(self) -> dict:
        return {"strict": self.strict.to_json(), "overlap": self.overlap.to_json(),
                "value": self.value.to_json(), "unit_accuracy": self.unit.to_json()}


@dataclass
class AttributionScore:
    match: PRF = field(default_factory=PRF)
    cue: PRF = field(default_factory=PRF)          # strict, exact cue spans
    source: PRF = field(default_factory=PRF)
    content: PRF = field(default_factory=PRF)
    content_tokens: Mean = field(default_factory=Mean)  # token F1 of matched contents

    def __add__(self, other: "AttributionScore") -> "AttributionScore":
        return AttributionScore(self.match + other.match, self.cue + other.cue,
                                self.source + other.source, self.content + other.content,
                                self.content_tokens + other.content_tokens)

    def to_json(self) -> dict:
        return {"match": self.match.to_json(), "cue_strict": self.cue.to_json(),
                "source_strict": self.source.to_json(), "content_strict": self.content.to_json(),
                "content_token_f1": self.content_tokens.to_json()}


@dataclass
class ClaimScore:
    match: PRF = field(default_factory=PRF)
    time_link: Accuracy = field(default_factory=Accuracy)
    attribution_link: Accuracy = field(default_factory=Accuracy)

    def __add__(self, other: "ClaimScore") -> "ClaimScore":
        return ClaimScore(self.match + other.match, self.time_link + other.time_link,
                          self.attribution_link + other.attribution_link)

    def to_json(self) -> dict:
        return {"match": self.match.to_json(), "time_link_accuracy": self.time_link.to_json(),
                "attribution_link_accuracy": self.attribution_link.to_json()}


def _empty_types() -> dict[str, TypeScore]:
    return {t: TypeScore() for t in SCORED_TYPES}


@dataclass
class Score:
    """Scores of one document or, summed with ``+``, of many (micro-average)."""

    types: dict[str, TypeScore] = field(default_factory=_empty_types)
    attributions: AttributionScore = field(default_factory=AttributionScore)
    claims: ClaimScore = field(default_factory=ClaimScore)
    documents: int = 0
    missing: list[str] = field(default_factory=list)  # documents with no prediction file

    def group(self, members: Iterable[str]) -> TypeScore:
        total = TypeScore()
        for t in members:
            total = total + self.types.get(t, TypeScore())
        return total

    @property
    def groups(self) -> dict[str, TypeScore]:
        return {name: self.group(members) for name, members in GROUPS.items()}

    def __add__(self, other: "Score") -> "Score":
        keys = list(dict.fromkeys([*self.types, *other.types]))
        return Score({t: self.types.get(t, TypeScore()) + other.types.get(t, TypeScore()) for t in keys},
                     self.attributions + other.attributions, self.claims + other.claims,
                     self.documents + other.documents, self.missing + other.missing)

    def to_json(self) -> dict:
        return {"documents": self.documents, "missing_predictions": list(self.missing),
                "types": {t: s.to_json() for t, s in self.types.items()},
                "groups": {g: s.to_json() for g, s in self.groups.items()},
                "attributions": self.attributions.to_json(), "claims": self.claims.to_json()}


# ---------------------------------------------------------------- value equality

def _close(gold: float | None, pred: float | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return abs(pred - gold) <= REL_TOL * abs(gold) * (1 + _FLOAT_SLACK)


def values_equal(gold: Value | None, pred: Value | None) -> bool:
    """Section 5 value equality; ``unit`` is deliberately not compared. No value
    equals an empty value (an entity against an entity, an unresolved date against
    an unresolved date)."""
    g, p = gold or Value(), pred or Value()
    return (_close(g.amount, p.amount) and _close(g.min, p.min) and _close(g.max, p.max)
            and bool(g.approx) == bool(p.approx) and g.bound == p.bound and g.currency == p.currency
            and g.timex == p.timex and g.start == p.start and g.end == p.end)


def _unit(m) -> str | None:
    v = getattr(m, "value", None)
    return v.unit if v is not None else None


# ---------------------------------------------------------------- matching

class Spanned(Protocol):
    """What the mention schemes need: a Mention, or a CoNLL entity over token indices."""

    type: str
    start: int
    end: int
    value: Value | None


S = TypeVar("S")


def overlap(a, b) -> int:
    """Characters (or tokens) two half-open spans have in common."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def greedy_match(gold: Sequence[S], pred: Sequence[S],
                 key: Callable[[S, S], tuple | None]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(gold index, pred index)``, best ``key`` first.

    ``key`` returns None for a pair that may not match, else a tuple where smaller is
    better; ties fall to text order (lower indices), so the result is deterministic.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            k = key(g, p)
            if k is not None:
                candidates.append((k, gi, pi))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    pairs.sort()
    return pairs


def _mention_key(g: Spanned, p: Spanned) -> tuple | None:
    if g.type != p.type:
        return None
    n = overlap(g, p)
    if n == 0:
        return None
    return (-n, abs(g.start - p.start) + abs(g.end - p.end))


def _shared(gold: Iterable[tuple], pred: Iterable[tuple]) -> Counter:
    """The items two multisets share, each matched at most once (strict matching)."""
    return Counter(gold) & Counter(pred)


@dataclass
class SpanAlignment:
    gold: list          # the scored gold items, in input order
    pred: list
    pairs: list[tuple[int, int]]   # overlap matches (indices into gold, pred)
    types: tuple[str, ...]


def align_spans(gold: Iterable[Spanned], pred: Iterable[Spanned],
                types: Sequence[str] = SCORED_TYPES) -> SpanAlignment:
    """Overlap matching of the items whose type is in ``types`` (others are ignored)."""
    wanted = set(types)
    g = [m for m in gold if m.type in wanted]
    p = [m for m in pred if m.type in wanted]
    return SpanAlignment(g, p, greedy_match(g, p, _mention_key), tuple(types))


def type_scores(al: SpanAlignment) -> dict[str, TypeScore]:
    """Strict, overlap and value counts and unit accuracy per type."""
    scores = {t: TypeScore() for t in al.types}
    shared = _shared(((m.type, m.start, m.end) for m in al.gold), ((m.type, m.start, m.end) for m in al.pred))
    strict = Counter(t for t, _, _ in shared.elements())
    gold_n = Counter(m.type for m in al.gold)
    pred_n = Counter(m.type for m in al.pred)
    overlap_n, value_n, unit_n, unit_ok = Counter(), Counter(), Counter(), Counter()
    for gi, pi in al.pairs:
        g, p = al.gold[gi], al.pred[pi]
        overlap_n[g.type] += 1
        value_n[g.type] += values_equal(g.value, p.value)
        if _unit(g) is not None:
            unit_n[g.type] += 1
            unit_ok[g.type] += _unit(p) == _unit(g)
    for t, s in scores.items():
        s.strict = PRF(strict[t], gold_n[t], pred_n[t])
        s.overlap = PRF(overlap_n[t], gold_n[t], pred_n[t])
        s.value = PRF(value_n[t], gold_n[t], pred_n[t])
        s.unit = Accuracy(unit_ok[t], unit_n[t])
    return scores


# ---------------------------------------------------------------- attributions

def _attribution_key(g: Attribution, p: Attribution) -> tuple | None:
    src, con = overlap(g.source, p.source), overlap(g.content, p.content)
    if not src or not con:
        return None
    dist = sum(abs(getattr(g, part).start - getattr(p, part).start) + abs(getattr(g, part).end - getattr(p, part).end)
               for part in ("source", "content"))
    return (-(src + con), dist)


def _span_tokens(span: Span) -> set[tuple[int, int]]:
    from pipeline.text.tokenize import PUNCT, tokenize

    return {(span.start + t.start, span.start + t.end) for t in tokenize(span.text) if t.kind != PUNCT}


def token_f1(gold: Span, pred: Span) -> float:
    """F1 of the word/number tokens two spans cover, tokens compared by offsets."""
    g, p = _span_tokens(gold), _span_tokens(pred)
    return 2 * len(g & p) / (len(g) + len(p)) if g or p else 1.0


def attribution_score(gold: Sequence[Attribution], pred: Sequence[Attribution],
                      pairs: Sequence[tuple[int, int]]) -> AttributionScore:
    def strict(part: str) -> PRF:
        def spans(atts):
            return ((getattr(a, part).start, getattr(a, part).end) for a in atts)
        return PRF(sum(_shared(spans(gold), spans(pred)).values()), len(gold), len(pred))

    tokens = Mean(sum(token_f1(gold[gi].content, pred[pi].content) for gi, pi in pairs), len(pairs))
    return AttributionScore(PRF(len(pairs), len(gold), len(pred)), strict("cue"), strict("source"),
                            strict("content"), tokens)


# ---------------------------------------------------------------- documents

@dataclass
class ClaimLink:
    """A gold claim and the predicted claim of its matched value mention."""

    gold: Claim
    pred: Claim
    time_ok: bool
    attribution_ok: bool

    @property
    def ok(self) -> bool:
        return self.time_ok and self.attribution_ok


@dataclass
class Alignment:
    """Everything matched between one gold annotation and one prediction; scores and
    error lists are both read off it, so they cannot disagree."""

    gold: Annotation
    pred: Annotation
    mentions: SpanAlignment
    attributions: list[tuple[int, int]]
    claims: list[ClaimLink]
    missing: bool = False

    @property
    def mention_map(self) -> dict[str, str]:
        """Predicted mention id → gold mention id, over overlap matches."""
        return {self.mentions.pred[pi].id: self.mentions.gold[gi].id for gi, pi in self.mentions.pairs}

    @property
    def attribution_map(self) -> dict[str, str]:
        return {self.pred.attributions[pi].id: self.gold.attributions[gi].id for gi, pi in self.attributions}


def _link_ok(gold_ref: str | None, pred_ref: str | None, mapping: dict[str, str]) -> bool:
    if gold_ref is None or pred_ref is None:
        return gold_ref is None and pred_ref is None
    return mapping.get(pred_ref) == gold_ref


def _link_claims(gold: Annotation, pred: Annotation, mention_map: dict[str, str],
                 att_map: dict[str, str]) -> list[ClaimLink]:
    by_gold_value: dict[str, list[Claim]] = {}
    for c in pred.claims:
        if c.value in mention_map:
            by_gold_value.setdefault(mention_map[c.value], []).append(c)
    links, used = [], set()
    for gc in gold.claims:
        options = [ClaimLink(gc, pc, _link_ok(gc.time, pc.time, mention_map),
                             _link_ok(gc.attribution, pc.attribution, att_map))
                   for pc in by_gold_value.get(gc.value, ()) if pc.id not in used]
        if options:
            best = max(options, key=lambda link: (link.ok, link.time_ok + link.attribution_ok))
            used.add(best.pred.id)
            links.append(best)
    return links


def align(gold: Annotation, pred: Annotation, missing: bool = False) -> Alignment:
    mentions = align_spans(gold.mentions, pred.mentions)
    atts = greedy_match(gold.attributions, pred.attributions, _attribution_key)
    al = Alignment(gold, pred, mentions, atts, [], missing)
    al.claims = _link_claims(gold, pred, al.mention_map, al.attribution_map)
    return al


def score_alignment(al: Alignment) -> Score:
    claims = ClaimScore(
        PRF(sum(link.ok for link in al.claims), len(al.gold.claims), len(al.pred.claims)),
        Accuracy(sum(link.time_ok for link in al.claims), len(al.claims)),
        Accuracy(sum(link.attribution_ok for link in al.claims), len(al.claims)))
    return Score(type_scores(al.mentions),
                 attribution_score(al.gold.attributions, al.pred.attributions, al.attributions),
                 claims, 1, [al.gold.doc_id] if al.missing else [])


def score_document(gold: Annotation, pred: Annotation) -> Score:
    return score_alignment(align(gold, pred))


def total(scores: Iterable[Score]) -> Score:
    """Micro-average: the sum of the documents' counts."""
    out = Score()
    for s in scores:
        out = out + s
    return out


# ---------------------------------------------------------------- evaluation sets

class InvalidPrediction(ValueError):
    """A prediction file that is not valid claims-doc/1 JSON for its document."""


@dataclass
class EvalDoc:
    doc: Document
    gold: Annotation
    pred: Annotation
    missing: bool = False   # no prediction file: scored as an empty prediction

    def alignment(self) -> Alignment:
        return align(self.gold, self.pred, self.missing)


def empty_prediction(doc: Document) -> Annotation:
    return Annotation(doc.doc_id, doc.sha256, doc.doc_date)


def load_gold(corpus_dir: str | Path, gold_dir: str | Path) -> list[tuple[Document, Annotation]]:
    """Every ``gold/<doc_id>.json`` with its text ``corpus/<doc_id>.txt`` (doc_date from
    the .meta.json sidecar), each checked against its text; raises on any defect."""
    out = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        doc = inputs.read_file(Path(corpus_dir) / f"{path.stem}.txt")
        if isinstance(doc, inputs.InputError):
            raise jsonio.InvalidDocument(f"{path}: its text: {doc.reason} ({doc.name})")
        try:
            gold = jsonio.read(path, doc.text)
        except jsonio.InvalidDocument as exc:
            raise jsonio.InvalidDocument(f"{path}: {exc}") from exc
        out.append((doc, gold))
    if not out:
        raise jsonio.InvalidDocument(f"{gold_dir}: no gold *.json files")
    return out


def read_prediction(pred_dir: str | Path, doc: Document) -> Annotation | None:
    """``<pred_dir>/<doc_id>.json`` checked against the document; None when absent."""
    path = Path(pred_dir) / f"{doc.doc_id}.json"
    if not path.exists():
        return None
    try:
        pred = jsonio.read(path, doc.text)
    except (jsonio.InvalidDocument, UnicodeDecodeError) as exc:
        raise InvalidPrediction(f"{path}: {exc}") from exc
    if pred.doc_id != doc.doc_id:
        raise InvalidPrediction(f"{path}: doc_id {pred.doc_id!r} is not {doc.doc_id!r}")
    return pred


def evaluation_set(gold: list[tuple[Document, Annotation]], pred_dir: str | Path | None = None,
                   predict: Callable[[Document], Annotation] | None = None) -> list[EvalDoc]:
    """Pair each gold annotation with a prediction: read from ``pred_dir`` (a missing
    file is an empty prediction, flagged ``missing``) or made by ``predict``."""
    if (pred_dir is None) == (predict is None):
        raise ValueError("give pred_dir or predict")
    out = []
    for doc, g in gold:
        if predict is not None:
            out.append(EvalDoc(doc, g, predict(doc)))
            continue
        p = read_prediction(pred_dir, doc)
        out.append(EvalDoc(doc, g, p if p is not None else empty_prediction(doc), p is None))
    return out


# ---------------------------------------------------------------- error lists

@dataclass(frozen=True)
class ErrorItem:
    """One scoring error. ``group`` is a mention type, "ATTRIBUTION" or "CLAIM"; ``kind``
    is miss, false_alarm, value_mismatch, unit_mismatch, boundary (an overlap match
    with the right value but other offsets: a strict miss) or link_mismatch (a claim
    whose number matched but whose time or attribution did not)."""

    doc_id: str
    group: str
    kind: str
    start: int
    end: int
    sentence: str             # the sentence holding the span, the span marked ⟦ ⟧
    gold: dict | None = None  # what gold has here (span text, value, links)
    pred: dict | None = None

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "group": self.group, "kind": self.kind, "start": self.start,
                "end": self.end, "sentence": self.sentence, "gold": self.gold, "pred": self.pred}


def _mention_json(m: Mention) -> dict:
    out = {"text": m.text, "start": m.start, "end": m.end}
    if m.value is not None:
        out["value"] = m.value.to_json()
    return out


def _attribution_json(a: Attribution) -> dict:
    return {"cue": a.cue.text, "source": a.source.text, "content": a.content.text}


class _Sentences:
    """Sentence lookup for error context (the pipeline's own sentence splitter)."""

    def __init__(self, doc: Document):
        from pipeline.analysis import Analysis

        self.text = doc.text
        self.analysis = Analysis.of(doc)

    def around(self, start: int, end: int) -> str:
        s = self.analysis.sentence_at(start)
        # A span may run past its sentence (a content span over two): show all of it.
        a, b = (min(s.start, start), max(s.end, end)) if s else (start, end)
        t = self.text
        return (t[a:start] + "⟦" + t[start:end] + "⟧" + t[end:b]).replace("\n", " ")


def errors(al: Alignment, doc: Document) -> list[ErrorItem]:
    """Every miss, false alarm and mismatch (value, else unit, else boundary; claim
    links) of one document."""
    sents = _Sentences(doc)
    out: list[ErrorItem] = []

    def add(group, kind, span, gold=None, pred=None):
        out.append(ErrorItem(doc.doc_id, group, kind, span.start, span.end,
                             sents.around(span.start, span.end), gold, pred))

    m = al.mentions
    matched_g = {gi for gi, _ in m.pairs}
    matched_p = {pi for _, pi in m.pairs}
    for gi, g in enumerate(m.gold):
        if gi not in matched_g:
            add(g.type, "miss", g, gold=_mention_json(g))
    for pi, p in enumerate(m.pred):
        if pi not in matched_p:
            add(p.type, "false_alarm", p, pred=_mention_json(p))
    for gi, pi in m.pairs:
        g, p = m.gold[gi], m.pred[pi]
        if not values_equal(g.value, p.value):
            add(g.type, "value_mismatch", g, _mention_json(g), _mention_json(p))
        elif _unit(g) is not None and _unit(g) != _unit(p):
            add(g.type, "unit_mismatch", g, _mention_json(g), _mention_json(p))
        elif (g.start, g.end) != (p.start, p.end):
            add(g.type, "boundary", g, _mention_json(g), _mention_json(p))

    matched_g = {gi for gi, _ in al.attributions}
    matched_p = {pi for _, pi in al.attributions}
    for gi, a in enumerate(al.gold.attributions):
        if gi not in matched_g:
            add("ATTRIBUTION", "miss", a.content, gold=_attribution_json(a))
    for pi, a in enumerate(al.pred.attributions):
        if pi not in matched_p:
            add("ATTRIBUTION", "false_alarm", a.content, pred=_attribution_json(a))

    _claim_errors(al, add)
    return out


def _claim_errors(al: Alignment, add) -> None:
    def describe(ann: Annotation, c: Claim) -> dict:
        by_id = {x.id: x for x in ann.mentions}
        atts = {a.id: a for a in ann.attributions}
        return {"value": by_id[c.value].text,
                "time": by_id[c.time].text if c.time in by_id else None,
                "source": atts[c.attribution].source.text if c.attribution in atts else None}

    gold_mentions = {x.id: x for x in al.gold.mentions}
    pred_mentions = {x.id: x for x in al.pred.mentions}
    linked_g = {link.gold.id for link in al.claims}
    linked_p = {link.pred.id for link in al.claims}
    for c in al.gold.claims:
        if c.id not in linked_g:
            add("CLAIM", "miss", gold_mentions[c.value], gold=describe(al.gold, c))
    for c in al.pred.claims:
        if c.id not in linked_p:
            add("CLAIM", "false_alarm", pred_mentions[c.value], pred=describe(al.pred, c))
    for link in al.claims:
        if not link.ok:
            add("CLAIM", "link_mismatch", gold_mentions[link.gold.value],
                describe(al.gold, link.gold), describe(al.pred, link.pred))


ERROR_GROUPS = (*SCORED_TYPES, "ATTRIBUTION", "CLAIM")


def group_errors(items: Iterable[ErrorItem]) -> dict[str, list[ErrorItem]]:
    """Errors by group (type order of ``ERROR_GROUPS``), each in document and text order."""
    grouped: dict[str, list[ErrorItem]] = {g: [] for g in ERROR_GROUPS}
    for e in items:
        grouped.setdefault(e.group, []).append(e)
    return {g: sorted(v, key=lambda e: (e.doc_id, e.start, e.end, e.kind)) for g, v in grouped.items() if v}
