from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.pagination import count_text, count_up_to
from core.views import FilteredListView, perform_and_redirect
from incidents.choices import IncidentKind
from incidents.models import Incident
from postmortems import editing, publishing
from postmortems.charts import chart_warnings, mermaid_chart, reading_order
from postmortems.export import review_actions, review_data, review_markdown
from postmortems.filtersets import ReviewFilterSet
from postmortems.forms import CausalFactorForm, RelatedFactorForm, ReopenForm, ReviewForm
from postmortems.models import (
    READ_ONLY_MESSAGE,
    CausalFactor,
    CausalLink,
    Review,
    overdue_incident_q,
    review_deadline,
    review_deadline_days,
)
from services.models import Service

ATTENTION_LIMIT = 10


def visible_review_or_404(user, reference):
    """The review of incident `reference`, if user may see that incident; 404 otherwise."""
    queryset = (
        Review.objects.visible_to(user)
        .by_reference(reference)
        .select_related(
            "incident__team",
            "owner",
            "facilitator",
            "primary_class__parent",
            "published_by",
            "reopened_by",
        )
        .prefetch_related("authors", "secondary_classes")
    )
    return get_object_or_404(queryset)


def _require_editor(user, review):
    if not review.can_be_edited_by(user):
        raise PermissionDenied("You need a responder (or higher) role in the incident's team to change its review.")


def _review_to_edit(user, reference):
    """The review of incident `reference`: 404 if user may not see it, 403 if they may not change it."""
    review = visible_review_or_404(user, reference)
    _require_editor(user, review)
    return review


def _review_to_publish(user, reference):
    """The review of incident `reference`: 404 if user may not see it, 403 if they may not publish or reopen it."""
    review = visible_review_or_404(user, reference)
    if not review.can_be_published_by(user):
        raise PermissionDenied("You need a lead role in the incident's team to publish or reopen its review.")
    return review


