import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
SHARED = ROOT.parent / "shared"


def load_cases(name: str) -> list[dict]:
    """A JSONL case corpus from tests/cases, one case per line."""
    with open(CASES / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
