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
    paths: list[str] = typer.Argument(..., help="Text files, directories (walked for *.txt), or - for standard input."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write claims-doc/1 JSON into this folder."),
    db: Optional[str] = typer.Option(None, "--db", help="Database URL (sqlite:///file.db or postgresql://...). "
                                     "The default, when neither --out nor --db is given, is sqlite:///claims.db."),
    fmt: str = typer.Option("json", "--format", help="With --out: json (one file per document) or jsonl (one file)."),
    doc_date: Optional[str] = typer.Option(None, "--doc-date", callback=_check_date,
                                           help="Publication date YYYY-MM-DD for every input (overrides sidecars)."),
    max_bytes: int = typer.Option(inputs.MAX_BYTES, "--max-bytes", help="Refuse inputs larger than this."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary."),
) -> None:
    """Extract every input into claims-doc/1 JSON or a database.

    Examples:

      python cli.py extract corpus/                       # into sqlite:///claims.db

      python cli.py extract article.txt --out out/ --doc-date 2024-06-19

      cat article.txt | python cli.py extract - --format jsonl --out out/
    """
    from pipeline.nlp import Pipeline
    from pipeline.run import DbSink, JsonDirSink, JsonlSink, run

    if fmt not in ("json", "jsonl"):
        raise typer.BadParameter("--format is json or jsonl")
    if out is not None and db is not None:
        raise typer.BadParameter("give --out or --db, not both")
    if out is not None:
        sink = JsonDirSink(out) if fmt == "json" else JsonlSink(out)
        target = str(out)
    else:
        from pipeline.output.db import DEFAULT_URL
        sink = DbSink(db or DEFAULT_URL)
        target = db or DEFAULT_URL

    def report(err) -> None:
        typer.echo(f"error: {err}", err=True)

    nlp = Pipeline.default()
    try:
        stats = run(inputs.documents(paths, doc_date, max_bytes), nlp, sink, on_error=report)
    finally:
        sink.close()
    if not quiet:
        _summary(stats, target)
    if stats.failures:
        raise typer.Exit(1)


def _summary(stats, target: str) -> None:
    typer.echo(f"{stats.documents} documents ({stats.words:,} words) → {target}; "
               f"{len(stats.failures)} failed")
    if stats.types:
        typer.echo("mentions: " + ", ".join(f"{t} {n}" for t, n in sorted(stats.types.items())))
    typer.echo(f"attributions: {stats.attributions}   claims: {stats.claims}")
    for doc_id, example in stats.examples:
        typer.echo(f"  {doc_id}: {example}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
