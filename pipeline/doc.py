"""The document model: what flows through the pipeline and what is written out.

All spans are half-open ``[start, end)`` code-point offsets into the original text,
exactly as ANNOTATION.md section 1 defines them. Objects are frozen: a component
returns new mentions, it never edits one in place.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, replace

NUMERIC_TYPES = frozenset({"MONEY", "PERCENT", "QUANTITY"})
TEMPORAL_TYPES = frozenset({"DATE", "DURATION"})
ENTITY_TYPES = frozenset({"PER", "ORG", "LOC", "MISC"})
MENTION_TYPES = NUMERIC_TYPES | TEMPORAL_TYPES | ENTITY_TYPES
BOUNDS = frozenset({"gt", "ge", "lt", "le"})


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Value:
    """A normalized value. Either ``amount`` or ``min``/``max`` (numbers), or
    ``timex`` or ``start``/``end`` (time), plus qualifiers."""

    amount: float | None = None
    min: float | None = None
    max: float | None = None
    approx: bool | None = None
    bound: str | None = None
    currency: str | None = None
    unit: str | None = None
    timex: str | None = None
    start: str | None = None
    end: str | None = None

    def __post_init__(self) -> None:
        if self.amount is not None and (self.min is not None or self.max is not None):
            raise ValueError("a value has either amount or min/max, not both")
        if (self.min is None) != (self.max is None):
            raise ValueError("min and max go together")
        if self.timex is not None and (self.start is not None or self.end is not None):
            raise ValueError("a value has either timex or start/end, not both")
        if self.bound is not None and self.bound not in BOUNDS:
            raise ValueError(f"unknown bound {self.bound!r}")

    def to_json(self) -> dict:
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is None:
                continue
            if isinstance(v, float) and v.is_integer() and f.name in ("amount", "min", "max"):
                v = int(v)
            out[f.name] = v
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Value":
        return cls(**data)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_json(cls, data: dict) -> "Span":
        return cls(data["start"], data["end"], data["text"])


@dataclass(frozen=True)
class Mention:
    id: str
    type: str
    start: int
    end: int
    text: str
    value: Value | None = None
    # Which component produced it ("numbers/1", "gazetteer/1", ...); not serialized.
    source: str = ""

    def __post_init__(self) -> None:
        if self.type not in MENTION_TYPES:
            raise ValueError(f"unknown mention type {self.type!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span [{self.start}, {self.end}) for {self.id}")

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)

    def with_id(self, new_id: str) -> "Mention":
        return replace(self, id=new_id)


@dataclass(frozen=True)
class Attribution:
    id: str
    cue: Span
    source: Span
    content: Span


@dataclass(frozen=True)
class Claim:
    id: str
    value: str
    time: str | None
    attribution: str | None


@dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    doc_date: str | None = None
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)


@dataclass(frozen=True)
class Annotation:
    """A document's mentions, attributions and claims: pipeline output or gold."""

    doc_id: str
    text_sha256: str
    doc_date: str | None = None
    mentions: tuple[Mention, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    claims: tuple[Claim, ...] = ()

    def mention(self, mention_id: str) -> Mention:
        for m in self.mentions:
            if m.id == mention_id:
                return m
        raise KeyError(mention_id)
