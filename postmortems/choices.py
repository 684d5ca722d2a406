from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class FactorKind(models.TextChoices):
    EVENT = "event", "Event"
    CONDITION = "condition", "Condition"
    CONTRIBUTING = "contributing", "Contributing factor"


class FactorCategory(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    PROCEDURAL = "procedural", "Procedural"
    HUMAN = "human", "Human"
    ORGANISATIONAL = "organisational", "Organisational"
