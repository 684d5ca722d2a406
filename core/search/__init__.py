"""Search over everything Hindsight knows: one document table, two database backends.

Why one table: every searchable model (incidents, reviews, playbooks, runbooks…) is written into
`core.models.SearchDocument` as title / keywords / summary / body, its services, its time, and its
visibility (a `restricted` flag and the ids of the teams allowed to see it). One table means one
index, one ranking across types, one query for "best first, grouped by type" with counts, and
visibility applied *in the same SQL* as the match — so a restricted incident is never counted or
snippeted for someone who may not see it. `core` knows no domain model: each app registers a feed
(`register_feed`) that turns its rows into `Document`s, and queues a refresh (`queue_reindex`)
from its signals; refreshes are deduplicated and run once per object after the transaction
commits (as a Celery task, off the request when a worker runs), so a request that saves an
incident and ten timeline events reindexes it once, and a transaction that saves a hundred
incidents reindexes them in one task.

Weights: title and keywords (symptoms, alert names, labels) weigh most, then the summary, then the
body. The backend follows the database engine (`backend()`):

- PostgreSQL (`core/search/postgres.py`): a generated, weighted `tsvector` column with a GIN index,
  `websearch_to_tsquery('english', …)`, `ts_rank`, `ts_headline` snippets.
- SQLite (`core/search/sqlite.py`): an FTS5 table (porter stemming) kept in step by triggers,
  `bm25` with per-column weights, `snippet()`.

Typos: every word of every document goes into a vocabulary (`SearchTerm`). A query word the
vocabulary does not know is widened to the known words most like it — `pg_trgm` similarity over a
trigram GIN index on PostgreSQL, an FTS5 trigram table plus the same trigram similarity in Python on
SQLite — so "conection pool exausted" finds the connection-pool runbook. Known words are never
"corrected".

Use:

    from core import search

    results = search.search("certficate expired", viewer=search.Viewer.for_user(user, team_ids),
                            types=["incident"], services=["api"], since=…, until=…)
    results.hits            # [Hit(doc_type, object_id, url, reference, title, snippet (safe HTML), …)]
    results.counts          # {"incident": 12, "review": 3}: every match the viewer may see, by type;
                            # COUNT_LIMIT + 1 means "more than COUNT_LIMIT" (results.total_text: "1,000+")
    results.corrections     # {"certficate": ["certificate"]}

    # A list's text filter (the list applies its own visibility): a subquery of matching object ids.
    Incident.objects.filter(pk__in=search.matching_ids("certficate", doc_type="incident"))

`manage.py rebuild_search_index` rewrites every document from its feed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.pagination import count_text
from core.search.text import CONTROL, MARK_END, MARK_START, clean, vocabulary

BATCH = 500
# Matches are counted up to this many per type; past it a count reads "1,000+" (see count_matches).
COUNT_LIMIT = 1_000


@dataclass
class Document:
    """What a feed hands the index for one object."""

    doc_type: str
    object_id: int
    url: str
    title: str
    reference: str = ""
    keywords: str = ""
    summary: str = ""
    body: str = ""
    services: Iterable[str] = ()
    restricted: bool = False
    allowed_team_ids: Iterable[int] = ()
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class Viewer:
    """Who is searching: everything (site admins) or unrestricted documents plus those shared with `team_ids`."""

    team_ids: frozenset = frozenset()
    everything: bool = False

    @classmethod
    def for_user(cls, user, team_ids):
        """The viewer for a signed-in user who belongs to `team_ids`; anonymous users see nothing."""
        if not user.is_authenticated:
            return None
        return cls(team_ids=frozenset(team_ids), everything=user.is_superuser)


@dataclass
class Hit:
    doc_type: str
    object_id: int
    url: str
    reference: str
    title: str
    snippet: str
    services: list
    occurred_at: datetime | None
    rank: float


@dataclass
class Results:
    hits: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    corrections: dict = field(default_factory=dict)

    @property
    def total(self):
        """Every match counted: exact unless `capped`, when it is a lower bound."""
        return sum(min(count, COUNT_LIMIT) for count in self.counts.values())

    @property
    def capped(self):
        """Whether some type has more than COUNT_LIMIT matches (and so `total` is "at least")."""
        return any(count > COUNT_LIMIT for count in self.counts.values())

    @property
    def total_text(self):
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"

    def count_texts(self, doc_types):
        """[(doc_type, "12" or "1,000+")] for these types, as a page shows them (0 for a type with none)."""
        return [(doc_type, count_text(self.counts.get(doc_type, 0), COUNT_LIMIT)) for doc_type in doc_types]


@dataclass(frozen=True)
class Feed:
    """How one app's objects become documents: `documents(ids)` for a batch; `rows`, the objects a rebuild covers."""

    doc_type: str
    label: str
    documents: Callable
    rows: QuerySet

    def all_ids(self):
        return list(self.rows.order_by("pk").values_list("pk", flat=True))


