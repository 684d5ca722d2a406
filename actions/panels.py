"""The actions panel on a review's page: which root causes have which kinds of action, the review's
actions, and a form to add one. Registered in ActionsConfig.ready() (see core/panels.py); the
add-action view answers htmx with the same partial."""

from django.middleware.csrf import get_token

from accounts.permissions import can_write_anywhere
from actions.choices import CATEGORY_EXPLANATIONS, Category

# A root cause without one of these will come back: patching it is not enough.
LASTING_CATEGORIES = (Category.CORRECTIVE, Category.PREVENTIVE)

# How a coverage-table cell names the action it adds: "Add a corrective action for <root cause>".
ADD_PHRASES = {
    Category.IMMEDIATE_FIX: "an immediate fix",
    Category.CORRECTIVE: "a corrective action",
    Category.REMEDIAL: "a remedial action",
    Category.PREVENTIVE: "a preventive action",
}


def action_for_cause(review, query):
    """The category and root cause a coverage-table cell asks a new action for (`?category=…&factor=…`).

    Return (initial values for ActionItemForm, the root cause), or ({}, None) when the query names no
    category or no root cause of this review.
    """
    category, factor = query.get("category"), query.get("factor", "")
    if category not in Category.values or not factor.isdigit():
        return {}, None
    cause = review.factors.filter(pk=int(factor), is_root_cause=True).first()
    if cause is None:
        return {}, None
    return {"category": category, "factors": [cause.pk]}, cause


def coverage_context(request, review, *, form=None):
    """The context of the coverage partial: per root cause, the categories of action that address it."""
    from actions.forms import ActionItemForm

    actions = list(
        review.actions.select_related("owner", "team").prefetch_related("factors").order_by("category", "id")
    )
    by_factor = {}
    for action in actions:
        for factor in action.factors.all():
            by_factor.setdefault(factor.pk, set()).add(action.category)
    rows = []
    for factor in review.factors.filter(is_root_cause=True).order_by("id"):
        present = by_factor.get(factor.pk, set())
        rows.append(
            {
                "factor": factor,
                "categories": [(category, category in present, ADD_PHRASES[category]) for category in Category],
                "lacks_lasting_action": not any(category in present for category in LASTING_CATEGORIES),
            }
        )
    user = request.user
    if form is None and can_write_anywhere(user):
        form = ActionItemForm(review=review, user=user)
    return {
        "request": request,
        "csrf_token": get_token(request),
        "review": review,
        "rows": rows,
        "categories": [(category, CATEGORY_EXPLANATIONS[category]) for category in Category],
        "actions": actions,
        "uncovered": sum(1 for row in rows if row["lacks_lasting_action"]),
        "form": form,
    }
