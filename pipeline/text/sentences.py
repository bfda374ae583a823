"""Sentence and paragraph splitting over tokens.

A paragraph is a line of text. A sentence ends at ". ؟ ? ! …" (with any closing
quotes or brackets that follow) unless the stop falls inside a quotation that closes
later in the same paragraph. "د." and other abbreviations, and numbers such as "3.5",
are single tokens already, so they never end a sentence.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.text.tokenize import Token

TERMINATORS = frozenset({".", "؟", "?", "!", "…"})
CLOSERS = frozenset({"»", "”", '"', ")", "]", "’"})
OPEN_QUOTES = {"«": "»", "“": "”"}


class Sentence(NamedTuple):
    start: int        # original offsets of the first and last token
    end: int
    first: int        # token indices, half-open
    last: int
    paragraph: int


_LINE_BREAK = re.compile("[\n\r\u2029]")


def _breaks_line(text: str, a: int, b: int) -> bool:
    return a < b and _LINE_BREAK.search(text, a, b) is not None


def split_sentences(text: str, tokens: list[Token]) -> list[Sentence]:
    sentences: list[Sentence] = []
    n = len(tokens)
    breaks = [m.start() for m in _LINE_BREAK.finditer(text)]
    nb, bi = len(breaks), 0
    first, para, depth_close = 0, 0, []

    def close(last: int) -> None:
        nonlocal first
        if last > first:
            sentences.append(Sentence(tokens[first].start, tokens[last - 1].end, first, last, para))
        first = last

    i = 0
    while i < n:
        tok = tokens[i]
        # Tokens never contain a line break, so one before this token's start
        # lies between it and the previous token.
        crossed = False
        while bi < nb and breaks[bi] < tok.start:
            crossed = True
            bi += 1
        if crossed and i > 0:
            close(i)
            para += 1
            depth_close = []
        t = tok.norm
        if t in OPEN_QUOTES and _closes_later(tokens, i, OPEN_QUOTES[t], text):
            depth_close.append(OPEN_QUOTES[t])
        elif depth_close and t == depth_close[-1]:
            depth_close.pop()
        elif t in TERMINATORS and not depth_close:
            j = i + 1
            while j < n and (tokens[j].norm in TERMINATORS or tokens[j].norm in CLOSERS) \
                    and not _breaks_line(text, tokens[j - 1].end, tokens[j].start):
                j += 1
            close(j)
            i = j
            continue
        i += 1
    close(n)
    return sentences


def _closes_later(tokens: list[Token], i: int, closer: str, text: str) -> bool:
    for j in range(i + 1, len(tokens)):
        if _breaks_line(text, tokens[j - 1].end, tokens[j].start):
            return False
        if tokens[j].norm == closer:
            return True
    return False


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Original-offset spans of the non-empty lines of ``text``."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\u2029")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line)
    return spans
