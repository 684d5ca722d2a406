"""Fuzz every API operation from the live OpenAPI schema with schemathesis.

The house rule: bad input gets a clear 4xx and changes nothing; never a 5xx. Every response must be
one the schema documents (status code, content type, body). A site admin calls each operation with
schema-valid and schema-invalid input, against a small catalog so lookups by natural key hit rows.
"""

import importlib
import os
from datetime import timedelta

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken, Team
from actions.models import ActionItem, RemedialFinding
from config.wsgi import application
from incidents.choices import IntakeKind
from incidents.models import Incident, IntakeSource, SuspectDeployment, TimelineEvent
from postmortems.models import CausalFactor, CausalLink, Review, RootCauseClass
from services.models import Dependency, Deployment, Service

HTTP_METHODS = {"get", "put", "post", "patch", "delete"}
# The schema the API serves, generated the same way, so each operation is a test of its own.
OPERATIONS = sorted(
    (method.upper(), path)
    for path, item in SchemaGenerator().get_schema(request=None, public=True)["paths"].items()
    for method in item
    if method in HTTP_METHODS
)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Bounded and repeatable: the same examples on every run and machine. HINDSIGHT_FUZZ_EXAMPLES=500
# digs deeper by hand.
FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("HINDSIGHT_FUZZ_EXAMPLES", "50")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def keep_the_test_transaction():
    """Django's WSGI handler closes the connection after each request, as a server must; here the
    request runs inside the test's transaction, which must survive it (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


_loaded = {}


@pytest.fixture
def live_schema(db, keep_the_test_transaction):
    """The schema as the app serves it at /api/schema/, fetched once per run (it takes a second to build)."""
    if "schema" not in _loaded:
        _loaded["schema"] = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    return _loaded["schema"]


@pytest.fixture
def catalog(admin, team):
    """A small catalog: services with a dependency and a deployment, an incident with a timeline and a
    suspect, its review with a causal chart, an action with a finding, an intake source."""
    importlib.import_module("postmortems.migrations.0003_seed_root_cause_classes").seed(apps, None)
    other_team = Team.objects.create(name="Search", slug="search")
    payments = Service.objects.create(name="Payments API", slug="payments-api", team=team, tier=1)
    search = Service.objects.create(name="Search API", slug="search-api", team=other_team)
    dependency = Dependency.objects.create(service=payments, depends_on=search)
    started = timezone.now() - timedelta(days=2)
    deployment = Deployment.objects.create(service=search, version="v1.2.3", started_at=started - timedelta(hours=1))
    incident = Incident.objects.create(title="Card payments failing", team=team, started_at=started)
    incident.services.set([payments])
    event = TimelineEvent.objects.create(incident=incident, text="Error rate above 5%", occurred_at=started)
    suspect = SuspectDeployment.objects.create(incident=incident, deployment=deployment, score=0.7, reasons=["r"])
    review = Review.objects.create(incident=incident, owner=admin, summary="Pool limit removed.")
    cause = CausalFactor.objects.create(review=review, description="Config push", is_root_cause=True)
    effect = CausalFactor.objects.create(review=review, description="Checkout 500s", is_symptom=True)
    link = CausalLink.objects.create(review=review, cause=cause, effect=effect)
    action = ActionItem.objects.create(review=review, team=team, category="remedial", title="Sweep the configs")
    finding = RemedialFinding.objects.create(action=action, text="Same limit missing in refunds")
    IntakeSource.objects.create_with_token(name="alertmanager-prod", kind=IntakeKind.ALERTMANAGER, team=team)
    root_class = RootCauseClass.objects.order_by("slug").first()
    return {
        "team": team.slug,
        "payments": payments.slug,
        "incident": incident.reference,
        "root_class": root_class.slug,
        "ids": {
            "/api/dependencies/": dependency.pk,
            "/api/deployments/": deployment.pk,
            "/api/incidents/{reference}/timeline/": event.pk,
            "/api/incidents/{reference}/suspect-deployments/": suspect.pk,
            "/api/reviews/{review_reference}/factors/": cause.pk,
            "/api/reviews/{review_reference}/links/": link.pk,
            "/api/actions/": action.pk,
            "finding": finding.pk,
        },
    }


def known_path_parameters(path, catalog):
    """Path parameters naming the catalog's rows, so some examples reach a real record."""
    known = {
        "reference": catalog["incident"],
        "review_reference": catalog["incident"],
        "name": "alertmanager-prod",
        "slug": {
            "/api/services/": catalog["payments"],
            "/api/teams/": catalog["team"],
            "/api/root-cause-classes/": catalog["root_class"],
        }.get(path.split("{")[0]),
    }
    for prefix, pk in catalog["ids"].items():
        if path.startswith(prefix + "{id}"):
            known["id"] = pk
    return {name: value for name, value in known.items() if "{" + name + "}" in path and value is not None}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_it_answers_every_operation_within_its_schema_and_without_a_server_error(
    method, path, live_schema, catalog, admin
):
    operation = live_schema[path][method]
    headers = {"Authorization": f"Token {ApiToken.objects.create_with_token(user=admin)[1]}"}
    known = known_path_parameters(path, catalog)
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known),
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @FUZZ_SETTINGS
    @given(case=cases)
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()


def test_it_fuzzes_every_operation_the_live_schema_lists(live_schema):
    listed = sorted((op.method.upper(), op.path) for op in (r.ok() for r in live_schema.get_all_operations()))
    assert listed == OPERATIONS
