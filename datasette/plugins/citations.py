"""Row pages cite their source: document, year, page or line, and the context text.

The citation comes from the ``cite`` canned query in metadata.yml, so the SQL stays in
configuration and the same citation is available as JSON at ``/<db>/cite.json?id=...``.
"""
from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components

CITED_TABLES = {"sections", "figures", "quotes", "case_studies"}


@hookimpl
def extra_template_vars(database, table, view_name, request, datasette):
    if view_name != "row" or table not in CITED_TABLES:
        return None

    async def citation():
        cite = await datasette.get_canned_query(database, "cite", request.actor)
        if cite is None:
            return {}
        pk_values = urlsafe_components(request.url_vars["pks"])
        results = await datasette.get_database(database).execute(
            cite["sql"], {"id": pk_values[0]}
        )
        row = results.first()
        if row is None:
            return {"citation": None}
        document_url = datasette.urls.row(database, "documents", tilde_encode(row["document_id"]))
        return {"citation": {**dict(row), "document_url": document_url}}

    return citation
