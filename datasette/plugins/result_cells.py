"""How canned-query results show in HTML: highlighted snippets and links to cited rows.

Canned queries return FTS5 snippets marked with <mark>...</mark> and, for each result, its
table (``kind``) and ``id``. The snippet is escaped before its marks are restored, so text
from a paper is never rendered as HTML.
"""
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

PROJECT_TABLES = {"documents", "sections", "figures", "quotes", "case_studies"}
OPEN_MARK, CLOSE_MARK = "<mark>", "</mark>"


def highlight(snippet: str) -> Markup:
    """The snippet as safe HTML: all text escaped, only the match marks kept."""
    return Markup(
        str(escape(snippet))
        .replace(str(escape(OPEN_MARK)), OPEN_MARK)
        .replace(str(escape(CLOSE_MARK)), CLOSE_MARK)
    )


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table is not None or not isinstance(value, str):
        return None
    if column == "snippet":
        return highlight(value)
    if column == "id" and "kind" in row.keys() and row["kind"] in PROJECT_TABLES:
        href = datasette.urls.row(database, row["kind"], tilde_encode(value))
        return Markup('<a href="{}">{}</a>').format(href, value)
    if column == "series_id":
        href = "{}/statistic_across_years?series={}".format(
            datasette.urls.database(database), quote(value, safe="")
        )
        return Markup('<a href="{}">{}</a>').format(href, value)
    return None
