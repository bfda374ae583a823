"""Bad input through the CLI (issue 2 §6): non-UTF-8, empty, binary, too large (50 MB),
missing, and a directory mixing them give one clear line each, the rest is processed,
the exit code is 1 and outputs are written atomically. JSONL(.gz) and stdin inputs
with their field options, bad JSONL lines, and streaming progress positions."""
from __future__ import annotations

import gzip
import json

from sqlalchemy import select
from typer.testing import CliRunner

from cli import app
from pipeline.inputs import InputError, Inputs, JsonlFields
from pipeline.output import db

GOOD = "قال الوزير إن الصادرات ارتفعت بنسبة 5 في المئة في عام 2014.\n"
REASONS = {
    "latin1.txt": "not valid UTF-8",
    "empty.txt": "empty file",
    "binary.txt": "binary file",
    "huge.txt": "too large",
}


def make_mixed_dir(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "latin1.txt").write_bytes("caf\u00e9 5%".encode("latin-1"))
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 4)
    with open(d / "huge.txt", "wb") as fh:  # 50 MB: ten times the default --max-bytes
        block = GOOD.encode("utf-8") * 1000
        for _ in range(50_000_000 // len(block) + 1):
            fh.write(block)
    return d


def error_lines(stderr: str) -> list[str]:
    return [l for l in stderr.splitlines() if l.startswith("error: ")]


def test_mixed_directory_and_missing_path(tmp_path):
    d = make_mixed_dir(tmp_path)
    out = tmp_path / "out"
    missing = tmp_path / "nowhere.txt"
    res = CliRunner().invoke(app, ["extract", str(d), str(missing), "--out", str(out),
                                   "--failures", str(tmp_path / "failures.jsonl")])
    assert res.exit_code == 1, res.output
    lines = error_lines(res.stderr)
    assert len(lines) == len(REASONS) + 1
    for name, reason in REASONS.items():
        [line] = [l for l in lines if f"{d / name}:" in l]
        assert reason in line
    [line] = [l for l in lines if str(missing) in l]
    assert "no such file or directory" in line
    assert "1 documents" in res.stdout and "5 failed" in res.stdout
    assert json.loads((out / "good.json").read_text("utf-8"))["doc_id"] == "good"
    assert sorted(p.name for p in out.iterdir()) == ["good.json"]  # nothing half-written
    failures = [json.loads(l) for l in (tmp_path / "failures.jsonl").read_text("utf-8").splitlines()]
    assert len(failures) == 5 and {f["name"] for f in failures} >= {str(missing), str(d / "huge.txt")}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_bad_inputs_into_the_database(tmp_path):
    d = make_mixed_dir(tmp_path)
    (d / "huge.txt").unlink()
    url = f"sqlite:///{tmp_path / 'x.db'}"
    res = CliRunner().invoke(app, ["extract", str(d), "--db", url])
    assert res.exit_code == 1
    e = db.connect(url)
    with e.connect() as conn:
        names = sorted(conn.execute(select(db.failures.c.name)).scalars())
    assert names == sorted(str(d / n) for n in REASONS if n != "huge.txt")
    assert db.counts(e)["documents"] == 1
    e.dispose()


def test_max_bytes_option(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD, encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", str(f), "--out", str(tmp_path / "o"), "--max-bytes", "20"])
    assert res.exit_code == 1 and "too large" in res.stderr and "--max-bytes" in res.stderr
    res = CliRunner().invoke(app, ["extract", str(f), "--out", str(tmp_path / "o"), "--max-bytes", "2000"])
    assert res.exit_code == 0


def test_stdin_text_and_jsonl(tmp_path):
    res = CliRunner().invoke(app, ["extract", "-", "--out", str(tmp_path / "o"), "--doc-date", "2015-01-02"],
                             input=GOOD.encode("utf-8"))
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "o" / "stdin.json").read_text("utf-8"))["doc_date"] == "2015-01-02"
    rec = {"id": 7, "body": GOOD, "date": "2015-03-04"}
    res = CliRunner().invoke(app, ["extract", "-", "--input-format", "jsonl", "--text-field", "body",
                                   "--out", str(tmp_path / "o")],
                             input=(json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "o" / "7.json").read_text("utf-8"))["doc_date"] == "2015-03-04"


SNN_LIKE = [
    {"id": "a1", "source": "aawsat", "url": "http://x/1", "date": "2015-07-21", "title": "العنوان",
     "author": "لندن", "content": GOOD},
    {"id": "a2", "source": "okaz", "url": "http://x/2", "date": "2015-07-22", "title": "", "content": GOOD},
]


