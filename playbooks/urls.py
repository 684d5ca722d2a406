from django.urls import path

from playbooks import search_views, views

app_name = "playbooks"

urlpatterns = [
    path("search/", search_views.search_page, name="search"),
    path("playbooks/", views.PlaybookListView.as_view(), name="playbook_list"),
    path("playbooks/new/", views.playbook_create, name="playbook_create"),
    path("playbooks/refine/", views.playbook_refine, name="playbook_refine"),
    path("playbooks/<slug:slug>/", views.playbook_detail, name="playbook_detail"),
    path("playbooks/<slug:slug>/edit/", views.playbook_edit, name="playbook_edit"),
    path("playbooks/<slug:slug>/uses/", views.playbook_use, name="playbook_use"),
    path("playbooks/<slug:slug>/history/", views.playbook_history, name="playbook_history"),
    path("playbooks/<slug:slug>/history/<int:history_id>/", views.playbook_compare, name="playbook_compare"),
]
