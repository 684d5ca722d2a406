from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import can_write_anywhere
from core.api import IF_MATCH, PreconditionFailed, require_if_match
from core.concurrency import etag
from postmortems import editing, publishing
from postmortems.api.serializers import (
    CausalFactorSerializer,
    CausalLinkSerializer,
    PublishSerializer,
    ReviewDetailSerializer,
    ReviewSerializer,
    RootCauseClassSerializer,
)
from postmortems.choices import ReviewStatus
from postmortems.filtersets import ReviewFilterSet, RootCauseClassFilterSet
from postmortems.models import CausalFactor, CausalLink, Review, RootCauseClass


class SignedInWritersPermission(permissions.BasePermission):
    """Anyone signed in reads; writing needs a responder role somewhere (the object check comes in the view)."""

    message = "You need a responder (or higher) role in the incident's team to change this."

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in permissions.SAFE_METHODS or can_write_anywhere(request.user)


class ReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Post-incident reviews, addressed by their incident's reference (`INC-42`).

    GET of one review returns an `ETag`; PUT and PATCH must send it back in
    `If-Match` (428 without it, 412 if someone saved since). Lifecycle changes
    go through `publish` and `reopen`.
    """

    queryset = Review.objects.all()  # narrowed to what the caller may see in get_queryset
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilterSet
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    permission_classes = [SignedInWritersPermission]

    def get_queryset(self):
        return (
            Review.objects.visible_to(self.request.user)
            .select_related("incident__team", "owner", "facilitator", "primary_class", "published_by")
            .prefetch_related("authors", "secondary_classes")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        return ReviewDetailSerializer if self.action == "retrieve" else ReviewSerializer

    def get_object(self):
        review = get_object_or_404(self.get_queryset().by_reference(self.kwargs["reference"]))
        self.check_object_permissions(self.request, review)
        return review

    def retrieve(self, request, *args, **kwargs):
        review = self.get_object()
        response = Response(self.get_serializer(review).data)
        response["ETag"] = etag(review)
        return response

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        incident = data.pop("incident")
        probe = Review(incident=incident)
        if not probe.can_be_edited_by(request.user):
            raise PermissionDenied(SignedInWritersPermission.message)
        review, created = publishing.start_review(incident=incident, by=request.user)
        if not created:
            raise ValidationError({"incident": f"{incident.reference} already has a review."})
        if data:
            review = editing.update_review(review, version=review.version, changes=data, by=request.user)
        review = self.get_queryset().get(pk=review.pk)
        response = Response(ReviewDetailSerializer(review, context=self.get_serializer_context()).data, status=201)
        response["ETag"] = etag(review)
        return response

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        review = self.get_object()
        if not review.can_be_edited_by(request.user):
            raise PermissionDenied(SignedInWritersPermission.message)
        review.require_changeable()
        require_if_match(request, review)
        serializer = self.get_serializer(review, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            review = editing.update_review(
                review, version=review.version, changes=dict(serializer.validated_data), by=request.user
            )
        except editing.StaleReview:
            raise PreconditionFailed({"detail": "Someone saved this review since you read it; GET it again."}) from None
        review = self.get_queryset().get(pk=review.pk)
        response = Response(ReviewDetailSerializer(review, context=self.get_serializer_context()).data)
        response["ETag"] = etag(review)
        return response

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @extend_schema(request=PublishSerializer, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, reference=None, format=None):
        """Publish the review (needs a lead of the incident's team); 400 lists every reason it is not ready.

        `published_at` (optional) dates a review published before it came to Hindsight: not in the
        future, not before the incident started."""
        review = self.get_object()
        if not review.can_be_published_by(request.user):
            raise PermissionDenied("You need a lead role in the incident's team to publish its review.")
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = publishing.publish_review(review, by=request.user, at=body.validated_data.get("published_at"))
        return self._lifecycle_response(review)

    @extend_schema(request=None, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, reference=None, format=None):
        """Reopen a published review: body `{"reason": "…", "status": "in_review"|"draft"}`."""
        review = self.get_object()
        if not review.can_be_published_by(request.user):
            raise PermissionDenied("You need a lead role in the incident's team to reopen its review.")
        review = publishing.reopen_review(
            review,
            by=request.user,
            reason=str(request.data.get("reason", "")),
            status=request.data.get("status", ReviewStatus.IN_REVIEW),
        )
        return self._lifecycle_response(review)

    def _lifecycle_response(self, review):
        review = self.get_queryset().get(pk=review.pk)
        response = Response(ReviewDetailSerializer(review, context=self.get_serializer_context()).data)
        response["ETag"] = etag(review)
        return response


@extend_schema(
    parameters=[
        OpenApiParameter(
            "review_reference",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="The incident reference, e.g. INC-42.",
        )
    ]
)
class ReviewChildViewSet(viewsets.ModelViewSet):
    """Shared by factors and links: they live under /api/reviews/{ref}/ and are addressed by id."""

    permission_classes = [SignedInWritersPermission]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_review(self):
        if not hasattr(self, "_review"):
            self._review = get_object_or_404(
                Review.objects.visible_to(self.request.user)
                .by_reference(self.kwargs["review_reference"])
                .select_related("incident__team")
            )
        return self._review

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "review_reference" in self.kwargs:
            context["review"] = self.get_review()
        return context

    def check_writable(self):
        review = self.get_review()
        if not review.can_be_edited_by(self.request.user):
            raise PermissionDenied(SignedInWritersPermission.message)
        review.require_changeable()
        return review


class CausalFactorViewSet(ReviewChildViewSet):
    """Nodes of a review's causal-factor chart."""

    queryset = CausalFactor.objects.all()  # narrowed to one review in get_queryset
    serializer_class = CausalFactorSerializer

    def get_queryset(self):
        return CausalFactor.objects.filter(review=self.get_review()).select_related("service")

    def perform_create(self, serializer):
        review = self.check_writable()
        serializer.instance = editing.add_factor(review, by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        self.check_writable()
        serializer.instance = editing.update_factor(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, factor):
        self.check_writable()
        editing.delete_factor(factor, by=self.request.user)


class CausalLinkViewSet(ReviewChildViewSet):
    """Edges of a review's chart: `cause` led to `effect` (factor ids). Cycles, self-links and links across reviews are refused."""

    queryset = CausalLink.objects.all()  # narrowed to one review in get_queryset
    serializer_class = CausalLinkSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return CausalLink.objects.filter(review=self.get_review())

    def perform_create(self, serializer):
        review = self.check_writable()
        try:
            serializer.instance = editing.add_link(
                review,
                cause=serializer.validated_data["cause"],
                effect=serializer.validated_data["effect"],
                by=self.request.user,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"non_field_errors": error.messages}) from None

    def perform_destroy(self, link):
        self.check_writable()
        editing.delete_link(link, by=self.request.user)


class RootCauseClassPermission(permissions.BasePermission):
    """Anyone signed in reads the taxonomy; leads (in any team) and site admins change it."""

    message = "You need a lead role (or site admin) to change the root-cause taxonomy."

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in permissions.SAFE_METHODS or can_write_anywhere(request.user, Role.LEAD)


class RootCauseClassViewSet(viewsets.ModelViewSet):
    """The root-cause taxonomy, addressed by slug; `parent` is a slug."""

    queryset = RootCauseClass.objects.select_related("parent")
    serializer_class = RootCauseClassSerializer
    filterset_class = RootCauseClassFilterSet
    lookup_field = "slug"
    permission_classes = [RootCauseClassPermission]

    def destroy(self, request, *args, **kwargs):
        try:
            return super().destroy(request, *args, **kwargs)
        except ProtectedError:
            return Response(
                {"detail": "This class is in use (by reviews or as a parent) and cannot be deleted."},
                status=status.HTTP_409_CONFLICT,
            )