def test_jsonl_gz_with_field_options(tmp_path):
    path = tmp_path / "snn.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for r in SNN_LIKE:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    res = CliRunner().invoke(app, ["extract", str(path), "--text-field", "content", "--id-field", "id",
                                   "--date-field", "date", "--title-field", "title", "--db", url])
    assert res.exit_code == 0, res.output
    e = db.connect(url)
    doc, _ = db.read_document(e, "a1")
    assert doc.text == "العنوان\n" + GOOD and doc.doc_date == "2015-07-21"
    assert doc.meta == {"source": "aawsat", "url": "http://x/1", "title": "العنوان", "author": "لندن"}
    doc2, _ = db.read_document(e, "a2")
    assert doc2.text == GOOD  # no title: the text alone
    with e.connect() as conn:
        assert conn.execute(select(db.documents.c.source).where(db.documents.c.doc_id == "a2")).scalar() == "okaz"
    e.dispose()


def test_bad_jsonl_lines(tmp_path):
    good = json.dumps({"id": "ok", "text": GOOD}, ensure_ascii=False).encode("utf-8")
    lines = [
        good,                                                   # 1
        b"{not json",                                           # 2
        b"[1, 2]",                                              # 3
        json.dumps({"text": GOOD}).encode(),                    # 4 no id
        json.dumps({"id": "x4"}).encode(),                      # 5 no text
        json.dumps({"id": "x5", "text": GOOD, "date": "July"}).encode(),   # 6 bad date
        b'{"id": "x6", "text": "caf\xe9"}',                     # 7 not UTF-8
        json.dumps({"id": "x7", "text": "   "}).encode(),       # 8 empty text
        b"",                                                    # 9 blank: skipped
        json.dumps({"id": "x9", "text": "a\u0000b"}).encode(),  # 10 NUL
        json.dumps({"id": "big", "text": "ب" * 3000}).encode(),  # 11 too large for --max-bytes 2000
        json.dumps({"id": "ok2", "text": GOOD}, ensure_ascii=False).encode("utf-8"),  # 12
    ]
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    res = CliRunner().invoke(app, ["extract", str(path), "--out", str(tmp_path / "o"), "--max-bytes", "2000"])
    assert res.exit_code == 1
    errs = error_lines(res.stderr)
    expect = {2: "not JSON", 3: "not a JSON object", 4: "no usable id", 5: "no text in field 'text'",
              6: "not a YYYY-MM-DD date", 7: "not valid UTF-8", 8: "empty text", 10: "NUL", 11: "too large"}
    assert len(errs) == len(expect)
    for n, reason in expect.items():
        [line] = [l for l in errs if f"{path}:{n}: " in l]
        assert reason in line
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["ok.json", "ok2.json"]


def test_truncated_gz_keeps_what_was_read(tmp_path):
    path = tmp_path / "d.jsonl.gz"
    recs = [{"id": f"d{i}", "text": GOOD + "x" * (i * 37 % 101)} for i in range(400)]
    data = gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode("utf-8"))
    path.write_bytes(data[: len(data) * 2 // 3])
    items = list(Inputs([str(path)]))
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and "cannot read further" in errors[0].reason
    assert 0 < len(items) - 1 < 400


def test_progress_positions_reach_the_total(tmp_path):
    path = tmp_path / "d.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(3000):
            fh.write(json.dumps({"id": i, "text": f"{GOOD} {i}"}, ensure_ascii=False) + "\n")
    (tmp_path / "t.txt").write_text(GOOD, encoding="utf-8")
    source = Inputs([str(path), str(tmp_path / "t.txt")], fields=JsonlFields())
    assert source.total_bytes == path.stat().st_size + (tmp_path / "t.txt").stat().st_size
    seen = []
    for i, _ in enumerate(source):
        if i % 500 == 0:
            seen.append(source.done_bytes)
    assert seen == sorted(seen) and 0 < seen[1] < path.stat().st_size
    assert source.done_bytes == source.total_bytes
    assert Inputs(["-"]).total_bytes is None


def test_jsonl_output_is_atomic(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD, encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", str(f), str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o"),
                                   "--format", "jsonl"])
    assert res.exit_code == 1
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["documents.jsonl"]
    assert json.loads((tmp_path / "o" / "documents.jsonl").read_text("utf-8"))["doc_id"] == "a"
