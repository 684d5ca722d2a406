"""Base model mixins shared by every app. No domain logic lives here."""

from django.db import models
from django.db.models import Q


def update_fields_for(instance, names):
    """The `update_fields` of a save that writes only `names`: those of them that are columns of
    `instance`, plus the columns stamped on every save (`auto_now`), so a save never overwrites a
    column another writer changed meanwhile."""
    columns = {field.name: field for field in instance._meta.concrete_fields}
    wanted = [name for name in dict.fromkeys(names) if name in columns and not columns[name].primary_key]
    stamped = [name for name, field in columns.items() if getattr(field, "auto_now", False) and name not in wanted]
    return wanted + stamped


class NamedQuerySet(models.QuerySet):
    """The queries of a catalog whose rows have a name, a slug and a description (services, classes, fault types)."""

    def search(self, text):
        """Rows whose name, slug or description contains text (case-insensitive)."""
        return self.filter(Q(name__icontains=text) | Q(slug__icontains=text) | Q(description__icontains=text))


class TimeStampedModel(models.Model):
    """Adds created_at and updated_at, maintained by the database layer."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SearchDocument(models.Model):
    """One searchable thing (an incident, a review, a playbook…) as the search index sees it.

    Each app feeds its own documents (see core.search); nothing here knows their models. The
    full-text index over these rows is the database's own: a generated, weighted `tsvector` column
    with a GIN index on PostgreSQL, an FTS5 table kept in step by triggers on SQLite (both created
    by this app's migrations, outside the ORM's view).
    """

    doc_type = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    url = models.CharField(max_length=300)
    reference = models.CharField(max_length=100, blank=True, help_text="How people name it, e.g. INC-42.")
    title = models.CharField(max_length=300)
    # Weighed like the title: symptoms, alert names, labels.
    keywords = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Space-delimited with a space at each end (" api db "), so `LIKE '% api %'` filters on both backends.
    services = models.TextField(blank=True, default=" ")
    restricted = models.BooleanField(default=False)
    allowed_team_ids = models.TextField(blank=True, default=" ", help_text='Like services: " 3 7 ".')
    occurred_at = models.DateTimeField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["doc_type", "object_id"], name="search_document_unique")]
        # Serves the time filter and "newest first" among equally good matches.
        indexes = [models.Index(fields=["doc_type", "occurred_at"], name="search_document_type_time")]

    def __str__(self):
        return f"{self.doc_type}:{self.object_id} {self.title}"


class SearchTerm(models.Model):
    """A word that occurs in some search document: the vocabulary misspelled query words are corrected against."""

    word = models.CharField(max_length=40, unique=True)

    def __str__(self):
        return self.word


class PendingTask(models.Model):
    """A task whose queueing failed (the broker was unreachable) after its transaction committed.

    The write it belongs to stands; `core.tasks.requeue_pending_tasks` sends these once the broker
    answers again, and deletes each row it sent. Tasks are safe to run twice, so a row sent just
    before a crash and sent again later does no harm.
    """

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.name}({self.args}, {self.kwargs})"
