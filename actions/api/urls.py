routes = []
urlpatterns = []
