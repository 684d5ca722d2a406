import pytest
from django.contrib.auth import get_user_model

from conftest import opened_form, posted
from postmortems import editing
from postmortems.models import Review

pytestmark = pytest.mark.django_db


def _form_data(review, **changes):
    data = {name: getattr(review, name) for name in ("summary", "impact", "narrative", "lessons")}
    data.update({"version": review.version, "owner": review.owner_id or ""})
    data.update(changes)
    return data


def test_it_saves_an_edit_and_bumps_the_version(client, review, responder):
    client.force_login(responder)
    response = client.post(f"/reviews/{review.reference}/edit/", _form_data(review, summary="New summary"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.summary == "New summary"
    assert review.version == 2


def test_it_refuses_a_stale_save_and_shows_what_changed(client, review, responder, lead):
    opened_at = review.version
    editing.update_review(review, version=opened_at, changes={"summary": "Lead's summary"}, by=lead)
    client.force_login(responder)
    stale = _form_data(review, summary="Responder's summary", version=opened_at)
    response = client.post(f"/reviews/{review.reference}/edit/", stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "lee-lead saved this review after you opened it" in page
    assert "Lead&#x27;s summary" in page
    assert "Summary" in page
    assert Review.objects.get(pk=review.pk).summary == "Lead's summary"


def test_it_keeps_the_stale_editors_text_in_the_form(client, review, responder, lead):
    editing.update_review(review, version=1, changes={"impact": "Lead's impact"}, by=lead)
    client.force_login(responder)
    response = client.post(f"/reviews/{review.reference}/edit/", _form_data(review, summary="Mine", version=1))
    assert ">\nMine</textarea>" in response.content.decode()


def test_it_refuses_a_stale_save_in_the_workflow(review, responder, lead):
    editing.update_review(review, version=1, changes={"summary": "first"}, by=lead)
    with pytest.raises(editing.StaleReview) as refused:
        editing.update_review(Review.objects.get(pk=review.pk), version=1, changes={"summary": "second"}, by=responder)
    assert [change.field for change in refused.value.changes] == ["summary"]
    assert refused.value.editors == ["lee-lead"]
    assert Review.objects.get(pk=review.pk).summary == "first"


def test_it_keeps_every_save_in_history_with_who(review, responder, lead):
    editing.update_review(review, version=1, changes={"summary": "one"}, by=responder)
    editing.update_review(review, version=2, changes={"summary": "two", "authors": [lead]}, by=lead)
    records = list(review.history.order_by("history_date"))
    assert [r.history_user for r in records[-2:]] == [responder, lead]
    assert [r.summary for r in records[-2:]] == ["one", "two"]


def test_it_shows_changes_on_the_history_page(client, review, responder, lead):
    editing.update_review(review, version=1, changes={"summary": "Rewritten by the lead"}, by=lead)
    client.force_login(responder)
    page = client.get(f"/reviews/{review.reference}/history/").content.decode()
    assert "Rewritten by the lead" in page
    assert "lee-lead" in page


def test_it_refuses_edits_to_an_outsider(client, review, outsider):
    client.force_login(outsider)
    assert client.get(f"/reviews/{review.reference}/edit/").status_code == 403
    assert client.post(f"/reviews/{review.reference}/edit/", _form_data(review, summary="x")).status_code == 403


def test_it_refuses_edits_to_a_viewer(client, review, viewer):
    client.force_login(viewer)
    assert client.post(f"/reviews/{review.reference}/edit/", _form_data(review, summary="x")).status_code == 403
    assert Review.objects.get(pk=review.pk).summary != "x"


def test_it_refuses_a_primary_class_repeated_as_secondary(client, review, responder):
    from postmortems.tests.factories import root_cause_class

    cls = root_cause_class()
    client.force_login(responder)
    response = client.post(
        f"/reviews/{review.reference}/edit/",
        _form_data(review, primary_class=cls.pk, secondary_classes=[cls.pk]),
    )
    assert response.status_code == 200
    assert "cannot also be a secondary" in response.content.decode()


def test_it_edits_a_review_in_the_api_only_with_the_current_etag(api, review, responder):
    client = api(responder)
    etag = client.get(f"/api/reviews/{review.reference}/")["ETag"]
    assert client.patch(f"/api/reviews/{review.reference}/", {"summary": "x"}, format="json").status_code == 428
    ok = client.patch(f"/api/reviews/{review.reference}/", {"summary": "api"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert ok.data["version"] == 2
    assert ok["ETag"] != etag
    stale = client.patch(f"/api/reviews/{review.reference}/", {"summary": "late"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Review.objects.get(pk=review.pk).summary == "api"


def test_it_records_the_api_user_in_history(api, review, lead):
    client = api(lead)
    etag = client.get(f"/api/reviews/{review.reference}/")["ETag"]
    client.patch(f"/api/reviews/{review.reference}/", {"lessons": "L"}, format="json", HTTP_IF_MATCH=etag)
    assert review.history.first().history_user == lead
    assert get_user_model().objects.filter(pk=lead.pk).exists()


def _opened_by(client, user, review):
    return opened_form(client, user, f"/reviews/{review.reference}/edit/")


def test_it_merges_a_stale_save_that_changed_other_fields(client, review, responder, lead):
    mine, theirs = _opened_by(client, responder, review), _opened_by(client, lead, review)
    client.force_login(lead)
    client.post(f"/reviews/{review.reference}/edit/", posted(theirs, impact="2,000 card payments failed"))
    client.force_login(responder)
    response = client.post(f"/reviews/{review.reference}/edit/", posted(mine, lessons="Cap every pool"), follow=True)
    review.refresh_from_db()
    assert (review.impact, review.lessons) == ("2,000 card payments failed", "Cap every pool")
    assert "together with lee-lead&#x27;s changes to impact" in response.content.decode()


def test_it_refuses_a_stale_save_that_changed_the_same_field_differently(client, review, responder, lead):
    mine, theirs = _opened_by(client, responder, review), _opened_by(client, lead, review)
    client.force_login(lead)
    client.post(f"/reviews/{review.reference}/edit/", posted(theirs, impact="2,000 payments"))
    client.force_login(responder)
    response = client.post(f"/reviews/{review.reference}/edit/", posted(mine, impact="All EU payments"))
    assert (response.status_code, Review.objects.get(pk=review.pk).impact) == (409, "2,000 payments")
