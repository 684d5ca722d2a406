"""PostgreSQL search: a generated weighted tsvector with a GIN index, websearch_to_tsquery, pg_trgm.

The column and indexes are created by core's migrations (0002): `search_vector` is
setweight(title + keywords, 'A') || setweight(summary, 'B') || setweight(body, 'C') under the
`english` configuration, so the database keeps it current on every insert and update.
"""

from django.db import connection
from django.db.models.expressions import RawSQL

from core.search.text import MARK_END, MARK_START, SIMILARITY_THRESHOLD, ParsedQuery

CONFIG = "english"
# ts_rank's weights for D, C, B, A.
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"
HEADLINE = (
    f'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'
)


class Query(ParsedQuery):
    def tsquery(self):
        """SQL and params for the tsquery: websearch_to_tsquery of the text as typed, unless typos widened it."""
        if not self.changed:
            return "websearch_to_tsquery(%s::regconfig, %s)", [CONFIG, self.text]
        clauses = []
        for group in self.groups:
            alternatives = " | ".join(" <-> ".join(phrase) for phrase in group.alternatives)
            clauses.append(f"!({alternatives})" if group.negated else f"({alternatives})")
        return "to_tsquery(%s::regconfig, %s)", [CONFIG, " & ".join(clauses)]


def similar_words(words):
    """{word: the known words most like it, best first}: the word itself comes first when it is known."""
    if not words:
        return {}
    similar = {word: [] for word in words}
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_limit(%s)", [SIMILARITY_THRESHOLD])
        cursor.execute(
            """
            SELECT q.word, t.word
            FROM unnest(%s::text[]) AS q(word)
            CROSS JOIN LATERAL (
                SELECT word FROM core_searchterm
                WHERE word %% q.word
                ORDER BY similarity(word, q.word) DESC, word
                LIMIT 4
            ) AS t
            """,
            [list(words)],
        )
        for word, known in cursor.fetchall():
            similar[word].append(known)
    for word, known in similar.items():
        if word in known:
            similar[word] = [word]
    return similar


def run(query, filters, *, limit, offset):
    """The page of hits, best first, and the counts by type, for a parsed (and corrected) query."""
    tsquery, query_params = query.tsquery()
    where, params = filters.sql()
    count_where, count_params = filters.sql(with_types=False)
    match = ["d.search_vector @@ q.query"]
    sql = f"""
        WITH q AS (SELECT {tsquery} AS query),
        hits AS (
            SELECT d.id, ts_rank(%s::float4[], d.search_vector, q.query) AS rank
            FROM core_searchdocument d, q
            WHERE {" AND ".join(match + where)}
            ORDER BY rank DESC, d.occurred_at DESC NULLS LAST, d.id DESC
            LIMIT %s OFFSET %s
        )
        SELECT d.doc_type, d.object_id, d.url, d.reference, d.title, d.services, d.occurred_at, hits.rank,
               ts_headline(%s::regconfig, d.summary || ' ' || d.body, q.query, %s) AS snippet
        FROM hits JOIN core_searchdocument d ON d.id = hits.id, q
        ORDER BY hits.rank DESC, d.occurred_at DESC NULLS LAST, d.id DESC
    """  # noqa: S608 - only fixed SQL fragments are formatted in; values are parameters
    counts_sql = f"""
        WITH q AS (SELECT {tsquery} AS query)
        SELECT d.doc_type, count(*) FROM core_searchdocument d, q
        WHERE {" AND ".join(match + count_where)}
        GROUP BY d.doc_type
    """  # noqa: S608 - as above
    with connection.cursor() as cursor:
        cursor.execute(sql, [*query_params, WEIGHTS, *params, limit, offset, CONFIG, HEADLINE])
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(counts_sql, [*query_params, *count_params])
        counts = dict(cursor.fetchall())
    return rows, counts


def matching(query, doc_type):
    from core.models import SearchDocument

    tsquery, params = query.tsquery()
    return SearchDocument.objects.filter(doc_type=doc_type, id__in=_ids(tsquery, params)).values("object_id")


def _ids(tsquery, params):
    return RawSQL(f"SELECT id FROM core_searchdocument WHERE search_vector @@ {tsquery}", params)  # noqa: S608, S611 - a fixed function call; the query is a parameter
