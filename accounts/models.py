"""Teams, and the role each person holds in them."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import TimeStampedModel
from core.tokens import HashedTokenQuerySet, issue_token


class Role(models.TextChoices):
    """A member's role in a team, weakest first; each role can do what the ones before it can."""

    VIEWER = "viewer", "Viewer"
    RESPONDER = "responder", "Responder"
    LEAD = "lead", "Lead"
    ADMIN = "admin", "Admin"

    @property
    def rank(self):
        return list(Role).index(self)

    def at_least(self, minimum):
        """Return True if this role can do what `minimum` can."""
        return self.rank >= Role(minimum).rank


class Team(TimeStampedModel):
    """A group of people who own services and respond to their incidents."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:service_list") + f"?team={self.slug}"


class Membership(models.Model):
    """One person's role in one team."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESPONDER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="membership_unique_user_team")]
        ordering = ["team__name", "user__username"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} of {self.team}"


class ApiTokenQuerySet(HashedTokenQuerySet):
    def authenticate(self, key):
        """Return the token whose key is key (with its user), or None."""
        return self.with_key(key).select_related("user").first()

    def create_with_token(self, *, user, name=""):
        """Create a token for user and return (token, key); the key is not stored and cannot be shown again."""
        token = self.model(user=user, name=name)
        key = issue_token(token)
        token.save(force_insert=True, using=self.db)
        return token, key


class ApiToken(models.Model):
    """A person's key to the API. Only a hash is stored: the key itself is shown once, when it is issued."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for, e.g. ci-pipeline.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(
        max_length=8, editable=False, help_text="The key's first characters, to tell tokens apart."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "created_at"]

    def __str__(self):
        return f"{self.token_prefix}… ({self.user})"
