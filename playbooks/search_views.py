"""The search page, the header box's quick results, and what both read from the request."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import teams_with_role
from core import search
from services.models import Service

PAGE_SIZE = 20
QUICK_SIZE = 8


def viewer_for(user):
    """Who the search runs for: site admins see everything, others unrestricted documents and their teams' ones."""
    return search.Viewer.for_user(user, teams_with_role(user, Role.VIEWER))


class TypesField(forms.MultipleChoiceField):
    """Document types; an empty choice ("Any type") means no filter."""

    def to_python(self, value):
        return [item for item in super().to_python(value) if item]


class SearchForm(forms.Form):
    """What `/search/` and `/api/search/` read: the text, and optional type, service and time filters."""

    q = forms.CharField(max_length=500, required=False, label="Search")
    type = TypesField(choices=(), required=False, label="Type")
    service = forms.SlugField(required=False, label="Service")
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="Until", widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(min_value=1, max_value=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = list(search.type_labels().items())

    def run(self, user, *, limit=PAGE_SIZE):
        """Search with the cleaned filters for user (call after is_valid())."""
        data = self.cleaned_data
        page = data.get("page") or 1
        return search.search(
            data.get("q") or "",
            viewer=viewer_for(user),
            types=data.get("type") or (),
            services=[data["service"]] if data.get("service") else (),
            since=_day_start(data.get("since")),
            until=_day_start(data["until"] + timedelta(days=1)) if data.get("until") else None,
            limit=limit,
            offset=(page - 1) * limit,
        )


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


@login_required
def search_page(request):
    """`/search/?q=`: results grouped by type, best first; `?quick=1` (the header box) answers a short list."""
    form = SearchForm(request.GET or None)
    results = (
        form.run(request.user, limit=QUICK_SIZE if request.GET.get("quick") else PAGE_SIZE)
        if form.is_valid()
        else search.Results()
    )
    labels = search.type_labels()
    groups = {}
    for hit in results.hits:
        hit.label = labels.get(hit.doc_type, hit.doc_type)
        groups.setdefault(hit.doc_type, []).append(hit)
    context = {
        "form": form,
        "query": form.cleaned_data.get("q", "") if form.is_valid() else "",
        "results": results,
        "groups": [(doc_type, labels.get(doc_type, doc_type), hits) for doc_type, hits in groups.items()],
        "counts": [(doc_type, labels[doc_type], text) for doc_type, text in results.count_texts(labels)],
        "services": Service.objects.order_by("name").values_list("slug", "name"),
        "labels": labels,
    }
    if request.GET.get("quick"):
        return render(request, "playbooks/inc/_quick_results.html", context)
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, "playbooks/inc/_search_results.html", context)
    return render(request, "playbooks/search.html", context)
