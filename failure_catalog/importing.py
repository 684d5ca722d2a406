"""Import experiments from the tools people already run: Chaos Toolkit journals, LitmusChaos ChaosResults and
failure-aware test suites as JUnit XML.

Each importer parses a whole document into unsaved experiments first and refuses (ValidationError, nothing
written) a document that is not what it claims; `record_imports` then saves them. The same document twice
gives the same experiments: each carries a digest of its document as its external id.
"""

import hashlib
import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from failure_catalog.choices import Environment, Outcome, Source
from failure_catalog.models import Experiment, FaultType
from services.models import Service

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

FAULT_MARKER = re.compile(r"\[fault:([a-z0-9_-]+)\]", re.IGNORECASE)
SERVICE_TAG = "service:"
FAULT_TAG = "fault:"

# LitmusChaos experiments that inject one of our fault types, for ChaosResults that do not label theirs.
LITMUS_EXPERIMENTS = {
    "pod-delete": "instance-loss",
    "container-kill": "instance-loss",
    "node-drain": "instance-loss",
    "pod-network-latency": "dependency-latency",
    "pod-network-loss": "packet-loss",
    "pod-network-partition": "network-partition",
    "pod-network-corruption": "packet-loss",
    "pod-dns-error": "dns-failure",
    "pod-dns-spoof": "dns-failure",
    "pod-cpu-hog": "cpu-saturation",
    "node-cpu-hog": "cpu-saturation",
    "pod-memory-hog": "memory-pressure",
    "node-memory-hog": "memory-pressure",
    "disk-fill": "disk-full",
    "pod-io-stress": "disk-io-degradation",
    "node-io-stress": "disk-io-degradation",
    "time-chaos": "clock-skew",
}
LITMUS_SERVICE_LABEL = "hindsight.io/service"
LITMUS_FAULT_LABEL = "hindsight.io/fault-type"
LITMUS_VERSION_LABEL = "app.kubernetes.io/version"
LITMUS_VERDICTS = {"pass": Outcome.HELD, "fail": Outcome.DEVIATED, "stopped": Outcome.ABORTED}


@dataclass
class Overrides:
    """What the request says about the document: these win over what the document's tags or labels say."""

    service: str = ""
    fault_type: str = ""
    version: str = ""
    environment: str = ""


@dataclass
class ImportedExperiment:
    """An experiment read from a document, before its service and fault type are looked up."""

    service: str
    fault_type: str
    fields: dict
    external_id: str
    raw: str
    lookups: dict = field(default_factory=dict)


def refuse(message):
    raise ValidationError({"document": message})


