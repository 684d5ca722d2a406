import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can_write_anywhere, require_team_role
from core.views import FilteredListView
from incidents.models import Incident
from playbooks import authoring
from playbooks.choices import KIND_EXPLANATIONS, Kind, Outcome
from playbooks.filtersets import PlaybookFilterSet
from playbooks.forms import PlaybookForm, PlaybookUseForm
from playbooks.models import WRITTEN_FIELDS, Playbook
from postmortems.models import Review, RootCauseClass
from services.models import Service

HISTORY_FIELDS = WRITTEN_FIELDS


class PlaybookListView(FilteredListView):
    filterset_class = PlaybookFilterSet
    template_name = "playbooks/playbook_list.html"
    partial_template_name = "playbooks/inc/_playbook_results.html"

    def get_base_queryset(self):
        return (
            Playbook.objects.with_use_counts()
            .select_related("team")
            .prefetch_related("services")
            .order_by("title", "pk")
        )


def _playbook_or_404(slug):
    return get_object_or_404(Playbook.objects.with_use_counts().select_related("team"), slug=slug)


def _require_editor(user, playbook):
    if not playbook.can_edit(user):
        raise PermissionDenied("You need a responder (or higher) role in the playbook's team to change it.")


@login_required
def playbook_detail(request, slug):
    playbook = _playbook_or_404(slug)
    visible = Incident.objects.visible_to(request.user)
    intro, steps = playbook.steps()
    numbers = {number for step in steps for number in step.incident_numbers}
    incidents = {incident.pk: incident for incident in visible.filter(pk__in=numbers).only("pk", "title")}
    for step in steps:
        step.incidents = [incidents[number] for number in step.incident_numbers if number in incidents]
    last_change = playbook.history.select_related("history_user").order_by("-history_date").first()
    context = {
        "playbook": playbook,
        "kind_explanation": KIND_EXPLANATIONS[Kind(playbook.kind)],
        "intro": intro,
        "steps": steps,
        "stale_reasons": playbook.stale_reasons(),
        "services": playbook.services.all(),
        "classes": playbook.classes.all(),
        "source_reviews": playbook.source_reviews.filter(incident__in=visible.values("pk")).select_related("incident"),
        "source_incidents": playbook.source_incidents.filter(pk__in=visible.values("pk")),
        "uses": playbook.uses.filter(incident__in=visible.values("pk")).select_related("incident", "by")[:50],
        "last_change": last_change,
        "can_edit": playbook.can_edit(request.user),
    }
    return render(request, "playbooks/playbook_detail.html", context)


def _published_review_or_404(user, reference):
    review = get_object_or_404(
        Review.objects.visible_to(user).published().by_reference(reference).select_related("incident", "primary_class")
    )
    return review


def _save_new(form, *, by, source_review):
    playbook = form.save(commit=False)
    playbook._history_user = by
    playbook._change_reason = "Written" + (f" from the review of {source_review.reference}" if source_review else "")
    playbook.save()
    form.save_m2m()
    if source_review is not None:
        authoring.add_source_review(playbook, review=source_review, by=by)
    return playbook


@login_required
@require_http_methods(["GET", "POST"])
def playbook_create(request):
    """A new playbook; with ?review=INC-42, pre-filled from that published review and linked back to it."""
    if not can_write_anywhere(request.user):
        raise PermissionDenied("You need a responder (or higher) role in a team to write playbooks.")
    reference = request.GET.get("review") or request.POST.get("review")
    source_review = _published_review_or_404(request.user, reference) if reference else None
    initial = authoring.draft_from_review(source_review) if source_review else {}
    form = PlaybookForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        require_team_role(request.user, form.cleaned_data["team"])
        playbook = _save_new(form, by=request.user, source_review=source_review)
        messages.success(request, f"{playbook.get_kind_display()} “{playbook.title}” saved.")
        return redirect(playbook)
    return _render_form(request, form, source_review=source_review)


