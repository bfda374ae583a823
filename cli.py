"""Command line for Arabic claim extraction (``python cli.py --help``; installed as ``arabic-claims``)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

import pipeline
from pipeline import inputs

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Extract checkable facts (numbers, dates, entities, attributions, claims) from Arabic news.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"arabic-claims {pipeline.__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


def _check_date(value: Optional[str]) -> Optional[str]:
    if value is not None and not inputs.DATE.match(value):
        raise typer.BadParameter("use YYYY-MM-DD")
    return value


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Text files, directories (walked for *.txt), JSONL files "
                                      "(*.jsonl, *.jsonl.gz: one document per line), or - for standard input."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write claims-doc/1 JSON into this folder."),
    db: Optional[str] = typer.Option(None, "--db", help="Database URL (sqlite:///file.db or postgresql://...). "
                                     "The default, when neither --out nor --db is given, is sqlite:///claims.db."),
    fmt: str = typer.Option("json", "--format", help="With --out: json (one file per document) or jsonl (one file)."),
    input_format: str = typer.Option("auto", "--input-format", help="auto (JSONL by file name, else text), "
                                     "text or jsonl (also for standard input)."),
    text_field: str = typer.Option("text", "--text-field", help="JSONL: the field holding the text."),
    id_field: str = typer.Option("id", "--id-field", help="JSONL: the field holding the document id."),
    date_field: str = typer.Option("date", "--date-field", help="JSONL: the field holding the date (YYYY-MM-DD...)."),
    title_field: Optional[str] = typer.Option(None, "--title-field", help="JSONL: a title field; the text becomes "
                                              "title + newline + text. Other fields are kept as metadata."),
    doc_date: Optional[str] = typer.Option(None, "--doc-date", callback=_check_date,
                                           help="Publication date YYYY-MM-DD for every input (overrides sidecars)."),
    max_bytes: int = typer.Option(inputs.MAX_BYTES, "--max-bytes", help="Refuse inputs larger than this."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes (each loads the pipeline once)."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or dask (a Dask cluster)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler address "
                                            "(tcp://host:8786); without it, a local cluster of --workers processes."),
    resume: bool = typer.Option(False, "--resume", help="Skip documents already stored with the same text."),
    failures: Optional[Path] = typer.Option(None, "--failures", help="Also write failures here, one JSON line each."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
) -> None:
    """Extract every input into claims-doc/1 JSON or a database.

    Each document is written whole or not at all; a failed document is reported
    (stderr, the failures table, --failures) and the run goes on; Ctrl-C stops
    cleanly, and --resume continues.

    Examples:

      python cli.py extract corpus/                       # into sqlite:///claims.db

      python cli.py extract article.txt --out out/ --doc-date 2024-06-19

      cat article.txt | python cli.py extract - --format jsonl --out out/

      python cli.py extract snn.jsonl.gz --text-field content --title-field title --workers 2 --resume
    """
    from pipeline import parallel
    from pipeline.nlp import Pipeline
    from pipeline.run import DbSink, FailuresFile, JsonDirSink, JsonlSink, ProgressBar, run

    if fmt not in ("json", "jsonl"):
        raise typer.BadParameter("--format is json or jsonl")
    if input_format not in ("auto", "text", "jsonl"):
        raise typer.BadParameter("--input-format is auto, text or jsonl")
    if engine not in ("local", "dask"):
        raise typer.BadParameter("--engine is local or dask")
    if scheduler and engine != "dask":
        raise typer.BadParameter("--scheduler goes with --engine dask")
    if out is not None and db is not None:
        raise typer.BadParameter("give --out or --db, not both")
    if resume and out is not None and fmt == "jsonl":
        raise typer.BadParameter("--resume needs --db or --format json (a JSONL output is rewritten whole)")
    source = inputs.Inputs(paths, doc_date, max_bytes, fmt=input_format,
                           fields=inputs.JsonlFields(text_field, id_field, date_field or None, title_field))
    if out is not None:
        sink = JsonDirSink(out) if fmt == "json" else JsonlSink(out)
        target = str(out)
    else:
        from sqlalchemy.exc import SQLAlchemyError

        from pipeline.output.db import DEFAULT_URL, SchemaError
        target = db or DEFAULT_URL
        try:
            sink = DbSink(target)
        except (SchemaError, SQLAlchemyError) as exc:
            typer.echo(f"error: {target}: {str(exc).splitlines()[0]}", err=True)
            raise typer.Exit(2)
    nlp = Pipeline.default()
    try:
        if engine == "dask":
            executor = parallel.DaskCluster(nlp.steps, scheduler, workers)
        elif workers > 1:
            executor = parallel.ProcessPool(nlp.steps, workers)
        else:
            executor = parallel.InProcess(nlp)
    except (RuntimeError, OSError) as exc:  # dask missing, scheduler unreachable
        sink.close()
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    failures_file = FailuresFile(failures) if failures is not None else None

    def report(err) -> None:
        typer.echo(f"error: {err}", err=True)
        if failures_file is not None:
            failures_file.add(err)

    bar = ProgressBar(source, enabled=not quiet and sys.stderr.isatty())
    try:
        stats = run(source, nlp, sink, on_error=report, progress=bar, executor=executor, resume=resume)
    finally:
        bar.close()
        executor.close()
        sink.close()
        if failures_file is not None:
            failures_file.close()
    if not quiet:
        _summary(stats, target, nlp.names)
    if stats.interrupted:
        typer.echo(f"interrupted: {stats.documents} documents written, each whole; run again with --resume "
                   "to continue", err=True)
        raise typer.Exit(130)
    if stats.failures:
        raise typer.Exit(1)


def _summary(stats, target: str, steps: list[str]) -> None:
    rate = stats.words / stats.seconds if stats.seconds else 0.0
    skipped = f", {stats.skipped} skipped (already stored)" if stats.skipped else ""
    typer.echo(f"{stats.documents} documents ({stats.words:,} words) → {target}; "
               f"{len(stats.failures)} failed{skipped}")
    typer.echo(f"{stats.seconds:.1f} s, {rate:,.0f} words/s; pipeline: {', '.join(steps)}")
    if stats.peak_kb:
        typer.echo("peak memory per worker: " + ", ".join(f"{kb / 1024:.0f} MiB" for kb in stats.peak_kb.values()))
    if stats.types:
        typer.echo("mentions: " + ", ".join(f"{t} {n}" for t, n in sorted(stats.types.items())))
    typer.echo(f"attributions: {stats.attributions}   claims: {stats.claims}")
    for doc_id, example in stats.examples:
        typer.echo(f"  {doc_id}: {example}")


@app.command("export")
def export_cmd(
    db: str = typer.Option("sqlite:///claims.db", "--db", help="Database URL (sqlite:///file.db or postgresql://...)."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl, csv or parquet (parquet needs pyarrow and --out)."),
    table: str = typer.Option("claims_flat", "--table", help="claims_flat (one row per claim with its value, time, "
                              "source and sentence), documents, mentions, attributions, claims or failures."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here (atomically); default: standard output."),
) -> None:
    """Export a table or the claims_flat view.

    Examples:

      python cli.py export --db sqlite:///claims.db --format csv --out claims.csv

      python cli.py export --db postgresql://postgres@127.0.0.1/test --table mentions --format parquet -o m.parquet
    """
    from pipeline.output import db as dbmod
    from pipeline.output.export import export

    engine, version = _open_existing_db(db)
    try:
        if version != dbmod.SCHEMA_VERSION:
            typer.echo(f"error: {db}: " + ("no claims database here" if version is None else
                                            f"schema version {version}, run `db upgrade --db URL` first"), err=True)
            raise typer.Exit(2)
        n = export(engine, table, fmt, out)
    except (ValueError, RuntimeError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    finally:
        engine.dispose()
    if out is not None:
        typer.echo(f"{n} rows of {table} → {out}", err=True)


def _open_existing_db(db: str):
    """An engine on an existing database and its stored schema version; exit 2 if absent."""
    from pipeline.output import db as dbmod

    try:
        engine = dbmod.connect(db, must_exist=True)
    except dbmod.SchemaError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    with engine.connect() as conn:
        return engine, dbmod.stored_version(conn)


db_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Database schema housekeeping.")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(db: str = typer.Option(..., "--db", help="Database URL (sqlite:///file.db or postgresql://...).")) -> None:
    """Bring the database's schema to this tool's version (an empty database gets the schema)."""
    from pipeline.output import db as dbmod
    from pipeline.output import migrations

    engine = dbmod.connect(db)
    try:
        before, after = migrations.upgrade(engine)
    except dbmod.SchemaError as exc:
        typer.echo(f"error: {db}: {exc}", err=True)
        raise typer.Exit(2)
    finally:
        engine.dispose()
    if before == after:
        typer.echo(f"{db}: schema version {after}, up to date")
    else:
        typer.echo(f"{db}: schema version {before if before is not None else '(none)'} → {after}")


@db_app.command("info")
def db_info(db: str = typer.Option("sqlite:///claims.db", "--db", help="Database URL.")) -> None:
    """Schema version and row counts."""
    from pipeline.output import db as dbmod

    engine, version = _open_existing_db(db)
    try:
        typer.echo(f"{db}: schema version {version} (this tool writes {dbmod.SCHEMA_VERSION})")
        if version == dbmod.SCHEMA_VERSION:
            typer.echo("  ".join(f"{t} {n}" for t, n in dbmod.counts(engine).items()))
    finally:
        engine.dispose()


# ---------------------------------------------------------------- evaluation

_ROW_NAMES = ("attributions", "claims")


def _rows_selected(types: Optional[list[str]]) -> list[str]:
    """Rows to show: mention types, then groups, then attributions and claims."""
    from pipeline import scoring

    every = [*scoring.SCORED_TYPES, *scoring.GROUPS, *_ROW_NAMES]
    if not types:
        return every
    wanted = {t.strip() for arg in types for t in arg.split(",") if t.strip()}
    by_key = {r.upper(): r for r in every}
    unknown = sorted(t for t in wanted if t.upper() not in by_key)
    if unknown:
        raise typer.BadParameter(f"unknown {unknown}; choose from {', '.join(every)}", param_hint="--types")
    keys = {by_key[t.upper()] for t in wanted}
    return [r for r in every if r in keys]


@app.command()
def evaluate(
    corpus: Path = typer.Option(Path("corpus"), "--corpus", help="Folder of <doc_id>.txt with .meta.json sidecars."),
    gold: Path = typer.Option(Path("gold"), "--gold", help="Folder of gold <doc_id>.json; each one is scored."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Folder of predicted <doc_id>.json (a missing file "
                                        "counts as an empty prediction). Default: run the default pipeline."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    by_doc: bool = typer.Option(False, "--by-doc", help="Add a table per document."),
    show_errors: bool = typer.Option(False, "--errors", help="List every miss, false alarm and mismatch, by type."),
    types: Optional[list[str]] = typer.Option(None, "--types", help="Rows to show (and error groups): mention "
                                              "types, numbers, temporal, entities, attributions, claims; "
                                              "comma-separated or repeated."),
) -> None:
    """Score predictions against gold (ANNOTATION.md section 5), micro-averaged over documents.

    Examples:

      python cli.py evaluate --corpus corpus/ --gold gold/

      python cli.py evaluate --pred out/ --by-doc --errors --types MONEY,claims
    """
    import json
    import time

    from pipeline import report, scoring
    from pipeline.output.jsonio import InvalidDocument

    rows = _rows_selected(types)
    t0 = time.perf_counter()
    try:
        gold_docs = scoring.load_gold(corpus, gold)
    except InvalidDocument as exc:
        typer.echo(f"error: gold: {exc}", err=True)
        raise typer.Exit(2)
    scored = {d.doc_id for d, _ in gold_docs}
    unscored = sorted(p.stem for p in corpus.glob("*.txt") if p.stem not in scored)
    failures: list[str] = []
    if pred is not None:
        if not pred.is_dir():
            typer.echo(f"error: --pred {pred}: no such folder", err=True)
            raise typer.Exit(2)
        try:
            evals = scoring.evaluation_set(gold_docs, pred_dir=pred)
        except scoring.InvalidPrediction as exc:
            typer.echo(f"error: invalid prediction: {exc}", err=True)
            raise typer.Exit(2)
    else:
        from pipeline.nlp import Pipeline

        nlp = Pipeline.default()

        def predict(doc):
            try:
                return nlp(doc)
            except Exception as exc:  # reported, scored as an empty prediction, exit code 1
                failures.append(f"{doc.doc_id}: pipeline failed: {type(exc).__name__}: {exc}")
                return scoring.empty_prediction(doc)

        evals = scoring.evaluation_set(gold_docs, predict=predict)
    alignments = [e.alignment() for e in evals]
    per_doc = [(e.doc.doc_id, scoring.score_alignment(al), e.missing) for e, al in zip(evals, alignments)]
    score = scoring.total(s for _, s, _ in per_doc)
    grouped = {}
    if show_errors:
        wanted = set(rows) | {t for g in rows if g in scoring.GROUPS for t in scoring.GROUPS[g]}
        wanted |= {"ATTRIBUTION"} if "attributions" in rows else set()
        wanted |= {"CLAIM"} if "claims" in rows else set()
        items = [e for ev, al in zip(evals, alignments) for e in scoring.errors(al, ev.doc) if e.group in wanted]
        grouped = scoring.group_errors(items)
    seconds = time.perf_counter() - t0
    source = f"predictions in {pred}" if pred is not None else "the default pipeline"
    if as_json:
        out = {"source": source, "seconds": round(seconds, 3), "score": score.to_json(),
               "not_scored_no_gold": unscored, "failures": failures}
        if by_doc:
            out["documents"] = {d: {**s.to_json(), "missing_prediction": m} for d, s, m in per_doc}
        if show_errors:
            out["errors"] = {g: [e.to_json() for e in v] for g, v in grouped.items()}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        typer.echo(f"{score.documents} documents scored against {gold} ({source}) in {seconds:.1f} s")
        typer.echo("\n".join(report.score_table(score, rows)))
        if score.missing:
            typer.echo(f"no prediction file for {len(score.missing)} of {score.documents} documents "
                       f"(scored as empty, all misses): {', '.join(score.missing)}")
        if unscored:
            typer.echo(f"not scored (no gold file): {', '.join(unscored)}")
        if failures:
            typer.echo(f"the pipeline failed on {len(failures)} documents, scored as empty predictions "
                       "(errors on stderr)")
        if by_doc:
            mention_types = [t for t in scoring.SCORED_TYPES
                             if t in rows or any(t in scoring.GROUPS[g] for g in rows if g in scoring.GROUPS)]
            typer.echo("\nper document (mentions: " + ("+".join(mention_types) or "none") + ")")
            typer.echo("\n".join(report.by_doc_table(per_doc, mention_types)))
        if show_errors:
            typer.echo("")
            typer.echo("\n".join(report.error_lines(grouped)) or "no errors")
    for f in failures:
        typer.echo(f"error: {f}", err=True)
    if failures:
        raise typer.Exit(1)


@app.command("ner-eval")
def ner_eval(
    paths: list[Path] = typer.Argument(..., help="CoNLL files ('token TAG' per line, blank line between "
                                       "sentences) or folders of entity-only gold (gold/ner/<split>)."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="Texts of the gold folders (one folder "
                                          "for all). Default: each folder's path with its last gold/ "
                                          "replaced by corpus/."),
    model: Optional[str] = typer.Option(None, "--model", help="Another model directory instead of the "
                                        "shipped one, e.g. a training checkpoint."),
    model_only: bool = typer.Option(False, "--model-only", help="Leave out the gazetteer and the "
                                    "organization-name rule: the model with the span rules and "
                                    "document-level consistency."),
    window: int = typer.Option(1, "--window", min=1, help="CoNLL files: read this many consecutive "
                               "sentences as one text, one per line, so the component sees the "
                               "sentences around each, as it sees an article's paragraphs "
                               "(the default, 1: each sentence alone)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Entity P/R/F1 of the entity component alone (model, gazetteer, organization-name
    rule, span rules, document-level consistency), or with --model-only without the
    gazetteer and the organization-name rule.

    A CoNLL file is scored by CoNLL exact match over PER/ORG/LOC/MISC; an entity-gold
    folder by the strict and overlap schemes over PER/ORG/LOC.

    Examples:

      python cli.py ner-eval ../shared/data/anercorp/ANERCorp_CamelLab_test.txt

      python cli.py ner-eval gold/ner/heldout
    """
    import json
    import time

    from pipeline import conll, entity_eval, report

    try:
        extract = entity_eval.extractor(str(Path(model).resolve()) if model else None,
                                        rules=not model_only)
    except OSError as exc:
        typer.echo(f"error: cannot load the entity model: {exc}", err=True)
        raise typer.Exit(2)
    results = {}
    header = f"{'type':12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6} {'tp':>6}"

    def row(name, p):
        return (f"{name:12} {report.fmt(p.precision):>6} {report.fmt(p.recall):>6} {report.fmt(p.f1):>6} "
                f"{p.gold:6d} {p.pred:6d} {p.tp:6d}")

    if window != 1 and any(p.is_dir() for p in paths):
        typer.echo("error: --window applies to CoNLL files; gold folders hold whole articles", err=True)
        raise typer.Exit(2)
    for path in paths:
        t0 = time.perf_counter()
        try:
            if path.is_dir():
                texts = corpus or _texts_of(path)
                docs = entity_eval.read_entity_gold(path, texts)
                scores = entity_eval.score_docs(docs, extract)
            else:
                sentences = conll.read(path)
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
            typer.echo(f"error: {path}: {exc}", err=True)
            raise typer.Exit(2)
        if path.is_dir():
            total = entity_eval.total(scores)
            seconds = time.perf_counter() - t0
            results[str(path)] = {"documents": len(docs), "seconds": round(seconds, 3),
                                  "types": {t: s.to_json() for t, s in scores.items()},
                                  "entities": total.to_json()}
            if not as_json:
                typer.echo(f"{path}: {len(docs)} documents, {seconds:.1f} s")
                for scheme in ("strict", "overlap"):
                    typer.echo(f"{scheme}\n{header}")
                    for name, s in [*scores.items(), ("PER+ORG+LOC", total)]:
                        typer.echo(row(name, getattr(s, scheme)))
            continue
        res = conll.evaluate(sentences, extract, window=window)
        seconds = time.perf_counter() - t0
        results[str(path)] = {**res.to_json(), "window": window, "seconds": round(seconds, 3)}
        if not as_json:
            typer.echo(f"{path}: {res.sentences} sentences, {res.tokens} tokens, {seconds:.1f} s "
                       f"(CoNLL exact match, {window} sentence{'s' if window > 1 else ''} per text)")
            typer.echo(header)
            for name, s in [*res.scores.items(), ("PER+ORG+LOC", res.entities), ("micro", res.micro)]:
                typer.echo(row(name, s.strict))
    if as_json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=1))


