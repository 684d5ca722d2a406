from django.urls import path

from actions.api.views import ActionItemViewSet, ReviewImportView

routes = [("actions", ActionItemViewSet)]
urlpatterns = [path("import/reviews/", ReviewImportView.as_view(), name="review-import")]
