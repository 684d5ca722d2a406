from accounts.api.views import TeamViewSet

routes = [("teams", TeamViewSet)]
urlpatterns = []