class ReviewListView(FilteredListView):
    """Reviews, what needs attention first: past their deadline, then drafts by age, then published."""

    filterset_class = ReviewFilterSet
    template_name = "postmortems/review_list.html"
    partial_template_name = "postmortems/inc/_review_results.html"

    def get_base_queryset(self):
        return (
            Review.objects.visible_to(self.request.user)
            .select_related("incident__team", "owner", "primary_class")
            .with_attention_order()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        overdue = (
            Incident.objects.visible_to(self.request.user)
            .filter(overdue_incident_q(now=now))
            .exclude(kind=IncidentKind.GAME_DAY)
            .exclude(review__status="published")
        )
        overdue = overdue.order_by("resolved_at", "pk")
        incidents = list(overdue.select_related("review", "team")[:ATTENTION_LIMIT])
        for incident in incidents:
            incident.review_due = review_deadline(incident)
            incident.review_or_none = getattr(incident, "review", None)
        context["overdue_incidents"] = incidents
        # Counted along the resolved-at index and only so far: "10,000+" rather than a count of the table.
        context["overdue_count"] = count_text(
            count_up_to(overdue) if len(incidents) == ATTENTION_LIMIT else len(incidents)
        )
        context["deadline_days"] = {str(severity): days for severity, days in review_deadline_days().items()}
        return context


def _chart_context(review, *, factor_form=None, editing_factor=None, relating=None, focus=None):
    """Everything the chart panel shows, from one read of factors and links.

    `relating` is (factor, RelatedFactorForm) to show open under that factor; `focus` is (factor id,
    "cause" or "effect"): the factor whose "Add a cause/effect" button takes the keyboard after a save.
    """
    incident = review.incident
    factors = list(review.factors.select_related("timeline_event", "deployment__service", "service"))
    links = list(review.links.all())
    by_id = {factor.pk: factor for factor in factors}
    for factor in factors:
        factor.chart_causes, factor.chart_effects = [], []
    for link in links:
        cause, effect = by_id.get(link.cause_id), by_id.get(link.effect_id)
        if cause and effect:
            cause.chart_effects.append(effect)
            effect.chart_causes.append(cause)
    timeline = list(incident.timeline.select_related("author"))
    suspects = list(incident.suspect_deployments.select_related("deployment__service"))
    services = list(Service.objects.only("pk", "name"))
    form_kwargs = {"review": review, "timeline": timeline, "suspects": suspects, "services": services}
    return {
        "review": review,
        "factors": reading_order(factors, links),
        "link_rows": [(link, by_id.get(link.cause_id), by_id.get(link.effect_id)) for link in links],
        "chart_text": mermaid_chart(factors, links),
        "chart_warnings": chart_warnings(factors, links),
        "publish_problems": review.publish_problems(factors=factors),
        # A chart starts from what people saw: the first factor is a symptom unless they say otherwise.
        "factor_form": factor_form
        or CausalFactorForm(
            review=review, initial=None if factors else {"is_symptom": True}, **_without_review(form_kwargs)
        ),
        "form_kwargs": form_kwargs,
        "timeline": timeline,
        "suspects": suspects,
        "can_edit": None,
        "editing_factor": editing_factor,
        "relating": relating,
        "focus": focus,
    }


def _relate_request(request, review, factors):
    """The factor and form asked for by `?add=cause|effect&of=<factor id>` on the review page, or None."""
    direction, of = request.GET.get("add"), request.GET.get("of", "")
    if direction not in (editing.CAUSE, editing.EFFECT) or not of.isdigit():
        return None
    factor = next((f for f in factors if f.pk == int(of)), None)
    if factor is None:
        return None
    return factor, RelatedFactorForm(initial={"direction": direction}, review=review, factor=factor, factors=factors)


def _without_review(kwargs):
    return {key: value for key, value in kwargs.items() if key != "review"}


@login_required
def review_detail(request, reference):
    review = visible_review_or_404(request.user, reference)
    context = _chart_context(review)
    can_edit = review.can_be_changed_by(request.user)
    if can_edit:
        context["relating"] = _relate_request(request, review, context["factors"])
    context.update(
        can_edit=can_edit,
        can_publish=review.can_be_published_by(request.user),
        reopen_form=ReopenForm(),
        deadline=review.deadline(),
        is_overdue=review.is_overdue(),
    )
    return render(request, "postmortems/review_detail.html", context)


@login_required
@require_POST
def review_start(request, reference):
    """Start the review of an incident (or open the one it has)."""
    incident = get_object_or_404(Incident.objects.visible_to(request.user).by_reference(reference))
    probe = Review(incident=incident)
    _require_editor(request.user, probe)
    review, created = publishing.start_review(incident=incident, by=request.user)
    if created:
        messages.success(request, f"Review of {incident.reference} started. You are its owner.")
    return redirect(review)


def _names(stale):
    return ", ".join(stale.editors) or "someone else"


@login_required
def review_edit(request, reference):
    review = _review_to_edit(request.user, reference)
    if review.is_read_only():
        messages.error(request, READ_ONLY_MESSAGE)
        return redirect(review)
    stale = None
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST, instance=review)
        if form.is_valid():
            try:
                editing.update_review(review, version=form.started_from(), changes=form.changes(), by=request.user)
            except editing.StaleReview as error:
                merged = form.changes_to_merge(error.current)
                if merged is None:
                    stale, status = error, 409
                    # Keep what this person typed; a deliberate second save (having seen the diff) replaces theirs.
                    form = form.rebased_on(error.current)
                else:
                    editing.update_review(review, version=error.current.version, changes=merged, by=request.user)
                    theirs = ", ".join(change.label.lower() for change in error.changes) or "the review"
                    messages.success(request, f"Review saved, together with {_names(error)}'s changes to {theirs}.")
                    return redirect(review)
            else:
                messages.success(request, "Review saved.")
                return redirect(review)
    else:
        form = ReviewForm(instance=review)
    return render(
        request, "postmortems/review_edit.html", {"review": review, "form": form, "stale": stale}, status=status
    )


@login_required
@require_POST
def review_submit(request, reference):
    review = _review_to_edit(request.user, reference)
    return perform_and_redirect(
        request, lambda: publishing.submit_for_review(review, by=request.user), success="Sent for review.", to=review
    )


@login_required
@require_POST
def review_publish(request, reference):
    review = _review_to_publish(request.user, reference)
    return perform_and_redirect(
        request, lambda: publishing.publish_review(review, by=request.user), success="Review published.", to=review
    )


@login_required
@require_POST
def review_reopen(request, reference):
    review = _review_to_publish(request.user, reference)
    form = ReopenForm(request.POST)
    return perform_and_redirect(
        request,
        lambda: publishing.reopen_review(
            review, by=request.user, reason=form.cleaned_data["reason"], status=form.cleaned_data["status"]
        ),
        success="Review reopened.",
        to=review,
        form=form,
        invalid="Choose whether to reopen as draft or in review.",
    )


@login_required
def review_history(request, reference):
    review = visible_review_or_404(request.user, reference)
    return render(
        request, "postmortems/review_history.html", {"review": review, "entries": editing.review_history(review)}
    )


def _export_parts(request, reference):
    review = visible_review_or_404(request.user, reference)
    factors = list(review.factors.all())
    links = list(review.links.all())
    return review, {"factors": factors, "links": links, "actions": review_actions(review)}


