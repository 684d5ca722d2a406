from django.urls import path

from failure_catalog import views

app_name = "failure_catalog"

urlpatterns = [
    path("resilience/", views.CoverageView.as_view(), name="coverage"),
    path("resilience/teams/", views.team_coverage, name="team_coverage"),
    path("resilience/experiments/", views.ExperimentListView.as_view(), name="experiment_list"),
    path("resilience/experiments/new/", views.experiment_create, name="experiment_create"),
    path("resilience/experiments/import/", views.experiment_import, name="experiment_import"),
    path("resilience/experiments/<int:pk>/", views.experiment_detail, name="experiment_detail"),
    path("resilience/fault-types/", views.FaultTypeListView.as_view(), name="fault_type_list"),
    path("resilience/requirements/", views.RequirementListView.as_view(), name="requirement_list"),
    path("resilience/requirements/new/", views.requirement_create, name="requirement_create"),
    path(
        "resilience/reviews/<str:reference>/requirements/",
        views.review_requirement_create,
        name="review_requirement_create",
    ),
    path("resilience/analyses/", views.AnalysisListView.as_view(), name="analysis_list"),
    path("resilience/analyses/new/", views.analysis_create, name="analysis_create"),
    path("resilience/analyses/<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("resilience/failure-modes/<int:pk>/require/", views.failure_mode_require, name="failure_mode_require"),
    path("resilience/gate-decisions/", views.GateDecisionListView.as_view(), name="gate_decision_list"),
]
