from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import has_team_role
from core.views import FilteredListView
from failure_catalog.analysis import start_analysis
from failure_catalog.choices import ANALYSIS_MAX_AGE_DAYS, CellState, RequirementOrigin
from failure_catalog.coverage import SCORE_FORMULA, coverage_for, team_rollup
from failure_catalog.filtersets import (
    CoverageFilterSet,
    ExperimentFilterSet,
    FailureModeAnalysisFilterSet,
    FaultTypeFilterSet,
    GateDecisionFilterSet,
    RequirementFilterSet,
)
from failure_catalog.forms import (
    AnalysisForm,
    ExperimentForm,
    FailureModeRowForm,
    ImportForm,
    RequirementForm,
    ReviewRequirementForm,
)
from failure_catalog.importing import Overrides, parse_document, record_imports
from failure_catalog.models import (
    Experiment,
    FailureModeAnalysis,
    FailureModeRow,
    FaultType,
    GateDecision,
    ResilienceRequirement,
)
from failure_catalog.permissions import require_service_role
from failure_catalog.requirements import require_from_failure_mode, require_from_review
from incidents.models import Incident
from postmortems.models import Review
from services.models import Service


def form_errors_to(form, error):
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


class CatalogListView(FilteredListView):
    """A list page of the catalog: a title, a line saying what it is, links to add, the filters and results."""

    template_name = "failure_catalog/list_page.html"
    partial_template_name = "failure_catalog/inc/_results.html"
    page_title = ""
    intro = ""
    noun = ("row", "rows")
    columns = []  # (label, css class) of each column
    row_template = None

    def page_links(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.page_title,
            intro=self.intro,
            page_links=self.page_links(),
            partial_template=self.partial_template_name,
            noun=self.noun,
            columns=self.columns,
            row_template=self.row_template,
        )
        return context


def form_page(request, form, *, title, intro, submit_label, cancel_url):
    return render(
        request,
        "failure_catalog/form_page.html",
        {"form": form, "page_title": title, "intro": intro, "submit_label": submit_label, "cancel_url": cancel_url},
    )


IMPORT_AND_RECORD = [
    ("Import results", reverse_lazy("failure_catalog:experiment_import")),
    ("Record experiment", reverse_lazy("failure_catalog:experiment_create")),
]


class CoverageView(CatalogListView):
    """Services by fault types: each cell verified, stale, failing, missing or not required."""

    filterset_class = CoverageFilterSet
    template_name = "failure_catalog/coverage.html"
    page_title = "Resilience coverage"
    intro = "Is each service verified to behave as required under each fault? Rows: services; columns: fault types."
    partial_template_name = "failure_catalog/inc/_coverage_results.html"
    paginate_by = 25

    def get_base_queryset(self):
        return Service.objects.select_related("team").order_by("name")

    def page_links(self):
        return IMPORT_AND_RECORD

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fault_types = list(FaultType.objects.order_by("category", "name"))
        context["fault_types"] = fault_types
        context["rows"] = coverage_for(context["object_list"], fault_types=fault_types)
        context["formula"] = SCORE_FORMULA
        context["states"] = CellState
        context["analysis_max_age_days"] = ANALYSIS_MAX_AGE_DAYS
        return context


@login_required
def team_coverage(request):
    """Coverage summed per team."""
    services = Service.objects.select_related("team").order_by("name")
    rollup = team_rollup(coverage_for(services, fault_types=list(FaultType.objects.all())))
    return render(request, "failure_catalog/team_coverage.html", {"rollup": rollup, "formula": SCORE_FORMULA})


class ExperimentListView(CatalogListView):
    filterset_class = ExperimentFilterSet
    page_title = "Experiments"
    intro = "Chaos experiments and failure-aware tests: what was injected, into which version, and whether the steady state held."
    noun = ("experiment", "experiments")
    columns = [
        ("Experiment", ""),
        ("Service", ""),
        ("Fault type", ""),
        ("Outcome", ""),
        ("Version", ""),
        ("Environment", ""),
        ("Started", ""),
        ("Source", ""),
    ]
    row_template = "failure_catalog/inc/_experiment_row.html"

    def page_links(self):
        return IMPORT_AND_RECORD

    def get_base_queryset(self):
        return Experiment.objects.select_related("service", "fault_type").defer("raw_document")


