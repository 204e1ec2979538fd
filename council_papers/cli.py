"""The ``council-papers`` command: it parses arguments and reports; the pipeline does the work."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from council_papers import __version__
from council_papers.executors import default_jobs
from council_papers.pipeline import DEFAULT_MAX_PAGES, DEFAULT_TIME_LIMIT
from council_papers.pipeline import build as run_build

PROJECT_ROOT = Path(__file__).resolve().parent.parent
METADATA = PROJECT_ROOT / "metadata.yml"
DATASETTE_DIR = PROJECT_ROOT / "datasette"


@click.group()
@click.version_option(__version__)
def cli():
    """Turn council papers (PDF, Markdown, text) into a searchable SQLite research database."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="SQLite file to create or update.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes that parse files  [default: the machine's cores]")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Parse on this Dask cluster instead of local processes.")
@click.option("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, show_default=True,
              help="Seconds one file may take before it is reported and skipped (0: no limit); "
                   "a long PDF spread over the workers: each piece of it.")
@click.option("--max-pages", type=click.IntRange(min=1), default=DEFAULT_MAX_PAGES, show_default=True,
              help="Pages read from one PDF; the rest are reported, not read.")
@click.option("--strict", is_flag=True, help="Stop at the first file that fails.")
def build(paths, db_path, jobs, scheduler, time_limit, max_pages, strict):
    """Build or update the database from PATHS (files, or folders searched recursively).

    Building again adds new files, replaces changed ones and skips unchanged ones; nothing
    is ever duplicated. Files that cannot be read are reported and skipped. Exit status 1
    when any file failed.
    """
    if not paths:
        raise click.UsageError("give at least one file or folder to build from")

    def progress(results, length):
        with click.progressbar(results, length=length, label="Parsing", file=sys.stderr,
                               item_show_func=lambda r: r[0].path.name if r else "") as bar:
            yield from bar

    report = run_build(
        paths, db_path, jobs=jobs or default_jobs(), scheduler=scheduler, strict=strict,
        time_limit=time_limit, max_pages=max_pages, progress=progress if sys.stderr.isatty() else None,
    )
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)
    for line in report.failures:
        click.echo(f"error: {line}", err=True)
    click.echo(f"{db_path}: {report.summary()}")
    sys.exit(1 if report.failures else 0)


@cli.command()
@click.argument("db_paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--live", is_flag=True,
              help="Open the database read-only but not immutable, so rows added by a build "
                   "running at the same time are seen.")
def serve(db_paths, host, port, live):
    """Publish one or more databases with Datasette and the project's metadata.yml (read-only).

    Several files (say one per council) are served side by side, each with the same
    facets, searches and canned queries.
    """
    args = [sys.executable, "-m", "datasette", "serve", "--host", host, "--port", str(port),
            "--metadata", str(METADATA),
            "--template-dir", str(DATASETTE_DIR / "templates"),
            "--plugins-dir", str(DATASETTE_DIR / "plugins"),
            "--static", f"assets:{DATASETTE_DIR / 'static'}",
            "--setting", "sql_time_limit_ms", "3000"]
    for db_path in db_paths:
        args += [str(db_path)] if live else ["--immutable", str(db_path)]
    click.echo(f"Serving {', '.join(map(str, db_paths))} at http://{host}:{port}/", err=True)
    os.execv(sys.executable, args)
