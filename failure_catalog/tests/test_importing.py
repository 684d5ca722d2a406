"""Importers, on documents the real tools wrote: `chaos run` journals, a pytest --junitxml report, a ChaosResult."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from failure_catalog.choices import Outcome, Source
from failure_catalog.importing import Overrides, parse_document, record_imports
from failure_catalog.models import Experiment
from failure_catalog.tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("catalog_services")


def import_document(source, document, user=None, **overrides):
    return record_imports(source, parse_document(source, document, Overrides(**overrides)), by=user)


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("held", Outcome.HELD),
        ("deviated", Outcome.DEVIATED),
        ("errored", Outcome.ERRORED),
        ("aborted", Outcome.ABORTED),
    ],
)
def test_it_reads_the_outcome_of_a_real_chaos_run_journal(fixture_text, name, outcome):
    [(experiment, created)] = import_document(Source.CHAOSTOOLKIT, fixture_text(f"chaostoolkit/{name}-journal.json"))
    assert (experiment.outcome, created) == (outcome, True)


def test_it_takes_service_and_fault_type_from_the_journal_tags(fixture_text):
    [(experiment, _)] = import_document(Source.CHAOSTOOLKIT, fixture_text("chaostoolkit/held-journal.json"))
    assert (experiment.service.slug, experiment.fault_type.slug) == ("checkout", "dependency-latency")


def test_it_keeps_the_journal_and_its_hypothesis_and_method(fixture_text):
    text = fixture_text("chaostoolkit/deviated-journal.json")
    [(experiment, _)] = import_document(Source.CHAOSTOOLKIT, text)
    assert (experiment.raw_document, "search-has-no-cache-miss-storm" in experiment.hypothesis) == (text, True)
    assert "flush-search-cache" in experiment.method


def test_it_lets_request_fields_win_over_tags(fixture_text):
    [(experiment, _)] = import_document(
        Source.CHAOSTOOLKIT, fixture_text("chaostoolkit/held-journal.json"), service="orders", fault_type="dns-failure"
    )
    assert (experiment.service.slug, experiment.fault_type.slug) == ("orders", "dns-failure")


def test_it_imports_the_same_journal_once(fixture_text):
    text = fixture_text("chaostoolkit/held-journal.json")
    import_document(Source.CHAOSTOOLKIT, text)
    [(_, created)] = import_document(Source.CHAOSTOOLKIT, json.dumps(json.loads(text)))
    assert (created, Experiment.objects.count()) == (False, 1)


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ("not json at all", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"title": "x"}', "it has no experiment"),
        ("chaostoolkit/held-experiment.json", "not the journal"),
    ],
)
def test_it_refuses_what_is_not_a_journal_and_says_why(fixture_text, document, says):
    if document.endswith(".json"):
        document = fixture_text(document)
    with pytest.raises(ValidationError) as refused:
        import_document(Source.CHAOSTOOLKIT, document)
    assert says in str(refused.value.message_dict["document"])
    assert not Experiment.objects.exists()


def test_it_names_an_unknown_service(fixture_text):
    with pytest.raises(ValidationError) as refused:
        import_document(Source.CHAOSTOOLKIT, fixture_text("chaostoolkit/held-journal.json"), service="nowhere")
    assert "nowhere" in refused.value.message_dict["service"][0]


def test_it_names_an_unknown_fault_type(fixture_text):
    with pytest.raises(ValidationError) as refused:
        import_document(Source.CHAOSTOOLKIT, fixture_text("chaostoolkit/held-journal.json"), fault_type="gremlins")
    assert "gremlins" in refused.value.message_dict["fault_type"][0]


@pytest.mark.parametrize(("name", "outcome"), [("pass", Outcome.HELD), ("fail", Outcome.DEVIATED)])
def test_it_reads_the_verdict_of_a_chaos_result(fixture_text, name, outcome):
    [(experiment, _)] = import_document(Source.LITMUS, fixture_text(f"litmus/chaosresult-{name}.yaml"))
    assert (experiment.outcome, experiment.service.slug, experiment.fault_type.slug) == (
        outcome,
        "checkout",
        "instance-loss",
    )


def test_it_reads_a_chaos_result_as_json(fixture_text):
    import yaml

    document = json.dumps(yaml.safe_load(fixture_text("litmus/chaosresult-pass.yaml")))
    [(experiment, _)] = import_document(Source.LITMUS, document)
    assert "Probe success: 100%" in experiment.observations


def test_it_refuses_a_chaos_result_still_running(fixture_text):
    document = fixture_text("litmus/chaosresult-pass.yaml").replace("verdict: Pass", "verdict: Awaited")
    with pytest.raises(ValidationError) as refused:
        import_document(Source.LITMUS, document)
    assert "still running" in refused.value.message_dict["document"][0]


def test_it_refuses_another_kubernetes_resource():
    with pytest.raises(ValidationError) as refused:
        import_document(Source.LITMUS, "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n")
    assert "not a ChaosResult" in refused.value.message_dict["document"][0]


def test_it_maps_junit_cases_by_property_and_by_marker(fixture_text):
    results = import_document(Source.JUNIT, fixture_text("junit/pytest-junit.xml"), version="2.4.0")
    outcomes = {(e.service.slug, e.fault_type.slug, e.version): e.outcome for e, _ in results}
    assert outcomes == {
        ("checkout", "dependency-latency", "2.4.0"): Outcome.HELD,
        ("checkout", "dependency-errors", "2.4.0"): Outcome.HELD,
        ("search-api", "cache-loss", "2.4.0"): Outcome.DEVIATED,
        ("ledger", "clock-skew", "2.4.0"): Outcome.DEVIATED,
    }


def test_it_imports_the_same_junit_report_once(fixture_text):
    import_document(Source.JUNIT, fixture_text("junit/pytest-junit.xml"))
    import_document(Source.JUNIT, fixture_text("junit/pytest-junit.xml"))
    assert Experiment.objects.count() == 4


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ("<html><body>hi</body></html>", "root element is <html>"),
        ("<testsuite><testcase name='x'", "not well-formed"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><testsuite/>', "declares entities"),
        ("<testsuite name='s'><testcase name='plain'/></testsuite>", "names a fault type"),
    ],
)
def test_it_refuses_what_is_not_useful_junit_and_says_why(document, says):
    with pytest.raises(ValidationError) as refused:
        import_document(Source.JUNIT, document)
    assert says in refused.value.message_dict["document"][0]


def test_it_writes_nothing_when_one_junit_case_names_an_unknown_service(fixture_text):
    document = fixture_text("junit/pytest-junit.xml").replace('value="ledger"', 'value="no-such-service"')
    with pytest.raises(ValidationError):
        import_document(Source.JUNIT, document)
    assert not Experiment.objects.exists()


@pytest.mark.skipif(not shutil.which("chaos", path=str(Path(sys.executable).parent)), reason="chaostoolkit missing")
def test_a_journal_the_real_chaos_toolkit_writes_now_imports_as_deviated(tmp_path):
    chaos = str(Path(sys.executable).parent / "chaos")
    journal = tmp_path / "journal.json"
    subprocess.run(
        [chaos, "--no-version-check", "--log-file", str(tmp_path / "chaos.log"), "run", "--journal-path",
         str(journal), str(FIXTURES / "chaostoolkit/deviated-experiment.json")],
        cwd=tmp_path, capture_output=True, timeout=120,
    )  # fmt: skip
    [(experiment, _)] = import_document(Source.CHAOSTOOLKIT, journal.read_text())
    assert experiment.outcome == Outcome.DEVIATED
