"""A review as clean Markdown (with its chart as a ```mermaid block) and as JSON: the same data both ways.

User text goes out as the Markdown people wrote, except that `<` is written
as `&lt;`: no tag typed into a review (a `<script>`, an `<img onerror=…>`)
comes out of an export as markup, whatever renders it next; and a link or image to a `javascript:`,
`vbscript:`, `data:` or `file:` URL loses its target.
"""

from core.exports import without_unsafe_links
from postmortems.charts import chart_warnings, mermaid_chart


def inert(text):
    """User Markdown with every `<` made an entity, so no HTML tag survives, and no link or image to a script or
    data URL (core.exports)."""
    return without_unsafe_links(str(text or "").replace("<", "&lt;"))


def _cell(text):
    return " ".join(inert(text).replace("|", "\\|").split())


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def review_actions(review):
    """The review's action items, if the actions app provides them (else an empty list)."""
    actions = getattr(review, "actions", None)
    if actions is None:
        return []
    return list(actions.select_related("owner").order_by("pk"))


def review_data(review, *, factors, links, actions):
    """Return the review as plain data (what export.json serves and export.md prints)."""
    incident = review.incident
    return {
        "incident": {
            "reference": incident.reference,
            "title": incident.title,
            "severity": incident.get_severity_display(),
            "started_at": incident.started_at.isoformat() if incident.started_at else None,
            "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
            "team": incident.team.slug if incident.team else None,
        },
        "status": review.status,
        "version": review.version,
        "published_at": review.published_at.isoformat() if review.published_at else None,
        "owner": review.owner.get_username() if review.owner else None,
        "facilitator": review.facilitator.get_username() if review.facilitator else None,
        "authors": [user.get_username() for user in review.authors.all()],
        "primary_class": review.primary_class.slug if review.primary_class else None,
        "secondary_classes": [cls.slug for cls in review.secondary_classes.all()],
        "customers_affected": review.customers_affected,
        "requests_failed": review.requests_failed,
        "sections": [
            {"field": name, "title": label, "markdown": inert(text)} for name, label, text in review.sections()
        ],
        "factors": [
            {
                "id": factor.pk,
                "kind": factor.kind,
                "category": factor.category,
                "description": inert(factor.description),
                "is_root_cause": factor.is_root_cause,
                "is_symptom": factor.is_symptom,
            }
            for factor in factors
        ],
        "links": [{"id": link.pk, "cause": link.cause_id, "effect": link.effect_id} for link in links],
        "chart_warnings": [inert(warning) for warning in chart_warnings(factors, links)],
        "mermaid": mermaid_chart(factors, links),
        "actions": [
            {
                "id": action.pk,
                "title": inert(action.title),
                "category": action.get_category_display(),
                "owner": _person(action.owner),
                "status": action.get_status_display() if hasattr(action, "get_status_display") else str(action.status),
                "due_date": action.due_date.isoformat() if action.due_date else None,
            }
            for action in actions
        ],
    }


def review_markdown(review, *, factors, links, actions):
    """Return the review as one Markdown document."""
    data = review_data(review, factors=factors, links=links, actions=actions)
    incident = data["incident"]
    lines = [f"# {incident['reference']}: {_cell(incident['title'])} — post-incident review", ""]
    facts = [
        ("Severity", incident["severity"]),
        ("Status", review.get_status_display()),
        ("Published", review.published_at.strftime("%Y-%m-%d %H:%M %Z") if review.published_at else "not yet"),
        ("Owner", _person(review.owner) or "—"),
        ("Facilitator", _person(review.facilitator) or "—"),
        ("Authors", ", ".join(_person(user) for user in review.authors.all()) or "—"),
        ("Primary root-cause class", str(review.primary_class) if review.primary_class else "—"),
        ("Secondary classes", ", ".join(str(cls) for cls in review.secondary_classes.all()) or "—"),
    ]
    if review.customers_affected is not None:
        facts.append(("Customers affected", f"{review.customers_affected:,}"))
    if review.requests_failed is not None:
        facts.append(("Requests failed", f"{review.requests_failed:,}"))
    lines += [f"- **{label}:** {_cell(value)}" for label, value in facts]
    lines.append("")
    for section in data["sections"]:
        lines += [f"## {section['title']}", "", section["markdown"].strip() or "_Not written yet._", ""]
    lines += ["## Causal-factor chart", "", "```mermaid", data["mermaid"].rstrip("\n"), "```", ""]
    if factors:
        lines += ["| # | Factor | Kind | Category | Root cause | Symptom |", "|---|---|---|---|---|---|"]
        for factor in factors:
            lines.append(
                f"| {factor.pk} | {_cell(factor.description)} | {factor.get_kind_display()} | "
                f"{factor.get_category_display()} | {'yes' if factor.is_root_cause else ''} | "
                f"{'yes' if factor.is_symptom else ''} |"
            )
        lines.append("")
    for warning in data["chart_warnings"]:
        lines.append(f"> ⚠ {inert(warning)}")
    if data["chart_warnings"]:
        lines.append("")
    if getattr(review, "actions", None) is not None:
        lines += ["## Actions", ""]
        if actions:
            lines += ["| Action | Category | Owner | Status | Due |", "|---|---|---|---|---|"]
            for action in data["actions"]:
                lines.append(
                    f"| {_cell(action['title'])} | {action['category']} | {_cell(action['owner']) or '—'} | "
                    f"{action['status']} | {action['due_date'] or '—'} |"
                )
        else:
            lines.append("_No actions yet._")
        lines.append("")
    return "\n".join(lines)
