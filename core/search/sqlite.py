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

from core.search import count_matches
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
# CROSS JOIN keeps the full-text match the outer loop: a type filter would otherwise tempt SQLite to walk
# documents by type and run the match once per row.
SOURCE = "core_searchdocument_fts CROSS JOIN core_searchdocument d ON d.id = core_searchdocument_fts.rowid"


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
    unknown = [word for word in sorted(set(words) - known) if _grams(word)]
    similar.update({word: [] for word in set(words) - known})
    if not unknown:
        return similar
    # One statement for every unknown word: each arm finds the candidates sharing most trigrams with it.
    arms = " UNION ALL ".join(
        "SELECT * FROM (SELECT %s AS query, word FROM core_searchterm_trigram "
        "WHERE core_searchterm_trigram MATCH %s ORDER BY rank LIMIT %s)"
        for _ in unknown
    )
    params = []
    for word in unknown:
        params += [word, " OR ".join(f'"{gram}"' for gram in _grams(word)), CANDIDATES]
    candidates = {word: [] for word in unknown}
    with connection.cursor() as cursor:
        cursor.execute(arms, params)
        for word, candidate in cursor.fetchall():
            candidates[word].append(candidate)
    for word, found in candidates.items():
        scored = sorted(((similarity(word, other), other) for other in found), key=lambda pair: (-pair[0], pair[1]))
        similar[word] = [other for score, other in scored if score >= SIMILARITY_THRESHOLD][:CORRECTIONS_PER_WORD]
    return similar


def _grams(word):
    """The word's trigrams that FTS5's trigram tokenizer can match (no padding)."""
    return sorted(gram for gram in trigrams(word) if gram.strip() == gram)


def run(query, filters, *, limit, offset, counts=True):
    """The page of hits, best first, and the counts by type, for a parsed (and corrected) query."""
    where, params = filters.sql()
    match = ["core_searchdocument_fts MATCH %s"]
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    sql = f"""
        SELECT d.doc_type, d.object_id, d.url, d.reference, d.title, d.services, d.occurred_at,
               -bm25(core_searchdocument_fts, {weights}) AS rank,
               snippet(core_searchdocument_fts, -1, %s, %s, ' … ', 24) AS snippet
        FROM {SOURCE}
        WHERE {" AND ".join(match + where)}
        ORDER BY bm25(core_searchdocument_fts, {weights}), d.occurred_at DESC, d.id DESC
        LIMIT %s OFFSET %s
    """  # noqa: S608 - only fixed SQL fragments are formatted in; values are parameters
    expression = query.match()
    with connection.cursor() as cursor:
        cursor.execute(sql, [MARK_START, MARK_END, expression, *params, limit, offset])
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["occurred_at"] = _datetime(row["occurred_at"])
    found = count_matches(SOURCE, match[0], [expression], filters) if counts else {}
    return rows, found


def _datetime(value):
    """A stored datetime read through a raw cursor (SQLite keeps them as text in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def matching(query, doc_types):
    from core.models import SearchDocument

    ids = RawSQL("SELECT rowid FROM core_searchdocument_fts WHERE core_searchdocument_fts MATCH %s", [query.match()])
    return SearchDocument.objects.filter(doc_type__in=doc_types, id__in=ids).values("object_id")
