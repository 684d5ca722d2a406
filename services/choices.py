from django.db import models

from core.choices import text_choices


class Tier(models.IntegerChoices):
    TIER_1 = 1, "Tier 1 — critical"
    TIER_2 = 2, "Tier 2 — important"
    TIER_3 = 3, "Tier 3 — supporting"


DependencyKind = text_choices(
    "DependencyKind",
    "sync async datastore cache external",
    labels={"sync": "Synchronous call", "async": "Asynchronous (queue / events)", "external": "External provider"},
    module=__name__,
)

DeploymentStatus = text_choices("DeploymentStatus", "in_progress succeeded failed rolled_back", module=__name__)

DeploymentStrategy = text_choices("DeploymentStrategy", "global canary", module=__name__)