FEEDS = {}


def register_feed(doc_type, *, label, documents, rows):
    """Register the feed for `doc_type` (called from an app's `ready()`); `label` is the plural shown in results."""
    FEEDS[doc_type] = Feed(doc_type, label, documents, rows)


def type_labels():
    return {doc_type: feed.label for doc_type, feed in FEEDS.items()}


def backend():
    """The search backend for the default database's engine."""
    if connection.vendor == "postgresql":
        from core.search import postgres

        return postgres
    from core.search import sqlite

    return sqlite


# --- Writing --------------------------------------------------------------------------------


def write_documents(documents):
    """Insert or replace these documents in the index, and add their words to the vocabulary."""
    from core.models import SearchDocument, SearchTerm

    rows, words = [], set()
    for document in documents:
        rows.append(
            SearchDocument(
                doc_type=document.doc_type,
                object_id=document.object_id,
                url=document.url,
                reference=document.reference,
                title=clean(document.title)[:300],
                keywords=clean(document.keywords),
                summary=clean(document.summary),
                body=clean(document.body),
                services=_delimited(document.services),
                restricted=document.restricted,
                allowed_team_ids=_delimited(document.allowed_team_ids),
                occurred_at=document.occurred_at,
            )
        )
        words |= vocabulary(document.title, document.keywords, document.summary, document.body)
    if not rows:
        return
    SearchDocument.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["doc_type", "object_id"],
        update_fields=[
            "url",
            "reference",
            "title",
            "keywords",
            "summary",
            "body",
            "services",
            "restricted",
            "allowed_team_ids",
            "occurred_at",
            "indexed_at",
        ],
    )
    SearchTerm.objects.bulk_create([SearchTerm(word=word) for word in sorted(words)], ignore_conflicts=True)


def _delimited(values):
    return " " + " ".join(str(value) for value in values) + " " if values else " "


def reindex(doc_type, object_ids):
    """Rewrite the documents of these objects from their feed; objects that no longer exist leave the index."""
    from core.models import SearchDocument

    object_ids = list(object_ids)
    documents = list(FEEDS[doc_type].documents(object_ids))
    write_documents(documents)
    gone = set(object_ids) - {document.object_id for document in documents}
    if gone:
        SearchDocument.objects.filter(doc_type=doc_type, object_id__in=gone).delete()


def queue_reindex(doc_type, *object_ids):
    """Reindex the objects once the current transaction commits (once, however often this is called).

    The rewrite is a task, so that with a worker a write does not wait for its index; without a
    broker tasks run in-process, right after the commit. The objects of one type that a transaction
    changed are rewritten together, BATCH to a task.
    """
    from core.outbox import on_commit_collect

    on_commit_collect(("search", doc_type), object_ids, partial(_queue_tasks, doc_type))


def _queue_tasks(doc_type, object_ids):
    # Through the outbox: a broker that cannot be reached keeps the refresh for later, never fails the write.
    from core.outbox import send_or_keep

    object_ids = sorted(object_ids)
    for start in range(0, len(object_ids), BATCH):
        send_or_keep("core.tasks.refresh_search_documents", args=(doc_type, object_ids[start : start + BATCH]))


def rebuild(doc_types=None, *, out=None):
    """Rewrite every document of these types (all by default) from the feeds; return how many were written."""
    from core.models import SearchDocument

    written = 0
    for doc_type in doc_types or list(FEEDS):
        ids = FEEDS[doc_type].all_ids()
        SearchDocument.objects.filter(doc_type=doc_type).exclude(object_id__in=ids).delete()
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                reindex(doc_type, ids[start : start + BATCH])
        written += len(ids)
        if out is not None:
            out.write(f"{doc_type}: {len(ids)} documents\n")
    return written


