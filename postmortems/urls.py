from django.urls import path

from postmortems import views

app_name = "postmortems"

urlpatterns = [
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("reviews/<str:reference>/", views.review_detail, name="review_detail"),
    path("reviews/<str:reference>/start/", views.review_start, name="review_start"),
    path("reviews/<str:reference>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<str:reference>/submit/", views.review_submit, name="review_submit"),
    path("reviews/<str:reference>/publish/", views.review_publish, name="review_publish"),
    path("reviews/<str:reference>/reopen/", views.review_reopen, name="review_reopen"),
    path("reviews/<str:reference>/history/", views.review_history, name="review_history"),
    path("reviews/<str:reference>/export.md", views.review_export_markdown, name="review_export_markdown"),
    path("reviews/<str:reference>/export.json", views.review_export_json, name="review_export_json"),
    path("reviews/<str:reference>/factors/", views.factor_create, name="factor_create"),
    path("reviews/<str:reference>/factors/<int:factor_id>/edit/", views.factor_edit, name="factor_edit"),
    path("reviews/<str:reference>/factors/<int:factor_id>/delete/", views.factor_delete, name="factor_delete"),
    path("reviews/<str:reference>/factors/<int:factor_id>/relate/", views.factor_relate, name="factor_relate"),
    path("reviews/<str:reference>/links/<int:link_id>/delete/", views.link_delete, name="link_delete"),
]