def _render_form(request, form, *, playbook=None, source_review=None):
    """The playbook form page: a 400 when the form has errors."""
    context = {"form": form, "playbook": playbook, "source_review": source_review}
    return render(request, "playbooks/playbook_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def playbook_edit(request, slug):
    playbook = _playbook_or_404(slug)
    _require_editor(request.user, playbook)
    form = PlaybookForm(request.POST or None, instance=playbook, user=request.user)
    if request.method == "POST" and form.is_valid():
        require_team_role(request.user, form.cleaned_data["team"])
        edited = form.save(commit=False)
        try:
            edited.save_edit(expected_version=form.cleaned_data["version"] or playbook.version, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form.save_m2m()
            messages.success(request, f"“{edited.title}” saved.")
            return redirect(edited)
    return _render_form(request, form, playbook=playbook)


@login_required
@require_POST
def playbook_refine(request):
    """Add a published review as the source of the chosen playbook, then open its edit form."""
    playbook = _playbook_or_404(request.POST.get("playbook", ""))
    _require_editor(request.user, playbook)
    review = _published_review_or_404(request.user, request.POST.get("review", ""))
    try:
        authoring.add_source_review(playbook, review=review, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(review)
    messages.success(
        request, f"The review of {review.reference} is now a source of “{playbook.title}”: refine it below."
    )
    return redirect("playbooks:playbook_edit", slug=playbook.slug)


@login_required
@require_POST
def playbook_use(request, slug):
    """From an incident: this playbook was used, and helped or did not."""
    playbook = _playbook_or_404(slug)
    incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=_incident_number(request))
    if not incident.can_edit(request.user):
        raise PermissionDenied("You need a responder (or higher) role for this incident to record what helped.")
    form = PlaybookUseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the playbook helped.")
        return redirect(incident)
    authoring.record_use(playbook=playbook, incident=incident, by=request.user, **form.cleaned_data)
    messages.success(request, f"Recorded: “{playbook.title}” — {Outcome(form.cleaned_data['outcome']).label.lower()}.")
    return redirect(incident)


def _incident_number(request):
    from incidents.models import parse_reference

    return parse_reference(request.POST.get("incident", "")) or 0


@login_required
def playbook_history(request, slug):
    playbook = _playbook_or_404(slug)
    records = list(playbook.history.select_related("history_user").order_by("-history_date", "-history_id")[:100])
    entries = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        changed = [] if previous is None else [change.field for change in record.diff_against(previous).changes]
        entries.append({"record": record, "changed": [_label(name) for name in changed if name in HISTORY_FIELDS]})
    return render(request, "playbooks/playbook_history.html", {"playbook": playbook, "entries": entries})


@login_required
def playbook_compare(request, slug, history_id):
    """An earlier version, and what changed between it and the current one, field by field."""
    playbook = _playbook_or_404(slug)
    old = get_object_or_404(playbook.history.select_related("history_user"), history_id=history_id)
    current = playbook.history.order_by("-history_date", "-history_id").first()
    names = {
        "services": dict(Service.objects.values_list("pk", "name")),
        "classes": dict(RootCauseClass.objects.values_list("pk", "name")),
    }
    changes = [
        {
            "label": _label(change.field),
            "lines": _diff_lines(
                _as_lines(change.old, names.get(change.field)), _as_lines(change.new, names.get(change.field))
            ),
        }
        for change in current.diff_against(old, included_fields=list(HISTORY_FIELDS)).changes
    ]
    return render(
        request,
        "playbooks/playbook_compare.html",
        {"playbook": playbook, "old": old, "current": current, "changes": changes},
    )


def _label(name):
    return Playbook._meta.get_field(name).verbose_name.capitalize()


def _as_lines(value, names=None):
    """A field's value as lines to compare: text by line, lists by item, related rows by name."""
    if isinstance(value, list):
        if names is not None:
            return sorted(names.get(pk, "?") for item in value for key, pk in item.items() if key != "playbook")
        return [str(item) for item in value]
    return str(value if value is not None else "").splitlines()


def _diff_lines(old, new):
    """[(mark, line)]: '-' only in the old version, '+' only in the current one, ' ' in both."""
    return [(line[0], line[2:]) for line in difflib.ndiff(old, new) if not line.startswith("?")]
