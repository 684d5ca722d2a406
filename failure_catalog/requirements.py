"""Where resilience requirements come from: tier policies, reviews' root-cause factors, failure-mode rows."""

from django.db import transaction

from failure_catalog.choices import RequirementOrigin
from failure_catalog.models import ResilienceRequirement, TierPolicy
from services.models import Service


@transaction.atomic
def sync_tier_requirements(*, services=None):
    """Make each service's tier-policy requirements exactly its tier's required fault types.

    Requirements a policy no longer asks for are deleted, missing ones created; people's, reviews' and
    failure-mode rows' requirements are never touched. `services` defaults to all of them.
    """
    policies = {policy.tier: policy for policy in TierPolicy.objects.prefetch_related("required_fault_types")}
    services = list(services) if services is not None else list(Service.objects.all())
    existing = {}
    for requirement in ResilienceRequirement.objects.filter(
        origin=RequirementOrigin.TIER_POLICY, service__in=[service.pk for service in services]
    ):
        existing[(requirement.service_id, requirement.fault_type_id)] = requirement
    wanted = {}
    for service in services:
        policy = policies.get(service.tier)
        for fault_type in policy.required_fault_types.all() if policy else ():
            wanted[(service.pk, fault_type.pk)] = (policy, fault_type)
    stale = [requirement.pk for key, requirement in existing.items() if key not in wanted]
    ResilienceRequirement.objects.filter(pk__in=stale).delete()
    to_update = []
    for key, (policy, _) in wanted.items():
        requirement = existing.get(key)
        if requirement is None:
            continue
        if (requirement.max_evidence_age_days, requirement.evidence_on_version) != (
            policy.max_evidence_age_days,
            policy.evidence_on_version,
        ):
            requirement.max_evidence_age_days = policy.max_evidence_age_days
            requirement.evidence_on_version = policy.evidence_on_version
            to_update.append(requirement)
    ResilienceRequirement.objects.bulk_update(to_update, ["max_evidence_age_days", "evidence_on_version"])
    ResilienceRequirement.objects.bulk_create(
        [
            ResilienceRequirement(
                service_id=service_id,
                fault_type=fault_type,
                origin=RequirementOrigin.TIER_POLICY,
                expected_behaviour=f"Every tier-{policy.tier} service is verified under {fault_type.name.lower()}.",
                max_evidence_age_days=policy.max_evidence_age_days,
                evidence_on_version=policy.evidence_on_version,
            )
            for (service_id, _), (policy, fault_type) in wanted.items()
            if (service_id, fault_type.pk) not in existing
        ]
    )


@transaction.atomic
def require_from_review(
    *, review, factor, services, fault_type, expected_behaviour, max_evidence_age_days, evidence_on_version, by
):
    """Turn a review's root-cause factor into a requirement for each chosen service, linked back to the review.

    A service that already has this review's requirement for the fault type keeps it (updated); returns them all.
    """
    requirements = []
    for service in services:
        requirement = ResilienceRequirement.objects.filter(
            service=service, fault_type=fault_type, review=review
        ).first() or ResilienceRequirement(service=service, fault_type=fault_type, review=review, created_by=by)
        requirement.origin = RequirementOrigin.REVIEW
        requirement.factor = factor
        requirement.expected_behaviour = expected_behaviour
        requirement.max_evidence_age_days = max_evidence_age_days
        requirement.evidence_on_version = evidence_on_version
        requirement.full_clean()
        requirement.save()
        requirements.append(requirement)
    return requirements


@transaction.atomic
def require_from_failure_mode(row, *, by):
    """Make a failure-mode row a requirement of its service (once: a second click returns the same one)."""
    existing = row.requirements.first()
    if existing is not None:
        return existing
    behaviour = row.mitigation.strip() or "Degrade gracefully"
    requirement = ResilienceRequirement(
        service=row.analysis.service,
        fault_type=row.fault_type,
        origin=RequirementOrigin.FAILURE_MODE,
        failure_mode_row=row,
        expected_behaviour=f"{row.failure_mode}: {behaviour}",
        created_by=by,
    )
    requirement.full_clean()
    requirement.save()
    return requirement
