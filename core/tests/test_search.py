"""The search module on the database the run is configured for: both backends pass this same suite."""

from datetime import UTC, datetime

import pytest

from core import search
from core.models import SearchDocument
from core.search import Document, Viewer
from core.tests.search_corpus import CORPUS, RELEVANCE

EVERYONE = Viewer(team_ids=frozenset({1}))


@pytest.fixture
def corpus(db):
    search.write_documents(CORPUS)


def _top3(text, viewer=EVERYONE, **filters):
    return [(hit.doc_type, hit.object_id) for hit in search.search(text, viewer=viewer, limit=3, **filters).hits]


@pytest.mark.parametrize(("text", "expected"), RELEVANCE, ids=[text for text, _ in RELEVANCE])
def test_it_finds_the_expected_document_in_the_top_three(corpus, text, expected):
    assert expected in _top3(text)


def test_it_has_at_least_twenty_queries_a_third_of_them_misspelled(corpus):
    misspelled = [text for text, _ in RELEVANCE if search.search(text, viewer=EVERYONE).corrections]
    assert len(RELEVANCE) >= 20
    assert len(misspelled) >= len(RELEVANCE) / 3


def test_it_corrects_misspelled_words_against_the_vocabulary(corpus):
    results = search.search("conection pool exausted", viewer=EVERYONE)
    assert results.corrections["conection"][0] == "connection"
    assert results.corrections["exausted"] == ["exhausted"]


def test_it_never_corrects_a_known_word(corpus):
    assert search.search("pool", viewer=EVERYONE).corrections == {}


def test_it_counts_matches_by_type(corpus):
    assert search.search("root cause", viewer=EVERYONE).counts == {"review": 3}


def test_it_filters_by_type_without_changing_the_counts(corpus):
    results = search.search("certificate", viewer=EVERYONE, types=["runbook"])
    assert [hit.object_id for hit in results.hits] == [2]
    assert results.counts == {"runbook": 1, "incident": 1}


def test_it_filters_by_service(corpus):
    hits = search.search("database", viewer=EVERYONE, services=["postgres"]).hits
    assert hits
    assert all("postgres" in hit.services for hit in hits)


def test_it_filters_by_time(corpus):
    search.write_documents(
        [Document("incident", 99, "/i/99/", "Certificate drill", occurred_at=datetime(2025, 6, 1, tzinfo=UTC))]
    )
    hits = search.search(
        "certificate", viewer=EVERYONE, since=datetime(2025, 1, 1, tzinfo=UTC), until=datetime(2025, 12, 31, tzinfo=UTC)
    ).hits
    assert [(hit.object_id, hit.occurred_at) for hit in hits] == [(99, datetime(2025, 6, 1, tzinfo=UTC))]


def test_it_highlights_matches_and_escapes_the_text(db):
    search.write_documents(
        [Document("incident", 1, "/i/1/", "Broken", summary="<script>alert(1)</script> the certificate expired \x02")]
    )
    snippet = search.search("certificate", viewer=EVERYONE).hits[0].snippet
    assert "<mark>certificate</mark>" in snippet
    assert "<script>" not in snippet
    assert "\x02" not in snippet


class TestRestricted:
    @pytest.fixture
    def secret(self, db):
        search.write_documents(
            [
                Document(
                    "incident",
                    7,
                    "/i/7/",
                    "Leaked signing certificate",
                    summary="secret key leaked",
                    restricted=True,
                    allowed_team_ids=[5],
                ),
                Document(
                    "review",
                    7,
                    "/r/7/",
                    "Review of leaked signing certificate",
                    restricted=True,
                    allowed_team_ids=[5, 6],
                ),
            ]
        )

    def test_it_hides_restricted_documents_from_hits_and_counts(self, secret):
        results = search.search("leaked certificate", viewer=Viewer(team_ids=frozenset({1, 2})))
        assert results.hits == []
        assert results.counts == {}

    def test_it_shows_them_to_an_allowed_team(self, secret):
        assert search.search("leaked", viewer=Viewer(team_ids=frozenset({6}))).counts == {"review": 1}

    def test_it_shows_them_to_site_admins(self, secret):
        assert search.search("leaked", viewer=Viewer(everything=True)).counts == {"incident": 1, "review": 1}

    def test_it_shows_nothing_to_nobody(self, secret):
        assert search.search("leaked", viewer=None).hits == []


def test_it_matches_ids_for_a_list_filter(corpus):
    ids = SearchDocument.objects.filter(object_id__in=search.matching_ids("certficate", doc_type="incident"))
    assert sorted(ids.values_list("object_id", flat=True)) == [9]


def test_it_replaces_a_document_on_rewrite(corpus):
    search.write_documents([Document("runbook", 2, "/r/2/", "Rotate an expired TLS key")])
    assert _top3("certificate", types=["runbook"]) == []


def test_it_supports_phrases_or_and_negation(corpus):
    assert _top3('"cache flush"') == [("incident", 14)]
    assert sorted(_top3("kafka or rabbitmq")) == [("playbook", 3), ("review", 12)]
    assert ("runbook", 2) not in _top3("certificate -kubectl")


def test_it_matches_nothing_for_an_empty_or_only_negated_query(corpus):
    assert search.search("  ", viewer=EVERYONE).hits == []
    assert search.search("-kafka", viewer=EVERYONE).hits == []


def _many(count, *, titled=()):
    """`count` incidents mentioning "evictions" in the body (the higher the number, the newer); `titled` also in the title."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        Document(
            doc_type="incident",
            object_id=n,
            url=f"/incidents/INC-{n}/",
            title="Cache evictions" if n in titled else f"Incident {n}",
            body="Evictions climbed while the cache warmed.",
            occurred_at=start.replace(day=n),
        )
        for n in range(1, count + 1)
    ]


def test_it_counts_up_to_the_limit_and_says_more(db, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 5)
    search.write_documents(_many(8))
    results = search.search("evictions", viewer=EVERYONE)
    assert results.counts == {"incident": 6}
    assert (results.total, results.capped, results.total_text) == (5, True, "5+")
    assert results.count_texts(["incident", "review"]) == [("incident", "5+"), ("review", "0")]
    exact = search.search("evictions", viewer=EVERYONE, services=["none"])
    assert (exact.total, exact.capped, exact.total_text) == (0, False, "0")


@pytest.mark.parametrize("match_bound", [1_000, 3], ids=["one pass over the matches", "past the match bound"])
def test_it_ranks_an_old_title_match_above_newer_body_matches_past_the_candidate_bound(db, monkeypatch, match_bound):
    """Only the newest CANDIDATES matches are ranked, plus the newest title matches: an old document
    whose title matches still comes first, and the counts stay exact."""
    if search.backend().__name__ != "core.search.postgres":
        pytest.skip("SQLite ranks every match; the candidate bound is PostgreSQL's")
    from core.search import postgres

    monkeypatch.setattr(postgres, "CANDIDATES", 3)
    monkeypatch.setattr(postgres, "MATCH_BOUND", match_bound)
    search.write_documents(_many(12, titled={2}))  # the only title match is the oldest but one
    results = search.search("evictions", viewer=EVERYONE, limit=2)
    assert [hit.object_id for hit in results.hits] == [2, 12]
    assert results.counts == {"incident": 12}
    deeper = search.search("evictions", viewer=EVERYONE, limit=4, offset=4)
    assert len(deeper.hits) == 4  # a page past the candidates widens them rather than coming back empty
