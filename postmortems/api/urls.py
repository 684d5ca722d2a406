from postmortems.api.views import CausalFactorViewSet, CausalLinkViewSet, ReviewViewSet, RootCauseClassViewSet

routes = [
    ("reviews", ReviewViewSet),
    (r"reviews/(?P<review_reference>[^/.]+)/factors", CausalFactorViewSet),
    (r"reviews/(?P<review_reference>[^/.]+)/links", CausalLinkViewSet),
    ("root-cause-classes", RootCauseClassViewSet),
]
urlpatterns = []
