from django.urls import path

from failure_catalog.api import views

routes = [
    ("fault-types", views.FaultTypeViewSet),
    ("experiments", views.ExperimentViewSet),
    ("requirements", views.RequirementViewSet),
    ("failure-modes", views.FailureModeAnalysisViewSet),
    ("gate-decisions", views.GateDecisionViewSet),
]
urlpatterns = [
    path("experiments/import/chaostoolkit/", views.ChaosToolkitImportView.as_view(), name="import-chaostoolkit"),
    path("experiments/import/litmus/", views.LitmusImportView.as_view(), name="import-litmus"),
    path("experiments/import/junit/", views.JUnitImportView.as_view(), name="import-junit"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("gate/", views.GateView.as_view(), name="gate"),
]
