"""Generic views shared by every app: list pages and error answers. No domain logic."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views import defaults
from django.views.generic import ListView

from core.middleware import wants_json
from core.pagination import CappedPaginator, count_text


class FilteredListView(LoginRequiredMixin, ListView):
    """A list page filtered by the app's FilterSet (the same one its API uses) and paginated.

    Requests from htmx get only the results partial, so filtering does not reload the page. The count
    stops at 10,000 ("10,000+") and so do the page numbers: no request scans the whole table.
    """

    filterset_class = None
    paginate_by = 50
    paginator_class = CappedPaginator
    partial_template_name = None

    def get_base_queryset(self):
        return self.filterset_class._meta.model.objects.all()

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        context["filter_form"] = self.filterset.form
        paginator = context.get("paginator")
        context["total_count"] = paginator.count if paginator else len(context["object_list"])
        context["total_count_text"] = paginator.count_text if paginator else count_text(context["total_count"])
        return context

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.partial_template_name and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return super().get_template_names()


def page_not_found(request, exception):
    """404: JSON under /api/ (API clients parse every answer), the site's page elsewhere."""
    if wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """400 for a request Django refuses before any view (SuspiciousOperation): JSON under /api/, and
    413 when the body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE allows."""
    from django.core.exceptions import RequestDataTooBig

    if isinstance(exception, RequestDataTooBig):
        if wants_json(request):
            return JsonResponse({"detail": "The request body is too large."}, status=413)
        response = defaults.bad_request(request, exception)
        response.status_code = 413
        return response
    if wants_json(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def perform_and_redirect(request, step, *, success, to, form=None, invalid=None):
    """Run step(); flash why a rule refused it, or `success` (a string, or a callable for one); redirect to `to`.

    With a posted `form` that is not valid, step() is not run: flash `invalid` (a string, or a callable of the form).
    """
    if form is not None and not form.is_valid():
        messages.error(request, invalid(form) if callable(invalid) else invalid)
        return redirect(to)
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success() if callable(success) else success)
    return redirect(to)
