"""Language data files load and stay clean (dateparser-style checks)."""
import json
import re
from pathlib import Path

import pytest

from pipeline import resources
from pipeline.text.normalize import normalize_str

DATA = Path(resources.data_path("x")).parent
JSON_FILES = sorted(DATA.glob("*.json")) + sorted(DATA.glob("*.jsonl"))
CODE = "\n".join(p.read_text(encoding="utf-8") for p in Path(DATA.parent).rglob("*.py"))


def _strings(node, path="$"):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, list):
        for i, x in enumerate(node):
            yield from _strings(x, f"{path}[{i}]")
    elif isinstance(node, dict):
        for k, v in node.items():
            yield f"{path}.{k}(key)", k
            yield from _strings(v, f"{path}.{k}")


def _lists(node, path="$"):
    if isinstance(node, list):
        yield path, node
        for i, x in enumerate(node):
            yield from _lists(x, f"{path}[{i}]")
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _lists(v, f"{path}.{k}")


def _load(path: Path):
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.name)
def test_data_file_is_clean(path):
    data = _load(path)
    for where, s in _strings(data):
        if "_doc" in where or "comment" in where:
            continue
        assert s == s.strip(), f"{path.name} {where}: surrounding whitespace in {s!r}"
        assert not re.search("[\u200b-\u200f\u202a-\u202e\ufeff]", s), f"{path.name} {where}: invisible control in {s!r}"
    for where, items in _lists(data):
        # Entries are matched in normalized form, so two spellings that
        # normalize alike ("هـ" and "ه") are one entry written twice.
        plain = [normalize_str(x) for x in items if isinstance(x, str)]
        dupes = {x for x in plain if plain.count(x) > 1}
        assert not dupes, f"{path.name} {where}: duplicates after normalization {sorted(dupes)}"


@pytest.mark.parametrize("path", JSON_FILES + [DATA / "lexicon.tsv.gz"], ids=lambda p: p.name)
def test_data_file_is_used(path):
    assert path.name in CODE, f"{path.name} is shipped but no code loads it"


def test_lexicon_loads():
    lex = resources.lexicon()
    assert len(lex) > 50_000
    assert all(isinstance(c, int) and c > 0 for c in list(lex.values())[:1000])
    assert lex["قال"] > lex.get("قالتموه", 0)