# --- Reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides the text, rendered as SQL over the document table aliased `d`."""

    viewer: Viewer | None
    types: tuple = ()
    services: tuple = ()
    since: datetime | None = None
    until: datetime | None = None

    def sql(self, *, with_types=True):
        if self.viewer is None:
            return ["1 = 0"], []
        where, params = [], []
        if not self.viewer.everything:
            shared = ["d.allowed_team_ids LIKE %s" for _ in self.viewer.team_ids]
            params += [f"% {team_id} %" for team_id in sorted(self.viewer.team_ids)]
            where.append("(" + " OR ".join(["d.restricted = %s", *shared]) + ")")
            params.insert(0, False)
        if with_types and self.types:
            where.append("d.doc_type IN (" + ", ".join(["%s"] * len(self.types)) + ")")
            params += list(self.types)
        if self.services:
            where.append("(" + " OR ".join(["d.services LIKE %s"] * len(self.services)) + ")")
            params += [f"% {slug} %" for slug in self.services]
        if self.since is not None:
            where.append("d.occurred_at >= %s")
            params.append(self.since)
        if self.until is not None:
            where.append("d.occurred_at < %s")
            params.append(self.until)
        return where, params


def count_matches(source, match, match_params, filters):
    """{doc_type: how many documents `viewer` may see match, up to COUNT_LIMIT + 1}, types with none left out.

    `source` names the document table as `d` (joined to whatever `match` needs). Each type is counted
    in a subquery that stops at COUNT_LIMIT + 1 rows, so a word in every document costs a bounded
    walk, not a count of the whole index; the type filter does not apply (a page shows every type's).
    """
    where, params = filters.sql(with_types=False)
    condition = " AND ".join([match, "d.doc_type = %s", *where])
    parts, all_params = [], []
    for doc_type in FEEDS:
        # Only fixed SQL fragments are formatted in; values are parameters.
        parts.append(f"(SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {condition} LIMIT %s) AS counted)")  # noqa: S608
        all_params += [*match_params, doc_type, *params, COUNT_LIMIT + 1]
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), all_params)
        row = cursor.fetchone()
    return {doc_type: found for doc_type, found in zip(FEEDS, row, strict=True) if found}


def prepare(text):
    """Parse `text` and correct its misspellings against the vocabulary (one query); None if nothing can match.

    Pass the result to `search` instead of the text to run several searches for one query.
    """
    engine = backend()
    query = engine.Query.parse(text)
    if query is None:
        return None
    return query.corrected(engine.similar_words(query.unknown_words()))


def search(text, *, viewer, types=(), services=(), since=None, until=None, limit=20, offset=0, counts=True):
    """Return the documents matching `text` that `viewer` may see, best first, with counts by type.

    `text` is what the user typed, or a query from `prepare`. `counts` covers every type (the type
    filter narrows only the hits), so a page can show how many of each kind there are; each is exact
    up to COUNT_LIMIT and COUNT_LIMIT + 1 past it. Pass counts=False to skip counting. An empty
    query matches nothing.
    """
    filters = Filters(viewer, tuple(types), tuple(services), since, until)
    engine = backend()
    query = prepare(text) if isinstance(text, str) else text
    if query is None:
        return Results()
    rows, found = engine.run(query, filters, limit=limit, offset=offset, counts=counts)
    hits = [
        Hit(
            doc_type=row["doc_type"],
            object_id=row["object_id"],
            url=row["url"],
            reference=row["reference"],
            title=row["title"],
            snippet=highlight(row["snippet"]),
            services=row["services"].split(),
            occurred_at=row["occurred_at"],
            rank=row["rank"],
        )
        for row in rows
    ]
    counts = {doc_type: min(count, COUNT_LIMIT + 1) for doc_type, count in found.items()}
    return Results(hits=hits, counts=counts, corrections=query.corrections)


def matching_ids(text, *, doc_type):
    """A subquery of the ids of `doc_type` objects (one type, or a list) whose documents match `text` (typos corrected).

    For a list's text filter: `Incident.objects.visible_to(user).filter(pk__in=matching_ids(q, doc_type="incident"))`.
    Visibility is the list's own job here. An empty query matches nothing.
    """
    from core.models import SearchDocument

    query = prepare(text)
    if query is None:
        return SearchDocument.objects.none().values("object_id")
    return backend().matching(query, [doc_type] if isinstance(doc_type, str) else list(doc_type))


def highlight(snippet):
    """Escape a snippet and turn the backend's match markers into <mark> (the text is the user's)."""
    html = escape(snippet or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(CONTROL.sub("", html))  # noqa: S308 - escaped above; only our marks are HTML
