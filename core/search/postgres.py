"""PostgreSQL search: a generated weighted tsvector with a GIN index, websearch_to_tsquery, pg_trgm.

The column and indexes are created by core's migrations (0002): `search_vector` is
setweight(title + keywords, 'A') || setweight(summary, 'B') || setweight(body, 'C') under the
`english` configuration, so the database keeps it current on every insert and update.
"""

from django.db import connection
from django.db.models.expressions import RawSQL

from core.search import count_matches
from core.search.text import MARK_END, MARK_START, SIMILARITY_THRESHOLD, ParsedQuery

CONFIG = "english"
# ts_rank's weights for D, C, B, A.
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"
# How many of the newest matches (and of the newest title matches) a search ranks; see run().
CANDIDATES = 2_000
# Up to this many matches, one pass over them gives the newest and exact counts; see run().
MATCH_BOUND = 10_000
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
    """{word: the known words most like it, best first}: the word itself comes first when it is known.

    `%` uses the trigram index with pg_trgm.similarity_threshold (0.3 unless configured otherwise);
    the explicit similarity bound keeps the answer the same whatever that setting is.
    """
    if not words:
        return {}
    similar = {word: [] for word in words}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.word, t.word
            FROM unnest(%s::text[]) AS q(word)
            CROSS JOIN LATERAL (
                SELECT word FROM core_searchterm
                WHERE word %% q.word AND similarity(word, q.word) >= %s
                ORDER BY similarity(word, q.word) DESC, word
                LIMIT 4
            ) AS t
            """,
            [list(words), SIMILARITY_THRESHOLD],
        )
        for word, known in cursor.fetchall():
            similar[word].append(known)
    for word, known in similar.items():
        if word in known:
            similar[word] = [word]
    return similar


def run(query, filters, *, limit, offset, counts=True):
    """The page of hits, best first, and the counts by type (exact, or at least COUNT_LIMIT + 1), for a parsed query.

    Ranking reads every candidate's vector, so the candidates are bounded: the CANDIDATES newest
    matches, and the CANDIDATES newest whose title or keywords match (`head_vector`, its own small GIN
    index). Below CANDIDATES matches that is every match, and the order is exact; above it, an old
    document matching only in its summary or body cannot reach the first page, which such a word
    (one in most documents) would not have put there anyway.

    Up to MATCH_BOUND matches, one pass over them finds both the newest and the counts. Past that
    (a word in most documents) the newest come from the newest-first index and each type is counted
    only up to COUNT_LIMIT + 1. The tsquery is written out in each part rather than shared, so the
    planner sees how common the words are.
    """
    tsquery, query_params = query.tsquery()
    match = f"d.search_vector @@ {tsquery}"
    depth = max(CANDIDATES, offset + limit)
    newest, found = _newest_and_counts(match, f"d.head_vector @@ {tsquery}", query_params, filters, depth)
    where, params = filters.sql()
    visible = " AND ".join(where) or "TRUE"
    by_time = "ORDER BY d.occurred_at DESC NULLS LAST, d.id DESC LIMIT %s"
    if newest is None:
        candidates = f"""
            (SELECT d.id FROM core_searchdocument d WHERE {match} AND {visible} {by_time})
            UNION
            (SELECT d.id FROM core_searchdocument d WHERE d.head_vector @@ {tsquery} AND {visible} {by_time})
        """  # noqa: S608 - only fixed SQL fragments are formatted in; values are parameters
        candidate_params = [*query_params, *params, depth, *query_params, *params, depth]
        found = count_matches("core_searchdocument d", match, query_params, filters) if counts else {}
    else:
        candidates, candidate_params = "SELECT unnest(%s::bigint[]) AS id", [newest]
    sql = f"""
        WITH candidates AS ({candidates}),
        hits AS (
            SELECT d.id, ts_rank(%s::float4[], d.search_vector, {tsquery}) AS rank
            FROM candidates JOIN core_searchdocument d ON d.id = candidates.id
            ORDER BY rank DESC, d.occurred_at DESC NULLS LAST, d.id DESC
            LIMIT %s OFFSET %s
        )
        SELECT d.doc_type, d.object_id, d.url, d.reference, d.title, d.services, d.occurred_at, hits.rank,
               ts_headline(%s::regconfig, d.summary || ' ' || d.body, {tsquery}, %s) AS snippet
        FROM hits JOIN core_searchdocument d ON d.id = hits.id
        ORDER BY hits.rank DESC, d.occurred_at DESC NULLS LAST, d.id DESC
    """  # noqa: S608 - only fixed SQL fragments are formatted in; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                *candidate_params,
                WEIGHTS, *query_params, limit, offset,
                CONFIG, *query_params, HEADLINE,
            ],
        )  # fmt: skip
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return rows, (found if counts else {})


def _newest_and_counts(match, head_match, match_params, filters, depth):
    """In one pass over the matches: the ids of the wanted types' `depth` newest matches and `depth` newest
    title or keyword matches, and {doc_type: count}; (None, None) when there are more than MATCH_BOUND."""
    where, params = filters.sql(with_types=False)
    types = "m.doc_type IN (" + ", ".join(["%s"] * len(filters.types)) + ")" if filters.types else "TRUE"
    by_time = "ORDER BY m.occurred_at DESC NULLS LAST, m.id DESC LIMIT %s"
    sql = f"""
        WITH matches AS MATERIALIZED (
            SELECT d.id, d.doc_type, d.occurred_at, {head_match} AS head FROM core_searchdocument d
            WHERE {" AND ".join([match, *where])} LIMIT %s
        )
        SELECT (SELECT count(*) FROM matches),
               (SELECT coalesce(json_object_agg(doc_type, found), '{{}}')
                FROM (SELECT doc_type, count(*) AS found FROM matches GROUP BY doc_type) AS by_type),
               (SELECT coalesce(array_agg(id), '{{}}') FROM (
                    (SELECT m.id FROM matches m WHERE {types} {by_time})
                    UNION
                    (SELECT m.id FROM matches m WHERE {types} AND m.head {by_time})) AS newest)
    """  # noqa: S608 - only fixed SQL fragments are formatted in; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*match_params, *match_params, *params, MATCH_BOUND + 1, *filters.types, depth, *filters.types, depth]
        )
        total, by_type, newest = cursor.fetchone()
    if total > MATCH_BOUND:
        return None, None
    return newest, by_type


def matching(query, doc_types):
    from core.models import SearchDocument

    tsquery, params = query.tsquery()
    return SearchDocument.objects.filter(doc_type__in=doc_types, id__in=_ids(tsquery, params)).values("object_id")


def _ids(tsquery, params):
    return RawSQL(f"SELECT id FROM core_searchdocument WHERE search_vector @@ {tsquery}", params)  # noqa: S608, S611 - a fixed function call; the query is a parameter
