"""Incidents feed the search index: title, summary, timeline, labels, alert names, kept current on save."""

import io

import pytest

from core import search
from core.models import SearchDocument
from incidents.models import Incident, TimelineEvent

EVERYONE = search.Viewer(everything=True)


def _found(text, **kwargs):
    return [hit.object_id for hit in search.search(text, viewer=kwargs.pop("viewer", EVERYONE), **kwargs).hits]


@pytest.fixture
def incident(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return Incident.objects.create(
            title="Checkout errors", summary="Card payments failed", labels={"region": "eu-west"}
        )


def test_it_indexes_an_incident_when_it_is_saved(incident):
    assert _found("checkout payments") == [incident.pk]


def test_it_indexes_timeline_text_and_labels(incident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        TimelineEvent.objects.create(incident=incident, text="Rolled back the certificate bundle")
    assert _found("certificate bundle") == [incident.pk]
    assert _found("eu-west") == [incident.pk]


def test_it_keeps_the_document_current_on_edit(incident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident.title = "Login outage"
        incident.save()
    assert _found("checkout") == []
    assert _found("login") == [incident.pk]


def test_it_reindexes_once_per_transaction(incident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for n in range(5):
            TimelineEvent.objects.create(incident=incident, text=f"Step {n}")
    before = SearchDocument.objects.get(object_id=incident.pk).indexed_at
    for callback in callbacks:
        callback()
    document = SearchDocument.objects.get(object_id=incident.pk)
    assert document.indexed_at > before
    assert "Step 4" in document.body


def test_it_removes_a_deleted_incident(incident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident.delete()
    assert not SearchDocument.objects.filter(doc_type="incident").exists()


def test_it_hides_a_restricted_incident_from_other_teams(
    incident, team, other_team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident.restricted = True
        incident.save()
        incident.allowed_teams.add(team)
    assert _found("checkout", viewer=search.Viewer(team_ids=frozenset({other_team.pk}))) == []
    assert _found("checkout", viewer=search.Viewer(team_ids=frozenset({team.pk}))) == [incident.pk]


def test_it_filters_an_incident_queryset_by_text(incident):
    other = Incident.objects.create(title="Unrelated")
    matching = Incident.objects.filter(pk__in=search.matching_ids("chekout", doc_type="incident"))
    assert list(matching) == [incident]
    assert other not in matching


def test_the_rebuild_command_rewrites_every_document(incident):
    from django.core.management import call_command

    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert _found("checkout") == [incident.pk]
