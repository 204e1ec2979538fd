"""``python -m council_papers`` runs the command-line interface."""
from council_papers.cli import cli

cli()
