from actions.api.views import ActionItemViewSet

routes = [("actions", ActionItemViewSet)]
urlpatterns = []
