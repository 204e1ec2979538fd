"""Apply the project's metadata.yml to the served database, whatever its file is called.

Datasette keys metadata by database name, which is the file's stem; metadata.yml describes
the schema under the name ``council-papers``. This hook repeats that entry for every file
database being served, so facets, full-text search, labels and canned queries work for
``my-papers.db`` as they do for ``council-papers.db``.
"""
from copy import deepcopy
from functools import cache
from pathlib import Path

import yaml
from datasette import hookimpl

METADATA_FILE = Path(__file__).resolve().parents[2] / "metadata.yml"
SCHEMA_ENTRY = "council-papers"


@cache
def schema_metadata() -> dict:
    """The metadata.yml entry that describes a council-papers database."""
    metadata = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    return metadata["databases"][SCHEMA_ENTRY]


@hookimpl
def get_metadata(datasette, key, database, table):
    # Datasette merges metadata into what a hook returns: hand it copies, never the cache.
    names = [name for name, db in datasette.databases.items() if not db.is_memory]
    return {"databases": {name: deepcopy(schema_metadata()) for name in names}}
