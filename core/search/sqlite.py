"""SQLite search: an FTS5 table (porter stemming) kept in step with the document table by triggers.

Created by core's migrations (0002): `core_searchdocument_fts` indexes title, keywords, summary
and body of `core_searchdocument` (external content, rowid = the document's id), and
`core_searchterm_trigram` indexes the vocabulary with FTS5's trigram tokenizer, which finds the
candidate corrections for a misspelled word; they are then scored with pg_trgm's similarity.
"""

from datetime import UTC

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.search.text import (
    CORRECTIONS_PER_WORD,
    MARK_END,
    MARK_START,
    SIMILARITY_THRESHOLD,
    ParsedQuery,
    similarity,
    trigrams,
)

# bm25 weights for title, keywords, summary, body.
WEIGHTS = (10.0, 10.0, 4.0, 1.0)
CANDIDATES = 60


def _quoted(phrase):
    return '"' + " ".join(phrase) + '"'


class Query(ParsedQuery):
    def match(self):
        """The FTS5 MATCH expression: clauses ANDed, alternatives ORed, negations as NOT."""
        positive = [
            "(" + " OR ".join(_quoted(phrase) for phrase in group.alternatives) + ")"
            for group in self.groups
            if not group.negated
        ]
        expression = " AND ".join(positive)
        for group in self.groups:
            if group.negated:
                expression += " NOT (" + " OR ".join(_quoted(phrase) for phrase in group.alternatives) + ")"
        return expression


def similar_words(words):
    """{word: the known words most like it, best first}: the word itself comes first when it is known."""
    if not words:
        return {}
    from core.models import SearchTerm

    known = set(SearchTerm.objects.filter(word__in=words).values_list("word", flat=True))
    similar = {word: [word] for word in known}
    with connection.cursor() as cursor:
        for word in sorted(set(words) - known):
            grams = sorted(gram for gram in trigrams(word) if gram.strip() == gram)
            if not grams:
                similar[word] = []
                continue
            cursor.execute(
                "SELECT word FROM core_searchterm_trigram WHERE core_searchterm_trigram MATCH %s ORDER BY rank LIMIT %s",
                [" OR ".join(f'"{gram}"' for gram in grams), CANDIDATES],
            )
            scored = sorted(
                ((similarity(word, candidate), candidate) for (candidate,) in cursor.fetchall()),
                key=lambda pair: (-pair[0], pair[1]),
            )
            similar[word] = [candidate for score, candidate in scored if score >= SIMILARITY_THRESHOLD][
                :CORRECTIONS_PER_WORD
            ]
    return similar


def run(query, filters, *, limit, offset):
    """The page of hits, best first, and the counts by type, for a parsed (and corrected) query."""
    where, params = filters.sql()
    count_where, count_params = filters.sql(with_types=False)
    match = ["core_searchdocument_fts MATCH %s"]
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    sql = f"""
        SELECT d.doc_type, d.object_id, d.url, d.reference, d.title, d.services, d.occurred_at,
               -bm25(core_searchdocument_fts, {weights}) AS rank,
               snippet(core_searchdocument_fts, -1, %s, %s, ' … ', 24) AS snippet
        FROM core_searchdocument_fts JOIN core_searchdocument d ON d.id = core_searchdocument_fts.rowid
        WHERE {" AND ".join(match + where)}
        ORDER BY bm25(core_searchdocument_fts, {weights}), d.occurred_at DESC, d.id DESC
        LIMIT %s OFFSET %s
    """  # noqa: S608 - only fixed SQL fragments are formatted in; values are parameters
    counts_sql = f"""
        SELECT d.doc_type, count(*)
        FROM core_searchdocument_fts JOIN core_searchdocument d ON d.id = core_searchdocument_fts.rowid
        WHERE {" AND ".join(match + count_where)}
        GROUP BY d.doc_type
    """  # noqa: S608 - as above
    expression = query.match()
    with connection.cursor() as cursor:
        cursor.execute(sql, [MARK_START, MARK_END, expression, *params, limit, offset])
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(counts_sql, [expression, *count_params])
        counts = dict(cursor.fetchall())
    for row in rows:
        row["occurred_at"] = _datetime(row["occurred_at"])
    return rows, counts


def _datetime(value):
    """A stored datetime read through a raw cursor (SQLite keeps them as text in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def matching(query, doc_type):
    from core.models import SearchDocument

    ids = RawSQL("SELECT rowid FROM core_searchdocument_fts WHERE core_searchdocument_fts MATCH %s", [query.match()])
    return SearchDocument.objects.filter(doc_type=doc_type, id__in=ids).values("object_id")
