from datetime import UTC, datetime

import pytest

from incidents.choices import DetectionSource, Severity, Status
from incidents.conftest import payload
from incidents.models import Incident, IntakeAlert, TimelineEvent

pytestmark = pytest.mark.django_db


def alertmanager(send, source, name):
    return send("alertmanager", payload(name), key=source.key)


def test_it_opens_one_incident_for_a_firing_group(send, alertmanager_source, catalog):
    response = alertmanager(send, alertmanager_source, "alertmanager_firing")

    assert response.status_code == 201, response.content
    incident = Incident.objects.get()
    assert response.json()["incident"] == incident.reference
    assert (incident.title, incident.severity, incident.detection_source) == (
        "Checkout API 5xx rate above 5%",
        Severity.SEV1,
        DetectionSource.ALERT,
    )
    assert incident.started_at == datetime(2026, 11, 3, 9, 41, 30, 123000, tzinfo=UTC)
    assert incident.detected_at is not None
    assert incident.mitigated_at is None
    assert list(incident.services.values_list("slug", flat=True)) == ["checkout-api"]
    assert incident.team == alertmanager_source.team


def test_it_copies_common_labels_as_business_context(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")

    labels = Incident.objects.get().labels
    assert labels["region"] == "eu-west-1"
    assert not {"alertname", "service", "severity"} & set(labels)


def test_it_labels_its_timeline_events_with_the_source(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")

    sources = set(TimelineEvent.objects.values_list("source", flat=True))
    assert sources == {"alertmanager:alertmanager-prod"}


def test_it_adds_timeline_events_for_a_repeat_instead_of_a_new_incident(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")
    before = TimelineEvent.objects.count()

    response = alertmanager(send, alertmanager_source, "alertmanager_firing_repeat")

    assert response.status_code == 200
    assert Incident.objects.count() == 1
    new_events = TimelineEvent.objects.order_by("id")[before:]
    assert [event.text for event in new_events] == [
        "**Firing:** CheckoutHighErrorRate — Checkout API 5xx rate above 5% (`namespace=checkout`, "
        "`pod=checkout-api-7d9f8c6b5-q8rzt`, `region=eu-west-1`, `service=checkout-api`, `severity=critical`) "
        "[source](https://prometheus.example.com/graph?g0.expr=sum%28rate%28http_requests_total%7Bservice%3D%22"
        "checkout-api%22%2Ccode%3D~%225..%22%7D%5B5m%5D%29%29&g0.tab=1)"
    ]


def test_it_adds_nothing_for_an_identical_repeat(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")
    before = TimelineEvent.objects.count()

    response = alertmanager(send, alertmanager_source, "alertmanager_firing")

    assert (response.status_code, response.json()["events_added"]) == (200, 0)
    assert TimelineEvent.objects.count() == before


def test_it_records_mitigation_when_the_group_resolves(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")
    alertmanager(send, alertmanager_source, "alertmanager_firing_repeat")

    response = alertmanager(send, alertmanager_source, "alertmanager_resolved")

    assert response.status_code == 200
    incident = Incident.objects.get()
    # The incident was detected (now) after the alerts ended (recorded in the past): mitigation cannot precede detection.
    assert incident.mitigated_at == incident.detected_at
    assert incident.status == Status.INVESTIGATING
    assert TimelineEvent.objects.filter(text__startswith="All alerts resolved").count() == 1
    assert set(IntakeAlert.objects.values_list("status", flat=True)) == {"resolved"}


def test_it_records_the_alert_end_as_mitigation_when_it_follows_detection(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")
    Incident.objects.update(detected_at=datetime(2026, 11, 3, 9, 45, tzinfo=UTC))

    alertmanager(send, alertmanager_source, "alertmanager_resolved")

    assert Incident.objects.get().mitigated_at == datetime(2026, 11, 3, 10, 14, tzinfo=UTC)


def test_it_opens_a_new_incident_once_the_previous_one_is_resolved(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")
    Incident.objects.update(status=Status.RESOLVED)

    response = alertmanager(send, alertmanager_source, "alertmanager_firing")

    assert response.status_code == 201
    assert Incident.objects.count() == 2


def test_it_opens_another_incident_for_another_group(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")

    response = alertmanager(send, alertmanager_source, "alertmanager_other_group")

    assert response.status_code == 201
    other = Incident.objects.get(title="Card authorisation p99 latency above 2 s")
    assert (other.severity, list(other.services.values_list("slug", flat=True))) == (Severity.SEV3, ["payments-api"])
    assert Incident.objects.count() == 2


def test_it_notes_an_unknown_service_label_in_the_timeline(send, alertmanager_source, catalog):
    response = alertmanager(send, alertmanager_source, "alertmanager_unknown_service")

    assert response.status_code == 201
    incident = Incident.objects.get()
    assert not incident.services.exists()
    assert incident.timeline.filter(text__contains="`legacy-billing`").filter(
        text__contains="not in the service catalog"
    )


def test_it_ignores_a_resolved_notification_without_an_open_incident(send, alertmanager_source, catalog):
    response = alertmanager(send, alertmanager_source, "alertmanager_resolved")

    assert (response.status_code, response.json()["incident"]) == (200, None)
    assert not Incident.objects.exists()


def test_it_raises_severity_when_a_more_severe_alert_joins(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_other_group")
    body = payload("alertmanager_other_group")
    body["alerts"].append({**body["alerts"][0], "fingerprint": "ffff0000aaaa1111"})
    body["alerts"][1]["labels"] = {**body["alerts"][1]["labels"], "severity": "critical"}

    send("alertmanager", body, key=alertmanager_source.key)

    assert Incident.objects.get().severity == Severity.SEV1


def test_it_clears_mitigation_when_the_group_fires_again(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")
    alertmanager(send, alertmanager_source, "alertmanager_resolved")
    body = payload("alertmanager_firing")
    body["alerts"][0]["startsAt"] = "2026-11-03T11:00:00Z"

    send("alertmanager", body, key=alertmanager_source.key)

    incident = Incident.objects.get()
    assert incident.mitigated_at is None
    assert incident.timeline.filter(text__startswith="**Firing again:**").exists()


@pytest.mark.parametrize("scheme", ["Bearer", "Token"])
def test_it_accepts_the_token_in_either_scheme(send, alertmanager_source, catalog, scheme):
    response = send("alertmanager", payload("alertmanager_firing"), key=alertmanager_source.key, scheme=scheme)

    assert response.status_code == 201


@pytest.mark.parametrize("key", [None, "not-the-token"])
def test_it_refuses_a_missing_or_wrong_token_with_401(send, alertmanager_source, catalog, key):
    response = send("alertmanager", payload("alertmanager_firing"), key=key)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert not Incident.objects.exists()


def test_it_refuses_an_inactive_source_with_401(send, alertmanager_source, catalog):
    alertmanager_source.active = False
    alertmanager_source.save()

    response = alertmanager(send, alertmanager_source, "alertmanager_firing")

    assert response.status_code == 401


def test_it_refuses_a_person_api_token_with_401(send, alertmanager_source, catalog, admin):
    from accounts.models import ApiToken

    response = send(
        "alertmanager", payload("alertmanager_firing"), key=ApiToken.objects.create_with_token(user=admin)[1]
    )

    assert response.status_code == 401


def test_it_refuses_a_generic_token_on_the_alertmanager_endpoint(send, generic_source, catalog):
    response = send("alertmanager", payload("alertmanager_firing"), key=generic_source.key)

    assert response.status_code == 403
    assert not Incident.objects.exists()


def broken(mutate):
    body = payload("alertmanager_firing")
    mutate(body)
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (broken(lambda body: body.update(version="3")), "version"),
        (broken(lambda body: body.pop("groupKey")), "groupKey"),
        (broken(lambda body: body.update(status="burning")), "status"),
        (broken(lambda body: body.update(alerts=[])), "alerts"),
        (broken(lambda body: body["alerts"][0].update(startsAt="yesterday")), "alerts"),
        (broken(lambda body: body["alerts"][0].update(labels={})), "alerts"),
        (broken(lambda body: body.update(commonLabels=["service"])), "commonLabels"),
    ],
    ids=["version", "no-group-key", "status", "no-alerts", "bad-time", "no-labels", "labels-not-object"],
)
def test_it_refuses_a_malformed_payload_with_field_errors_and_writes_nothing(
    send, alertmanager_source, catalog, body, field
):
    response = send("alertmanager", body, key=alertmanager_source.key)

    assert response.status_code == 400
    assert field in response.json()
    assert not Incident.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_it_names_the_broken_alert_field(send, alertmanager_source, catalog):
    body = broken(lambda body: body["alerts"][0].update(startsAt="yesterday"))

    response = send("alertmanager", body, key=alertmanager_source.key)

    assert "startsAt" in response.json()["alerts"]["0"]


@pytest.mark.parametrize("body", ["{not json", "[1, 2]"], ids=["not-json", "not-an-object"])
def test_it_refuses_what_is_not_a_json_object_with_400(send, alertmanager_source, body):
    response = send("alertmanager", body, key=alertmanager_source.key)

    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_it_writes_nothing_when_recording_fails_halfway(send, alertmanager_source, catalog, monkeypatch):
    from incidents.intake import notifications as intake

    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(intake, "_record_mitigation", fail)
    alertmanager(send, alertmanager_source, "alertmanager_firing")
    before = (TimelineEvent.objects.count(), IntakeAlert.objects.count())

    with pytest.raises(RuntimeError):
        alertmanager(send, alertmanager_source, "alertmanager_resolved")

    assert (TimelineEvent.objects.count(), IntakeAlert.objects.count()) == before
    assert set(IntakeAlert.objects.values_list("status", flat=True)) == {"firing"}


# --- The generic intake -------------------------------------------------------------


def test_it_opens_an_incident_from_generic_json(send, generic_source, catalog):
    response = send("generic", payload("generic_firing"), key=generic_source.key)

    assert response.status_code == 201
    incident = Incident.objects.get()
    assert (incident.title, incident.severity) == ("Card authorisation latency p99 above 2 s", Severity.SEV1)
    assert sorted(incident.services.values_list("slug", flat=True)) == ["card-vault", "payments-api"]
    assert incident.started_at == datetime(2026, 11, 3, 9, 40, tzinfo=UTC)
    assert incident.labels == {"customer_tier": "all", "region": "eu-west-1"}


def test_it_groups_generic_alerts_by_dedup_key(send, generic_source, catalog):
    send("generic", payload("generic_firing"), key=generic_source.key)
    changed = {**payload("generic_firing"), "description": "Now 3.1 s."}

    response = send("generic", changed, key=generic_source.key)

    assert (response.status_code, response.json()["events_added"]) == (200, 1)
    assert Incident.objects.count() == 1


def test_it_records_mitigation_from_a_generic_resolve(send, generic_source, catalog):
    send("generic", payload("generic_firing"), key=generic_source.key)
    Incident.objects.update(detected_at=datetime(2026, 11, 3, 9, 50, tzinfo=UTC))

    send("generic", payload("generic_resolved"), key=generic_source.key)

    assert Incident.objects.get().mitigated_at == datetime(2026, 11, 3, 10, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dedup_key": ""}, "dedup_key"),
        ({"title": ""}, "title"),
        ({"severity": "apocalyptic"}, "severity"),
        ({"service": "Not A Slug!"}, "service"),
        ({"occurred_at": "soon"}, "occurred_at"),
        ({"labels": {"region": ["eu"]}}, "labels"),
    ],
)
def test_it_refuses_malformed_generic_json(send, generic_source, catalog, change, field):
    response = send("generic", {**payload("generic_firing"), **change}, key=generic_source.key)

    assert response.status_code == 400
    assert field in response.json()
    assert not Incident.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_opens_one_incident_when_two_notifications_race(send, alertmanager_source, catalog):
    from conftest import race

    def post():
        return alertmanager(send, alertmanager_source, "alertmanager_firing").status_code

    assert sorted(race(post, post)) == [200, 201]
    assert Incident.objects.count() == 1


def test_it_refuses_a_label_name_the_database_cannot_store(send, generic_source, catalog):
    body = {**payload("generic_firing"), "labels": {"re\x00gion": "eu"}}

    response = send("generic", body, key=generic_source.key)

    assert response.status_code == 400
    assert "labels" in response.json()


# --- Wide groups ---------------------------------------------------------------------


def wide_notification(size):
    """The recorded firing notification with `size` alerts, one per pod."""
    body = payload("alertmanager_firing")
    template = body["alerts"][0]
    body["alerts"] = [
        {**template, "labels": {**template["labels"], "pod": f"checkout-api-{n}"}, "fingerprint": f"pod{n:013d}"}
        for n in range(size)
    ]
    return body


@pytest.mark.parametrize("size", [1, 50])
def test_it_records_a_group_in_a_fixed_number_of_queries_however_many_alerts_it_holds(
    send, alertmanager_source, catalog, size, django_assert_max_num_queries
):
    body = wide_notification(size)

    # 17, +1 for the incident's first history row, +1 for the notes other apps add to the first event.
    with django_assert_max_num_queries(17 + 1 + 1):
        opened = send("alertmanager", body, key=alertmanager_source.key)
    with django_assert_max_num_queries(9):
        repeated = send("alertmanager", body, key=alertmanager_source.key)

    assert (opened.status_code, repeated.status_code) == (201, 200)
    assert IntakeAlert.objects.filter(incident__group_key=body["groupKey"]).count() == size


def test_it_records_an_alert_named_twice_in_one_notification_once(send, alertmanager_source, catalog):
    body = payload("alertmanager_firing")
    body["alerts"] = body["alerts"] * 2

    response = send("alertmanager", body, key=alertmanager_source.key)

    assert response.status_code == 201
    assert response.json()["events_added"] == 2  # "Opened by …" and the one alert
    assert IntakeAlert.objects.count() == 1


def test_it_remembers_when_an_unchanged_alert_was_last_seen(send, alertmanager_source, catalog):
    alertmanager(send, alertmanager_source, "alertmanager_firing")
    first_seen = IntakeAlert.objects.get().last_seen_at

    alertmanager(send, alertmanager_source, "alertmanager_firing")

    assert IntakeAlert.objects.get().last_seen_at > first_seen
