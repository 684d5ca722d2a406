"""Playbooks and runbooks as search documents: title, symptoms and alert names weigh most (see core.search).

Each kind is its own document type, so results group them apart; a playbook whose kind changes
leaves one type and joins the other (the feed of each type yields only its own kind).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core import search
from core.signals import m2m_changed_ids
from playbooks.choices import Kind
from playbooks.models import Playbook


def _documents_of(kind):
    def documents(ids):
        for playbook in Playbook.objects.filter(pk__in=ids, kind=kind).prefetch_related("services", "classes"):
            yield search.Document(
                doc_type=kind,
                object_id=playbook.pk,
                url=playbook.get_absolute_url(),
                reference=playbook.slug,
                title=playbook.title,
                keywords="\n".join([*playbook.symptoms, *playbook.alert_names]),
                summary=playbook.summary,
                body="\n".join(
                    [
                        playbook.suspects,
                        playbook.validation,
                        playbook.body,
                        playbook.warnings,
                        *(cls.name for cls in playbook.classes.all()),
                    ]
                ),
                services=[service.slug for service in playbook.services.all()],
                occurred_at=playbook.updated_at,
            )

    return documents


def _queue(playbook_id):
    for kind in Kind:
        search.queue_reindex(kind.value, playbook_id)


def _playbook_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue(instance.pk)


def _relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    for playbook_id in m2m_changed_ids(instance, action, reverse, pk_set):
        _queue(playbook_id)


def connect():
    for kind, label in ((Kind.PLAYBOOK, "Playbooks"), (Kind.RUNBOOK, "Runbooks")):
        search.register_feed(
            kind.value,
            label=label,
            documents=_documents_of(kind.value),
            all_ids=lambda kind=kind: Playbook.objects.filter(kind=kind).order_by("pk").values_list("pk", flat=True),
        )
    post_save.connect(_playbook_changed, sender=Playbook, dispatch_uid="playbooks.search_saved")
    post_delete.connect(_playbook_changed, sender=Playbook, dispatch_uid="playbooks.search_deleted")
    for through in (Playbook.services.through, Playbook.classes.through):
        m2m_changed.connect(_relations_changed, sender=through, dispatch_uid=f"playbooks.search_{through.__name__}")
