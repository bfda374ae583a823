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


def case_param(case: dict, case_id: str):
    """A case as a pytest parameter; a case the extractor is known to get wrong carries
    ``xfail`` (the reason), a strict xfail: the test fails once the case passes."""
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=case_id, marks=marks)


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
