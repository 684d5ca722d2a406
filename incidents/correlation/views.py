"""Pages: confirm or dismiss a suspect deployment (htmx swaps the suspects partial)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from incidents.correlation import suspects as correlation
from incidents.models import Incident, SuspectDeployment


def _decide(request, reference, pk, decide):
    incident = get_object_or_404(Incident.objects.visible_to(request.user).by_reference(reference))
    suspect = get_object_or_404(incident.suspect_deployments.select_related("deployment__service"), pk=pk)
    if not incident.can_edit(request.user):
        raise PermissionDenied("Only responders and leads of the incident's team may confirm or dismiss suspects.")
    try:
        decide(suspect=suspect, by=request.user)
    except SuspectDeployment.DoesNotExist:
        raise Http404("A re-correlation dropped this suggestion meanwhile.") from None
    if request.htmx:
        return render(request, "incidents/inc/_suspects.html", {"incident": incident})
    return redirect(incident)


@login_required
@require_POST
def suspect_confirm(request, reference, pk):
    return _decide(request, reference, pk, correlation.confirm_suspect)


@login_required
@require_POST
def suspect_dismiss(request, reference, pk):
    return _decide(request, reference, pk, correlation.dismiss_suspect)
