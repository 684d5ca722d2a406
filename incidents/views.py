"""Incident pages: thin views that parse input, call the model, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can_write_anywhere
from core.concurrency import StaleEdit, save_versioned
from core.pagination import count_text, counts_up_to
from core.views import FilteredListView, perform_and_redirect
from incidents.choices import SEVERITY_DESCRIPTIONS, Severity, Status
from incidents.filtersets import IncidentFilterSet
from incidents.forms import DATETIME_FORMAT, IncidentForm, IncidentTagForm, StatusChangeForm, TimelineEventForm
from incidents.models import Incident, IncidentTag


def visible_incident(request, reference, *, detail=False):
    """The incident with this reference if the user may see it; 404 otherwise (never 403: no hint it exists)."""
    queryset = Incident.objects.visible_to(request.user).prefetch_related("services", "allowed_teams")
    if detail:
        queryset = queryset.select_related("team", "commander", "reporter").prefetch_related(
            "services__team", "tags__service", "suspect_deployments__deployment__service"
        )
    return get_object_or_404(queryset.by_reference(reference))


def editable_incident(request, reference):
    incident = visible_incident(request, reference)
    if not incident.can_edit(request.user):
        raise PermissionDenied("You need a responder role in this incident's team or an affected service's team.")
    return incident


# The status boxes count up to here ("1,000+" beyond): enough to choose a filter by, cheap at any size.
FACET_LIMIT = 1000


class IncidentListView(FilteredListView):
    filterset_class = IncidentFilterSet
    template_name = "incidents/incident_list.html"
    partial_template_name = "incidents/inc/_incident_results.html"
    paginate_by = 25

    def get_base_queryset(self):
        return (
            Incident.objects.visible_to(self.request.user)
            .select_related("team")
            .prefetch_related("services")
            .order_by("-started_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = self.status_counts()
        selected = set(self.request.GET.getlist("status"))
        context["status_facets"] = [
            {
                "value": status.value,
                "label": status.label,
                "count": counts.get(status.value, 0),
                "count_text": count_text(counts.get(status.value, 0), FACET_LIMIT),
                "checked": status in selected,
            }
            for status in Status
        ]
        context["can_create"] = can_write_anywhere(self.request.user)
        context["filters_active"] = len({name for name in self.request.GET if name not in ("q", "page", "sort")})
        return context

    def status_counts(self):
        """How many incidents match the other filters, per status: the numbers beside the status boxes."""
        data = self.request.GET.copy()
        for name in ("status", "page", "sort"):
            data.pop(name, None)
        filterset = IncidentFilterSet(data or None, queryset=self.get_base_queryset(), request=self.request)
        if filterset.is_bound and not filterset.is_valid():
            return {}
        # One query; each status counted up to FACET_LIMIT through the index that orders the list.
        return counts_up_to({status.value: filterset.qs.filter(status=status) for status in Status}, FACET_LIMIT)


def times_asked(incident, status):
    """[(form field, label)]: the times a move to `status` sets, which the person confirms (now by default)."""
    if status == Status.RESOLVED:
        asked = [("at", "Resolved at")]
        return [*asked, ("mitigated_at", "Mitigated at")] if incident.mitigated_at is None else asked
    if status == Status.MONITORING and incident.mitigated_at is None:
        return [("at", "Mitigated at")]
    return []


def status_buttons(incident):
    """(status, button text, times asked) for each status the incident may move to next."""
    order = list(Status)
    buttons = []
    for status in incident.allowed_next_statuses():
        if status == Status.RESOLVED:
            text = "Resolve"
        elif status == Status.CLOSED:
            text = "Close"
        elif incident.status == Status.RESOLVED:
            text = "Reopen"
        elif order.index(status) < order.index(Status(incident.status)):
            text = f"Back to {status.label.lower()}"
        else:
            text = f"Mark {status.label.lower()}"
        buttons.append((status, text, times_asked(incident, status)))
    return buttons


def detail_context(request, incident, tag_form=None, **timeline):
    """Everything the detail page shows; `timeline` may hold a bound add/edit form to show with its errors."""
    can_edit = incident.can_edit(request.user)
    context = {
        "incident": incident,
        "can_edit": can_edit,
        "next_statuses": status_buttons(incident) if can_edit else [],
        "can_delete": incident.can_delete(request.user),
        "now_input": timezone.localtime().strftime(DATETIME_FORMAT),
    }
    context.update(timeline_context(request, incident, can_edit=can_edit, **timeline))
    context.update(tags_context(incident, can_edit=can_edit, tag_form=tag_form))
    return context


def tags_context(incident, *, can_edit, tag_form=None):
    return {
        "incident": incident,
        "can_edit": can_edit,
        "tags": incident.tags.all(),
        "tag_form": tag_form if tag_form is not None else (IncidentTagForm() if can_edit else None),
    }


def timeline_context(request, incident, *, can_edit, add_form=None, editing=None, edit_form=None):
    return {
        "incident": incident,
        "can_edit": can_edit,
        "events": incident.timeline.select_related("author"),
        "add_form": add_form if add_form is not None else (TimelineEventForm() if can_edit else None),
        "editing_id": editing.pk if editing else None,
        "edit_form": edit_form,
    }


def render_timeline(request, incident, *, status=200, **timeline):
    """The timeline partial for htmx, or the whole page when JavaScript is off."""
    if request.htmx:
        context = timeline_context(request, incident, can_edit=incident.can_edit(request.user), **timeline)
        return render(request, "incidents/inc/_timeline.html", context)
    return render(
        request, "incidents/incident_detail.html", detail_context(request, incident, **timeline), status=status
    )


@login_required
def incident_detail(request, reference):
    incident = visible_incident(request, reference, detail=True)
    return render(request, "incidents/incident_detail.html", detail_context(request, incident))


def render_form(request, form, *, incident=None, stale=None):
    context = {
        "form": form,
        "incident": incident,
        "stale": stale,
        "severity_descriptions": [(Severity(value).label, text) for value, text in SEVERITY_DESCRIPTIONS.items()],
    }
    status = 409 if stale else 400 if form.errors else 200
    return render(request, "incidents/incident_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    if not can_write_anywhere(request.user):
        raise PermissionDenied("You need a responder role in a team to open an incident.")
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance.reporter = request.user
        incident = form.save()
        messages.success(request, f"{incident.reference} opened.")
        return redirect(incident)
    return render_form(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request, reference):
    incident = editable_incident(request, reference)
    form = IncidentForm(request.POST or None, instance=incident, user=request.user)
    if request.method == "POST" and (form.is_stale() or form.is_valid()):
        try:
            save_versioned(form)
        except StaleEdit as stale:
            return render_form(request, stale.form, incident=incident, stale=stale)
        messages.success(request, f"{incident.reference} saved.")
        return redirect(incident)
    return render_form(request, form, incident=incident)


def _first_errors(form):
    return "".join(f" {errors[0]}" for errors in form.errors.values() if errors)


@login_required
@require_POST
def incident_change_status(request, reference):
    incident = editable_incident(request, reference)
    form = StatusChangeForm(request.POST)
    return perform_and_redirect(
        request,
        lambda: incident.change_status(
            form.cleaned_data["status"],
            by=request.user,
            **{name: form.cleaned_data[name] for name in ("at", "mitigated_at")},
        ),
        success=lambda: f"{incident.reference} is now {Status(incident.status).label.lower()}.",
        to=incident,
        form=form,
        invalid=lambda form: "Choose a valid status, and times as date and time." + _first_errors(form),
    )


@login_required
@require_POST
def timeline_add(request, reference):
    incident = editable_incident(request, reference)
    form = TimelineEventForm(request.POST)
    if not form.is_valid():
        return render_timeline(request, incident, status=400, add_form=form)
    form.instance.incident = incident
    form.instance.author = request.user
    form.save()
    if request.htmx:
        return render_timeline(request, incident)
    return redirect(incident.get_absolute_url() + "#timeline")


def timeline_event_of(incident, pk):
    event = incident.timeline.filter(pk=pk).first()
    if event is None:
        raise Http404("No such timeline event.")
    return event


@login_required
@require_http_methods(["GET", "POST"])
def timeline_edit(request, reference, pk):
    incident = editable_incident(request, reference)
    event = timeline_event_of(incident, pk)
    form = TimelineEventForm(request.POST or None, instance=event)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            if request.htmx:
                return render_timeline(request, incident)
            return redirect(incident.get_absolute_url() + f"#event-{event.pk}")
        return render_timeline(request, incident, status=400, editing=event, edit_form=form)
    return render_timeline(request, incident, editing=event, edit_form=form)


@login_required
def timeline(request, reference):
    """The timeline alone (htmx: cancelling an edit), or the page."""
    incident = visible_incident(request, reference)
    if not request.htmx:
        return redirect(incident.get_absolute_url() + "#timeline")
    return render_timeline(request, incident)


def render_tags(request, incident, *, status=200, tag_form=None):
    """The tags partial for htmx, or the whole page when JavaScript is off."""
    if request.htmx:
        prefetch_related_objects([incident], "tags__service")
        context = tags_context(incident, can_edit=True, tag_form=tag_form)
        return render(request, "incidents/inc/_tags.html", context, status=status)
    if status != 200:
        return render(
            request,
            "incidents/incident_detail.html",
            detail_context(request, incident, tag_form=tag_form),
            status=status,
        )
    return redirect(incident.get_absolute_url() + "#tags")


@login_required
@require_POST
def tag_add(request, reference):
    incident = editable_incident(request, reference)
    form = IncidentTagForm(request.POST, instance=IncidentTag(incident=incident))
    if not form.is_valid():
        return render_tags(request, incident, status=400, tag_form=form)
    form.save()
    return render_tags(request, incident)


@login_required
@require_POST
def tag_remove(request, reference, pk):
    incident = editable_incident(request, reference)
    tag = incident.tags.filter(pk=pk).first()
    if tag is None:
        raise Http404("No such tag.")
    tag.delete()
    return render_tags(request, incident)


@login_required
@require_POST
def incident_delete(request, reference):
    """Delete (archive) an incident: a lead of its team; restorable from the deleted incidents page."""
    incident = visible_incident(request, reference)
    if not incident.can_delete(request.user):
        raise PermissionDenied("You need a lead role in this incident's team to delete it.")
    return perform_and_redirect(
        request,
        lambda: incident.archive(by=request.user),
        success=f"{incident.reference} deleted. A lead of its team can restore it from Deleted incidents.",
        to="incidents:incident_deleted",
    )


@login_required
def incident_deleted(request):
    """The deleted incidents the user may restore, newest deletion first."""
    incidents = (
        Incident.objects.deleted_restorable_by(request.user)
        .select_related("team", "archived_by")
        .order_by("-archived_at", "-id")[:200]
    )
    return render(request, "incidents/incident_deleted.html", {"incidents": incidents})


@login_required
@require_POST
def incident_restore(request, reference):
    incident = get_object_or_404(Incident.objects.deleted_restorable_by(request.user).by_reference(reference))
    return perform_and_redirect(
        request, lambda: incident.restore(by=request.user), success=f"{incident.reference} restored.", to=incident
    )
