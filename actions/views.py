from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can_write_anywhere, require_team_role
from actions.choices import CATEGORY_EXPLANATIONS, Category, Status
from actions.dashboard import action_dashboard
from actions.effectiveness import rate_before_and_after
from actions.filtersets import ActionItemFilterSet
from actions.forms import ActionItemForm, RemedialFindingForm, TransitionForm, VerificationForm
from actions.models import ActionItem
from actions.panels import action_for_cause, coverage_context
from core.concurrency import StaleEdit, save_versioned
from core.exports import csv_download, csv_writer
from core.views import FilteredListView, perform_and_redirect
from incidents.models import Incident, parse_reference
from postmortems.models import Review


def visible_actions(user):
    return ActionItem.objects.visible_to(user)


def filtered_actions(request):
    """The visible actions the request's filters select (an invalid filter selects nothing)."""
    filterset = ActionItemFilterSet(request.GET or None, queryset=visible_actions(request.user), request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, filterset.queryset.none()
    return filterset, filterset.qs


class ActionItemListView(FilteredListView):
    filterset_class = ActionItemFilterSet
    template_name = "actions/action_list.html"
    partial_template_name = "actions/inc/_action_results.html"

    def get_base_queryset(self):
        return visible_actions(self.request.user).select_related("owner", "team", "review__incident")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main_fields"] = ActionItemFilterSet.MAIN_FIELDS
        return context


@login_required
def dashboard(request):
    filterset, actions = filtered_actions(request)
    numbers = action_dashboard(actions)
    return render(
        request,
        "actions/dashboard.html",
        {
            "filterset": filterset,
            "filter_form": filterset.form,
            "main_fields": ("team", "service", "category", "owner"),
            "numbers": numbers,
            "chart": numbers["backlog"],
            "backlog_rows": list(zip(numbers["backlog"]["labels"], numbers["backlog"]["open"], strict=True)),
        },
    )


CSV_COLUMNS = [
    "id",
    "incident",
    "category",
    "title",
    "status",
    "priority",
    "team",
    "owner",
    "services",
    "opened_at",
    "due_date",
    "done_at",
    "overdue",
    "verification",
    "url",
]


@login_required
def export_csv(request):
    """The filtered list as CSV: every matching action the user may see, not just one page."""
    _, actions = filtered_actions(request)
    actions = actions.select_related("owner", "team", "review__incident").prefetch_related("services")
    response = csv_download(csv_filename(request))
    writer = csv_writer(response)
    writer.writerow(CSV_COLUMNS)
    for action in actions.order_by("due_date", "pk"):
        writer.writerow(
            [
                action.pk,
                action.review.incident.reference,
                action.get_category_display(),
                action.title,
                action.get_status_display(),
                action.get_priority_display(),
                action.team.name,
                action.owner.get_full_name() or action.owner.get_username() if action.owner else "",
                ", ".join(service.name for service in action.services.all()),
                action.opened_at.isoformat(),
                action.due_date.isoformat(),
                action.done_at.isoformat() if action.done_at else "",
                "yes" if action.is_overdue() else "no",
                action.get_verification_display(),
                request.build_absolute_uri(action.get_absolute_url()),
            ]
        )
    return response


def csv_filename(request):
    """`actions-<the filters>-<today>.csv`: two exports of different filters do not overwrite each other."""
    parts = [f"{name}-{value}" for name, value in request.GET.items() if value and name != "page"]
    words = slugify(" ".join(["actions", *parts, timezone.localdate().isoformat()]))
    return f"{words[:150]}.csv"


def _get_action(request, pk):
    queryset = visible_actions(request.user).select_related(
        "owner", "team", "review__incident", "review__primary_class", "recurrence_incident", "verified_by"
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def action_detail(request, pk):
    action = _get_action(request, pk)
    can_edit = action.can_edit(request.user)
    context = {
        "action": action,
        "can_edit": can_edit,
        "can_verify": action.can_verify(request.user),
        "transitions": [Status(status) for status in action.allowed_statuses()] if can_edit else [],
        "services": action.services.all(),
        "factors": action.factors.all(),
        "findings": action.findings.select_related("service", "recorded_by"),
        "finding_form": RemedialFindingForm() if can_edit and action.category == Category.REMEDIAL else None,
        "verification_form": VerificationForm(),
        "rates": rate_before_and_after(action) if action.is_verified_category() else None,
        "recurrence": action.recurrence_shown_to(request.user),
        "history": action.history.select_related("history_user").order_by("-history_date")[:10],
    }
    return render(request, "actions/action_detail.html", context)


def _refuse_outsider(request, action):
    if not action.can_edit(request.user):
        raise PermissionDenied("You need a responder (or higher) role in the action's team to change it.")


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    """Edit an action's fields (not its status or verification: those have their own buttons)."""
    action = _get_action(request, pk)
    _refuse_outsider(request, action)
    form = ActionItemForm(request.POST or None, instance=action, review=action.review, user=request.user)
    if request.method == "POST" and (form.is_stale() or form.is_valid()):
        if not form.is_stale():
            require_team_role(request.user, form.cleaned_data["team"])
        form.instance._change_reason = "edited"
        try:
            action = save_versioned(form)
        except StaleEdit as stale:
            context = {"action": action, "form": stale.form, "stale": stale}
            return render(request, "actions/action_edit.html", context, status=409)
        messages.success(request, f"Action “{action.title}” saved.")
        return redirect(action)
    return render(
        request, "actions/action_edit.html", {"action": action, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def action_transition(request, pk):
    action = _get_action(request, pk)
    _refuse_outsider(request, action)
    form = TransitionForm(request.POST)
    return perform_and_redirect(
        request,
        lambda: action.transition(form.cleaned_data["status"], by=request.user, reason=form.cleaned_data["reason"]),
        success=lambda: f"“{action.title}” is now {action.get_status_display().lower()}.",
        to=action,
        form=form,
        invalid="Choose a status.",
    )


@login_required
@require_POST
def action_verify(request, pk):
    action = _get_action(request, pk)
    if not action.can_verify(request.user):
        raise PermissionDenied("Only a lead of the action's team may confirm whether it was effective.")
    form = VerificationForm(request.POST)
    return perform_and_redirect(
        request,
        lambda: action.confirm_verification(
            form.cleaned_data["outcome"], by=request.user, note=form.cleaned_data["note"]
        ),
        success=lambda: f"Recorded as {action.get_verification_display().lower()}.",
        to=action,
        form=form,
        invalid="Choose effective, ineffective or not verifiable.",
    )


@login_required
@require_POST
def finding_add(request, pk):
    action = _get_action(request, pk)
    _refuse_outsider(request, action)
    form = RemedialFindingForm(request.POST, instance=None)
    form.instance.action = action
    form.instance.recorded_by = request.user
    if form.is_valid():
        form.save()
        messages.success(request, "Finding recorded.")
    else:
        messages.error(request, "A finding needs a description. " + " ".join(form.non_field_errors()))
    return redirect(action)


@login_required
def action_create(request):
    """Add an action to a review (`?review=INC-42`); from htmx, answer with the review's coverage partial."""
    number = parse_reference(request.GET.get("review", ""))
    review = get_object_or_404(
        Review.objects.select_related("incident").filter(incident__in=Incident.objects.visible_to(request.user)),
        incident_id=number,
    )
    if not can_write_anywhere(request.user):
        raise PermissionDenied("You need a responder (or higher) role in a team to add actions.")
    initial, cause = action_for_cause(review, request.GET) if request.method != "POST" else ({}, None)
    form = ActionItemForm(request.POST or None, initial=initial, review=review, user=request.user)
    if cause is not None:
        form.fields["title"].widget.attrs["data-autofocus"] = ""
    if request.method == "POST" and form.is_valid():
        require_team_role(request.user, form.cleaned_data["team"])
        form.instance._change_reason = "created"
        action = form.save()
        if request.htmx:
            form = ActionItemForm(review=review, user=request.user)
        else:
            messages.success(request, f"Action “{action.title}” added.")
            return redirect(action)
    context = coverage_context(request, review, form=form)
    if cause is not None:
        # A cell of the coverage table opens the form already naming its category and root cause.
        context.update(open_form=True, for_cause=cause, for_category=Category(initial["category"]))
    if request.htmx:
        return render(request, "actions/inc/_review_coverage.html", context)
    context.update(explanations=CATEGORY_EXPLANATIONS.items(), open_form=True)
    return render(request, "actions/action_form.html", context)