def digest(parsed):
    """A digest of the document's content, the same whatever its formatting or key order."""
    canonical = json.dumps(parsed, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def as_text(document):
    if not isinstance(document, (bytes, str)):
        return json.dumps(document, indent=2, default=str)
    if len(document) > MAX_DOCUMENT_BYTES:
        refuse(f"The document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB.")
    if isinstance(document, str):
        return document
    try:
        return document.decode("utf-8")
    except UnicodeDecodeError:
        refuse("The document is not UTF-8 text.")


def read_document(document, load, error, *, unreadable):
    """(text, object) of a posted document: the object as posted when the request body was JSON already, else
    what `load` reads from its text; a text `load` cannot read (raising `error`) is refused with `unreadable`."""
    raw = as_text(document)
    if isinstance(document, (dict, list)):
        return raw, document
    try:
        return raw, load(raw)
    except error:
        refuse(unreadable)


def when(value, what):
    """Parse an ISO 8601 time from a document, refusing one that is not."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(str(value).replace("Z", "+00:00"))
        except ValueError:
            parsed = None
    if parsed is None:
        refuse(f"{what} is not a date and time: {str(value)[:60]!r}.")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, timezone.utc)


def environment_of(value):
    value = (value or Environment.STAGING).strip().lower()
    if value not in Environment.values:
        raise ValidationError(
            {"environment": f"Unknown environment {value!r}: use one of {', '.join(Environment.values)}."}
        )
    return value


# --- Chaos Toolkit ------------------------------------------------------------------------


def chaostoolkit_outcome(journal):
    """Return the outcome of a `chaos run` journal.

    Aborted or interrupted → aborted; the steady state not met before the method (nothing was injected) →
    errored; deviated → deviated; the steady state met after the method → held; anything else (a failed run,
    no hypothesis to check) → errored.
    """
    status = str(journal.get("status", "")).lower()
    states = journal.get("steady_states") or {}
    before = states.get("before") or {}
    after = states.get("after") or {}
    if status in ("aborted", "interrupted"):
        return Outcome.ABORTED
    if before and before.get("steady_state_met") is False:
        return Outcome.ERRORED
    if journal.get("deviated") is True:
        return Outcome.DEVIATED
    if after.get("steady_state_met") is True and status == "completed":
        return Outcome.HELD
    return Outcome.ERRORED


def _activities(activities):
    lines = []
    for activity in activities or []:
        if isinstance(activity, dict):
            provider = activity.get("provider") or {}
            kind = provider.get("type", "") if isinstance(provider, dict) else ""
            lines.append(
                f"- {activity.get('type', 'activity')} `{activity.get('name', '?')}`" + (f" ({kind})" if kind else "")
            )
    return "\n".join(lines)


def parse_chaostoolkit(document, overrides):
    """Read a Chaos Toolkit journal (`journal.json` written by `chaos run`) into one experiment."""
    raw, journal = read_document(
        document, json.loads, ValueError, unreadable="This is not a Chaos Toolkit journal: it is not JSON."
    )
    if not isinstance(journal, dict):
        refuse("This is not a Chaos Toolkit journal: it is not a JSON object.")
    if "steady-state-hypothesis" in journal and "experiment" not in journal:
        refuse("This is a Chaos Toolkit experiment, not the journal `chaos run` writes: import the journal.")
    missing = [key for key in ("experiment", "status", "steady_states", "start") if key not in journal]
    if missing:
        refuse(f"This is not a Chaos Toolkit journal: it has no {', '.join(missing)}.")
    experiment = journal["experiment"]
    if not isinstance(experiment, dict) or not str(experiment.get("title", "")).strip():
        refuse("This is not a Chaos Toolkit journal: its experiment has no title.")
    if not isinstance(journal["steady_states"], dict):
        refuse("This is not a Chaos Toolkit journal: steady_states is not an object.")
    tags = [str(tag) for tag in experiment.get("tags") or [] if isinstance(tag, (str, int))]
    tagged = {
        prefix: tag[len(prefix) :] for tag in tags for prefix in (SERVICE_TAG, FAULT_TAG) if tag.startswith(prefix)
    }
    started = when(journal.get("start"), "The journal's start")
    ended = when(journal.get("end"), "The journal's end")
    if started is None:
        refuse("The journal has no start time.")
    hypothesis = experiment.get("steady-state-hypothesis") or {}
    probes = hypothesis.get("probes") if isinstance(hypothesis, dict) else None
    hypothesis_text = str(hypothesis.get("title", "")) if isinstance(hypothesis, dict) else ""
    if probes:
        hypothesis_text += "\n\n" + _activities(probes)
    states = journal["steady_states"]
    observations = [
        f"Chaos Toolkit status: **{journal.get('status')}**, deviated: **{bool(journal.get('deviated'))}**.",
        *(
            f"Steady state {moment}: {'met' if (states.get(moment) or {}).get('steady_state_met') else 'not met'}."
            for moment in ("before", "after")
            if isinstance(states.get(moment), dict)
        ),
    ]
    if journal.get("duration") is not None:
        observations.append(
            f"Duration: {journal.get('duration'):.1f} s." if isinstance(journal["duration"], (int, float)) else ""
        )
    if str(experiment.get("description", "")).strip():
        observations.insert(0, str(experiment["description"]).strip())
    fields = {
        "title": str(experiment["title"]).strip()[:200],
        "hypothesis": hypothesis_text.strip(),
        "method": _activities(experiment.get("method")),
        "started_at": started,
        "ended_at": ended if ended and ended >= started else None,
        "outcome": chaostoolkit_outcome(journal),
        "observations": "\n\n".join(line for line in observations if line),
        "version": overrides.version
        or next((tag[len("version:") :] for tag in tags if tag.startswith("version:")), ""),
        "environment": environment_of(overrides.environment),
    }
    return [
        ImportedExperiment(
            service=overrides.service or tagged.get(SERVICE_TAG, ""),
            fault_type=overrides.fault_type or tagged.get(FAULT_TAG, ""),
            fields=fields,
            external_id=digest(journal),
            raw=raw,
        )
    ]


# --- LitmusChaos ------------------------------------------------------------------------------


def parse_litmus(document, overrides):
    """Read LitmusChaos ChaosResult resources (YAML or JSON, one or a `kind: List`) into experiments."""
    raw, parsed = read_document(
        document, yaml.safe_load, yaml.YAMLError, unreadable="This is not a ChaosResult: it is neither YAML nor JSON."
    )
    if not isinstance(parsed, dict):
        refuse("This is not a ChaosResult: it is not a YAML or JSON object.")
    items = parsed.get("items") if parsed.get("kind") == "List" else [parsed]
    if not isinstance(items, list) or not items:
        refuse("This list holds no ChaosResult.")
    imported = []
    for index, item in enumerate(items, start=1):
        where = f"Item {index}" if len(items) > 1 else "The document"
        if not isinstance(item, dict) or item.get("kind") != "ChaosResult":
            refuse(f"{where} is not a ChaosResult (kind: {item.get('kind') if isinstance(item, dict) else None!r}).")
        metadata, spec, status = (item.get(key) or {} for key in ("metadata", "spec", "status"))
        if not all(isinstance(part, dict) for part in (metadata, spec, status)):
            refuse(f"{where} has a metadata, spec or status that is not an object.")
        experiment_status = status.get("experimentStatus") or status.get("experimentstatus") or {}
        if not isinstance(experiment_status, dict):
            refuse(f"{where} has an experimentStatus that is not an object.")
        verdict = str(experiment_status.get("verdict", "")).strip()
        if verdict.lower() == "awaited":
            refuse(f"{where} is still running (verdict Awaited): import it once its verdict is in.")
        if verdict.lower() not in LITMUS_VERDICTS:
            refuse(f"{where} has no verdict Pass, Fail or Stopped (it says {verdict or 'nothing'!r}).")
        engine, experiment = str(spec.get("engine", "")), str(spec.get("experiment", ""))
        if not experiment:
            refuse(f"{where} names no experiment in spec.experiment.")
        labels = {**(metadata.get("labels") or {}), **(metadata.get("annotations") or {})}
        probe = experiment_status.get("probeSuccessPercentage", experiment_status.get("probesuccesspercentage"))
        observations = [f"LitmusChaos verdict: **{verdict}**."]
        if probe not in (None, ""):
            observations.append(f"Probe success: {probe}%.")
        if experiment_status.get("failStep") not in (None, "", "N/A"):
            observations.append(f"Failed step: {experiment_status['failStep']}")
        started = when(metadata.get("creationTimestamp"), f"{where}'s creationTimestamp") or timezone.now()
        imported.append(
            ImportedExperiment(
                service=overrides.service or str(labels.get(LITMUS_SERVICE_LABEL, "")),
                fault_type=overrides.fault_type
                or str(labels.get(LITMUS_FAULT_LABEL, "") or LITMUS_EXPERIMENTS.get(experiment, "")),
                fields={
                    "title": f"{experiment} ({engine})" if engine else experiment,
                    "hypothesis": "The experiment's probes pass while the fault is injected.",
                    "method": f"LitmusChaos experiment `{experiment}` run by chaos engine `{engine or '?'}`.",
                    "started_at": started,
                    "ended_at": None,
                    "outcome": LITMUS_VERDICTS[verdict.lower()],
                    "observations": "\n\n".join(observations),
                    "version": overrides.version or str(labels.get(LITMUS_VERSION_LABEL, "")),
                    "environment": environment_of(overrides.environment),
                },
                external_id=digest({"uid": metadata.get("uid"), "name": metadata.get("name"), "status": status}),
                raw=raw,
            )
        )
    return imported


# --- JUnit XML --------------------------------------------------------------------------------


def _properties(element):
    found = {}
    for properties in element.findall("properties"):
        for prop in properties.findall("property"):
            found[prop.get("name", "")] = prop.get("value", prop.text or "")
    return found


def parse_junit(document, overrides):
    """Read a JUnit XML report: each test case naming a service and fault type is one experiment.

    A case is mapped by its properties (`service`, `fault_type`, optionally `version`) or by a `[fault:<slug>]`
    marker in its name; request fields win. Pass → held, failure or error → deviated, skipped cases are ignored.
    """
    raw = as_text(document)
    if "<!DOCTYPE" in raw or "<!ENTITY" in raw:
        refuse("JUnit XML has no document type declaration; this one declares entities, which are not read.")
    try:
        root = ElementTree.fromstring(raw)  # noqa: S314 - documents declaring entities are refused above
    except ElementTree.ParseError as error:
        refuse(f"This is not JUnit XML: it is not well-formed XML ({error}).")
    if root.tag not in ("testsuites", "testsuite"):
        refuse(f"This is not JUnit XML: its root element is <{root.tag}>, not <testsuites> or <testsuite>.")
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    imported = []
    for suite in suites:
        suite_started = when(suite.get("timestamp"), "A test suite's timestamp") or timezone.now()
        suite_properties = _properties(suite)
        for case in suite.iter("testcase"):
            properties = {**suite_properties, **_properties(case)}
            name = case.get("name", "")
            marker = FAULT_MARKER.search(name)
            fault_type = (
                overrides.fault_type or properties.get("fault_type") or (marker.group(1).lower() if marker else "")
            )
            service = overrides.service or properties.get("service", "")
            if not fault_type or case.find("skipped") is not None:
                continue
            failed = case.find("failure") if case.find("failure") is not None else case.find("error")
            try:
                seconds = max(float(case.get("time") or 0), 0.0)
            except ValueError:
                seconds = 0.0
            seconds = min(seconds, 86400.0 * 365)
            classname = case.get("classname", "")
            observations = [
                f"JUnit test case `{classname}.{name}`: **{'failed' if failed is not None else 'passed'}**."
            ]
            if failed is not None and failed.get("message"):
                observations.append(failed.get("message")[:2000])
            imported.append(
                ImportedExperiment(
                    service=service,
                    fault_type=fault_type,
                    fields={
                        "title": FAULT_MARKER.sub("", name).strip(" []_-")[:200] or name[:200],
                        "hypothesis": f"Test `{name}` passes.",
                        "method": f"Automated test `{classname}.{name}` (JUnit XML, suite {suite.get('name', '?')}).",
                        "started_at": suite_started,
                        "ended_at": suite_started + timedelta(seconds=seconds),
                        "outcome": Outcome.DEVIATED if failed is not None else Outcome.HELD,
                        "observations": "\n\n".join(observations),
                        "version": overrides.version or properties.get("version", ""),
                        "environment": environment_of(overrides.environment),
                    },
                    external_id=digest(
                        {
                            "suite": suite.get("name"),
                            "at": suite.get("timestamp"),
                            "case": f"{classname}::{name}",
                            "hostname": suite.get("hostname"),
                        }
                    ),
                    raw=raw,
                )
            )
    if not imported:
        refuse("No test case in this report names a fault type (a `fault_type` property or a [fault:<slug>] marker).")
    return imported


PARSERS = {Source.CHAOSTOOLKIT: parse_chaostoolkit, Source.LITMUS: parse_litmus, Source.JUNIT: parse_junit}


def parse_document(source, document, overrides):
    """Parse a document of `source` and look up each experiment's service and fault type; refuse unknown ones."""
    imported = PARSERS[Source(source)](document, overrides)
    service_slugs = {item.service for item in imported}
    fault_slugs = {item.fault_type for item in imported}
    if "" in service_slugs:
        raise ValidationError({"service": "Name the service: a request field `service`, or the document's tags."})
    if "" in fault_slugs:
        raise ValidationError(
            {"fault_type": "Name the fault type: a request field `fault_type`, or the document's tags."}
        )
    services = {
        service.slug: service for service in Service.objects.filter(slug__in=service_slugs).select_related("team")
    }
    fault_types = {fault.slug: fault for fault in FaultType.objects.filter(slug__in=fault_slugs)}
    unknown_services = sorted(service_slugs - services.keys())
    unknown_faults = sorted(fault_slugs - fault_types.keys())
    errors = {}
    if unknown_services:
        errors["service"] = f"No service with slug {', '.join(unknown_services)}."
    if unknown_faults:
        errors["fault_type"] = f"No fault type with slug {', '.join(unknown_faults)}."
    if errors:
        raise ValidationError(errors)
    for item in imported:
        item.lookups = {"service": services[item.service], "fault_type": fault_types[item.fault_type]}
    return imported


@transaction.atomic
def record_imports(source, imported, *, by):
    """Save parsed experiments; one already imported (same source and document digest) is returned as it is.

    Returns [(experiment, created)]. Every experiment is validated before any is saved.
    """
    results = []
    existing = {
        experiment.external_id: experiment
        for experiment in Experiment.objects.filter(
            source=source, external_id__in=[item.external_id for item in imported]
        )
    }
    pending = []
    for item in imported:
        if item.external_id in existing:
            results.append((existing[item.external_id], False))
            continue
        experiment = Experiment(
            **item.fields,
            **item.lookups,
            source=source,
            external_id=item.external_id,
            raw_document=item.raw,
            recorded_by=by,
        )
        experiment.full_clean(validate_constraints=False)
        pending.append(experiment)
        existing[item.external_id] = experiment
        results.append((experiment, True))
    for experiment in pending:
        try:
            with transaction.atomic():
                experiment.save()
        except IntegrityError:
            # Another request imported the same document a moment ago: answer with its row.
            saved = Experiment.objects.get(source=source, external_id=experiment.external_id)
            results = [(saved, False) if row is experiment else (row, created) for row, created in results]
    return results