@login_required
def review_export_markdown(request, reference):
    review, parts = _export_parts(request, reference)
    response = HttpResponse(review_markdown(review, **parts), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{review.reference}-review.md"'
    return response


@login_required
def review_export_json(request, reference):
    review, parts = _export_parts(request, reference)
    return JsonResponse(review_data(review, **parts), json_dumps_params={"indent": 2, "ensure_ascii": False})


# --- The causal-factor chart, edited in place (htmx partials) ---------------------


def _chart_response(request, review, *, status=200, **forms):
    if not request.htmx:
        if status != 200:
            shown = [value[-1] if isinstance(value, tuple) else value for value in forms.values()]
            errors = [e for form in shown if hasattr(form, "errors") for e in form.errors.get("__all__", [])]
            messages.error(request, " ".join(errors) or "The chart was not changed: check the form.")
        focus = forms.get("focus")
        return redirect(review.get_absolute_url() + (f"#factor-{focus[0]}" if focus else "#chart"))
    context = _chart_context(review, **forms)
    context["can_edit"] = True
    context["can_publish"] = review.can_be_published_by(request.user)
    context["oob"] = True
    response = render(request, "postmortems/inc/_chart.html", context)
    if status == 200:
        # Panels that show the factors (the actions' root-cause coverage) listen for this and redraw.
        response["HX-Trigger"] = "causal-chart-changed"
    return response


def _editable_review(request, reference):
    review = _review_to_edit(request.user, reference)
    review.require_changeable()
    return review


def _factor_form(request, review, *, instance=None):
    context = _chart_context(review)
    return CausalFactorForm(request.POST, instance=instance, **context["form_kwargs"])


@login_required
@require_POST
def factor_create(request, reference):
    review = _editable_review(request, reference)
    form = _factor_form(request, review)
    if form.is_valid():
        try:
            factor = editing.add_factor(review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # What comes next is usually its cause (or, from a root cause, its effect).
            following = editing.EFFECT if factor.is_root_cause and not factor.is_symptom else editing.CAUSE
            return _chart_response(request, review, focus=(factor.pk, following))
    return _chart_response(request, review, factor_form=form, status=400)


@login_required
def factor_edit(request, reference, factor_id):
    review = _editable_review(request, reference)
    factor = get_object_or_404(CausalFactor, review=review, pk=factor_id)
    if request.method == "POST":
        form = _factor_form(request, review, instance=factor)
        if form.is_valid():
            editing.update_factor(factor, by=request.user, **form.cleaned_data)
            return _chart_response(request, review)
        return _chart_response(request, review, editing_factor=(factor, form), status=400)
    context = _chart_context(review)
    form = CausalFactorForm(instance=factor, **context["form_kwargs"])
    return render(request, "postmortems/inc/_factor_edit.html", {"review": review, "factor": factor, "form": form})


@login_required
@require_POST
def factor_delete(request, reference, factor_id):
    review = _editable_review(request, reference)
    factor = get_object_or_404(CausalFactor, review=review, pk=factor_id)
    editing.delete_factor(factor, by=request.user)
    return _chart_response(request, review)


@login_required
def factor_relate(request, reference, factor_id):
    """Add a cause or an effect of a factor in one step (a new factor, or a link to an existing one).

    GET answers htmx with the small form, open under the factor; without htmx, the review page with it open.
    """
    review = _editable_review(request, reference)
    factor = get_object_or_404(CausalFactor, review=review, pk=factor_id)
    factors = list(review.factors.all())
    if request.method != "POST":
        direction = request.GET.get("direction")
        if direction not in (editing.CAUSE, editing.EFFECT):
            direction = editing.CAUSE
        if not request.htmx:
            return redirect(f"{review.get_absolute_url()}?add={direction}&of={factor.pk}#relate-{factor.pk}")
        form = RelatedFactorForm(initial={"direction": direction}, review=review, factor=factor, factors=factors)
        return render(request, "postmortems/inc/_relate_form.html", {"review": review, "factor": factor, "form": form})
    form = RelatedFactorForm(request.POST, review=review, factor=factor, factors=factors)
    if form.is_valid():
        try:
            other, _ = editing.add_related_factor(review, factor=factor, by=request.user, **form.relation())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _chart_response(request, review, focus=(other.pk, form.cleaned_data["direction"]))
    return _chart_response(request, review, relating=(factor, form), status=400)


@login_required
@require_POST
def link_delete(request, reference, link_id):
    review = _editable_review(request, reference)
    link = get_object_or_404(CausalLink, review=review, pk=link_id)
    editing.delete_link(link, by=request.user)
    return _chart_response(request, review)