@login_required
def experiment_detail(request, pk):
    experiment = get_object_or_404(
        Experiment.objects.select_related("service__team", "fault_type", "recorded_by"), pk=pk
    )
    visible = Incident.objects.visible_to(request.user)
    links = experiment.incident_links.filter(incident__in=visible).select_related("incident")
    actions = experiment.actions.filter(review__incident__in=visible)
    return render(
        request,
        "failure_catalog/experiment_detail.html",
        {"experiment": experiment, "links": links, "actions": actions},
    )


@login_required
def experiment_create(request):
    form = ExperimentForm(request.POST or None, initial={"service": request.GET.get("service")})
    if request.method == "POST" and form.is_valid():
        require_service_role(request.user, form.cleaned_data["service"])
        experiment = form.save(commit=False)
        experiment.recorded_by = request.user
        experiment.save()
        messages.success(request, "Experiment recorded.")
        return redirect(experiment)
    return form_page(
        request,
        form,
        title="Record an experiment",
        intro="A run done by hand or by a tool Hindsight cannot read: what was injected, and did the steady state hold?",
        submit_label="Record experiment",
        cancel_url=reverse("failure_catalog:experiment_list"),
    )


@login_required
def experiment_import(request):
    """Upload or paste a Chaos Toolkit journal, a ChaosResult or a JUnit report."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            imported = parse_document(
                data["source"],
                data["document"],
                Overrides(
                    data["service"].strip(), data["fault_type"].strip(), data["version"].strip(), data["environment"]
                ),
            )
        except ValidationError as error:
            form_errors_to(form, error)
        else:
            for service in {item.lookups["service"] for item in imported}:
                require_service_role(request.user, service)
            results = record_imports(data["source"], imported, by=request.user)
            created = sum(1 for _, new in results if new)
            messages.success(
                request,
                f"Imported {created} experiment{'s' if created != 1 else ''}"
                + (f"; {len(results) - created} already imported." if created != len(results) else "."),
            )
            if len(results) == 1:
                return redirect(results[0][0])
            return redirect("failure_catalog:experiment_list")
    return form_page(
        request,
        form,
        title="Import results",
        intro="A Chaos Toolkit journal (journal.json from chaos run), a LitmusChaos ChaosResult (kubectl get chaosresult -o yaml) "
        "or a JUnit XML report whose test cases name a fault type. Importing the same document again changes nothing.",
        submit_label="Import",
        cancel_url=reverse("failure_catalog:experiment_list"),
    )


class FaultTypeListView(CatalogListView):
    filterset_class = FaultTypeFilterSet
    page_title = "Fault types"
    intro = "The faults services are verified against, and how to inject each."
    noun = ("fault type", "fault types")
    columns = [
        ("Fault type", ""),
        ("Category", ""),
        ("What happens", ""),
        ("How to inject it", ""),
        ("Required of", "num"),
        ("Experiments", "num"),
    ]
    row_template = "failure_catalog/inc/_fault_type_row.html"

    def get_base_queryset(self):
        return FaultType.objects.annotate(
            requirement_count=Count("requirements", distinct=True), experiment_count=Count("experiments", distinct=True)
        ).order_by("category", "name")


class RequirementListView(CatalogListView):
    filterset_class = RequirementFilterSet
    page_title = "Resilience requirements"
    intro = "What each service must withstand, how fresh the evidence must be, and where the requirement came from."

    def page_links(self):
        return [("Add requirement", reverse("failure_catalog:requirement_create"))]

    noun = ("requirement", "requirements")
    columns = [
        ("Service", ""),
        ("Fault type", ""),
        ("Expected behaviour", ""),
        ("Max age", "num"),
        ("On version", ""),
        ("Origin", ""),
    ]
    row_template = "failure_catalog/inc/_requirement_row.html"

    def get_base_queryset(self):
        return ResilienceRequirement.objects.visible_to(self.request.user).for_display()


@login_required
def requirement_create(request):
    form = RequirementForm(request.POST or None, initial={"service": request.GET.get("service")})
    if request.method == "POST" and form.is_valid():
        require_service_role(request.user, form.cleaned_data["service"])
        requirement = form.save(commit=False)
        requirement.origin = RequirementOrigin.PERSON
        requirement.created_by = request.user
        requirement.save()
        messages.success(request, f"{requirement.service} must now be verified under {requirement.fault_type}.")
        return redirect(requirement.service.get_absolute_url() + "#resilience")
    return form_page(
        request,
        form,
        title="Add a requirement",
        intro="A service must be verified to behave as expected under a fault type, with evidence no older than this.",
        submit_label="Add requirement",
        cancel_url=reverse("failure_catalog:requirement_list"),
    )


@login_required
@require_POST
def review_requirement_create(request, reference):
    """A review's root-cause factor becomes a requirement of the chosen services (the panel on the review page)."""
    review = get_object_or_404(
        Review.objects.visible_to(request.user).select_related("incident"), incident_id=_number(reference)
    )
    form = ReviewRequirementForm(request.POST, review=review)
    if form.is_valid():
        data = form.cleaned_data
        for service in data["services"]:
            require_service_role(request.user, service)
        require_from_review(review=review, by=request.user, **data)  # the form's fields are the function's
        count = len(data["services"])
        messages.success(request, f"Requirement added to {count} service{'s' if count != 1 else ''}.")
    else:
        messages.error(request, " ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
    return redirect(review.get_absolute_url() + "#guardrails")


def _number(reference):
    from incidents.models import parse_reference

    number = parse_reference(reference)
    return number if number is not None else -1


class AnalysisListView(CatalogListView):
    filterset_class = FailureModeAnalysisFilterSet
    page_title = "Failure-mode analyses"
    intro = "Design reviews with a failure lens (FMEA): per dependency and fault, the effect, detection, mitigation and risk."

    def page_links(self):
        return [("Start an analysis", reverse("failure_catalog:analysis_create"))]

    noun = ("analysis", "analyses")
    columns = [
        ("Analysis", ""),
        ("Service", ""),
        ("Analysed", ""),
        ("Failure modes", "num"),
        ("Without detection or mitigation", "num"),
    ]
    row_template = "failure_catalog/inc/_analysis_row.html"

    def get_base_queryset(self):
        return (
            FailureModeAnalysis.objects.select_related("service__team")
            .annotate(
                row_count=Count("rows"),
                unflagged=Count("rows", filter=Q(rows__detection="") | Q(rows__mitigation="")),
            )
            .order_by("-analysed_at", "-id")
        )


@login_required
def analysis_create(request):
    service = Service.objects.filter(slug=request.GET.get("service", "")).first()
    form = AnalysisForm(request.POST or None, initial={"service": service.slug if service else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require_service_role(request.user, data["service"])
        analysis = start_analysis(
            service=data["service"],
            title=data["title"],
            notes=data["notes"],
            analysed_at=data["analysed_at"],
            by=request.user,
        )
        messages.success(request, "Analysis started from the service's dependencies and incident history.")
        return redirect(analysis)
    return form_page(
        request,
        form,
        title="Start a failure-mode analysis",
        intro="It starts with a row per dependency from the catalog and per fault type the service's past incidents point to.",
        submit_label="Start analysis",
        cancel_url=reverse("failure_catalog:analysis_list"),
    )


@login_required
def analysis_detail(request, pk):
    analysis = get_object_or_404(FailureModeAnalysis.objects.select_related("service__team", "created_by"), pk=pk)
    can_edit = has_team_role(request.user, analysis.service.team_id)
    form = FailureModeRowForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        require_service_role(request.user, analysis.service)
        if form.is_valid():
            row = form.save(commit=False)
            row.analysis = analysis
            try:
                row.full_clean()
            except ValidationError as error:
                form_errors_to(form, error)
            else:
                row.save()
                messages.success(request, "Failure mode added.")
                return redirect(analysis)
    rows = analysis.rows.select_related("dependency", "fault_type").annotate(requirement_count=Count("requirements"))
    return render(
        request,
        "failure_catalog/analysis_detail.html",
        {"analysis": analysis, "rows": rows, "form": form, "can_edit": can_edit},
    )


@login_required
@require_POST
def failure_mode_require(request, pk):
    """One click: a failure-mode row becomes a requirement of its service."""
    row = get_object_or_404(FailureModeRow.objects.select_related("analysis__service__team", "fault_type"), pk=pk)
    require_service_role(request.user, row.analysis.service)
    requirement = require_from_failure_mode(row, by=request.user)
    messages.success(request, f"{requirement.service} must now be verified under {requirement.fault_type}.")
    return redirect(row.analysis)


class GateDecisionListView(CatalogListView):
    filterset_class = GateDecisionFilterSet
    page_title = "Gate decisions"
    intro = "Every answer the deployment gate gave a pipeline: who asked, about which version, and why."
    noun = ("decision", "decisions")
    columns = [("Service", ""), ("Version", ""), ("Decision", ""), ("Reasons", ""), ("Asked", "")]
    row_template = "failure_catalog/inc/_decision_row.html"

    def get_base_queryset(self):
        return GateDecision.objects.for_display()
