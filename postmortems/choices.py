from core.choices import text_choices

ReviewStatus = text_choices("ReviewStatus", "draft in_review published", module=__name__)

FactorKind = text_choices(
    "FactorKind", "event condition contributing", labels={"contributing": "Contributing factor"}, module=__name__
)

FactorCategory = text_choices("FactorCategory", "technical procedural human organisational", module=__name__)
