"""Admin pieces shared by the apps."""


class VisibleToAdminMixin:
    """Admin lists, pages and lookups show only the rows the signed-in staff member may see.

    Staff status opens the admin, not restricted incidents: the model's QuerySet names who may see
    what (`visible_to`), as it does for every page and API. A hidden row answers like a missing one.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
