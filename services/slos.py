"""SLO workflows: importing OpenSLO definitions and recording SLI reports, both safe to repeat."""

import re
from decimal import Decimal, InvalidOperation

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from services.models import SLO, Service, SLIReport

DURATION = re.compile(r"^(\d{1,4})([dw])$")


def _window_days(spec, where):
    windows = spec.get("timeWindow")
    if not isinstance(windows, list) or len(windows) != 1 or not isinstance(windows[0], dict):
        raise ValidationError(f"{where}: spec.timeWindow must be a list of exactly one window.")
    window = windows[0]
    if window.get("isRolling") is not True:
        raise ValidationError(f"{where}: only rolling windows are supported (spec.timeWindow[0].isRolling: true).")
    match = DURATION.match(str(window.get("duration", "")))
    if not match:
        raise ValidationError(f"{where}: spec.timeWindow[0].duration must be days or weeks, like 28d or 4w.")
    return int(match[1]) * (7 if match[2] == "w" else 1)


def _objective(spec, where):
    objectives = spec.get("objectives")
    if not isinstance(objectives, list) or len(objectives) != 1 or not isinstance(objectives[0], dict):
        raise ValidationError(f"{where}: spec.objectives must be a list of exactly one objective.")
    objective = objectives[0]
    try:
        if "targetPercent" in objective:
            return Decimal(str(objective["targetPercent"])).normalize()
        return (Decimal(str(objective["target"])) * 100).normalize()
    except (KeyError, InvalidOperation):
        raise ValidationError(f"{where}: spec.objectives[0] needs a numeric target (0–1) or targetPercent.") from None


def parse_openslo(text):
    """Read OpenSLO v1 YAML (one or more documents) as [{service, name, user_journey, …}] for `kind: SLO`.

    Documents of other kinds are skipped. Raises ValidationError naming the document and field at fault.
    """
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except yaml.YAMLError as exc:
        raise ValidationError(f"Not valid YAML: {exc}") from None
    definitions = []
    for index, doc in enumerate(documents, start=1):
        where = f"Document {index}"
        if not isinstance(doc, dict):
            raise ValidationError(f"{where}: expected a mapping with apiVersion, kind, metadata and spec.")
        if doc.get("kind") != "SLO":
            continue
        if doc.get("apiVersion") != "openslo/v1":
            raise ValidationError(f"{where}: apiVersion must be openslo/v1, not {doc.get('apiVersion')!r}.")
        metadata, spec = doc.get("metadata"), doc.get("spec")
        if not isinstance(metadata, dict) or not metadata.get("name"):
            raise ValidationError(f"{where}: metadata.name is required.")
        if not isinstance(spec, dict) or not spec.get("service"):
            raise ValidationError(f"{where}: spec.service is required (a service slug in the catalog).")
        where = f"{where} ({metadata['name']})"
        definitions.append(
            {
                "service": str(spec["service"]),
                "name": str(metadata["name"]),
                "user_journey": str(metadata.get("displayName") or spec.get("description") or metadata["name"])[:200],
                "description": str(spec.get("description") or ""),
                "objective_percent": _objective(spec, where),
                "window_days": _window_days(spec, where),
                "where": where,
            }
        )
    if not definitions:
        raise ValidationError("No document of kind SLO was found.")
    return definitions


@transaction.atomic
def import_openslo(text, *, may_write=lambda service: True):
    """Create or update the SLOs an OpenSLO file defines; return them. All or nothing.

    may_write(service) says whether the importer may change that service's SLOs (False: refused).
    """
    slos = []
    for definition in parse_openslo(text):
        where = definition.pop("where")
        service = Service.objects.filter(slug=definition.pop("service")).select_related("team").first()
        if service is None:
            raise ValidationError(f"{where}: spec.service names no service in the catalog.")
        if not may_write(service):
            raise PermissionError(f"{where}: you may not change the SLOs of {service.slug}.")
        slo = SLO.objects.filter(service=service, name=definition["name"]).first() or SLO(service=service)
        if slo.pk and all(getattr(slo, field) == value for field, value in definition.items()):
            slos.append(slo)  # unchanged: importing the same file again writes nothing
            continue
        for field, value in definition.items():
            setattr(slo, field, value)
        try:
            slo.full_clean()
        except ValidationError as exc:
            raise ValidationError(
                f"{where}: {'; '.join(f'{k}: {v[0]}' for k, v in exc.message_dict.items())}"
            ) from None
        slo.save()
        slos.append(slo)
    return slos


def record_sli_report(*, slo, period_start, period_end, good, total):
    """Record good/total for one period of an SLO; the same period again updates that row.

    Return (report, created).
    """
    report = SLIReport(slo=slo, period_start=period_start, period_end=period_end, good=good, total=total)
    report.full_clean(validate_unique=False, validate_constraints=False)
    key = {"slo": slo, "period_start": period_start, "period_end": period_end}
    existing = SLIReport.objects.filter(**key).first()
    if existing is None:
        try:
            with transaction.atomic():
                report.save()
            return report, True
        except IntegrityError:
            # A concurrent post of the same period won the race: ours is the repeat.
            existing = SLIReport.objects.get(**key)
    if (existing.good, existing.total) != (good, total):
        existing.good, existing.total = good, total
        existing.save(update_fields=["good", "total", "updated_at"])
    return existing, False