def _texts_of(gold_dir: Path) -> Path:
    """gold/ner/heldout → corpus/ner/heldout: the last "gold" part of the path becomes "corpus"."""
    parts = list(gold_dir.parts)
    if "gold" not in parts:
        return gold_dir
    k = len(parts) - 1 - parts[::-1].index("gold")
    return Path(*parts[:k], "corpus", *parts[k + 1:])


@app.command("train-ner")
def train_ner(
    work: Path = typer.Option(Path("runs/ner"), "--work", help="Folder for converted corpora, vectors, the "
                              "pretrained encoder and the trained and fine-tuned models (corpora, "
                              "vectors and encoder are reused when present; delete the folder to "
                              "start over)."),
    data: Optional[Path] = typer.Option(None, "--data", help="The shared data folder (anercorp/, wikifane/, "
                                        "saudinewsnet/). Default: shared/data beside the repository."),
    ship: bool = typer.Option(True, "--ship/--no-ship", help="Copy the best model into pipeline/models/ner/."),
) -> None:
    """Train the entity model from pipeline/ner/config.cfg (fixed seed) and ship it.

    Converts ANERcorp train (last 10% of sentences = dev), WikiFANE and gold/ner/train onto
    our tokens, trains word vectors on SaudiNewsNet, pretrains the BiLSTM-CRF's encoder as a
    language model on SaudiNewsNet, trains the BiLSTM-CRF, fine-tunes it on ANERcorp train
    and gold/ner/train, and copies the best model (by dev F1) into pipeline/models/ner/. Never
    reads the ANERcorp test split or gold/ner/heldout.

    Example:

      python cli.py train-ner
    """
    from pipeline.ner import train

    out = train.main(work=work.resolve(), data=data or train.DATA, ship=ship)
    typer.echo(f"model: {out}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
