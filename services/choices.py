from django.db import models


class Tier(models.IntegerChoices):
    TIER_1 = 1, "Tier 1 — critical"
    TIER_2 = 2, "Tier 2 — important"
    TIER_3 = 3, "Tier 3 — supporting"


class DependencyKind(models.TextChoices):
    SYNC = "sync", "Synchronous call"
    ASYNC = "async", "Asynchronous (queue / events)"
    DATASTORE = "datastore", "Datastore"
    CACHE = "cache", "Cache"
    EXTERNAL = "external", "External provider"


class DeploymentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    ROLLED_BACK = "rolled_back", "Rolled back"


class DeploymentStrategy(models.TextChoices):
    GLOBAL = "global", "Global"
    CANARY = "canary", "Canary"
