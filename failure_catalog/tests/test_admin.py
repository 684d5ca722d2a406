"""Tier policies are edited in the admin; saving one brings its tier's services in line."""

from failure_catalog.models import FaultType, ResilienceRequirement, TierPolicy


def test_saving_a_tier_policy_in_the_admin_requires_its_fault_types_of_the_tier(client, admin, service):
    policy = TierPolicy.objects.get(tier=3)
    client.force_login(admin)
    response = client.post(
        f"/admin/failure_catalog/tierpolicy/{policy.pk}/change/",
        {
            "tier": 3,
            "required_fault_types": [FaultType.objects.get(slug="clock-skew").pk],
            "max_evidence_age_days": 30,
            "no_fresh_evidence": "block",
            "failing_experiment": "warn",
            "version_evidence_missing": "warn",
            "actions_overdue": "warn",
            "suspect_incident": "warn",
            "incident_history": "warn",
            "history_window_days": 90,
        },
    )
    slugs = set(
        ResilienceRequirement.objects.filter(service=service, origin="tier_policy").values_list(
            "fault_type__slug", flat=True
        )
    )
    assert (response.status_code, slugs, TierPolicy.objects.get(tier=3).no_fresh_evidence) == (
        302,
        {"clock-skew"},
        "block",
    )


def test_the_admin_lists_every_catalog_model(client, admin):
    client.force_login(admin)
    for name in (
        "faulttype",
        "tierpolicy",
        "experiment",
        "resiliencerequirement",
        "failuremodeanalysis",
        "gatedecision",
    ):
        assert client.get(f"/admin/failure_catalog/{name}/").status_code == 200
